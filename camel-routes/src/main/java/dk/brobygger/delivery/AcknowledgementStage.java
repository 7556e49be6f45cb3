package dk.brobygger.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Reads what the recipient did with the request and settles the attempt: 2xx delivered; 408, 429,
 * 5xx and network failures retried; any other answer failed at once, since sending the same bytes
 * again would be refused again.
 */
final class AcknowledgementStage implements Processor {

  /** How much of a refusal's body goes into the recorded reason. */
  static final int EXCERPT_CHARS = 200;
  /** Bytes read from a refusal's body; enough for the excerpt, never the whole of a large body. */
  private static final int EXCERPT_BYTES = EXCERPT_CHARS * 4;

  private final Retries retries;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final RecipientCalls calls;

  AcknowledgementStage(Retries retries, DeliveryPolicy policy, RecipientCalls calls) {
    this.retries = retries;
    this.calls = calls;
    this.connectTimeout = policy.connectTimeout();
    this.responseTimeout = policy.responseTimeout();
  }

  @Override
  public void process(Exchange exchange) throws IOException {
    Optional<RecipientCalls.Call> call = calls.close();
    AttemptState state = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class);
    Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    Optional<String> aborted = call.flatMap(RecipientCalls.Call::abortedBecause);
    AttemptState next;
    if (failure != null && aborted.isPresent()) {
      next = aborted(state, aborted.get(), call.get().payloadBytesWritten(), call.get().payloadBytes());
    } else if (failure != null) {
      next = unreachable(state, failure);
    } else {
      Message response = exchange.getMessage();
      Integer status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
      if (status == null) {
        throw new IllegalStateException("camel-http returned neither a status nor an exception");
      }
      next = answered(state, status, isSuccess(status) ? "" : excerpt(response));
    }
    exchange.setProperty(AttemptState.PROPERTY, next);
  }

  /** The recipient answered with {@code status}; {@code body} is (the start of) its answer. */
  AttemptState answered(AttemptState state, int status, String body) {
    Optional<Integer> httpStatus = Optional.of(status);
    if (isSuccess(status)) {
      return state.delivered(status);
    }
    if (isTransient(status)) {
      return retries.afterTransientFailure(state, "recipient answered HTTP " + status, httpStatus, true);
    }
    String shown = shorten(body);
    String said = shown.isEmpty() ? "" : " " + shown;
    if (status >= 400 && status < 500) {
      return state.failed("recipient rejected the message: HTTP " + status + said, httpStatus, true);
    }
    // 1xx or 3xx (redirects are not followed): the directory's endpoint needs a person's attention.
    return state.failed("recipient answered HTTP " + status + ", neither success nor a transient failure" + said,
        httpStatus, true);
  }

  /**
   * The call was aborted (at its deadline, or by a withdrawal) before it had an answer. Whether the
   * recipient may have bytes of the payload is said plainly; the next attempt re-checks consent.
   */
  AttemptState aborted(AttemptState state, String why, long written, long payloadBytes) {
    boolean sent = written > 0;
    String reason = why + (sent
        ? "; aborted before completion; recipient may have received bytes (" + written + " of " + payloadBytes
            + " payload bytes written)"
        : "; aborted before any payload byte was written");
    return retries.afterTransientFailure(state, reason, Optional.empty(), sent);
  }

  /** The request did not get an HTTP answer. */
  AttemptState unreachable(AttemptState state, Exception failure) {
    Throwable cause = rootNetworkCause(failure);
    if (!(cause instanceof IOException)) {
      return retries.afterOwnError(state, "delivery", new IllegalStateException(Retries.describe(failure), failure));
    }
    String reason;
    boolean sent;
    if (cause instanceof ConnectTimeoutException) {
      reason = "could not connect to the recipient within " + connectTimeout;
      sent = false;
    } else if (cause instanceof SocketTimeoutException) {
      reason = "recipient did not answer within " + responseTimeout;
      sent = true;
    } else if (cause instanceof UnknownHostException) {
      reason = "unknown host: " + cause.getMessage();
      sent = false;
    } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      reason = "could not connect to the recipient: " + cause.getMessage();
      sent = false;
    } else if (cause instanceof SSLHandshakeException) {
      reason = "TLS handshake with the recipient failed: " + cause.getMessage();
      sent = false;
    } else {
      // The connection broke after the request may have been written: assume the recipient has it.
      reason = "connection to the recipient failed: " + Retries.describe(cause);
      sent = true;
    }
    return retries.afterTransientFailure(state, reason, Optional.empty(), sent);
  }

  static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  static boolean isTransient(int status) {
    return status == 408 || status == 429 || (status >= 500 && status < 600);
  }

  /** Single line, at most {@link #EXCERPT_CHARS} characters. */
  static String shorten(String body) {
    String line = body.replaceAll("\\s+", " ").strip();
    return line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS);
  }

  private static String excerpt(Message response) throws IOException {
    InputStream body = response.getBody(InputStream.class);
    if (body == null) {
      return "";
    }
    try (body) {
      return new String(body.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
    }
  }

  /** The first I/O exception in the cause chain (Camel may wrap what HttpClient threw). */
  private static Throwable rootNetworkCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t;
      }
    }
    return failure;
  }
}
