package dk.brobygger.gateway.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The two databases every storage test runs on. PostgreSQL is the one named by
 * BROBYGGER_TEST_PG_URL (a JDBC URL with user and password parameters) when set, otherwise an
 * embedded PostgreSQL 17 started once per test JVM. Each test gets a fresh schema there, and a
 * fresh directory for H2.
 */
public enum Backend {
  H2,
  POSTGRES;

  /** The argument source of every storage test class. */
  public static Stream<Backend> both() {
    return Stream.of(H2, POSTGRES);
  }

  /** A new, empty database of this kind; {@link Fresh#drop()} removes it again. */
  public Fresh fresh(Path tempDirectory) {
    if (this == H2) {
      return new Fresh(StorageSettings.h2File(tempDirectory.resolve("data")), () -> {});
    }
    String base = Postgres.baseUrl();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    execute(base, "CREATE SCHEMA " + schema);
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new Fresh(new StorageSettings(url, "", "", 4), () -> execute(base, "DROP SCHEMA " + schema + " CASCADE"));
  }

  /** Settings for a new database, and how to remove it. */
  public record Fresh(StorageSettings settings, Runnable drop) {}

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run " + sql + " on the test PostgreSQL", e);
    }
  }

  /** Starts the embedded PostgreSQL on first use only: it takes seconds. */
  private static final class Postgres {
    private static final String URL = resolve();

    static String baseUrl() {
      return URL;
    }

    private static String resolve() {
      String given = System.getenv("BROBYGGER_TEST_PG_URL");
      if (given != null && !given.isBlank()) {
        return given;
      }
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }));
        return pg.getJdbcUrl("postgres", "postgres");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
  }
}
