package dk.brobygger.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Failed;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ValidationGateTest {

  private static final Duration SHORT = Duration.ofMillis(50);

  @Test
  void aMessageDuringStartUpWaitsBrieflyThenIsToldToRetry() {
    ValidationGate gate = new ValidationGate(new CompletableFuture<>(), 2, SHORT, SHORT);

    assertThatThrownBy(() -> gate.validate(() -> "validated"))
        .isInstanceOfSatisfying(Failed.class, f -> {
          assertThat(f.isTransient()).as("503").isTrue();
          assertThat(f.getMessage()).contains("still starting");
        });
  }

  @Test
  void nothingIsValidatedWhenTheValidatorCouldNotStart() {
    ValidationGate gate = new ValidationGate(CompletableFuture.failedFuture(new IllegalStateException("broken")), 2,
        SHORT, SHORT);

    assertThatThrownBy(() -> gate.validate(() -> "validated"))
        .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.getMessage()).contains("unavailable"));
    assertThat(gate.awaitReady(SHORT)).isFalse();
  }

  @Test
  void aMessageWaitingForStartUpIsValidatedOnceReady() throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ValidationGate gate = new ValidationGate(ready, 1, Duration.ofMinutes(1), SHORT);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> waiting = pool.submit(() -> gate.validate(() -> "validated"));
      ready.complete(null);
      assertThat(waiting.get(1, TimeUnit.MINUTES)).isEqualTo("validated");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void whenEverySlotIsBusyTheNextMessageIsToldToRetryAndTheBusyOnesFinish() throws Exception {
    ValidationGate gate = new ValidationGate(CompletableFuture.completedFuture(null), 1, SHORT, SHORT);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> busy = pool.submit(() -> gate.validate(() -> {
        running.countDown();
        await(finish);
        return "first";
      }));
      assertThat(running.await(1, TimeUnit.MINUTES)).isTrue();

      assertThatThrownBy(() -> gate.validate(() -> "second"))
          .isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.isTransient()).isTrue();
            assertThat(f.getMessage()).contains("busy");
          });

      finish.countDown();
      assertThat(busy.get(1, TimeUnit.MINUTES)).isEqualTo("first");
      assertThat(gate.validate(() -> "third")).as("the slot was released").isEqualTo("third");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSlotIsReleasedWhenValidationRefusesTheMessage() {
    ValidationGate gate = new ValidationGate(CompletableFuture.completedFuture(null), 1, SHORT, SHORT);

    assertThatThrownBy(() -> gate.validate(() -> {
      throw new IllegalArgumentException("refused");
    })).isInstanceOf(IllegalArgumentException.class);
    assertThat(gate.validate(() -> "next")).isEqualTo("next");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
