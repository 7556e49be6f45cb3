package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.testing.StorageTest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class DatabaseTest {

  TestStorage storage;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void openingMigratesTheSchemaWithEveryTableEmptyButTheAuditCounter() {
    for (String table : List.of(
        "consent", "consent_version", "message", "message_citizen", "delivery_task", "outbox", "audit_log")) {
      assertThat(storage.count(table)).as(table).isZero();
    }
    assertThat(storage.count("audit_counter")).isEqualTo(1);
    assertThat(storage.audit().lastSequence()).isZero();
  }

  @Test
  void openingAnAlreadyMigratedDatabaseAgainKeepsItsData() {
    storage.audit().append(AuditLogTest.entry("first"));
    try (Database again = Database.open(storage.settings())) {
      assertThat(new AuditLog(again).read(1, 10)).hasSize(1);
    }
  }

  @Test
  void aRejectionInsideATransactionRollsItBackAndPassesThroughUnchanged() {
    Rejected refusal = new Rejected(Rejected.Kind.CONFLICT, "Consent rejected: stale");
    assertThatThrownBy(() -> storage.db().inTransaction(c -> {
      storage.audit().append(c, AuditLogTest.entry("rolled back"));
      throw refusal;
    })).isSameAs(refusal);
    assertThat(storage.count("audit_log")).isZero();
    assertThat(storage.audit().lastSequence()).isZero();
  }

  @Test
  void anSqlErrorInsideATransactionRollsItBackAndBecomesFailed() {
    assertThatThrownBy(() -> storage.db().inTransaction(c -> {
      storage.audit().append(c, AuditLogTest.entry("rolled back"));
      try (Statement s = c.createStatement()) {
        s.execute("SELECT no_such_column FROM audit_log");
      }
      return null;
    })).isInstanceOf(Failed.class).hasCauseInstanceOf(SQLException.class);
    assertThat(storage.count("audit_log")).isZero();
  }

  @Test
  void readOnlyWorkLeavesNothingBehind() {
    storage.db().read(c -> storage.audit().append(c, AuditLogTest.entry("not kept")));
    assertThat(storage.count("audit_log")).isZero();
  }

  @Test
  void concurrentTransactionsAllCommit() throws Exception {
    int threads = 8;
    int commitsEach = 10;
    Concurrently.run(threads, t -> {
      for (int i = 0; i < commitsEach; i++) {
        storage.db().inTransaction(c -> storage.audit().append(c, AuditLogTest.entry("concurrent")));
      }
      return null;
    });
    assertThat(storage.count("audit_log")).isEqualTo(threads * commitsEach);
  }

  @Test
  void anUnreachableDatabaseFailsToOpen() {
    StorageSettings nowhere = new StorageSettings("jdbc:postgresql://127.0.0.1:1/brobygger", "u", "p", 1);
    assertThatThrownBy(() -> Database.open(nowhere)).isInstanceOf(Failed.class).hasMessageContaining("unreachable");
  }

  @Test
  void theFlywayHistoryShowsTheMigrationApplied() {
    List<Boolean> success = storage.db().read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT \"success\" FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"");
          ResultSet r = s.executeQuery()) {
        List<Boolean> rows = new java.util.ArrayList<>();
        while (r.next()) {
          rows.add(r.getBoolean(1));
        }
        return rows;
      }
    });
    assertThat(success).isNotEmpty().containsOnly(true);
  }
}
