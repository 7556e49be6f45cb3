package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dk.brobygger.fhir.Failed;
import dk.brobygger.gateway.auditlog.AuditTestLog.Cli;
import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.CheckpointSigner;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.testing.StorageTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log of 10 entries is checkpointed; then the database or an export file is changed the way an
 * insider could, and the export or the offline verifier must catch it, naming the first bad entry.
 */
@StorageTest
class TamperingIsDetectedTest {

  @TempDir Path temp;
  AuditTestLog log;

  @BeforeEach
  void tenCheckpointedEntries(StorageSettings fresh) {
    log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1));
    log.append(10);
    assertThat(log.checkpointer.checkpointNow().treeSize()).isEqualTo(10);
  }

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void anUntouchedLogExportsAndVerifiesWithExitCodeZero() throws Exception {
    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).as(cli.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(cli.out()).contains("VERIFIED", "10 entries recomputed", "covers 10 entries");
  }

  @Test
  void anExportFromTheMiddleVerifiesWithItsPrefix() throws Exception {
    Cli cli = log.verifyExport(log.exportFile(6, Optional.empty()));

    assertThat(cli.exit()).as(cli.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(cli.out()).contains("4 entries recomputed");
  }

  // ---- the database changed directly ----

  @Test
  void oneFieldOfOneEntryEditedInTheDatabaseIsNamedByTheVerifier() throws Exception {
    log.sql("UPDATE audit_log SET canonical_json = REPLACE(canonical_json, '\"permit\"', '\"deny\"') WHERE seq = 4");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("LEAF_HASH_MISMATCH", "first bad entry: index 3 (log sequence number 4)");
  }

  @Test
  void anEntryEditedTogetherWithItsRecordedLeafHashNoLongerMatchesTheSignedRoot() throws Exception {
    String forged = "{\"seq\":4,\"forged\":true}";
    log.sql("UPDATE audit_log SET canonical_json = '" + forged + "' WHERE seq = 4",
        "UPDATE audit_leaf SET leaf_hash = decode('" + HexFormat.of().formatHex(AuditLog.leafHash(forged)) + "', 'hex') WHERE seq = 4");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("ROOT_MISMATCH", "entries do not match the signed checkpoint");
  }

  @Test
  void anEntryDeletedFromTheDatabaseStopsTheExportNamingIt() {
    log.sql("DELETE FROM audit_leaf WHERE seq = 5", "DELETE FROM audit_log WHERE seq = 5");

    assertThatThrownBy(() -> log.exportFile(0, Optional.empty()))
        .isInstanceOf(Failed.class).hasMessageContaining("audit entry 5 (index 4) is missing");
  }

  @Test
  void twoEntriesSwappedInTheDatabaseAreNamedByTheVerifier() throws Exception {
    // Swap the rows completely (text and recorded hash), through a free sequence number.
    log.sql("DELETE FROM audit_leaf WHERE seq IN (3, 6)",
        "UPDATE audit_log SET seq = 1000 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 6",
        "UPDATE audit_log SET seq = 6 WHERE seq = 1000",
        "INSERT INTO audit_leaf (seq, leaf_hash) VALUES (3, decode('" + leafOf(6) + "', 'hex'))",
        "INSERT INTO audit_leaf (seq, leaf_hash) VALUES (6, decode('" + leafOf(3) + "', 'hex'))");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("INDEX_SEQUENCE", "first bad entry: index 2 (log sequence number 3)");
  }

  @Test
  void anEntryInsertedInTheDatabaseByRenumberingTheRestIsNamedByTheVerifier() throws Exception {
    log.sql("DELETE FROM audit_leaf WHERE seq >= 5",
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 5",
        "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000");
    String forged = "{\"seq\":5,\"action\":\"CONSENT_CREATED\"}";
    log.sql("INSERT INTO audit_log (seq, action, recorded_at, actor, outcome, canonical_json)"
        + " VALUES (5, 'CONSENT_CREATED', TIMESTAMP WITH TIME ZONE '2025-03-03 08:00:00+00', 'x', 'created', '" + forged + "')");
    for (int seq = 5; seq <= 11; seq++) {
      log.sql("INSERT INTO audit_leaf (seq, leaf_hash) SELECT seq, decode('00', 'hex') FROM audit_log WHERE seq = " + seq);
    }
    for (int seq = 5; seq <= 11; seq++) {
      String hex = seq == 5 ? HexFormat.of().formatHex(AuditLog.leafHash(forged)) : leafOfText(seq);
      log.sql("DELETE FROM audit_leaf WHERE seq = " + seq, "INSERT INTO audit_leaf (seq, leaf_hash) VALUES (" + seq + ", decode('" + hex + "', 'hex'))");
    }

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("INDEX_SEQUENCE", "first bad entry: index 5 (log sequence number 6)");
  }

  @Test
  void entriesTruncatedFromTheEndOfTheDatabaseStopTheExportNamingTheFirstMissing() {
    log.sql("DELETE FROM audit_leaf WHERE seq > 7", "DELETE FROM audit_log WHERE seq > 7");

    assertThatThrownBy(() -> log.exportFile(0, Optional.empty()))
        .isInstanceOf(Failed.class).hasMessageContaining("audit entry 8 (index 7) is missing");
  }

  @Test
  void aCheckpointNoteSignatureChangedInTheDatabaseIsRefused() throws Exception {
    String note = log.checkpoints.latest().orElseThrow().note().orElseThrow();
    int at = note.lastIndexOf(' ') + 10;
    String tampered = note.substring(0, at) + (note.charAt(at) == 'A' ? 'B' : 'A') + note.substring(at + 1);
    log.sql("UPDATE audit_checkpoint_note SET note = '" + tampered + "' WHERE tree_size = 10");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("BAD_SIGNATURE", "does not verify");
  }

  @Test
  void aCheckpointNoteSignedByAnotherKeyUnderTheLogsNameIsRefused() throws Exception {
    StoredCheckpoint stored = log.checkpoints.latest().orElseThrow();
    NoteSigner impostor = AuditTestLog.noteKey(freshEd25519(), Checkpointer.DEFAULT_ORIGIN);
    String forged = CheckpointNote.sign(
        new Checkpoint(stored.treeSize(), stored.rootHash(), Optional.empty(), Checkpointer.DEFAULT_ORIGIN), impostor).format();
    log.sql("UPDATE audit_checkpoint_note SET note = '" + forged + "' WHERE tree_size = 10");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("BAD_SIGNATURE", "no signature of key " + Checkpointer.DEFAULT_ORIGIN);
  }

  @Test
  void aCheckpointNoteOfAnotherOriginIsRefusedEvenWhenSignedWithTheLogsKey() throws Exception {
    StoredCheckpoint stored = log.checkpoints.latest().orElseThrow();
    String text = CheckpointNote.text(
        new Checkpoint(stored.treeSize(), stored.rootHash(), Optional.empty(), "other.example/audit-log"));
    String forged = AuditTestLog.NOTE_KEY.sign(text).format();
    log.sql("UPDATE audit_checkpoint_note SET note = '" + forged + "' WHERE tree_size = 10");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("BAD_SIGNATURE", "is of log other.example/audit-log");
  }

  @Test
  void aJwsCheckpointSignatureReplacedInTheDatabaseIsRefused() throws Exception {
    String jws = log.checkpoints.latest().orElseThrow().jws();
    String[] parts = jws.split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[5] ^= 0x01;
    String tampered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    // without its note, as a checkpoint issued before notes: the export then carries the JWS
    log.sql("UPDATE audit_checkpoint SET jws = '" + tampered + "' WHERE tree_size = 10",
        "DELETE FROM audit_checkpoint_note WHERE tree_size = 10");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("BAD_SIGNATURE", "signature does not verify");
  }

  @Test
  void aJwsCheckpointSignedByAnotherKeyWithTheSameKidIsRefused() throws Exception {
    String jws = log.checkpoints.latest().orElseThrow().jws();
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(AuditTestLog.SIGNING_KEY.getKeyID()).generate();
    JWSObject forged = new JWSObject(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(impostor.getKeyID())
            .type(new com.nimbusds.jose.JOSEObjectType(CheckpointSigner.TYPE_NAME)).build(),
        JWSObject.parse(jws).getPayload());
    forged.sign(new ECDSASigner(impostor));
    log.sql("UPDATE audit_checkpoint SET jws = '" + forged.serialize() + "' WHERE tree_size = 10",
        "DELETE FROM audit_checkpoint_note WHERE tree_size = 10");

    Cli cli = log.verifyExport(log.exportFile(0, Optional.empty()));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("BAD_SIGNATURE");
  }

  // ---- the export file changed ----

  @Test
  void oneFieldEditedInAnExportFileIsNamed() throws Exception {
    Path export = log.exportFile(0, Optional.empty());
    List<String> lines = AuditTestLog.lines(export);
    lines.set(6, lines.get(6).replace("reason 7", "reason 8"));

    Cli cli = log.verifyExport(AuditTestLog.write(export, lines));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("LEAF_HASH_MISMATCH at line 7", "first bad entry: index 6");
  }

  @Test
  void anEntryDeletedFromAnExportFileIsNamed() throws Exception {
    Path export = log.exportFile(0, Optional.empty());
    List<String> lines = AuditTestLog.lines(export);
    lines.remove(3);

    Cli cli = log.verifyExport(AuditTestLog.write(export, lines));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("INDEX_SEQUENCE at line 4", "first bad entry: index 3");
  }

  @Test
  void twoEntriesReorderedInAnExportFileAreNamed() throws Exception {
    Path export = log.exportFile(0, Optional.empty());
    List<String> lines = AuditTestLog.lines(export);
    String second = lines.get(1);
    lines.set(1, lines.get(8));
    lines.set(8, second);

    Cli cli = log.verifyExport(AuditTestLog.write(export, lines));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("INDEX_SEQUENCE at line 2", "first bad entry: index 1");
  }

  @Test
  void anEntryInsertedIntoAnExportFileIsNamed() throws Exception {
    Path export = log.exportFile(0, Optional.empty());
    List<String> lines = AuditTestLog.lines(export);
    lines.add(2, lines.get(2));

    Cli cli = log.verifyExport(AuditTestLog.write(export, lines));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("INDEX_SEQUENCE at line 4", "first bad entry: index 3");
  }

  @Test
  void entriesRemovedAndRenumberedInAnExportFileAreNamedByTheirOwnSequenceNumbers() throws Exception {
    Path export = log.exportFile(0, Optional.empty());
    List<String> lines = AuditTestLog.lines(export);
    lines.remove(4);
    for (int i = 4; i < 9; i++) {
      // renumber the following lines and drop their recorded hashes, so only the entries' own "seq" tells
      lines.set(i, lines.get(i).replace("\"index\":" + (i + 1), "\"index\":" + i).replaceAll(",\"leafHash\":\"[^\"]*\"", ""));
    }

    Cli cli = log.verifyExport(AuditTestLog.write(export, lines));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("line 5", "first bad entry: index 4");
  }

  @Test
  void anExportFileTruncatedAtTheEndIsRefused() throws Exception {
    Path export = log.exportFile(0, Optional.empty());
    List<String> lines = AuditTestLog.lines(export);

    Cli cli = log.verifyExport(AuditTestLog.write(export, lines.subList(0, 8)));

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("MISSING_CHECKPOINT");
  }

  @Test
  void aCheckpointSignedByAKeyTheVerifierDoesNotTrustIsRefused() throws Exception {
    NoteSigner other = AuditTestLog.noteKey(freshEd25519(), Checkpointer.DEFAULT_ORIGIN);
    Path export = log.exportFile(0, Optional.empty());

    Cli cli = log.verify("audit", "verify", "--export", export.toString(), "--log-key", log.logKey(other).toString());

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("BAD_SIGNATURE", "no signature of key");
  }

  // ---- consistency with an earlier checkpoint, and the command line ----

  @Test
  void anExportProvesTheLogOnlyGrewSinceAPreviousCheckpoint() throws Exception {
    Path previous = temp.resolve("previous.jws");
    Files.writeString(previous, log.checkpoints.latest().orElseThrow().jws());
    log.storage.audit().append(AuditTestLog.entry(11));
    log.checkpointer.checkpointNow();

    Cli cli = log.verify("audit", "verify", "--export", log.exportFile(0, Optional.of(10L)).toString(),
        "--jwks", log.gatewayJwks().toString(), "--log-key", log.logKey(AuditTestLog.NOTE_KEY).toString(),
        "--previous-checkpoint", previous.toString());

    assertThat(cli.exit()).as(cli.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(cli.out()).contains("only grew");
  }

  @Test
  void anExportProvesTheLogOnlyGrewSinceAPreviousCheckpointNote() throws Exception {
    Path previous = temp.resolve("previous.checkpoint");
    Files.writeString(previous, log.checkpoints.latest().orElseThrow().note().orElseThrow());
    log.storage.audit().append(AuditTestLog.entry(11));
    log.checkpointer.checkpointNow();

    Cli cli = log.verify("audit", "verify", "--export", log.exportFile(0, Optional.of(10L)).toString(),
        "--log-key", log.logKey(AuditTestLog.NOTE_KEY).toString(), "--previous-checkpoint", previous.toString());

    assertThat(cli.exit()).as(cli.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(cli.out()).contains("only grew");
  }

  @Test
  void anExportWithoutAConsistencyProofFromThePreviousCheckpointDoesNotVerify() throws Exception {
    Path previous = temp.resolve("previous.jws");
    Files.writeString(previous, log.checkpoints.latest().orElseThrow().jws());
    log.storage.audit().append(AuditTestLog.entry(11));
    log.checkpointer.checkpointNow();

    Cli cli = log.verify("audit", "verify", "--export", log.exportFile(0, Optional.empty()).toString(),
        "--jwks", log.gatewayJwks().toString(), "--log-key", log.logKey(AuditTestLog.NOTE_KEY).toString(),
        "--previous-checkpoint", previous.toString());

    assertThat(cli.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(cli.err()).contains("INCONSISTENT_WITH_PREVIOUS");
  }

  @Test
  void wrongArgumentsAndMissingFilesExitWithTheUsageCode() {
    assertThat(log.verify("audit").exit()).isEqualTo(AuditCli.USAGE);
    assertThat(log.verify("audit", "verify", "--export", "x.ndjson").exit()).isEqualTo(AuditCli.USAGE);
    Cli missing = log.verify("audit", "verify", "--export", temp.resolve("none").toString(), "--jwks",
        temp.resolve("none.jwks").toString());
    assertThat(missing.exit()).isEqualTo(AuditCli.USAGE);
    assertThat(missing.err()).contains("cannot read");
  }

  /** A throw-away Ed25519 key as a JWK set, like the gateway's checkpoint key file. */
  private static com.nimbusds.jose.jwk.JWKSet freshEd25519() throws Exception {
    java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] seed = ((java.security.interfaces.EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    return new com.nimbusds.jose.jwk.JWKSet(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
        .d(Base64URL.encode(seed)).build());
  }

  private String leafOf(long seq) {
    return HexFormat.of().formatHex(log.storage.audit().leaves(seq - 1, seq, 1).get(0).hash());
  }

  private String leafOfText(long seq) {
    return HexFormat.of().formatHex(AuditLog.leafHash(
        log.storage.audit().recorded(seq - 1, seq, 1).get(0).canonicalJson()));
  }
}
