package dk.brobygger.delivery;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds; fails the test with {@code what} if it does not in time. */
final class Await {

  private static final Duration DEFAULT_LIMIT = Duration.ofSeconds(15);
  private static final Duration POLL = Duration.ofMillis(10);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_LIMIT, condition);
  }

  static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting until " + what);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }
}
