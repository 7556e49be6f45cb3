package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Failed;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a message into validation only when the validator is ready and a slot is free. The
 * validator loads its definitions in the background at start-up (seconds), so the gateway listens
 * at once but validates nothing before it is ready: a message waits for it, bounded, then gets 503.
 * Validation is CPU- and memory-heavy, so at most one per core runs; a message that finds none free
 * within a short wait gets 503 too (with Retry-After), instead of queueing until the heap runs out
 * and health checks stall.
 */
public final class ValidationGate {

  private static final Logger LOG = LoggerFactory.getLogger(ValidationGate.class);

  private final CompletableFuture<Void> ready;
  private final Semaphore slots;
  private final Duration readyWait;
  private final Duration slotWait;

  /**
   * @param ready completes when the validator is warm (exceptionally if it cannot start)
   * @param slots validations that may run at once
   * @param readyWait how long a message waits for the validator to be ready
   * @param slotWait how long a message waits for a free slot
   */
  public ValidationGate(CompletableFuture<Void> ready, int slots, Duration readyWait, Duration slotWait) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots);
    }
    this.ready = ready;
    this.slots = new Semaphore(slots, true);
    this.readyWait = readyWait;
    this.slotWait = slotWait;
  }

  /** Warms the validator on a background thread; the gate opens when it is done. */
  public static ValidationGate warmingUp(Runnable warmUp, Duration readyWait, Duration slotWait) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      long started = System.nanoTime();
      try {
        warmUp.run();
        LOG.info("message validator ready after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        ready.complete(null);
      } catch (RuntimeException | Error e) {
        // fail closed: no message is accepted unvalidated, every one gets 503 and this is in the log
        LOG.error("the message validator could not start; messages are refused until restart", e);
        ready.completeExceptionally(e);
      }
    }, "validator-warm-up");
    thread.setDaemon(true);
    thread.start();
    return new ValidationGate(ready, Runtime.getRuntime().availableProcessors(), readyWait, slotWait);
  }

  /** Runs one validation when admitted; throws {@link Failed} (503) when it cannot be admitted in time. */
  public <T> T validate(Supplier<T> validation) {
    awaitReady();
    boolean admitted;
    try {
      admitted = slots.tryAcquire(slotWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    }
    if (!admitted) {
      throw busy();
    }
    try {
      return validation.get();
    } finally {
      slots.release();
    }
  }

  /** Whether the validator became ready within {@code timeout} (false also when it cannot start). */
  public boolean awaitReady(Duration timeout) {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitReady() {
    try {
      ready.get(readyWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Failed("the message validator is still starting; retry shortly", null, true);
    } catch (ExecutionException e) {
      throw new Failed("the message validator is unavailable", e.getCause(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("interrupted while waiting for the message validator", e, true);
    }
  }

  private static Failed busy() {
    return new Failed("every message validation slot is busy; retry shortly", null, true);
  }
}
