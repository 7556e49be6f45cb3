package dk.brobygger.gateway.auditlog.entries;

import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.auditproof.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The append-only audit log. Entries are numbered 1, 2, 3, ... without gaps, in commit order, and
 * each is stored with its canonical JSON, the input of the Merkle tree over the log. Nothing in
 * the code updates or deletes an entry (a test scans the sources for it).
 *
 * <p>With each entry its Merkle leaf hash is recorded in {@code audit_leaf}, in the same
 * transaction: the checkpointer and the proofs work from these recorded hashes, and an export
 * carries them, so that an entry edited later no longer matches the hash recorded for it.
 */
public final class AuditLog {

  private static final String COLUMNS = "canonical_json";

  private final Database db;

  public AuditLog(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Appends inside the caller's transaction and returns the entry's sequence number. The counter
   * row stays locked until that transaction commits, so append as the transaction's last step.
   * {@code c} must be a connection of this log's {@link Database} in one of its transactions: its
   * commit returns only once durable ({@link Database#releaseLocksBeforeFlush}).
   */
  public long append(Connection c, AuditEvent e) {
    try {
      // the counter row is every append's one lock: released at commit, not after the flush, so
      // appends share WAL flushes instead of taking one each in turn
      db.releaseLocksBeforeFlush(c);
      return insert(c, e);
    } catch (SQLException ex) {
      throw new Failed("audit log append failed: " + ex.getMessage(), ex);
    }
  }

  /** Appends in a transaction of its own and returns once the entry is durable. */
  public long append(AuditEvent e) {
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

  /**
   * The sending recorded for this attempt of this message with these bytes, read inside the caller's
   * transaction: its outcome's entry repeats what it recorded as sent.
   */
  public Optional<AuditEvent.DisclosureSending> sending(Connection c, String messageId, int attempt, String sha256) {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE message_id = ?"
        + " AND action = ? AND outcome = ? AND attempt = ? AND sent_sha256 = ? ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY")) {
      s.setString(1, messageId);
      s.setString(2, AuditAction.DISCLOSURE_ATTEMPT.name());
      s.setString(3, AuditOutcome.SENDING.code());
      s.setInt(4, attempt);
      s.setString(5, sha256);
      return entries(s).stream().map(StoredAuditEntry::event)
          .filter(AuditEvent.DisclosureSending.class::isInstance).map(AuditEvent.DisclosureSending.class::cast)
          .findFirst();
    } catch (SQLException ex) {
      throw new Failed("audit log read failed: " + ex.getMessage(), ex);
    }
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

  /**
   * Numbers the entry and inserts it with its leaf hash in one statement, so that the counter row is
   * locked for that one round trip and the commit. The canonical JSON begins with the sequence number,
   * so the database puts it together (the start, the number, the rest made here) and hashes it; both
   * are then checked here, to the byte, against the canonical JSON and the leaf hash Java makes.
   */
  private static long insert(Connection c, AuditEvent event) throws SQLException {
    String afterSequence = CanonicalAuditJson.afterSequence(event);
    AuditEntry e = event.entry();
    try (PreparedStatement s = c.prepareStatement(APPEND)) {
      s.setString(1, e.action().name());
      s.setObject(2, Sql.timestamp(CanonicalAuditJson.storedPrecision(e.at())));
      s.setString(3, e.actor());
      s.setString(4, e.outcome().code());
      s.setString(5, e.citizen().map(CitizenIdentifier::system).orElse(null));
      s.setString(6, e.citizen().map(CitizenIdentifier::value).orElse(null));
      s.setString(7, e.messageId().orElse(null));
      s.setString(8, e.recipientId().orElse(null));
      s.setString(9, e.consent().map(v -> v.consentId()).orElse(null));
      if (e.consent().isPresent()) {
        s.setLong(10, e.consent().get().version());
      } else {
        s.setNull(10, Types.BIGINT);
      }
      if (e.attempt().isPresent()) {
        s.setInt(11, e.attempt().get());
      } else {
        s.setNull(11, Types.INTEGER);
      }
      s.setString(12, e.sentSha256().orElse(null));
      s.setString(13, CanonicalAuditJson.BEFORE_SEQUENCE);
      s.setString(14, afterSequence);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new SQLException("audit_counter has no row");
        }
        long sequence = r.getLong(1);
        String canonical = CanonicalAuditJson.BEFORE_SEQUENCE + sequence + afterSequence;
        if (!canonical.equals(r.getString(2)) || !Arrays.equals(leafHash(canonical), r.getBytes(3))) {
          throw new Failed("audit log append failed: the database stored entry " + sequence
              + " or its leaf hash otherwise than made here (database encoding not UTF8?)", null);
        }
        return sequence;
      }
    }
  }

  /** One entry numbered, stored and hashed (RFC 6962 leaf: SHA-256 of 0x00 and the UTF-8 text). */
  private static final String APPEND = """
      WITH next AS (UPDATE audit_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq),
           entry AS (INSERT INTO audit_log (seq, action, recorded_at, actor, outcome, citizen_system,
                       citizen_value, message_id, recipient_id, consent_id, consent_version, attempt, sent_sha256,
                       canonical_json)
                     SELECT last_seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? || last_seq || ? FROM next
                     RETURNING seq, canonical_json),
           leaf AS (INSERT INTO audit_leaf (seq, leaf_hash)
                    SELECT seq, sha256(decode('00', 'hex') || convert_to(canonical_json, 'UTF8')) FROM entry
                    RETURNING seq, leaf_hash)
      SELECT entry.seq, entry.canonical_json, leaf.leaf_hash FROM entry JOIN leaf ON leaf.seq = entry.seq""";

  /** The RFC 6962 leaf hash of an entry: SHA-256(0x00 || its canonical JSON as UTF-8). */
  public static byte[] leafHash(String canonicalJson) {
    return MerkleHash.leafHash(canonicalJson.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Up to {@code max} recorded leaf hashes of the entries after sequence number {@code afterSeq},
   * in order. Only committed entries are seen, and committed sequence numbers always form a
   * contiguous prefix (see {@link #append(Connection, AuditEvent)}), so a gap here means the
   * database was changed behind the gateway's back; the caller checks.
   */
  public List<AuditLeaf> leaves(long afterSeq, long throughSeq, int max) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT seq, leaf_hash FROM audit_leaf WHERE seq > ? AND seq <= ? ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
        s.setLong(1, afterSeq);
        s.setLong(2, throughSeq);
        s.setInt(3, max);
        List<AuditLeaf> leaves = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            leaves.add(new AuditLeaf(r.getLong(1), r.getBytes(2)));
          }
        }
        return leaves;
      }
    });
  }

  /**
   * Up to {@code max} entries after {@code afterSeq} and up to {@code throughSeq}, each with its
   * canonical text and the leaf hash recorded for it (absent if that record is missing): what an
   * export is made of.
   */
  public List<RecordedAuditEntry> recorded(long afterSeq, long throughSeq, int max) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT a.seq, a.canonical_json, l.leaf_hash FROM audit_log a LEFT JOIN audit_leaf l ON l.seq = a.seq"
              + " WHERE a.seq > ? AND a.seq <= ? ORDER BY a.seq FETCH FIRST ? ROWS ONLY")) {
        s.setLong(1, afterSeq);
        s.setLong(2, throughSeq);
        s.setInt(3, max);
        List<RecordedAuditEntry> entries = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            entries.add(new RecordedAuditEntry(r.getLong(1), r.getString(2), Optional.ofNullable(r.getBytes(3))));
          }
        }
        return entries;
      }
    });
  }

  /** What is done with each entry of a cursor read, in order; may stop the read by throwing. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(RecordedAuditEntry entry) throws java.io.IOException;
  }

  /**
   * Every entry after {@code afterSeq} and up to {@code throughSeq}, as {@link #recorded}, read
   * through a server-side cursor {@code fetchSize} rows at a time and handed to {@code visitor} one
   * by one: at most one fetch is held in memory however long the range, and a visitor that waits
   * (a slow reader) keeps the next fetch from being requested. A visitor's exception ends the read,
   * closes the cursor and returns the connection; an IOException arrives as an UncheckedIOException.
   */
  public void eachRecorded(long afterSeq, long throughSeq, int fetchSize, EntryVisitor visitor) {
    db.read(c -> {
      // the PostgreSQL driver uses a cursor only with a fetch size, outside auto-commit (Database reads are)
      try (PreparedStatement s = c.prepareStatement(
          "SELECT a.seq, a.canonical_json, l.leaf_hash FROM audit_log a LEFT JOIN audit_leaf l ON l.seq = a.seq"
              + " WHERE a.seq > ? AND a.seq <= ? ORDER BY a.seq")) {
        s.setFetchSize(fetchSize);
        s.setLong(1, afterSeq);
        s.setLong(2, throughSeq);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            visitor.visit(new RecordedAuditEntry(r.getLong(1), r.getString(2), Optional.ofNullable(r.getBytes(3))));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return null;
    });
  }

  /** How many entries there are after {@code afterSeq} and up to {@code throughSeq} (an index-only count). */
  public long countBetween(long afterSeq, long throughSeq) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM audit_log WHERE seq > ? AND seq <= ?")) {
        s.setLong(1, afterSeq);
        s.setLong(2, throughSeq);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    });
  }

  /**
   * Records the leaf hashes of entries appended before the leaf table existed (schema version 1),
   * so that the tree covers them too; inserts only. Returns how many it recorded.
   */
  public int recordMissingLeaves() {
    return db.inTransaction(c -> {
      List<AuditLeaf> missing = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT a.seq, a.canonical_json FROM audit_log a LEFT JOIN audit_leaf l ON l.seq = a.seq"
              + " WHERE l.seq IS NULL ORDER BY a.seq");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          missing.add(new AuditLeaf(r.getLong(1), leafHash(r.getString(2))));
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_leaf (seq, leaf_hash) VALUES (?, ?)")) {
        for (AuditLeaf leaf : missing) {
          s.setLong(1, leaf.sequence());
          s.setBytes(2, leaf.hash());
          s.addBatch();
        }
        if (!missing.isEmpty()) {
          s.executeBatch();
        }
      }
      return missing.size();
    });
  }

  /**
   * Entries matching {@code query}, in log order, skipping the first {@code offset} matches and
   * returning at most {@code max}: the privacy officer's search. Entry contents come from the
   * canonical text (what the Merkle tree vouches for); the columns only select.
   */
  public List<StoredAuditEntry> search(AuditQuery query, long offset, int max) {
    return db.read(c -> {
      List<Object> parameters = new ArrayList<>();
      String where = AuditQuerySql.where(query, parameters);
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM audit_log" + where + " ORDER BY seq OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
        int p = AuditQuerySql.bind(s, parameters);
        s.setLong(p++, offset);
        s.setInt(p, max);
        return entries(s);
      }
    });
  }

  /**
   * Like {@link #search}, but each entry as stored, its canonical text not yet read: a page that
   * shows the log to be checked must still show an entry whose text was edited so that it no
   * longer reads (see {@link RecordedAuditEntry#read()}).
   */
  public List<RecordedAuditEntry> searchRecorded(AuditQuery query, long offset, int max) {
    return db.read(c -> {
      List<Object> parameters = new ArrayList<>();
      String where = AuditQuerySql.where(query, parameters);
      try (PreparedStatement s = c.prepareStatement("SELECT seq, canonical_json FROM audit_log" + where
          + " ORDER BY seq OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
        int p = AuditQuerySql.bind(s, parameters);
        s.setLong(p++, offset);
        s.setInt(p, max);
        List<RecordedAuditEntry> entries = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            entries.add(new RecordedAuditEntry(r.getLong(1), r.getString(2), Optional.empty()));
          }
        }
        return entries;
      }
    });
  }

  /** How many entries match {@code query}. */
  public long count(AuditQuery query) {
    return db.read(c -> {
      List<Object> parameters = new ArrayList<>();
      String where = AuditQuerySql.where(query, parameters);
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM audit_log" + where)) {
        AuditQuerySql.bind(s, parameters);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    });
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
