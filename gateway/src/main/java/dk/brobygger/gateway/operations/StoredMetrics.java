package dk.brobygger.gateway.operations;

import dk.brobygger.gateway.db.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the database knows, as meters, read when Prometheus scrapes: the outbox backlog and the age of
 * its oldest due row by recipient, the audit log's size and the age of its newest (cosigned)
 * checkpoint, and, from the audit entries committed since start, consent decisions by verdict,
 * delivery attempts by recipient and result and the time from acceptance to delivery.
 *
 * <p>Counting committed audit entries, not calls, means a rolled-back decision is never counted. With
 * several gateways on one database each reports the whole database (sum with max(), not sum()).
 */
public final class StoredMetrics {

  /** Audit entries read per scrape at most; the rest are counted at the next scrape. */
  private static final int TALLY_BATCH = 20_000;

  /** Rows of a paused recipient count as paused, not due: a maintenance window is not a stuck queue. */
  private static final String BACKLOG = """
      SELECT t.recipient_id,
             COUNT(*) FILTER (WHERE o.lease_until >= ?) AS in_flight,
             COUNT(*) FILTER (WHERE (o.lease_until IS NULL OR o.lease_until < ?) AND o.next_attempt_at <= ?
               AND p.recipient_id IS NULL) AS due,
             COUNT(*) FILTER (WHERE (o.lease_until IS NULL OR o.lease_until < ?) AND o.next_attempt_at > ?
               AND p.recipient_id IS NULL) AS waiting,
             MIN(o.next_attempt_at) FILTER (WHERE (o.lease_until IS NULL OR o.lease_until < ?) AND o.next_attempt_at <= ?
               AND p.recipient_id IS NULL) AS oldest_due,
             COUNT(*) FILTER (WHERE (o.lease_until IS NULL OR o.lease_until < ?) AND p.recipient_id IS NOT NULL) AS paused
        FROM outbox o JOIN delivery_task t ON t.task_id = o.task_id
        LEFT JOIN recipient_pause p ON p.recipient_id = t.recipient_id
       WHERE o.finished_at IS NULL
       GROUP BY t.recipient_id""";

  private static final String TALLY = """
      SELECT a.action, a.outcome, a.recipient_id, a.recorded_at, m.received_at
        FROM audit_log a LEFT JOIN message m ON m.message_id = a.message_id AND a.outcome = 'delivered'
       WHERE a.seq > ? AND a.seq <= ? AND a.action IN ('CONSENT_DECISION', 'DISCLOSURE_ATTEMPT')""";

  private final Database database;
  private final MeterRegistry registry;
  private final Clock clock;
  private final MultiGauge backlog;
  private final MultiGauge oldestDue;
  private final MultiGauge paused;
  private final Timer acceptanceToDelivery;
  private final AtomicReference<Double> auditEntries = new AtomicReference<>(0.0);
  private final AtomicReference<Double> checkpointAge = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> checkpointTreeSize = new AtomicReference<>(0.0);
  private final AtomicReference<Double> cosignedAge = new AtomicReference<>(Double.NaN);
  private long tallied;

  public StoredMetrics(Database database, MeterRegistry registry, Clock clock) {
    this.database = database;
    this.registry = registry;
    this.clock = clock;
    this.backlog = MultiGauge.builder("brobygger.outbox.messages")
        .description("undelivered outbox rows by recipient and state (due, in_flight, waiting_retry, paused)")
        .register(registry);
    this.oldestDue = MultiGauge.builder("brobygger.outbox.oldest.due.age").baseUnit("seconds")
        .description("how long the oldest due, unclaimed outbox row has been due, by recipient")
        .register(registry);
    this.paused = MultiGauge.builder("brobygger.delivery.paused")
        .description("1 for each recipient whose delivery an operator paused (POST Endpoint/{id}/$pause)")
        .register(registry);
    this.acceptanceToDelivery = Timer.builder("brobygger.delivery.acceptance.to.delivery")
        .description("from a message's acceptance to its delivery to one recipient").register(registry);
    registry.gauge("brobygger.audit.log.entries", auditEntries, AtomicReference::get);
    registry.gauge("brobygger.audit.checkpoint.tree.size", checkpointTreeSize, AtomicReference::get);
    io.micrometer.core.instrument.Gauge.builder("brobygger.audit.checkpoint.age", checkpointAge, AtomicReference::get)
        .baseUnit("seconds").description("age of the newest signed checkpoint of the audit log").register(registry);
    io.micrometer.core.instrument.Gauge.builder("brobygger.audit.cosigned.checkpoint.age", cosignedAge, AtomicReference::get)
        .baseUnit("seconds").description("age of the newest checkpoint a witness cosigned (NaN: none)").register(registry);
    // counted from here on: a counter starts at zero with the process, as Prometheus expects
    this.tallied = database.read(StoredMetrics::lastAuditSeq);
    for (String verdict : List.of("permit", "deny")) {
      consentDecisions(verdict);
    }
  }

