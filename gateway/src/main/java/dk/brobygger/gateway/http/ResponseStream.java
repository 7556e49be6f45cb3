package dk.brobygger.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A chunked answer written from a worker thread with the client's back-pressure: text is gathered
 * into chunks, and before a chunk goes out the writer waits while the response's write queue is
 * full (until Vert.x's drain handler says the socket took it), so a slow reader slows the producer
 * instead of growing the heap. A client that goes away, or takes nothing for {@code stallLimit},
 * makes the next write fail with an IOException, which ends the producer's work (and its query).
 *
 * <p>Text is written as ISO-8859-1 bytes: for the ASCII-only formats it carries (NDJSON exports).
 */
public final class ResponseStream extends Writer {

  private static final int CHUNK_BYTES = 64 * 1024;

  private final HttpServerResponse response;
  private final long stallNanos;
  private final Object drained = new Object();
  private final LongAdder waits = new LongAdder();
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private int filled;
  private volatile boolean gone;
  private boolean ended;

  /** Takes over the response's drain and close handlers; its status and headers must be set. */
  public ResponseStream(HttpServerResponse response, Duration stallLimit) {
    this.response = Objects.requireNonNull(response, "response");
    this.stallNanos = stallLimit.toNanos();
    response.drainHandler(ignored -> wake());
    response.closeHandler(ignored -> {
      gone = true;
      wake();
    });
    response.exceptionHandler(ignored -> {
      gone = true;
      wake();
    });
  }

  @Override
  public void write(char[] text, int offset, int length) throws IOException {
    for (int i = 0; i < length; i++) {
      if (filled == CHUNK_BYTES) {
        send();
      }
      chunk[filled++] = (byte) text[offset + i];
    }
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    for (int i = 0; i < length; i++) {
      if (filled == CHUNK_BYTES) {
        send();
      }
      chunk[filled++] = (byte) text.charAt(offset + i);
    }
  }

  /** Sends what is gathered (waiting for room first); the answer stays open. */
  @Override
  public void flush() throws IOException {
    if (filled > 0) {
      send();
    }
  }

  /** Sends the rest and ends the answer. */
  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    flush();
    ended = true;
    response.end();
  }

  /** Cuts the answer off (the connection is closed): a half-written body must not look complete. */
  public void abort() {
    ended = true;
    gone = true;
    response.reset();
  }

  /** How often a write waited for the client to take what was sent before (0 for a fast reader). */
  public long waitsForClient() {
    return waits.sum();
  }

  private void send() throws IOException {
    awaitRoom();
    response.write(Buffer.buffer(java.util.Arrays.copyOf(chunk, filled)));
    filled = 0;
  }

  private void awaitRoom() throws IOException {
    if (gone) {
      throw new IOException("the client closed the connection");
    }
    if (!response.writeQueueFull()) {
      return;
    }
    waits.increment();
    long deadline = System.nanoTime() + stallNanos;
    synchronized (drained) {
      // re-checked under the lock the drain handler takes, so a drain between check and wait is not missed;
      // the timed wait is only the stall limit's clock
      while (!gone && response.writeQueueFull()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          gone = true;
          response.reset();
          throw new IOException("the client took nothing for " + Duration.ofNanos(stallNanos) + "; connection closed");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the client", e);
        }
      }
    }
    if (gone) {
      throw new IOException("the client closed the connection");
    }
  }

  private void wake() {
    synchronized (drained) {
      drained.notifyAll();
    }
  }
}
