package dk.brobygger.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.consent.ConsentQuery;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.consent.StoredConsent;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.testing.StorageTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Consents stored before V42 (here: a database at V30) kept Consent.identifier only inside their
 * JSON; V42 copies it into the indexed rows, so they are found by identifier (and by a conditional
 * create's condition) as before.
 */
@StorageTest
class ConsentIdentifierUpgradeTest {

  private static final String FORMS = "https://example.org/consent-forms";

  private static ConsentQuery identifier(Optional<String> system, String value) {
    return new ConsentQuery(Optional.empty(), List.of(), Optional.empty(), system, Optional.of(value));
  }

  @Test
  void aConsentStoredBeforeV42IsFoundByItsIdentifierAfterTheUpgrade(StorageSettings fresh) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(fresh.jdbcUrl());
    config.setMaximumPoolSize(2);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").target("30").load().migrate();
      try (Connection c = pool.getConnection();
          PreparedStatement version = c.prepareStatement("INSERT INTO consent_version (consent_id, version, recorded_at,"
              + " recorded_by, citizen_system, citizen_value, status, resource_json) VALUES ('c-1', 1, ?, 'team@x',"
              + " 'urn:oid:1.2.208.176.1.2', '0101801234', 'active', ?)");
          PreparedStatement head = c.prepareStatement("INSERT INTO consent (consent_id, current_version, citizen_system,"
              + " citizen_value, status, recorded_by_party) VALUES ('c-1', 1, 'urn:oid:1.2.208.176.1.2', '0101801234',"
              + " 'active', 'team')")) {
        version.setTimestamp(1, Timestamp.from(Instant.parse("2025-03-03T08:00:00Z")));
        version.setBytes(2, ("{\"resourceType\":\"Consent\",\"id\":\"c-1\",\"identifier\":[{\"system\":\"" + FORMS
            + "\",\"value\":\"form-9\"},{\"system\":\"https://example.org/other\"}]}").getBytes(StandardCharsets.UTF_8));
        version.executeUpdate();
        head.executeUpdate();
      }
    }

    try (Database db = Database.open(fresh)) {
      ConsentStore store = new ConsentStore(db, new AuditLog(db), java.time.Clock.systemUTC());
      List<StoredConsent> bySystemAndValue = store.search(identifier(Optional.of(FORMS), "form-9"), Visibility.everything(), 0, 10);
      List<StoredConsent> byValue = store.search(identifier(Optional.empty(), "form-9"), Visibility.everything(), 0, 10);
      List<StoredConsent> otherSystem = store.search(identifier(Optional.of("https://example.org/other"), "form-9"),
          Visibility.everything(), 0, 10);

      assertThat(bySystemAndValue).extracting(StoredConsent::id).containsExactly("c-1");
      assertThat(byValue).extracting(StoredConsent::id).containsExactly("c-1");
      assertThat(otherSystem).isEmpty();
    }
  }
}
