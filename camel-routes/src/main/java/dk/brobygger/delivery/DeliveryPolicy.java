package dk.brobygger.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard delivery tries.
 *
 * @param maxAttempts attempts before a transient failure becomes final
 * @param maxAge how long after acceptance delivery may still be attempted
 * @param initialBackoff wait before the second attempt; doubles each attempt
 * @param maxBackoff upper bound of one wait
 * @param jitter fraction (0..1) of each wait that is randomised, so retries do not stampede
 * @param connectTimeout TCP connect timeout to a recipient
 * @param responseTimeout how long to wait for a recipient's answer
 * @param pollInterval how often the outbox is polled for due rows
 * @param batchSize how many rows one poll claims at most
 */
public record DeliveryPolicy(
    int maxAttempts,
    Duration maxAge,
    Duration initialBackoff,
    Duration maxBackoff,
    double jitter,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration pollInterval,
    int batchSize) {

  public DeliveryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be within 0..1");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
  }

  /**
   * Production defaults: backoff 10 s doubling to an hourly cap, for up to 3 days. Recipients are
   * often down over a weekend and must never lose a message to that, so the age, not the number of
   * attempts, is what normally ends retrying (100 attempts outlast 72 hours at the cap).
   */
  public static DeliveryPolicy defaults() {
    return new DeliveryPolicy(
        100,
        Duration.ofDays(3),
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        0.2,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        16);
  }
}
