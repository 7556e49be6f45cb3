package dk.brobygger.gateway.auth;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.brobygger.gateway.db.StorageSettings;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL database migrated with the gateway's migrations, pooled like production (auto-commit
 * off). Closing and opening again on the same settings is a restart.
 */
final class ReplayDatabase implements AutoCloseable {

  private final HikariDataSource pool;

  private ReplayDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  static ReplayDatabase open(StorageSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setMaximumPoolSize(4);
    config.setAutoCommit(false);
    HikariDataSource pool = new HikariDataSource(config);
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    return new ReplayDatabase(pool);
  }

  DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
