package dk.brobygger.delivery;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP calls to recipients in progress on this instance, each abortable from another thread.
 * HttpClient bounds a call only by its connect and socket timeouts, so a recipient that trickles
 * its answer, or reads the request very slowly, keeps a call open for as long as it likes. Here a
 * call is aborted (its connection closed) at its attempt's deadline ({@link FenceEntryStage#mustEndBy},
 * the time a withdrawal waits for it at most), and, while it is still writing the payload or has
 * not started, as soon as a withdrawal asks (see {@link Call#abortWhileSending}): the fence is polled
 * every {@link #FENCE_POLL} while calls are in progress, so a withdrawal answered by another gateway
 * instance on the same database reaches this one too.
 *
 * <p>It is an HttpClient exec interceptor: the attempt's worker thread opens its call, camel-http
 * then executes the request on that same thread, and the interceptor binds the request's cancel
 * handle to the call (until the call is closed, after its answer was read) and counts the payload
 * bytes handed to the connection.
 */
final class RecipientCalls implements ExecChainHandler {

  /** How often a withdrawal's abort request is looked for while calls are in progress. */
  static final Duration FENCE_POLL = Duration.ofMillis(100);

  private static final Logger LOG = LoggerFactory.getLogger(RecipientCalls.class);

  private final DisclosureFence fence;
  private final Clock clock;
  private final Map<AttemptId, Call> calls = new ConcurrentHashMap<>();
  private final ThreadLocal<Call> onThisThread = new ThreadLocal<>();
  private volatile ScheduledExecutorService timer;

  RecipientCalls(DisclosureFence fence, Clock clock) {
    this.fence = fence;
    this.clock = clock;
  }

  /** Starts watching the fence on {@code timer}, which also runs the deadlines. */
  void start(ScheduledExecutorService timer) {
    this.timer = timer;
    timer.scheduleWithFixedDelay(this::abortWhatTheFenceAsks, FENCE_POLL.toMillis(), FENCE_POLL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One HTTP call of one attempt. */
  static final class Call {
    private final AttemptId id;
    private final long payloadBytes;
    /** Payload bytes handed to the connection, counted before each write. */
    private final AtomicLong written = new AtomicLong();
    /** Payload bytes whose write returned. */
    private final AtomicLong writtenOut = new AtomicLong();
    private Optional<String> abortedBecause = Optional.empty();
    private Cancellable request;
    private ScheduledFuture<?> deadline;

    Call(AttemptId id, long payloadBytes) {
      this.id = id;
      this.payloadBytes = payloadBytes;
    }

    /** Closes the call's connection, or keeps it from being opened; false when already aborted. */
    synchronized boolean abort(String why) {
      if (abortedBecause.isPresent()) {
        return false;
      }
      abortedBecause = Optional.of(why);
      if (request != null) {
        request.cancel();
      }
      return true;
    }

    /**
     * A withdrawal's abort: only while payload bytes are still to be written (or the request has not
     * started). Once all are out, closing the connection cannot recall them, and on a slow network
     * they could then arrive after the withdrawal's answer; so that call is left to end with the
     * recipient's answer, or at its deadline, which the withdrawal waits for.
     */
    synchronized boolean abortWhileSending(String why) {
      if (request != null && writtenOut.get() >= payloadBytes) {
        return false;
      }
      return abort(why);
    }

    synchronized Optional<String> abortedBecause() {
      return abortedBecause;
    }

    /** Payload bytes handed to the connection so far (an upper bound of what the recipient got). */
    long payloadBytesWritten() {
      return written.get();
    }

    long payloadBytes() {
      return payloadBytes;
    }

    private synchronized void bind(Cancellable cancel) throws InterruptedIOException {
      if (abortedBecause.isPresent()) {
        throw new InterruptedIOException("call aborted before it started: " + abortedBecause.get());
      }
      request = cancel;
    }

    private synchronized void unbind() {
      request = null;
    }
  }

  /**
   * Opens the call this thread is about to make for {@code disclosure}, aborted at {@code mustEndBy}
   * if it is still going then.
   */
  Call open(Disclosure disclosure, Instant mustEndBy, long payloadBytes) {
    Call call = new Call(AttemptId.of(disclosure), payloadBytes);
    calls.put(call.id, call);
    onThisThread.set(call);
    long millis = Math.max(0, Duration.between(clock.instant(), mustEndBy).toMillis());
    ScheduledExecutorService deadlines = timer;
    if (deadlines != null) {
      call.deadline = deadlines.schedule(
          () -> abort(call, "aborted at the attempt's deadline " + mustEndBy), millis, TimeUnit.MILLISECONDS);
    }
    return call;
  }

  /** Ends the call this thread opened; returns it, to tell whether it was aborted. */
  Optional<Call> close() {
    Call call = onThisThread.get();
    onThisThread.remove();
    if (call == null) {
      return Optional.empty();
    }
    calls.remove(call.id, call);
    call.unbind();
    if (call.deadline != null) {
      call.deadline.cancel(false);
    }
    return Optional.of(call);
  }

  /** The attempts whose calls are in progress here. */
  Set<AttemptId> inProgress() {
    return Set.copyOf(calls.keySet());
  }

  private void abort(Call call, String why) {
    if (call.abort(why)) {
      LOG.warn("outbox row {} attempt {}: HTTP call {}", call.id.outboxId(), call.id.attempt(), why);
    }
  }

  private void abortWhatTheFenceAsks() {
    if (calls.isEmpty()) {
      return;
    }
    try {
      fence.abortsRequested(inProgress()).forEach((id, why) -> {
        Call call = calls.get(id);
        if (call != null && call.abortWhileSending("aborted: " + why)) {
          LOG.warn("outbox row {} attempt {}: HTTP call aborted while sending: {}", id.outboxId(), id.attempt(), why);
        }
      });
    } catch (RuntimeException e) {
      // the deadline still ends every call; a withdrawal then waits until it
      LOG.warn("could not read the withdrawal fence; in-flight calls end at their deadlines", e);
    }
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    Call call = onThisThread.get();
    if (call == null) {
      return chain.proceed(request, scope);
    }
    Cancellable cancel = scope.originalRequest instanceof Cancellable c ? c : () -> {
      scope.execRuntime.discardEndpoint();
      return true;
    };
    // bound until the call is closed: the response body is read after this returns, and may trickle too
    call.bind(cancel);
    HttpEntity entity = request.getEntity();
    if (entity != null) {
      request.setEntity(new CountedEntity(entity, call.written, call.writtenOut));
    }
    return chain.proceed(request, scope);
  }

  /**
   * The request body, counting the bytes handed to the connection before each write and after it
   * returned; written in pieces, so that a slow reader shows how far it got.
   */
  private static final class CountedEntity extends HttpEntityWrapper {
    private static final int PIECE = 16 * 1024;
    private final AtomicLong handed;
    private final AtomicLong done;

    CountedEntity(HttpEntity entity, AtomicLong handed, AtomicLong done) {
      super(entity);
      this.handed = handed;
      this.done = done;
    }

    @Override
    public void writeTo(OutputStream connection) throws IOException {
      super.writeTo(new FilterOutputStream(connection) {
        @Override
        public void write(int b) throws IOException {
          handed.incrementAndGet();
          connection.write(b);
          done.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          for (int at = 0; at < len; at += PIECE) {
            int n = Math.min(PIECE, len - at);
            handed.addAndGet(n);
            connection.write(b, off + at, n);
            done.addAndGet(n);
          }
        }
      });
    }
  }
}
