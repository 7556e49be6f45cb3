package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.inbox.Inbox;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.brobygger.gateway.testing.StorageTest;
import dk.brobygger.gateway.testing.TestClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database deployed with an older version of the gateway (migrated up to V2) gets the later
 * migrations when this version opens it, and keeps working.
 */
@StorageTest
class SchemaUpgradeTest {

  static final List<String> BEFORE_V3 = List.of("V1__storage.sql", "V2__audit_proof.sql");

  @TempDir Path temp;

  @Test
  void aDatabaseMigratedToV2GetsTheLaterMigrationsWhenTheGatewayOpensIt(StorageSettings fresh)
      throws IOException {
    Path older = Files.createDirectories(temp.resolve("older-migrations"));
    for (String name : BEFORE_V3) {
      try (InputStream in = getClass().getResourceAsStream("/db/migration/" + name)) {
        assertThat(in).as(name).isNotNull();
        Files.copy(in, older.resolve(name));
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(fresh.jdbcUrl());
    config.setMaximumPoolSize(3);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Flyway.configure().dataSource(pool).locations("filesystem:" + older).load().migrate();
    }

    try (Database db = Database.open(fresh)) {
      AuditLog audit = new AuditLog(db);
      CitizenLinks links = new CitizenLinks(db, audit, TestClock.standingAt(java.time.Instant.parse("2025-03-03T08:00:00Z")));
      links.link(List.of(Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1")), "nurse");
      assertThat(links.expand(List.of(Fixtures.cpr("0101601234")))).hasSize(2);
      assertThat(new Inbox(db, audit, java.time.Clock.systemUTC()).list("team", Optional.empty())).isEmpty();
    }
  }
}
