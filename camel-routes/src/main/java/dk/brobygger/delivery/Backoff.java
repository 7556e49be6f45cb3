package dk.brobygger.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait after a failed attempt: {@code initialBackoff * 2^(attempt-1)}, capped at
 * {@code maxBackoff}, then spread by up to {@code +-jitter} of itself so that the retries of many
 * messages to a recipient that was down do not all arrive in the same instant when it comes back.
 * The result never exceeds {@code maxBackoff}.
 */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final double jitter;
  /** Shared by the delivery workers, so it must be thread-safe ({@link java.util.Random} is). */
  private final RandomGenerator random;

  Backoff(DeliveryPolicy policy, RandomGenerator random) {
    this.initial = policy.initialBackoff();
    this.max = policy.maxBackoff();
    this.jitter = policy.jitter();
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The wait after attempt number {@code attempt} (1 for the first) failed. */
  Duration after(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts are numbered from 1");
    }
    long initialMillis = initial.toMillis();
    long maxMillis = max.toMillis();
    // Double step by step and stop at the cap, so no attempt number can overflow.
    long doubled = initialMillis;
    for (int i = 1; i < attempt && doubled < maxMillis; i++) {
      doubled *= 2;
    }
    long baseMillis = Math.min(doubled, maxMillis);
    double spread = jitter * (2 * random.nextDouble() - 1);
    long jittered = Math.round(baseMillis * (1 + spread));
    return Duration.ofMillis(Math.max(0, Math.min(jittered, maxMillis)));
  }
}
