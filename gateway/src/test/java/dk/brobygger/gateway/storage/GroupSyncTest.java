package dk.brobygger.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Failed;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

  @Test
  void a_commit_waits_for_a_sync_and_later_commits_get_a_sync_of_their_own() {
    AtomicInteger opened = new AtomicInteger();
    try (GroupSync sync = new GroupSync(() -> {
      opened.incrementAndGet();
      return DriverManager.getConnection("jdbc:h2:mem:group-sync-test", "sa", "");
    }, Duration.ofSeconds(10))) {
      sync.awaitDurable();
      assertThat(sync.completedSyncs()).isEqualTo(1);
      sync.awaitDurable();
      assertThat(sync.completedSyncs()).isEqualTo(2);
      assertThat(opened).as("the syncer keeps its connection").hasValue(1);
    }
  }

  @Test
  void concurrent_waiters_are_served_by_fewer_syncs_than_there_are_waiters() throws Exception {
    try (GroupSync sync = new GroupSync(
        () -> DriverManager.getConnection("jdbc:h2:mem:group-sync-test-2", "sa", ""), Duration.ofSeconds(10))) {
      List<Long> done = Concurrently.run(8, t -> {
        for (int i = 0; i < 20; i++) {
          sync.awaitDurable();
        }
        return sync.completedSyncs();
      });
      assertThat(done).allSatisfy(n -> assertThat(n).isPositive());
      assertThat(sync.completedSyncs()).isLessThan(8 * 20);
    }
  }

  @Test
  void when_the_sync_fails_the_waiting_commit_is_told_it_failed() {
    try (GroupSync sync = new GroupSync(() -> {
      throw new SQLException("disk gone");
    }, Duration.ofSeconds(10))) {
      assertThatThrownBy(sync::awaitDurable)
          .isInstanceOf(Failed.class)
          .hasRootCauseMessage("disk gone");
    }
  }

  @Test
  void a_closed_syncer_refuses_new_waiters() {
    GroupSync sync = new GroupSync(
        () -> DriverManager.getConnection("jdbc:h2:mem:group-sync-test-3", "sa", ""), Duration.ofSeconds(10));
    sync.close();
    assertThatThrownBy(sync::awaitDurable).isInstanceOf(Failed.class).hasMessageContaining("closed");
  }
}
