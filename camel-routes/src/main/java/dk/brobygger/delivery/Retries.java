package dk.brobygger.delivery;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Settles an attempt that failed for a reason that may pass: schedules the next attempt with
 * {@link Backoff}, or gives up when the attempts or the message's age are used up. Giving up is
 * recorded as FAILED, never dropped silently.
 */
final class Retries {

  private final DeliveryPolicy policy;
  private final Backoff backoff;
  private final Clock clock;

  Retries(DeliveryPolicy policy, Backoff backoff, Clock clock) {
    this.policy = policy;
    this.backoff = backoff;
    this.clock = clock;
  }

  /**
   * @param reason what went wrong this time, e.g. "recipient answered HTTP 503"
   * @param sent whether the sealed bytes may have reached the recipient
   */
  AttemptState afterTransientFailure(AttemptState state, String reason, Optional<Integer> httpStatus, boolean sent) {
    Disclosure disclosure = state.disclosure();
    int attempts = disclosure.attempt();
    if (attempts >= policy.maxAttempts()) {
      return state.failed(exhausted(attempts, "") + reason, httpStatus, sent);
    }
    Instant next = clock.instant().plus(backoff.after(attempts));
    Instant deadline = disclosure.acceptedAt().plus(policy.maxAge());
    if (next.isAfter(deadline)) {
      String why = " (the next would be more than " + policy.maxAge() + " after acceptance)";
      return state.failed(exhausted(attempts, why) + reason, httpStatus, sent);
    }
    return state.retry(reason, httpStatus, sent, next);
  }

  /**
   * A stage of ours threw before anything was sent. A non-transient {@link Failed} or a
   * {@link Rejected} (the stored message itself cannot be processed) will not heal by waiting; any
   * other error is retried like a transient failure, so a passing fault does not lose the message
   * and a lasting one still ends after {@code maxAttempts}.
   */
  AttemptState afterOwnError(AttemptState state, String stage, RuntimeException error) {
    String reason = stage + " failed: " + describe(error);
    boolean permanent = error instanceof Rejected || (error instanceof Failed failed && !failed.isTransient());
    if (permanent) {
      return state.failed(reason, Optional.empty(), false);
    }
    return afterTransientFailure(state, reason, Optional.empty(), false);
  }

  private static String exhausted(int attempts, String why) {
    return "retries exhausted after " + attempts + (attempts == 1 ? " attempt" : " attempts") + why + ": ";
  }

  static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
