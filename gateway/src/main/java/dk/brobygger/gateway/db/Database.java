package dk.brobygger.gateway.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL database: a small connection pool, the schema migrated by Flyway on
 * open, and transactions that are durable when they return (PostgreSQL's commit waits for the
 * WAL flush while synchronous_commit is on, its default; the embedded server sets it explicitly).
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;
  // Transactions that commit without waiting for their WAL flush; run() waits for it after the commit.
  private final Set<Connection> flushAfterCommit = ConcurrentHashMap.newKeySet();

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Connects and migrates the schema.
   *
   * @throws Failed when the database cannot be reached or migrated
   */
  public static Database open(StorageSettings settings) {
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(settings));
    } catch (RuntimeException e) {
      throw new Failed("storage unreachable: " + redacted(settings.jdbcUrl()), e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      LOG.info("storage open: {}", redacted(settings.jdbcUrl()));
      return new Database(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new Failed("storage could not be prepared: " + redacted(settings.jdbcUrl()), e, false);
    }
  }

  private static HikariConfig poolConfig(StorageSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("brobygger-storage");
    config.setJdbcUrl(settings.jdbcUrl());
    if (!isBlank(settings.user())) {
      config.setUsername(settings.user());
    }
    if (!isBlank(settings.password())) {
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setConnectionTimeout(10_000);
    // Fail open() at once instead of handing out a pool that cannot connect.
    config.setInitializationFailTimeout(1);
    return config;
  }

  /**
   * Runs {@code work} in one transaction, commits it, and returns once the commit is durable.
   * Rolls back on any exception; {@link Rejected} and {@link Failed} pass through unchanged, an
   * {@link SQLException} becomes a {@link Failed}.
   */
  public <T> T inTransaction(SqlWork<T> work) {
    return run(work, true);
  }

  /** Runs read-only work; whatever it changed is rolled back. */
  public <T> T read(SqlWork<T> work) {
    return run(work, false);
  }

  /**
   * Lets the transaction on {@code c} (one of {@link #inTransaction}'s) release its locks at commit
   * instead of after its WAL flush; {@link #inTransaction} then waits for the flush before it returns,
   * so the transaction is still durable when it returns. For transactions that serialise on a row
   * lock (the audit log's counter): with the lock held through the flush every commit waits for a
   * flush of its own; released at commit, the transactions queued behind it share one flush (group
   * commit). The price: others may see the changes up to one flush before they are durable, and
   * whatever such a reader commits is flushed after them (the WAL is one sequence), so only what a
   * reader shows without writing can be lost by a crash of the machine in that moment.
   */
  public void releaseLocksBeforeFlush(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit = off");
    }
    flushAfterCommit.add(c);
  }

  private <T> T run(SqlWork<T> work, boolean commit) {
    try (Connection c = pool.getConnection()) {
      try {
        T result = work.run(c);
        if (commit) {
          c.commit();
          if (flushAfterCommit.remove(c)) {
            awaitFlush(c);
          }
        } else {
          c.rollback();
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        flushAfterCommit.remove(c);
      }
    } catch (SQLException e) {
      throw new Failed("storage failed: " + e.getMessage(), e);
    }
  }

  /**
   * Returns once the WAL is flushed past the transaction {@code c} just committed: commits a
   * transaction of its own that writes one WAL record (a logical-decoding message nobody reads;
   * any user may write one, at any wal_level) and so waits for the flush up to its commit, which
   * comes after the earlier one. Concurrent waiters share flushes.
   */
  private static void awaitFlush(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_logical_emit_message(true, 'brobygger', 'durable')");
    }
    c.commit();
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** The URL connected to, without query parameters. */
  public String url() {
    return redacted(pool.getJdbcUrl());
  }

  /** The pool itself, for tests that inspect rows directly. */
  public DataSource dataSource() {
    return pool;
  }

  /** Closes the pool; in-flight work finishes first. */
  @Override
  public void close() {
    pool.close();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** The URL without query parameters, which may carry a password. */
  static String redacted(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
