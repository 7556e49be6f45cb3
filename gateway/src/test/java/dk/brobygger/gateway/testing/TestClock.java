package dk.brobygger.gateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock tests move by hand, so expiry, leases and retry times are tested without waiting.
 * It either stands still between moves ({@link #standingAt}) or runs in real time from wherever the
 * test last put it ({@link #runningFrom}), for a real gateway whose timers must still fire.
 */
public final class TestClock extends Clock {

  private final boolean running;
  private Instant setTo;
  private long setAtNanos;

  private TestClock(Instant start, boolean running) {
    this.running = running;
    set(start);
  }

  /** A clock that shows {@code start} until the test moves it. */
  public static TestClock standingAt(Instant start) {
    return new TestClock(start, false);
  }

  /** A clock that starts at {@code start} and runs on in real time; moves jump it. */
  public static TestClock runningFrom(Instant start) {
    return new TestClock(start, true);
  }

  public synchronized void set(Instant instant) {
    setTo = instant;
    setAtNanos = System.nanoTime();
  }

  public synchronized void advance(Duration by) {
    set(instant().plus(by));
  }

  @Override
  public synchronized Instant instant() {
    return running ? setTo.plusNanos(System.nanoTime() - setAtNanos) : setTo;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the test clock is UTC only");
  }
}
