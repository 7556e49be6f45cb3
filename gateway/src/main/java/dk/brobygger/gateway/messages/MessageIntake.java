package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Records the consent decision on an incoming message. A permit stores the message, its
 * decision's audit entry, its Task and its outbox row in one durable transaction: all of them or
 * none. A deny stores only its audit entry.
 */
public final class MessageIntake {

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;

  public MessageIntake(Database db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Accepts a permitted message for delivery and returns once it is durable. A message id that
   * was already accepted for this recipient stores nothing and returns the existing Task, so a
   * sender may safely resend.
   *
   * @throws MessageRefusal.MessageIdReused when the message id was already accepted for another recipient
   */
  public Acceptance accept(ReceivedMessage m, Recipient recipient, Decision permit, String actor) {
    if (!permit.permits()) {
      throw new IllegalArgumentException("accept() takes a permit; a deny is recorded by refuse()");
    }
    Optional<Acceptance> earlier = db.read(c -> accepted(c, m, recipient, actor));
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Instant now = Sql.storedPrecision(clock.instant());
    String taskId = UUID.randomUUID().toString();
    try {
      return db.inTransaction(c -> {
        MessageRows.insert(c, m, recipient.id(), now, actor);
        insertTask(c, taskId, m, recipient, permit, now);
        insertOutboxRow(c, taskId, now);
        // Last: the audit counter row stays locked until commit.
        audit.append(c, decisionEntry(m, recipient, permit, actor, now));
        return new Acceptance(taskId, false);
      });
    } catch (MessageRows.AlreadyStored e) {
      // Another request with the same message id committed first: answer as for a resend. With no
      // Task, the id belongs to an inbound message or an acknowledgement.
      return db.read(c -> accepted(c, m, recipient, actor)).orElseThrow(() -> new MessageRefusal.MessageIdReused(
          "Referral rejected: message id " + m.messageId() + " was already used for another message"));
    }
  }

  /** Records a deny decision (durably) and nothing else. */
  public void refuse(ReceivedMessage m, Recipient recipient, Decision deny, String actor) {
    if (deny.permits()) {
      throw new IllegalArgumentException("refuse() takes a deny; a permit is recorded by accept()");
    }
    Instant now = Sql.storedPrecision(clock.instant());
    audit.append(decisionEntry(m, recipient, deny, actor, now));
  }

  private static Optional<Acceptance> accepted(Connection c, ReceivedMessage m, Recipient recipient, String actor)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT t.task_id, t.recipient_id, m.sent_by_party FROM delivery_task t"
            + " JOIN message m ON m.message_id = t.message_id WHERE t.message_id = ? ORDER BY t.created_at")) {
      s.setString(1, m.messageId());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        // a resend by its sender gets the same Task; another party's id is not a door to that Task
        if (!recipient.id().equals(r.getString("recipient_id"))
            || !Visibility.partyOf(actor).equals(r.getString("sent_by_party"))) {
          throw new MessageRefusal.MessageIdReused(
              "Referral rejected: message id " + m.messageId() + " was already used for another recipient");
        }
        return Optional.of(new Acceptance(r.getString("task_id"), true));
      }
    }
  }

  private static void insertTask(
      Connection c, String taskId, ReceivedMessage m, Recipient recipient, Decision permit, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO delivery_task (task_id, message_id, recipient_id, state, reason, attempts, created_at,"
            + " last_modified, basis_consent_id, basis_consent_version, version)"
            + " VALUES (?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, 1)")) {
      s.setString(1, taskId);
      s.setString(2, m.messageId());
      s.setString(3, recipient.id());
      s.setString(4, TaskState.REQUESTED.name());
      s.setObject(5, Sql.timestamp(now));
      s.setObject(6, Sql.timestamp(now));
      s.setString(7, permit.basis().map(b -> b.consentId()).orElse(null));
      if (permit.basis().isPresent()) {
        s.setLong(8, permit.basis().get().version());
      } else {
        s.setNull(8, java.sql.Types.BIGINT);
      }
      s.executeUpdate();
    }
  }

  private static void insertOutboxRow(Connection c, String taskId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO outbox (task_id, next_attempt_at, attempts) VALUES (?, ?, 0)")) {
      s.setString(1, taskId);
      s.setObject(2, Sql.timestamp(now));
      s.executeUpdate();
    }
  }

  /** The decision's audit entry. It names the message's first citizen identifier (the one it leads with). */
  private static AuditEvent decisionEntry(
      ReceivedMessage m, Recipient recipient, Decision decision, String actor, Instant now) {
    return new AuditEvent.ConsentDecided(now, actor, m.citizen().stream().findFirst(), m.messageId(), recipient.id(),
        decision.permits(), decision.basis(), decision.reasons());
  }
}
