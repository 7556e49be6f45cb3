package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.WitnessCli;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import dk.brobygger.gateway.operations.Health;
import dk.brobygger.gateway.operations.OperationsMetrics;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.storage.CosignatureStore;
import dk.brobygger.gateway.testing.StorageTest;
import io.vertx.core.MultiMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.BeforeEach;

/** The gateway's log witnessed by another gateway's witness: cosignatures stored and served, never blocking. */
@StorageTest
class WitnessedLogTest {

  @TempDir Path temp;
  StorageSettings fresh;

  @BeforeEach
  void database(StorageSettings fresh) {
    this.fresh = fresh;
  }

  @Test
  void eachNewCheckpointIsCosignedByThePolicysWitnessAndServedWithItsCosignature() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpServer witness = WitnessCli.start(List.of("witness", "--name", "witness.odder.example/w1",
        "--key", temp.resolve("witness.jwks").toString(), "--log", AuditTestLog.NOTE_KEY.verifier().verifierKey(),
        "--state", temp.resolve("witness-state").toString(), "--port", "0"),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err).orElseThrow();
    String witnessKey = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow().substring("witness ".length());
    WitnessPolicy policy = WitnessPolicy.parse("witness " + witnessKey + " http://127.0.0.1:"
        + witness.getAddress().getPort() + "/\nquorum 1\n");
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1))) {
      WitnessSubmitter submitter = submitter(log, policy);
      log.append(5);
      log.checkpointer.checkpointNow();
      assertThat(submitter.waitingForQuorum()).isPresent();

      submitter.submitNewest();
      log.storage.audit().append(AuditTestLog.entry(6));
      log.storage.audit().append(AuditTestLog.entry(7));
      log.checkpointer.checkpointNow();
      submitter.submitNewest(); // from size 5 to 7, with a consistency proof

      AuditHttp http = new AuditHttp(log.storage.audit(), log.checkpoints, log.checkpointer,
          new DisclosureReport(log.storage.audit(), id -> Optional.empty(),
              log.storage.clock()),
          log.storage.clock(), Optional.of(submitter));
      String served = new String(http.checkpoint(MultiMap.caseInsensitiveMultiMap(), PrivacyOfficerApiTest.OFFICER).body(),
          StandardCharsets.UTF_8);
      SignedNote note = SignedNote.parse(served);
      policy.requireQuorum(note);
      assertThat(CheckpointNote.verify(served, AuditTestLog.NOTE_KEY.verifier()).treeSize()).isEqualTo(7);
      assertThat(note.signatures()).hasSize(2);
      assertThat(submitter.waitingForQuorum()).isEmpty();

      // a receipt carries the newest cosigned checkpoint that covers its entry, not a newer bare one
      log.storage.audit().append(AuditTestLog.entry(8));
      log.checkpointer.checkpointNow();
      assertThat(submitter.newestCosignedCovering(6)).map(c -> c.treeSize()).contains(7L);
      assertThat(submitter.newestCosignedCovering(8)).isEmpty();
    } finally {
      witness.stop(0);
    }
  }

  @Test
  void anUnreachableWitnessNeverBlocksTheLogAndTheWaitShows() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String someWitness = WitnessPolicy.parse("witness " + cosignerKey() + "\nquorum 1\n").witnesses().get(0).key().verifierKey();
    WitnessPolicy policy = WitnessPolicy.parse("witness " + someWitness + " http://127.0.0.1:" + closedPort + "/\nquorum 1\n");
    try (AuditTestLog log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1))) {
      WitnessSubmitter submitter = submitter(log, policy);
      log.append(3);
      log.checkpointer.checkpointNow();

      submitter.submitNewest();
      log.storage.audit().append(AuditTestLog.entry(4));

      assertThat(log.storage.audit().lastSequence()).isEqualTo(4);
      assertThat(submitter.waitingForQuorum()).isPresent();

      // the wait shows as a gauge and as a readiness detail that does not take readiness down
      log.storage.clock().advance(Duration.ofSeconds(90));
      try (OperationsMetrics metrics = OperationsMetrics.create()) {
        metrics.bindWitnessLag(submitter::waitingForQuorum);
        String scrape = metrics.scrape();
        assertThat(scrape).contains("brobygger_audit_witness_lag_seconds 90.0");
        assertThat(seriesInAlert("BrobyggerWitnessLag")).as("the operator's witness-lag alert watches this gauge")
            .containsExactly("brobygger_audit_witness_lag_seconds")
            .allSatisfy(series -> assertThat(scrape).containsPattern("(?m)^" + series + " "));
        String ready = new Health(log.storage.db(), () -> true, () -> true, Duration.ofHours(1), temp, log.storage.clock(),
            metrics.witnessLag()).ready().json();
        assertThat(ready).contains("{\"name\":\"witnesses\",\"status\":\"UP\",\"data\":{\"waitingForQuorumSeconds\":90}}");
      }
    }
  }

  /** The brobygger_* series the expression of one rule in the shipped Prometheus rules file names. */
  private static List<String> seriesInAlert(String alert) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("src/main/dist/prometheus/brobygger-alerts.yml"));
    int rule = lines.indexOf("      - alert: " + alert);
    assertThat(rule).as("rule " + alert + " in the rules file").isNotNegative();
    String expr = lines.get(rule + 1).trim();
    assertThat(expr).startsWith("expr: ");
    return Pattern.compile("brobygger_\\w+").matcher(expr).results().map(MatchResult::group).distinct().toList();
  }

  private static WitnessSubmitter submitter(AuditTestLog log, WitnessPolicy policy) {
    return new WitnessSubmitter(policy, log.checkpoints, new CosignatureStore(log.storage.db()),
        new AuditProofs(log.storage.audit(), log.checkpoints), HttpClient.newHttpClient(), log.storage.clock());
  }

  private static String cosignerKey() throws Exception {
    var pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] seed = ((java.security.interfaces.EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
    return new dk.brobygger.auditproof.witness.Cosigner("witness.unreachable.example/w1", seed,
        java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length)).verifier().verifierKey();
  }
}
