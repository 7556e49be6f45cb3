package dk.brobygger.gateway.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition by polling it; fails with the last observed value when time runs out. */
final class Await {

  private Await() {}

  static <T> T until(String what, Duration timeout, Supplier<T> observe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = observe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
      }
      LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
      last = observe.get();
    }
    return last;
  }
}
