package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.auditproof.Frontier;
import dk.brobygger.auditproof.MerkleHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed checkpoints of the audit log, append-only like the log: a checkpoint is inserted
 * once and never changed. At most one per tree size (the primary key), so two gateway instances
 * sharing a database cannot store two different heads for the same size.
 */
public final class CheckpointStore {

  private static final String COLUMNS = "tree_size, root_hash, issued_at, jws, frontier";
  // the note, where one was issued, comes from its own table (V16)
  private static final String SELECT = "SELECT c.tree_size, c.root_hash, c.issued_at, c.jws, c.frontier, n.note"
      + " FROM audit_checkpoint c LEFT JOIN audit_checkpoint_note n ON n.tree_size = c.tree_size";

  private final Database db;

  public CheckpointStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Stores a checkpoint durably. */
  public void insert(StoredCheckpoint checkpoint) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO audit_checkpoint (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
        s.setLong(1, checkpoint.treeSize());
        s.setBytes(2, checkpoint.rootHash());
        s.setObject(3, Sql.timestamp(checkpoint.issuedAt()));
        s.setString(4, checkpoint.jws());
        s.setBytes(5, concatenated(checkpoint.frontier().hashes()));
        s.executeUpdate();
      }
      if (checkpoint.note().isPresent()) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_checkpoint_note (tree_size, note) VALUES (?, ?)")) {
          s.setLong(1, checkpoint.treeSize());
          s.setString(2, checkpoint.note().get());
          s.executeUpdate();
        }
      }
      return null;
    });
  }

  /** The checkpoint with the largest tree size, if any was issued. */
  public Optional<StoredCheckpoint> latest() {
    return one(SELECT + " ORDER BY c.tree_size DESC FETCH FIRST 1 ROWS ONLY", -1);
  }

  /** The checkpoint of exactly this tree size. */
  public Optional<StoredCheckpoint> ofSize(long treeSize) {
    return one(SELECT + " WHERE c.tree_size = ?", treeSize);
  }

  /** The tree sizes of up to {@code max} checkpoints, newest first. */
  public List<Long> sizes(int max) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT tree_size FROM audit_checkpoint ORDER BY tree_size DESC FETCH FIRST ? ROWS ONLY")) {
        s.setInt(1, max);
        List<Long> sizes = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            sizes.add(r.getLong(1));
          }
        }
        return sizes;
      }
    });
  }

  private Optional<StoredCheckpoint> one(String sql, long treeSize) {
    return db.read(c -> query(c, sql, treeSize));
  }

  private static Optional<StoredCheckpoint> query(Connection c, String sql, long treeSize) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      if (treeSize >= 0) {
        s.setLong(1, treeSize);
      }
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        long size = r.getLong("tree_size");
        return Optional.of(new StoredCheckpoint(
            size,
            r.getBytes("root_hash"),
            Sql.instant(r, "issued_at"),
            r.getString("jws"),
            new Frontier(size, split(r.getBytes("frontier"))),
            Optional.ofNullable(r.getString("note"))));
      }
    }
  }

  private static byte[] concatenated(List<byte[]> hashes) {
    byte[] bytes = new byte[hashes.size() * MerkleHash.SIZE];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i), 0, bytes, i * MerkleHash.SIZE, MerkleHash.SIZE);
    }
    return bytes;
  }

  private static List<byte[]> split(byte[] bytes) throws SQLException {
    if (bytes.length % MerkleHash.SIZE != 0) {
      throw new SQLException("a stored frontier is not a whole number of " + MerkleHash.SIZE + "-byte hashes");
    }
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += MerkleHash.SIZE) {
      hashes.add(Arrays.copyOfRange(bytes, i, i + MerkleHash.SIZE));
    }
    return hashes;
  }
}
