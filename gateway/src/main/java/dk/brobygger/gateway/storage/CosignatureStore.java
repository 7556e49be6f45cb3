package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Witnesses' cosignatures of the audit log's checkpoints: the signature line each witness returned,
 * per tree size, inserted once (append-only). The caller verifies a line before storing it.
 */
public final class CosignatureStore {

  private final Database db;

  public CosignatureStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Stores a witness's verified cosignature line for a checkpoint, unless it has one already. */
  public void insert(long treeSize, String witness, String line, Instant receivedAt) {
    db.inTransaction(c -> {
      try (PreparedStatement exists = c.prepareStatement(
          "SELECT 1 FROM audit_cosignature WHERE tree_size = ? AND witness = ?")) {
        exists.setLong(1, treeSize);
        exists.setString(2, witness);
        try (ResultSet r = exists.executeQuery()) {
          if (r.next()) {
            return null;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO audit_cosignature (tree_size, witness, line, received_at) VALUES (?, ?, ?, ?)")) {
        s.setLong(1, treeSize);
        s.setString(2, witness);
        s.setString(3, line);
        s.setObject(4, Sql.timestamp(receivedAt));
        s.executeUpdate();
      }
      return null;
    });
  }

  /** The cosignature lines of the checkpoint of this size, by witness name. */
  public List<String> lines(long treeSize) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT line FROM audit_cosignature WHERE tree_size = ? ORDER BY witness")) {
        s.setLong(1, treeSize);
        List<String> lines = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            lines.add(r.getString(1));
          }
        }
        return lines;
      }
    });
  }

  /** Up to {@code max} tree sizes that have any cosignature, largest first. */
  public List<Long> cosignedSizes(int max) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT DISTINCT tree_size FROM audit_cosignature ORDER BY tree_size DESC FETCH FIRST ? ROWS ONLY")) {
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

  /** The largest tree size this witness cosigned, if any: the old size of the next submission. */
  public OptionalLong latestCosigned(String witness) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT MAX(tree_size) FROM audit_cosignature WHERE witness = ?")) {
        s.setString(1, witness);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          long size = r.getLong(1);
          return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(size);
        }
      }
    });
  }
}
