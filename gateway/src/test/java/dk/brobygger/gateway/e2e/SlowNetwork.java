package dk.brobygger.gateway.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP relay on a free port that holds every chunk going towards the recipient for a random 150 to
 * 500 ms before passing it on: the network between gateway and recipient, where bytes that have
 * left the gateway have not arrived yet. Answers travel back at once.
 */
final class SlowNetwork implements AutoCloseable {

  private static final int MIN_DELAY_MS = 150;
  private static final int MAX_DELAY_MS = 500;

  private final ServerSocket listener;
  private final int upstreamPort;

  SlowNetwork(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "slow-network");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to, boolean delayed) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (delayed) {
            // simulated latency: not a wait for a condition, the duration itself is the point
            Thread.sleep(ThreadLocalRandom.current().nextInt(MIN_DELAY_MS, MAX_DELAY_MS + 1));
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException | InterruptedException closed) {
        // either side went away: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "slow-network-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
