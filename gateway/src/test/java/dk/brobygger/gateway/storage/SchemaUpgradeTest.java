package dk.brobygger.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A database deployed before V3 existed was migrated to V5 already; opening it with this version
 * must still add V3 (migrations are numbered when written, not when released).
 */
@ParameterizedClass
@MethodSource("dk.brobygger.gateway.storage.Backend#both")
class SchemaUpgradeTest {

  static final List<String> BEFORE_V3 =
      List.of("V1__storage.sql", "V2__audit_proof.sql", "V5__client_assertion_replay.sql");

  @Parameter Backend backend;
  @TempDir Path temp;
  Backend.Fresh fresh;

  @BeforeEach
  void create() {
    fresh = backend.fresh(temp);
  }

  @AfterEach
  void drop() {
    fresh.drop().run();
  }

  @Test
  void a_database_migrated_to_v5_without_v3_gets_v3_when_the_gateway_opens_it() throws IOException {
    Path older = Files.createDirectories(temp.resolve("older-migrations"));
    for (String name : BEFORE_V3) {
      try (InputStream in = getClass().getResourceAsStream("/db/migration/" + name)) {
        assertThat(in).as(name).isNotNull();
        Files.copy(in, older.resolve(name));
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(fresh.settings().jdbcUrl());
    config.setMaximumPoolSize(3);
    // The same user as the gateway: H2 makes the first user of a new file its owner.
    if (!fresh.settings().user().isBlank()) {
      config.setUsername(fresh.settings().user());
    }
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Flyway.configure().dataSource(pool).locations("filesystem:" + older).load().migrate();
    }

    try (Database db = Database.open(fresh.settings())) {
      AuditLog audit = new AuditLog(db);
      CitizenLinks links = new CitizenLinks(db, audit, new MutableClock(java.time.Instant.parse("2025-03-03T08:00:00Z")));
      links.link(List.of(Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1")), "nurse");
      assertThat(links.expand(List.of(Fixtures.cpr("0101601234")))).hasSize(2);
      assertThat(new Inbox(db, audit, java.time.Clock.systemUTC()).list("team", Optional.empty())).isEmpty();
    }
  }
}
