package dk.brobygger.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address token bucket of refusals, on a clock the test moves. */
class RefusalBudgetTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final RefusalBudget budget = new RefusalBudget(6, now::get); // one refusal refills every 10 s

  @Test
  void anAddressMaySpendItsWholeBudgetAtOnceAndThenWaitsForTheNextRefill() {
    for (int i = 0; i < 6; i++) {
      assertThat(budget.retryAfterSeconds("10.0.0.1")).isZero();
      budget.spend("10.0.0.1");
    }

    assertThat(budget.retryAfterSeconds("10.0.0.1")).isEqualTo(10);
    advance(Duration.ofSeconds(4));
    assertThat(budget.retryAfterSeconds("10.0.0.1")).isEqualTo(6);
    advance(Duration.ofSeconds(6));
    assertThat(budget.retryAfterSeconds("10.0.0.1")).isZero();
  }

  @Test
  void addressesHaveTheirOwnBudgets() {
    for (int i = 0; i < 6; i++) {
      budget.spend("10.0.0.1");
    }

    assertThat(budget.retryAfterSeconds("10.0.0.1")).isPositive();
    assertThat(budget.retryAfterSeconds("10.0.0.2")).isZero();
  }

  @Test
  void anAddressWhoseBudgetIsWholeAgainIsForgotten() {
    budget.spend("10.0.0.1");
    budget.spend("10.0.0.2");
    advance(Duration.ofSeconds(5));
    budget.spend("10.0.0.2");
    advance(Duration.ofSeconds(5));

    budget.forgetRecovered();

    assertThat(budget.trackedAddresses()).isEqualTo(1); // 10.0.0.2 still owes 5 s
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }
}
