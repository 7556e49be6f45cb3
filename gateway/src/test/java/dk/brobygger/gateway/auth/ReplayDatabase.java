package dk.brobygger.gateway.auth;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * An H2 file database migrated with the gateway's migrations, pooled like production (auto-commit
 * off). Closing and reopening on the same directory is a restart.
 */
final class ReplayDatabase implements AutoCloseable {

  private final HikariDataSource pool;

  private ReplayDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  static ReplayDatabase open(Path dir) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("gateway").toAbsolutePath());
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
