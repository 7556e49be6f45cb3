package dk.brobygger.delivery;

import static dk.brobygger.delivery.AttemptOutcome.Result.CANCELLED;
import static dk.brobygger.delivery.AttemptOutcome.Result.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsentRecheckStageTest {

  private final DeliveryPolicy policy = Fixtures.fastPolicy();
  private final Retries retries = new Retries(policy, new Backoff(policy, new Random(5)), Clock.systemUTC());
  private final AttemptState started = AttemptState.begin(AttemptStateFixture.attempt(1), Instant.now());

  @Test
  void aPermitLetsTheAttemptGoOnWithTheDecisionAttached() {
    AttemptState next = new ConsentRecheckStage(d -> Fixtures.permit(), retries).apply(started);

    assertThat(next.settled()).isFalse();
    assertThat(next.recheck()).contains(Fixtures.permit());
  }

  @Test
  void aDenyCancelsWithTheDecisionsReasons() {
    AttemptState next = new ConsentRecheckStage(d -> Fixtures.withdrawn(), retries).apply(started);

    AttemptOutcome outcome = next.outcome().orElseThrow();
    assertThat(outcome.result()).isEqualTo(CANCELLED);
    assertThat(outcome.reason())
        .isEqualTo("consent no longer permits this disclosure: consent Consent/consent-gp/_history/3 was withdrawn");
    assertThat(outcome.recheck()).contains(Fixtures.withdrawn());
    assertThat(outcome.sentSha256()).isEmpty();
  }

  @Test
  void aStoreErrorOrAMissingDecisionFailsClosedAndIsRetried() {
    ConsentRecheck broken = d -> {
      throw new IllegalStateException("database is down");
    };
    ConsentRecheck silent = d -> null;

    for (ConsentRecheck recheck : new ConsentRecheck[] {broken, silent}) {
      AttemptOutcome outcome = new ConsentRecheckStage(recheck, retries).apply(started).outcome().orElseThrow();
      assertThat(outcome.result()).isEqualTo(RETRY);
      assertThat(outcome.reason()).isEqualTo("consent store unavailable");
      assertThat(outcome.recheck()).isEmpty();
    }
  }
}
