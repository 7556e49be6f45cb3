package dk.brobygger.gateway.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's database: a small connection pool, the schema migrated by Flyway on open, and
 * transactions that are durable when they return.
 *
 * <p>On PostgreSQL a commit is durable by itself (synchronous_commit is on by default). On H2 it
 * is not (H2 does not fsync on commit), so every write transaction waits for {@link GroupSync}
 * to fsync after its commit; concurrent transactions share one fsync.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final Duration MAX_SYNC_WAIT = Duration.ofSeconds(30);

  private final HikariDataSource pool;
  private final boolean postgres;
  private final Optional<GroupSync> groupSync;

  private Database(HikariDataSource pool, boolean postgres, Optional<GroupSync> groupSync) {
    this.pool = pool;
    this.postgres = postgres;
    this.groupSync = groupSync;
  }

  /**
   * Connects, migrates the schema and starts the H2 syncer.
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
          // Migrations are numbered when written, not when merged (V3 arrived after V5): a
          // database already past a number must still get the lower one that is new to it.
          .outOfOrder(true)
          .load()
          .migrate();
      boolean postgres;
      try (Connection c = pool.getConnection()) {
        postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        c.rollback();
      }
      Optional<GroupSync> sync = postgres
          ? Optional.empty()
          : Optional.of(new GroupSync(() -> openDirect(settings), MAX_SYNC_WAIT));
      LOG.info("storage open: {} ({})", redacted(settings.jdbcUrl()), postgres ? "PostgreSQL" : "H2");
      return new Database(pool, postgres, sync);
    } catch (SQLException | RuntimeException e) {
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

  /** The syncer's own connection, outside the pool, so a busy pool never delays a sync. */
  private static Connection openDirect(StorageSettings settings) throws SQLException {
    return DriverManager.getConnection(
        settings.jdbcUrl(),
        isBlank(settings.user()) ? null : settings.user(),
        isBlank(settings.password()) ? "" : settings.password());
  }

  /**
   * Runs {@code work} in one transaction, commits it, and returns once the commit is durable.
   * Rolls back on any exception; {@link Rejected} and {@link Failed} pass through unchanged, an
   * {@link SQLException} becomes a {@link Failed}.
   */
  public <T> T inTransaction(SqlWork<T> work) {
    T result = inVolatileTransaction(work);
    awaitDurable();
    return result;
  }

  /**
   * Like {@link #inTransaction} but returns right after the commit, before it is on disk (H2).
   * Only for changes whose loss in a crash is harmless, such as an outbox lease; a later durable
   * transaction makes them durable too.
   */
  public <T> T inVolatileTransaction(SqlWork<T> work) {
    return run(work, true);
  }

  /** Runs read-only work; whatever it changed is rolled back. */
  public <T> T read(SqlWork<T> work) {
    return run(work, false);
  }

  /** Returns once everything committed so far is on disk. */
  public void awaitDurable() {
    groupSync.ifPresent(GroupSync::awaitDurable);
  }

  private <T> T run(SqlWork<T> work, boolean commit) {
    try (Connection c = pool.getConnection()) {
      try {
        T result = work.run(c);
        if (commit) {
          c.commit();
        } else {
          c.rollback();
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new Failed("storage failed: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  public boolean isPostgres() {
    return postgres;
  }

  /** The pool itself, for tests that inspect rows directly. */
  public DataSource dataSource() {
    return pool;
  }

  /** Completed H2 group syncs (0 on PostgreSQL): lets tests see that commits share syncs. */
  long completedSyncs() {
    return groupSync.map(GroupSync::completedSyncs).orElse(0L);
  }

  /** Waits for the syncs already asked for, then closes the pool (and with it H2's file). */
  @Override
  public void close() {
    groupSync.ifPresent(GroupSync::close);
    pool.close();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** The URL without query parameters, which may carry a password. */
  private static String redacted(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
