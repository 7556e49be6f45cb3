package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.auditproof.MerkleTree;
import dk.brobygger.auditproof.ProofVerifier;
import dk.brobygger.gateway.auditlog.entries.AuditLeaf;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.Concurrently;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.testing.StorageTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@StorageTest
class CheckpointerTest {

  @TempDir Path temp;
  StorageSettings fresh;

  @BeforeEach
  void database(StorageSettings fresh) {
    this.fresh = fresh;
  }

  @Test
  void aCheckpointIsIssuedOnItsOwnOnceTheConfiguredNumberOfEntriesIsUncovered() {
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 5, Duration.ofHours(1))) {
      log.checkpointer.start();
      log.append(5);

      await(() -> log.checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L) == 5L);
    }
  }

  @Test
  void aCheckpointIsIssuedOnItsOwnOnceUncoveredEntriesWaitTheInterval() {
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 1_000, Duration.ofMillis(200))) {
      log.checkpointer.start();
      log.append(2);

      await(() -> log.checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L) == 2L);
    }
  }

  @Test
  void aCheckpointOnDemandCoversEveryCommittedEntryAndMatchesTheTreeOfTheRecordedLeaves() {
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1))) {
      log.append(7);

      StoredCheckpoint checkpoint = log.checkpointer.checkpointNow();

      List<byte[]> leaves = log.storage.audit().leaves(0, 7, 100).stream().map(AuditLeaf::hash).toList();
      assertThat(checkpoint.treeSize()).isEqualTo(7);
      assertThat(checkpoint.rootHash()).isEqualTo(MerkleTree.of(leaves).root(7));
      assertThat(log.checkpointer.checkpointNow()).as("nothing new: the same checkpoint").isEqualTo(checkpoint);
    }
  }

  @Test
  void afterARestartTheNextCheckpointResumesFromTheStoredFrontierAndStaysConsistent() {
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1))) {
      log.append(6);
      StoredCheckpoint first = log.checkpointer.checkpointNow();
      log.append(5);
      Checkpointer restarted = new Checkpointer(log.storage.audit(), new CheckpointStore(log.storage.db()),
          AuditTestLog.SIGNING_KEY, AuditTestLog.NOTE_KEY, 1_000, Duration.ofHours(1), log.storage.clock());

      StoredCheckpoint second = restarted.checkpointNow();

      AuditProofs proofs = new AuditProofs(log.storage.audit(), log.checkpoints);
      ProofVerifier.verifyConsistency(6, 11, first.rootHash(), second.rootHash(), proofs.consistency(6, 11).hashes());
      InclusionProof inclusion = proofs.inclusion(8, 11);
      ProofVerifier.verifyInclusion(inclusion.leafHash(), 8, 11, inclusion.hashes(), second.rootHash());
      assertThat(second.treeSize()).isEqualTo(11);
    }
  }

  @Test
  void eightThreadsAcceptingAtOnceProduceOneGapFreeSequenceAndACheckpointedTreeThatVerifies()
      throws Exception {
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 16, Duration.ofMillis(100))) {
      log.checkpointer.start();
      List<List<Long>> sequences = Concurrently.run(8, thread -> {
        List<Long> mine = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
          mine.add(log.storage.audit().append(AuditTestLog.entry(thread * 100 + i)));
        }
        return mine;
      });

      List<Long> all = sequences.stream().flatMap(List::stream).sorted().toList();
      assertThat(all).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
      await(() -> log.checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L) == 200L);
      AuditTestLog.Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));
      assertThat(cli.exit()).as(cli.err()).isZero();
      assertThat(cli.out()).contains("200 entries recomputed");
    }
  }

  /** Polls until the condition holds, failing after 20 s. */
  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
