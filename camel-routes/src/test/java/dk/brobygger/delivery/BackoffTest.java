package dk.brobygger.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static DeliveryPolicy policy(Duration initial, Duration max, double jitter) {
    return new DeliveryPolicy(12, Duration.ofDays(3), initial, max, jitter, Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofMillis(500), 16);
  }

  @Test
  void withoutJitterTheWaitDoublesFromTheInitialBackoffUntilTheCap() {
    Backoff backoff = new Backoff(policy(Duration.ofSeconds(10), Duration.ofSeconds(100), 0), new Random(1));

    List<Duration> waits = IntStream.rangeClosed(1, 6).mapToObj(backoff::after).toList();

    assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
        Duration.ofSeconds(80), Duration.ofSeconds(100), Duration.ofSeconds(100));
  }

  @Test
  void veryHighAttemptNumbersStayAtTheCapInsteadOfOverflowing() {
    Backoff backoff = new Backoff(policy(Duration.ofSeconds(10), Duration.ofHours(1), 0), new Random(1));

    assertThat(backoff.after(64)).isEqualTo(Duration.ofHours(1));
    assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void jitterSpreadsEachWaitWithinItsFractionAndNeverPastTheCap() {
    Backoff backoff = new Backoff(policy(Duration.ofSeconds(10), Duration.ofSeconds(100), 0.2), new Random(42));

    for (int round = 0; round < 200; round++) {
      assertThat(backoff.after(1)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
      assertThat(backoff.after(3)).isBetween(Duration.ofSeconds(32), Duration.ofSeconds(48));
      assertThat(backoff.after(10)).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(100));
    }
  }

  @Test
  void jitterActuallyVariesTheWaitsAndIsReproducibleFromTheSeed() {
    DeliveryPolicy jittered = policy(Duration.ofSeconds(10), Duration.ofHours(1), 0.2);
    Backoff first = new Backoff(jittered, new Random(42));
    Backoff second = new Backoff(jittered, new Random(42));

    List<Duration> a = IntStream.range(0, 50).mapToObj(i -> first.after(2)).toList();
    List<Duration> b = IntStream.range(0, 50).mapToObj(i -> second.after(2)).toList();

    assertThat(a).isEqualTo(b);
    assertThat(a.stream().distinct().count()).isGreaterThan(40);
    assertThat(a).anyMatch(d -> d.compareTo(Duration.ofSeconds(19)) < 0)
        .anyMatch(d -> d.compareTo(Duration.ofSeconds(21)) > 0);
  }

  @Test
  void attemptsAreNumberedFromOne() {
    Backoff backoff = new Backoff(policy(Duration.ofSeconds(10), Duration.ofHours(1), 0), new Random(1));

    assertThatThrownBy(() -> backoff.after(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
