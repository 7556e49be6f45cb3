package dk.brobygger.gateway.storage;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The append-only audit log. Entries are numbered 1, 2, 3, ... without gaps, in commit order, and
 * each is stored with its canonical JSON, the input of the Merkle tree over the log. Nothing in
 * the code updates or deletes an entry (a test scans the sources for it).
 */
public final class AuditLog {

  private static final String COLUMNS = "canonical_json";

  private final Database db;

  public AuditLog(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Appends inside the caller's transaction and returns the entry's sequence number. The counter
   * row stays locked until that transaction ends, so append as the transaction's last step.
   */
  public long append(Connection c, AuditEntry e) {
    try {
      long sequence = nextSequence(c);
      insert(c, sequence, e);
      return sequence;
    } catch (SQLException ex) {
      throw new Failed("audit log append failed: " + ex.getMessage(), ex);
    }
  }

  /** Appends in a transaction of its own and returns once the entry is durable. */
  public long append(AuditEntry e) {
    return db.inTransaction(c -> append(c, e));
  }

  /** Up to {@code max} entries from sequence number {@code fromSeq} on, in order. */
  public List<StoredAuditEntry> read(long fromSeq, int max) {
    if (max < 1) {
      return List.of();
    }
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM audit_log WHERE seq >= ? ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
        s.setLong(1, fromSeq);
        s.setInt(2, max);
        return entries(s);
      }
    });
  }

  /** Every entry about any of these identifiers of one citizen, in order: the privacy officer's view. */
  public List<StoredAuditEntry> about(List<CitizenIdentifier> citizen) {
    if (citizen.isEmpty()) {
      return List.of();
    }
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE ");
      for (int i = 0; i < citizen.size(); i++) {
        sql.append(i == 0 ? "" : " OR ").append("(citizen_value = ? AND citizen_system = ?)");
      }
      sql.append(" ORDER BY seq");
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (CitizenIdentifier id : citizen) {
          s.setString(p++, id.value());
          s.setString(p++, id.system());
        }
        return entries(s);
      }
    });
  }

  /** Every entry about one message (its decision and its delivery attempts), in order. */
  public List<StoredAuditEntry> forMessage(String messageId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM audit_log WHERE message_id = ? ORDER BY seq")) {
        s.setString(1, messageId);
        return entries(s);
      }
    });
  }

  /** The sequence number of the last entry; 0 while the log is empty. */
  public long lastSequence() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT last_seq FROM audit_counter WHERE id = 1");
          ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  private static long nextSequence(Connection c) throws SQLException {
    long last;
    try (PreparedStatement s = c.prepareStatement("SELECT last_seq FROM audit_counter WHERE id = 1 FOR UPDATE");
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        throw new SQLException("audit_counter has no row");
      }
      last = r.getLong(1);
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE audit_counter SET last_seq = ? WHERE id = 1")) {
      s.setLong(1, last + 1);
      s.executeUpdate();
    }
    return last + 1;
  }

  private static void insert(Connection c, long sequence, AuditEntry e) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO audit_log (seq, action, recorded_at, actor, outcome, citizen_system, citizen_value,"
            + " message_id, recipient_id, consent_id, consent_version, attempt, sent_sha256, canonical_json)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, sequence);
      s.setString(2, e.action().name());
      s.setObject(3, Sql.timestamp(CanonicalAuditJson.storedPrecision(e.at())));
      s.setString(4, e.actor());
      s.setString(5, e.outcome());
      s.setString(6, e.citizen().map(CitizenIdentifier::system).orElse(null));
      s.setString(7, e.citizen().map(CitizenIdentifier::value).orElse(null));
      s.setString(8, e.messageId().orElse(null));
      s.setString(9, e.recipientId().orElse(null));
      s.setString(10, e.consent().map(v -> v.consentId()).orElse(null));
      if (e.consent().isPresent()) {
        s.setLong(11, e.consent().get().version());
      } else {
        s.setNull(11, Types.BIGINT);
      }
      if (e.attempt().isPresent()) {
        s.setInt(12, e.attempt().get());
      } else {
        s.setNull(12, Types.INTEGER);
      }
      s.setString(13, e.sentSha256().orElse(null));
      s.setString(14, CanonicalAuditJson.write(sequence, e));
      s.executeUpdate();
    }
  }

  private static List<StoredAuditEntry> entries(PreparedStatement s) throws SQLException {
    List<StoredAuditEntry> entries = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        entries.add(CanonicalAuditJson.read(r.getString(1)));
      }
    }
    return entries;
  }
}
