package dk.brobygger.gateway.db;

import java.util.Objects;

/**
 * How to reach the gateway's PostgreSQL database: the embedded server's, or an external one
 * ({@code db.url}) that several gateway instances share.
 *
 * @param jdbcUrl a PostgreSQL JDBC URL
 * @param user database user; blank when the URL carries it
 * @param password database password; blank when the URL carries it
 * @param poolSize connections in the pool
 */
public record StorageSettings(String jdbcUrl, String user, String password, int poolSize) {

  public StorageSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1");
    }
  }

  /** Without the password. */
  @Override
  public String toString() {
    return "StorageSettings[" + Database.redacted(jdbcUrl) + ", user " + user + ", pool " + poolSize + "]";
  }
}
