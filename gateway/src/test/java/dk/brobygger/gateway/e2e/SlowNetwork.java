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
 * 500 ms (or as given) before passing it on: the network between gateway and recipient, where bytes
 * that have left the gateway have not arrived yet. Answers travel back at once. It can also hold
 * every chunk towards the recipient until released ({@link #hold()}), to put a step between a
 * request leaving the gateway and its arrival.
 */
final class SlowNetwork implements AutoCloseable {

  private final int minDelayMs;
  private final int maxDelayMs;
  private final ServerSocket listener;
  private final int upstreamPort;
  private final Object gate = new Object();
  private boolean holding;
  private int held;

  SlowNetwork(int upstreamPort) {
    this(upstreamPort, 150, 500);
  }

  /** A relay that delays each chunk towards the recipient by a random time in [min, max] ms (0, 0: none). */
  SlowNetwork(int upstreamPort, int minDelayMs, int maxDelayMs) {
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
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

  /** From now on, chunks towards the recipient wait in the network until {@link #release()}. */
  void hold() {
    synchronized (gate) {
      holding = true;
    }
  }

  /** Lets every held chunk, and all later ones, go on. */
  void release() {
    synchronized (gate) {
      holding = false;
      gate.notifyAll();
    }
  }

  /** Whether a chunk towards the recipient is being held: bytes have left the gateway and not arrived. */
  boolean holdsBytes() {
    synchronized (gate) {
      return held > 0;
    }
  }

  private void passGate() throws InterruptedException {
    synchronized (gate) {
      if (!holding) {
        return;
      }
      held++;
      try {
        while (holding) {
          gate.wait();
        }
      } finally {
        held--;
      }
    }
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

  private void pump(Socket from, Socket to, boolean delayed) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (delayed) {
            passGate();
            if (maxDelayMs > 0) {
              // simulated latency: not a wait for a condition, the duration itself is the point
              Thread.sleep(ThreadLocalRandom.current().nextInt(minDelayMs, maxDelayMs + 1));
            }
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
    release();
    try {
      listener.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
