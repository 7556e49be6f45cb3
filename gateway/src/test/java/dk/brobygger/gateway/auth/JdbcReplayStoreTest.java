package dk.brobygger.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.testing.StorageTest;
import dk.brobygger.gateway.testing.TestClock;
import dk.brobygger.keys.SampleParty;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class JdbcReplayStoreTest {

  private static final Instant NOW = Instant.parse("2026-03-02T09:15:00Z");
  private static final Instant LATER = NOW.plus(Duration.ofMinutes(6));

  StorageSettings database;

  @BeforeEach
  void database(StorageSettings fresh) {
    database = fresh;
  }

  @Test
  void theFirstUseOfAnAssertionIsRecordedAndTheSecondIsAReplay() {
    try (ReplayDatabase db = ReplayDatabase.open(database)) {
      JdbcReplayStore store = new JdbcReplayStore(db.dataSource());

      assertThat(store.recordFirstUse("laegehuset-sydfyn", "jti-1", LATER)).isTrue();
      assertThat(store.recordFirstUse("laegehuset-sydfyn", "jti-1", LATER)).isFalse();
    }
  }

  @Test
  void theSameJtiFromTwoClientsIsTwoAssertions() {
    try (ReplayDatabase db = ReplayDatabase.open(database)) {
      JdbcReplayStore store = new JdbcReplayStore(db.dataSource());

      assertThat(store.recordFirstUse("laegehuset-sydfyn", "1", LATER)).isTrue();
      assertThat(store.recordFirstUse("svendborg-sygehus", "1", LATER)).isTrue();
    }
  }

  @Test
  void aUsedAssertionIsStillKnownAfterARestart() {
    try (ReplayDatabase db = ReplayDatabase.open(database)) {
      assertThat(new JdbcReplayStore(db.dataSource()).recordFirstUse("laegehuset-sydfyn", "jti-1", LATER)).isTrue();
    }
    try (ReplayDatabase reopened = ReplayDatabase.open(database)) {
      assertThat(new JdbcReplayStore(reopened.dataSource()).recordFirstUse("laegehuset-sydfyn", "jti-1", LATER)).isFalse();
    }
  }

  @Test
  void aReplayedAssertionIsRefusedByTheVerifierAfterARestart() {
    TestClock clock = TestClock.standingAt(NOW);
    String assertion = ClientAssertions.of(SampleParty.HOSPITAL, NOW);
    try (ReplayDatabase db = ReplayDatabase.open(database)) {
      verifier(db, clock).verify(assertion);
    }
    clock.advance(Duration.ofSeconds(20));

    try (ReplayDatabase reopened = ReplayDatabase.open(database)) {
      assertThatThrownBy(() -> verifier(reopened, clock).verify(assertion))
          .isInstanceOfSatisfying(AuthenticationRefused.class,
              refused -> assertThat(refused.error()).isEqualTo(OAuthError.INVALID_CLIENT))
          .hasMessageContaining("used before");
    }
  }

  private static ClientAssertionVerifier verifier(ReplayDatabase db, TestClock clock) {
    return new ClientAssertionVerifier(InsecureSampleClients.registry(), new JdbcReplayStore(db.dataSource()),
        ClientAssertions.TOKEN_URL, clock);
  }

  @Test
  void ofConcurrentUsesOfOneAssertionExactlyOneIsTheFirst() throws Exception {
    int callers = 8;
    try (ReplayDatabase db = ReplayDatabase.open(database)) {
      JdbcReplayStore store = new JdbcReplayStore(db.dataSource());
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          results.add(pool.submit(() -> {
            start.await();
            return store.recordFirstUse("svendborg-gadesygepleje", "contested", LATER);
          }));
        }
        start.countDown();
        int firsts = 0;
        for (Future<Boolean> result : results) {
          firsts += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(firsts).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aFirstUseIsCommittedWhenRecordFirstUseReturns() throws SQLException {
    try (ReplayDatabase db = ReplayDatabase.open(database);
        ReplayDatabase other = ReplayDatabase.open(database)) {
      new JdbcReplayStore(db.dataSource()).recordFirstUse("laegehuset-sydfyn", "jti-1", LATER);

      try (Connection c = other.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM client_assertion_jti WHERE jti = 'jti-1'")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void purgingRemovesOnlyAssertionsThatHaveExpired() throws SQLException {
    try (ReplayDatabase db = ReplayDatabase.open(database)) {
      JdbcReplayStore store = new JdbcReplayStore(db.dataSource());
      store.recordFirstUse("laegehuset-sydfyn", "expired", NOW.minusSeconds(1));
      store.recordFirstUse("laegehuset-sydfyn", "live", NOW.plusSeconds(1));

      assertThat(store.purgeExpired(NOW)).isEqualTo(1);

      assertThat(jtis(db)).containsExactly("live");
      assertThat(store.recordFirstUse("laegehuset-sydfyn", "live", LATER)).isFalse();
    }
  }

  private static List<String> jtis(ReplayDatabase db) throws SQLException {
    List<String> jtis = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT jti FROM client_assertion_jti ORDER BY jti")) {
      while (rows.next()) {
        jtis.add(rows.getString(1));
      }
      c.rollback();
    }
    return jtis;
  }
}