  /** Reads the database into the meters; called before each scrape, on a worker thread. */
  public synchronized void refresh() {
    Instant now = clock.instant();
    database.read(c -> {
      readBacklog(c, now);
      paused.register(pausedRecipients(c).stream()
          .map(recipient -> MultiGauge.Row.of(Tags.of("recipient", recipient), 1)).toList(), true);
      readAudit(c, now);
      tally(c);
      return null;
    });
  }

  private void readBacklog(Connection c, Instant now) throws SQLException {
    List<MultiGauge.Row<?>> counts = new ArrayList<>();
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(BACKLOG)) {
      Timestamp at = Timestamp.from(now);
      for (int i = 1; i <= 8; i++) {
        s.setTimestamp(i, at);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String recipient = r.getString(1);
          counts.add(MultiGauge.Row.of(Tags.of("recipient", recipient, "state", "in_flight"), r.getLong(2)));
          counts.add(MultiGauge.Row.of(Tags.of("recipient", recipient, "state", "due"), r.getLong(3)));
          counts.add(MultiGauge.Row.of(Tags.of("recipient", recipient, "state", "waiting_retry"), r.getLong(4)));
          counts.add(MultiGauge.Row.of(Tags.of("recipient", recipient, "state", "paused"), r.getLong(6)));
          Timestamp oldest = r.getTimestamp(5);
          double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
          ages.add(MultiGauge.Row.of(Tags.of("recipient", recipient), age));
        }
      }
    }
    // a recipient with nothing undelivered drops out of the series (absent = nothing waiting)
    backlog.register(counts, true);
    oldestDue.register(ages, true);
  }

  private void readAudit(Connection c, Instant now) throws SQLException {
    auditEntries.set((double) lastAuditSeq(c));
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT tree_size, issued_at FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1")) {
      if (r.next()) {
        checkpointTreeSize.set((double) r.getLong(1));
        checkpointAge.set(secondsSince(r.getTimestamp(2), now));
      }
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT c.issued_at FROM audit_checkpoint c WHERE c.tree_size = "
            + "(SELECT MAX(tree_size) FROM audit_cosignature)")) {
      if (r.next()) {
        cosignedAge.set(secondsSince(r.getTimestamp(1), now));
      }
    }
  }

  private void tally(Connection c) throws SQLException {
    long upTo = Math.min(lastAuditSeq(c), tallied + TALLY_BATCH);
    if (upTo <= tallied) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(TALLY)) {
      s.setLong(1, tallied);
      s.setLong(2, upTo);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String outcome = r.getString(2);
          if ("CONSENT_DECISION".equals(r.getString(1))) {
            consentDecisions(outcome).increment();
            continue;
          }
          String recipient = r.getString(3) == null ? "unknown" : r.getString(3);
          Counter.builder("brobygger.delivery.attempts").description("delivery rounds by recipient and result "
                  + "(delivered, retry, failed, cancelled)")
              .tags("recipient", recipient, "result", outcome).register(registry).increment();
          Timestamp accepted = r.getTimestamp(5);
          if (accepted != null) {
            acceptanceToDelivery.record(Duration.between(accepted.toInstant(), r.getTimestamp(4).toInstant()));
          }
        }
      }
    }
    tallied = upTo;
  }

  private Counter consentDecisions(String verdict) {
    return Counter.builder("brobygger.consent.decisions").description("consent decisions on incoming messages by verdict")
        .tag("verdict", verdict).register(registry);
  }

  /** Entries ≤ the committed counter are committed: the counter is updated in each append's transaction. */
  private static long lastAuditSeq(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT last_seq FROM audit_counter WHERE id = 1")) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static double secondsSince(Timestamp t, Instant now) {
    return Duration.between(t.toInstant(), now).toMillis() / 1000.0;
  }

  /** The recipients whose delivery is paused, by id. */
  static List<String> pausedRecipients(Connection c) throws SQLException {
    List<String> paused = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT recipient_id FROM recipient_pause ORDER BY recipient_id")) {
      while (r.next()) {
        paused.add(r.getString(1));
      }
    }
    return paused;
  }

  /** When the oldest audit entry that no checkpoint covers yet was recorded; empty when all are covered. */
  static Optional<Instant> oldestUncheckpointed(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
        SELECT a.recorded_at FROM audit_log a
         WHERE a.seq = COALESCE((SELECT MAX(tree_size) FROM audit_checkpoint), 0) + 1""")) {
      return r.next() ? Optional.of(r.getTimestamp(1).toInstant()) : Optional.empty();
    }
  }
}
