package dk.brobygger.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A recipient that is stalled but alive, in one of two ways: it reads the whole request, then
 * trickles an answer that never ends, one byte every {@link #TRICKLE}; or it reads the request body
 * slowly, a kilobyte every {@link #TRICKLE}, through a small receive buffer, so a large body takes
 * a long time to write. Either way every byte comes well within any socket timeout. It notes when
 * the gateway closed the connection.
 */
final class TricklingRecipient implements AutoCloseable {

  static final Duration TRICKLE = Duration.ofMillis(100);
  private static final byte[] ANSWER_START = "HTTP/1.1 200 OK\r\nX-Slowly: ".getBytes(StandardCharsets.US_ASCII);

  /** How it stalls. */
  enum Stall { ANSWERING, READING }

  private final Stall stall;
  private final ServerSocket server;
  private final Thread acceptor;
  private final CountDownLatch requestRead = new CountDownLatch(1);
  private final CountDownLatch closedByGateway = new CountDownLatch(1);
  private volatile Instant closedAt;
  private volatile int bodyBytes;

  TricklingRecipient(Stall stall) throws IOException {
    this.stall = stall;
    server = new ServerSocket();
    server.setReceiveBufferSize(4096);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::serve, "trickling-recipient");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/fhir/$process-message";
  }

  /** Waits until a whole request has been read; false on timeout. */
  boolean awaitRequest(Duration timeout) throws InterruptedException {
    return requestRead.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the gateway closed the connection; false on timeout. */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closedByGateway.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  Instant closedAt() {
    return closedAt;
  }

  int bodyBytes() {
    return bodyBytes;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        if (stall == Stall.READING) {
          readSlowly(in);
        } else {
          bodyBytes = readRequest(in);
          requestRead.countDown();
          trickle(socket, in);
        }
      } catch (IOException e) {
        // the server socket closed, or a broken request: nothing to note
      }
    }
  }

  private static int readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended in its head");
      }
      head.write(b);
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    return in.readNBytes(length).length;
  }

  /** Reads a kilobyte per {@link #TRICKLE} until the connection ends; counts what it read. */
  private void readSlowly(InputStream in) {
    byte[] chunk = new byte[1024];
    int read = 0;
    try {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        read += n;
        bodyBytes = read;
        requestRead.countDown();
        Thread.sleep(TRICKLE.toMillis()); // the recipient's pace, which the test is about
      }
    } catch (IOException | InterruptedException reset) {
      // the gateway closed the connection
    }
    closedAt = Instant.now();
    closedByGateway.countDown();
  }

  /** Bytes read so far (with {@link Stall#READING}, the request head included). */
  int bytesRead() {
    return bodyBytes;
  }

  private void trickle(Socket socket, InputStream in) throws IOException {
    OutputStream out = socket.getOutputStream();
    socket.setSoTimeout((int) TRICKLE.toMillis());
    for (int sent = 0; ; sent++) {
      try {
        out.write(sent < ANSWER_START.length ? ANSWER_START[sent] : 'x');
        out.flush();
        if (in.read() < 0) {
          break;
        }
      } catch (SocketTimeoutException stillOpen) {
        continue;
      } catch (IOException reset) {
        break;
      }
    }
    closedAt = Instant.now();
    closedByGateway.countDown();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
