package dk.brobygger.delivery;

import dk.brobygger.delivery.AttemptOutcome.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbox as the delivery routes see it, in memory: rows are due, leased, re-scheduled by a
 * RETRY and settled by any other outcome, like the gateway's storage does with rows in a table.
 */
final class InMemoryOutbox implements DisclosureOutbox {

  private static final class Row {
    Disclosure disclosure;
    Instant dueAt;
    Instant leasedUntil = Instant.MIN;
    boolean settled;

    Row(Disclosure disclosure, Instant dueAt) {
      this.disclosure = disclosure;
      this.dueAt = dueAt;
    }
  }

  private final Clock clock = Clock.systemUTC();
  private final Duration lease;
  private final Map<Long, Row> rows = new LinkedHashMap<>();
  private final List<AttemptOutcome> outcomes = new ArrayList<>();
  private final AtomicInteger claims = new AtomicInteger();
  private final AtomicInteger recordFailuresToCome = new AtomicInteger();
  private final AtomicInteger claimFailuresToCome = new AtomicInteger();

  InMemoryOutbox(Duration lease) {
    this.lease = lease;
  }

  InMemoryOutbox() {
    this(Duration.ofMinutes(5));
  }

  synchronized void add(Disclosure disclosure) {
    rows.put(disclosure.outboxId(), new Row(disclosure, clock.instant()));
  }

  /** The next {@code count} calls to {@link #record} throw, as a storage outage would. */
  void failNextRecords(int count) {
    recordFailuresToCome.set(count);
  }

  /** The next {@code count} calls to {@link #claim} throw, as a storage outage would. */
  void failNextClaims(int count) {
    claimFailuresToCome.set(count);
  }

  @Override
  public synchronized List<Disclosure> claim(int max) {
    claims.incrementAndGet();
    if (claimFailuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("storage unavailable");
    }
    Instant now = clock.instant();
    List<Disclosure> claimed = new ArrayList<>();
    for (Row row : rows.values()) {
      if (claimed.size() == max) {
        break;
      }
      if (!row.settled && !row.dueAt.isAfter(now) && row.leasedUntil.isBefore(now)) {
        row.leasedUntil = now.plus(lease);
        claimed.add(row.disclosure);
      }
    }
    return claimed;
  }

  @Override
  public synchronized void record(AttemptOutcome outcome) {
    if (recordFailuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("storage unavailable");
    }
    outcomes.add(outcome);
    Row row = rows.get(outcome.disclosure().outboxId());
    row.leasedUntil = Instant.MIN;
    if (outcome.result() == Result.RETRY) {
      Disclosure d = row.disclosure;
      row.disclosure = new Disclosure(d.outboxId(), d.taskId(), d.messageId(), d.recipient(), d.citizen(), d.purpose(),
          d.body(), d.attempt() + 1, d.acceptedAt());
      row.dueAt = outcome.nextAttemptAt().orElseThrow();
    } else {
      row.settled = true;
    }
  }

  synchronized List<AttemptOutcome> outcomes() {
    return List.copyOf(outcomes);
  }

  synchronized List<AttemptOutcome> outcomesOf(Disclosure disclosure) {
    return outcomes.stream().filter(o -> o.disclosure().outboxId() == disclosure.outboxId()).toList();
  }

  synchronized List<Result> resultsOf(Disclosure disclosure) {
    return outcomesOf(disclosure).stream().map(AttemptOutcome::result).toList();
  }

  /** True once the disclosure's last recorded outcome is final (anything but RETRY). */
  synchronized boolean isSettled(Disclosure disclosure) {
    return rows.get(disclosure.outboxId()).settled;
  }

  int claimCount() {
    return claims.get();
  }
}
