package dk.brobygger.gateway.outbox;

import dk.brobygger.delivery.ConsentRecheck;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a failed or cancelled delivery again, when an operator asks ({@code POST Task/{id}/$retry}).
 * Consent is decided first, by the same re-check every attempt makes; a deny refuses the re-run
 * with its reasons, and the refusal is audited with who asked. A permit puts the outbox row back as
 * due, with a fresh retry budget (attempts and age count from the re-run), the Task back to
 * requested, and an audit entry naming who asked, in one transaction. The delivery itself re-checks
 * consent again before it sends, like any attempt, so a withdrawal in between still stops it.
 */
public final class DeliveryRerun {

  private final Database db;
  private final AuditLog audit;
  private final Function<String, Optional<Recipient>> directory;
  private final ConsentRecheck consent;
  private final Clock clock;

  public DeliveryRerun(Database db, AuditLog audit, Function<String, Optional<Recipient>> directory,
      ConsentRecheck consent, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.consent = Objects.requireNonNull(consent, "consent");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private record Settled(long outboxId, TaskState state, Optional<String> reason) {}

  /**
   * @param senderParty the directory id of the caller: only the party that sent the message may re-run its delivery
   * @param actor who asked, for the audit log
   * @throws RerunRefusal when the caller sent no such message, the delivery is not failed or
   *     cancelled, the recipient left the directory, or consent no longer permits it
   * @throws Failed when the consent store cannot be read (nothing is re-run)
   */
  public void rerun(String taskId, String senderParty, String actor) {
    Settled settled = db.read(c -> settled(c, taskId, senderParty))
        .orElseThrow(() -> new RerunRefusal.UnknownTask(taskId));
    if (settled.state() != TaskState.FAILED && settled.state() != TaskState.CANCELLED) {
      throw new RerunRefusal.NotRerunnable(taskId, settled.state());
    }
    Instant now = Sql.storedPrecision(clock.instant());
    OutboxStore.DueRow row = db.read(c -> OutboxStore.load(c, settled.outboxId()));
    List<CitizenIdentifier> citizen = db.read(c -> OutboxStore.citizenOf(c, row.messageId()));
    Recipient recipient = directory.apply(row.recipientId()).orElseThrow(() -> new RerunRefusal.RecipientGone(row.recipientId()));
    Disclosure disclosure = new Disclosure(row.outboxId(), row.taskId(), row.messageId(), recipient, citizen,
        row.purpose(), row.body(), 1, now);
    Decision decision;
    try {
      decision = consent.recheck(disclosure);
    } catch (RuntimeException e) {
      throw new Failed("the consent store is unavailable; nothing was re-run", e, true);
    }
    String previously = "after " + settled.state().fhirCode() + settled.reason().map(r -> " (" + r + ")").orElse("");
    if (!decision.permits()) {
      List<String> reasons = new ArrayList<>(List.of("re-run refused " + previously));
      reasons.addAll(decision.reasons());
      audit.append(entry(false, actor, disclosure, decision, reasons, now));
      throw new RerunRefusal.ConsentNoLongerPermits(decision.reasons());
    }
    db.inTransaction(c -> {
      if (!requeue(c, row.outboxId(), now) || !reopenTask(c, taskId, "re-run requested by " + actor, now)) {
        // another re-run (or instance) got there first: this transaction changes nothing
        throw new RerunRefusal.ChangedMeanwhile(taskId);
      }
      audit.append(c, entry(true, actor, disclosure, decision, List.of("re-run requested " + previously), now));
      return null;
    });
  }

  private static Optional<Settled> settled(Connection c, String taskId, String senderParty) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT o.id, t.state, t.reason FROM delivery_task t"
        + " JOIN message m ON m.message_id = t.message_id JOIN outbox o ON o.task_id = t.task_id"
        + " WHERE t.task_id = ? AND m.sent_by_party = ?")) {
      s.setString(1, taskId);
      s.setString(2, senderParty);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new Settled(r.getLong(1), TaskState.valueOf(r.getString(2)), Sql.optionalString(r, "reason")))
            : Optional.empty();
      }
    }
  }

  /** Due now, unleased, with a fresh budget: attempts from 0 and the age limit from now. */
  private static boolean requeue(Connection c, long outboxId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET finished_at = NULL, settled_as = NULL, attempts = 0,"
        + " next_attempt_at = ?, rerun_at = ?, lease_owner = NULL, lease_until = NULL"
        + " WHERE id = ? AND finished_at IS NOT NULL")) {
      s.setObject(1, Sql.timestamp(now));
      s.setObject(2, Sql.timestamp(now));
      s.setLong(3, outboxId);
      return s.executeUpdate() == 1;
    }
  }

  /** The Task keeps its attempt count (all attempts ever made) and tells why it is requested again. */
  private static boolean reopenTask(Connection c, String taskId, String reason, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE delivery_task SET state = ?, reason = ?, last_modified = ?,"
        + " version = version + 1 WHERE task_id = ? AND state IN (?, ?)")) {
      s.setString(1, TaskState.REQUESTED.name());
      s.setString(2, reason);
      s.setObject(3, Sql.timestamp(now));
      s.setString(4, taskId);
      s.setString(5, TaskState.FAILED.name());
      s.setString(6, TaskState.CANCELLED.name());
      return s.executeUpdate() == 1;
    }
  }

  private static AuditEvent entry(boolean requested, String actor, Disclosure d, Decision decision,
      List<String> reasons, Instant at) {
    return new AuditEvent.DeliveryRerun(at, actor, d.citizen().stream().findFirst(), d.messageId(), d.recipient().id(),
        requested, decision.basis(), reasons);
  }
}
