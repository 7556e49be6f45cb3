package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.db.StorageSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a fresh, empty PostgreSQL schema: a {@link StorageSettings} parameter of a test,
 * {@code @BeforeEach} or {@code @BeforeAll} method ({@code @StorageTest} on the class).
 * The schema is dropped when that method's scope ends (the test, or the class for
 * {@code @BeforeAll}).
 *
 * <p>The server is the one named by BROBYGGER_TEST_PG_URL (a JDBC URL with user and password
 * parameters) when set, otherwise one embedded PostgreSQL 17 per test JVM. When neither is there,
 * the test is skipped with the reason, or fails when BROBYGGER_REQUIRE_POSTGRES=true (CI).
 */
public final class PostgresStorage implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresStorage.class);

  /** Skips (or fails) the whole class up front when there is no server; a resolver cannot skip. */
  @Override
  public void beforeAll(ExtensionContext context) {
    Server.baseUrl();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StorageSettings.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    FreshSchema schema = freshSchema();
    // closed (the schema dropped) when this context ends, after @AfterEach / @AfterAll
    context.getStore(NAMESPACE).put(schema.name(), schema);
    return schema.settings();
  }

  /** A new schema whose lifetime the caller manages (e.g. a gateway started by a test helper). */
  public static FreshSchema freshSchema() {
    String base = Server.baseUrl();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    execute(base, "CREATE SCHEMA " + name);
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
    return new FreshSchema(name, new StorageSettings(url, "", "", 4), base);
  }

  /** A schema on the test server; closing drops it with everything in it. */
  public record FreshSchema(String name, StorageSettings settings, String serverUrl) implements AutoCloseable {
    @Override
    public void close() {
      execute(serverUrl, "DROP SCHEMA " + name + " CASCADE");
    }
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run " + sql + " on the test PostgreSQL", e);
    }
  }

  /** The test server, found or started on first use only (starting takes seconds), once per JVM. */
  private static final class Server {
    private static final String URL;
    private static final String UNAVAILABLE;

    static {
      String url = null;
      String unavailable = null;
      try {
        url = resolve();
      } catch (IOException | RuntimeException e) {
        unavailable = "no PostgreSQL for the storage tests: BROBYGGER_TEST_PG_URL is not set and the embedded"
            + " PostgreSQL did not start (" + e + ")";
      }
      URL = url;
      UNAVAILABLE = unavailable;
    }

    static String baseUrl() {
      if (URL == null) {
        if ("true".equals(System.getenv("BROBYGGER_REQUIRE_POSTGRES"))) {
          throw new IllegalStateException(UNAVAILABLE + "; BROBYGGER_REQUIRE_POSTGRES=true makes this a failure");
        }
        Assumptions.abort(UNAVAILABLE + "; skipped");
      }
      return URL;
    }

    private static String resolve() throws IOException {
      String given = System.getenv("BROBYGGER_TEST_PG_URL");
      if (given != null && !given.isBlank()) {
        return given;
      }
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException e) {
          System.err.println("stopping the test PostgreSQL failed: " + e);
        }
      }));
      return pg.getJdbcUrl("postgres", "postgres");
    }
  }
}
