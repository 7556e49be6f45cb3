package dk.brobygger.gateway.auth;

import dk.brobygger.fhir.Failed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The replay store in table {@code client_assertion_jti} (migration V4), so that a restart does not
 * forget used assertions. The primary key does the work: a second insert of the same (client, jti)
 * fails with a unique violation (SQLState 23505), and no lock or prior read is needed. The insert
 * is durable when its commit returns, so a crash cannot forget a use. This is not the audit log:
 * rows are deleted once they expire.
 */
public final class JdbcReplayStore implements ReplayStore {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String INSERT =
      "INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES (?, ?, ?)";
  private static final String PURGE = "DELETE FROM client_assertion_jti WHERE expires_at < ?";

  private final DataSource dataSource;

  public JdbcReplayStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public boolean recordFirstUse(String clientId, String jti, Instant usableUntil) {
    try (Connection c = dataSource.getConnection()) {
      return insert(c, clientId, jti, usableUntil);
    } catch (SQLException e) {
      throw new Failed("the client assertion replay store is unavailable", e);
    }
  }

  private static boolean insert(Connection c, String clientId, String jti, Instant usableUntil) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setString(1, clientId);
      insert.setString(2, jti);
      insert.setObject(3, OffsetDateTime.ofInstant(usableUntil, ZoneOffset.UTC));
      insert.executeUpdate();
      commit(c);
      return true;
    } catch (SQLException e) {
      // PostgreSQL aborts the transaction on any error; roll back before the pool reuses it.
      rollback(c, e);
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes what can no longer be replayed: rows whose assertion expired before {@code now}.
   *
   * @return how many rows went
   */
  public int purgeExpired(Instant now) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement purge = c.prepareStatement(PURGE)) {
        purge.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        int deleted = purge.executeUpdate();
        commit(c);
        return deleted;
      } catch (SQLException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new Failed("could not purge expired client assertion ids", e);
    }
  }

  private static void commit(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  private static void rollback(Connection c, SQLException cause) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
