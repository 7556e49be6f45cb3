package dk.brobygger.gateway.outbox;

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

/**
 * Recipients whose deliveries an operator paused, e.g. for the recipient's maintenance window. The
 * pause lives in the database, so every instance's claim honours it ({@link #PAUSED_ROW}); rows
 * wait in the outbox, and an attempt already in flight when the pause commits finishes. Pausing
 * and resuming are audited with who asked and why; repeating either changes nothing and records
 * nothing.
 */
public final class RecipientPauses {

  /** The claim's condition on an outbox row aliased {@code o}: its Task's recipient is paused. */
  static final String PAUSED_ROW = "SELECT 1 FROM delivery_task pt JOIN recipient_pause p"
      + " ON p.recipient_id = pt.recipient_id WHERE pt.task_id = o.task_id";

  /** One paused recipient. */
  public record Pause(String recipientId, Instant pausedAt, String pausedBy, Optional<String> reason) {
    public Pause {
      Objects.requireNonNull(recipientId, "recipientId");
      Objects.requireNonNull(pausedAt, "pausedAt");
      Objects.requireNonNull(pausedBy, "pausedBy");
      Objects.requireNonNull(reason, "reason");
    }
  }

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;

  public RecipientPauses(Database db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Pauses delivery to the recipient; the pause in force (this one, or an earlier one kept as it was). */
  public Pause pause(String recipientId, String actor, Optional<String> reason) {
    Instant now = Sql.storedPrecision(clock.instant());
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO recipient_pause (recipient_id, paused_at, paused_by, reason)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (recipient_id) DO NOTHING")) {
        s.setString(1, recipientId);
        s.setObject(2, Sql.timestamp(now));
        s.setString(3, actor);
        s.setString(4, reason.orElse(null));
        if (s.executeUpdate() == 1) {
          audit.append(c, entry(true, recipientId, actor, now, reason));
        }
      }
      return find(c, recipientId).orElseThrow();
    });
  }

  /** Resumes delivery to the recipient; its waiting rows are claimed at the next poll. False if it was not paused. */
  public boolean resume(String recipientId, String actor, Optional<String> reason) {
    Instant now = Sql.storedPrecision(clock.instant());
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM recipient_pause WHERE recipient_id = ?")) {
        s.setString(1, recipientId);
        if (s.executeUpdate() == 0) {
          return false;
        }
      }
      audit.append(c, entry(false, recipientId, actor, now, reason));
      return true;
    });
  }

  public Optional<Pause> find(String recipientId) {
    return db.read(c -> find(c, recipientId));
  }

  /** Every paused recipient, by recipient id. */
  public List<Pause> all() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT recipient_id, paused_at, paused_by, reason FROM recipient_pause ORDER BY recipient_id")) {
        return pauses(s);
      }
    });
  }

  private static Optional<Pause> find(Connection c, String recipientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT recipient_id, paused_at, paused_by, reason FROM recipient_pause WHERE recipient_id = ?")) {
      s.setString(1, recipientId);
      return pauses(s).stream().findFirst();
    }
  }

  private static List<Pause> pauses(PreparedStatement s) throws SQLException {
    List<Pause> pauses = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        pauses.add(new Pause(r.getString("recipient_id"), Sql.instant(r, "paused_at"), r.getString("paused_by"),
            Sql.optionalString(r, "reason")));
      }
    }
    return pauses;
  }

  private static AuditEvent entry(boolean paused, String recipientId, String actor, Instant at,
      Optional<String> reason) {
    return new AuditEvent.DeliveryPaused(at, actor, recipientId, paused, reason.stream().toList());
  }
}
