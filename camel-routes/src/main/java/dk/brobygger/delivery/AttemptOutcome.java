package dk.brobygger.delivery;

import dk.brobygger.fhir.consent.Decision;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one delivery attempt. The outbox records it (Task status, outbox row, audit entry)
 * in one transaction.
 *
 * @param disclosure the attempt's disclosure
 * @param result what happened
 * @param reason human-readable, e.g. "recipient answered 503", "consent withdrawn"
 * @param httpStatus the recipient's status, when it answered
 * @param sentSha256 hex SHA-256 of the exact bytes sent, when anything was sent
 * @param nextAttemptAt when to try again (only for {@link Result#RETRY})
 * @param recheck the consent decision taken right before the attempt, when one was taken
 * @param sealedSha256 hex SHA-256 of the sealed bytes, once sealed, whether or not they went out
 *     (names the attempt's record of sending, see {@link DisclosureFence#sending})
 */
public record AttemptOutcome(
    Disclosure disclosure,
    Result result,
    String reason,
    Optional<Integer> httpStatus,
    Optional<String> sentSha256,
    Optional<Instant> nextAttemptAt,
    Optional<Decision> recheck,
    Optional<String> sealedSha256) {

  public enum Result {
    /** The recipient answered 2xx: Task completed. */
    DELIVERED,
    /** Transient failure (5xx, timeout, refused, consent store unavailable): try again later. */
    RETRY,
    /** Permanent failure (4xx, retries exhausted, unknown recipient): Task failed. */
    FAILED,
    /** Consent no longer permits: nothing sent, Task cancelled. */
    CANCELLED
  }

  public AttemptOutcome {
    Objects.requireNonNull(disclosure, "disclosure");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(httpStatus, "httpStatus");
    Objects.requireNonNull(sentSha256, "sentSha256");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(recheck, "recheck");
    Objects.requireNonNull(sealedSha256, "sealedSha256");
    if ((result == Result.RETRY) != nextAttemptAt.isPresent()) {
      throw new IllegalArgumentException("a retry, and only a retry, has a next attempt time");
    }
  }

  /** An outcome whose sealed bytes, if any, are those it sent. */
  public AttemptOutcome(Disclosure disclosure, Result result, String reason, Optional<Integer> httpStatus,
      Optional<String> sentSha256, Optional<Instant> nextAttemptAt, Optional<Decision> recheck) {
    this(disclosure, result, reason, httpStatus, sentSha256, nextAttemptAt, recheck, sentSha256);
  }

  /** Whether the recipient may have received this attempt's bytes without answering it. */
  public boolean unanswered() {
    return sentSha256.isPresent() && httpStatus.isEmpty();
  }
}
