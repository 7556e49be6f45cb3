package dk.brobygger.gateway.auditlog.entries;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.testing.Tiers;
import dk.brobygger.gateway.db.EmbeddedPostgresServer;
import dk.brobygger.gateway.storage.AuditLogTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends release the audit counter at commit and wait for the WAL flush afterwards
 * ({@code Database.releaseLocksBeforeFlush}), and an append is still durable when it returns. That
 * concurrent appends then share flushes is a matter of speed, measured by the append benchmark
 * (bench/results/audit-append.md), not asserted here: how many share one depends on the machine.
 * Each test runs its own embedded PostgreSQL, as it stops it hard.
 */
@Tag(Tiers.INTEGRATION)
class AuditAppendDurabilityTest {

  private static final int THREADS = 8;
  private static final int PER_THREAD = 40;

  @TempDir Path data;

  @Test
  void everyAcknowledgedAppendSurvivesAnImmediateShutdownOfPostgresql() throws Exception {
    List<Long> acknowledged;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, THREADS);
        Database db = Database.open(server.settings())) {
      acknowledged = appendConcurrently(new AuditLog(db));
      // SIGQUIT: immediate shutdown, WAL still in PostgreSQL's buffers is lost, crash recovery on start
      stopImmediately();
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 2);
        Database db = Database.open(server.settings())) {
      AuditLog audit = new AuditLog(db);
      long total = THREADS * PER_THREAD;
      assertThat(acknowledged).hasSize((int) total).doesNotHaveDuplicates();
      assertThat(audit.lastSequence()).as("every acknowledged append is still there").isEqualTo(total);
      List<RecordedAuditEntry> entries = audit.recorded(0, total, (int) total);
      assertThat(entries).extracting(RecordedAuditEntry::sequence)
          .as("numbered without gaps").containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      for (RecordedAuditEntry e : entries) {
        assertThat(e.leafHash().orElseThrow()).as("leaf of entry " + e.sequence())
            .containsExactly(AuditLog.leafHash(e.canonicalJson()));
      }
    }
  }

  private static List<Long> appendConcurrently(AuditLog audit) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<Long>>> appenders = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<List<Long>> appender = () -> {
          List<Long> sequences = new ArrayList<>();
          for (int i = 0; i < PER_THREAD; i++) {
            sequences.add(audit.append(AuditLogTest.entry("thread " + thread + " entry " + i)));
          }
          return sequences;
        };
        appenders.add(threads.submit(appender));
      }
      List<Long> acknowledged = new ArrayList<>();
      for (Future<List<Long>> appender : appenders) {
        acknowledged.addAll(appender.get(5, TimeUnit.MINUTES));
      }
      return acknowledged;
    } finally {
      threads.shutdownNow();
    }
  }

  private void stopImmediately() throws Exception {
    Path pidFile = data.resolve("postgres").resolve("postmaster.pid"); // the server's cluster directory
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
    postmaster.onExit().get(60, TimeUnit.SECONDS);
  }
}
