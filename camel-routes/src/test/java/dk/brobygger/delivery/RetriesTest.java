package dk.brobygger.delivery;

import static dk.brobygger.delivery.AttemptOutcome.Result.FAILED;
import static dk.brobygger.delivery.AttemptOutcome.Result.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetriesTest {

  private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
  private final DeliveryPolicy policy = Fixtures.withMaxAttempts(
      Fixtures.withBackoff(Fixtures.fastPolicy(), Duration.ofSeconds(10), Duration.ofMinutes(10)), 4);
  private final Retries retries =
      new Retries(policy, new Backoff(policy, new Random(3)), Clock.fixed(NOW, ZoneOffset.UTC));

  private AttemptOutcome afterFailureOf(int attempt) {
    AttemptState state = AttemptStateFixture.sealed(AttemptStateFixture.attempt(attempt));
    return retries.afterTransientFailure(state, "recipient answered HTTP 503", Optional.of(503), true)
        .outcome().orElseThrow();
  }

  @Test
  void aFailedAttemptBeforeTheLastIsScheduledAfterItsBackoff() {
    assertThat(afterFailureOf(1).nextAttemptAt()).contains(NOW.plusSeconds(10));
    assertThat(afterFailureOf(3).nextAttemptAt()).contains(NOW.plusSeconds(40));
    assertThat(afterFailureOf(3).result()).isEqualTo(RETRY);
  }

  @Test
  void theLastAllowedAttemptFailingFailsTheDisclosureWithTheLastReason() {
    AttemptOutcome outcome = afterFailureOf(4);

    assertThat(outcome.result()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo("retries exhausted after 4 attempts: recipient answered HTTP 503");
    assertThat(outcome.httpStatus()).contains(503);
    assertThat(outcome.nextAttemptAt()).isEmpty();
  }

  @Test
  void aRetryDueLaterThanTheMaximumAgeFailsTheDisclosure() {
    Disclosure d = AttemptStateFixture.attempt(2);
    Disclosure old = new Disclosure(d.outboxId(), d.taskId(), d.messageId(), d.recipient(), d.citizen(), d.purpose(),
        d.body(), 2, NOW.minus(policy.maxAge()).plusSeconds(19));

    AttemptOutcome outcome = retries.afterTransientFailure(AttemptStateFixture.sealed(old), "recipient answered HTTP 503",
        Optional.of(503), true).outcome().orElseThrow();

    assertThat(outcome.result()).isEqualTo(FAILED);
    assertThat(outcome.reason()).startsWith("retries exhausted after 2 attempts (the next would be more than PT1H");
  }

  @Test
  void aPermanentFailureOfOursFailsTheDisclosureAndATransientOneIsRetried() {
    AttemptState state = AttemptStateFixture.sealed(AttemptStateFixture.attempt(1));

    AttemptOutcome permanent = retries.afterOwnError(state, "sealing",
        new Failed("no key for recipient", null, false)).outcome().orElseThrow();
    AttemptOutcome rejected = retries.afterOwnError(state, "minimisation",
        new Rejected(Rejected.Kind.INVALID, "bundle has no focus")).outcome().orElseThrow();
    AttemptOutcome passing = retries.afterOwnError(state, "sealing",
        new Failed("key store busy", null, true)).outcome().orElseThrow();

    assertThat(permanent.result()).isEqualTo(FAILED);
    assertThat(permanent.reason()).isEqualTo("sealing failed: Failed: no key for recipient");
    assertThat(permanent.sentSha256()).isEmpty();
    assertThat(rejected.result()).isEqualTo(FAILED);
    assertThat(passing.result()).isEqualTo(RETRY);
  }
}
