package dk.brobygger.auditproof.witness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.auditproof.ConsistencyProof;
import dk.brobygger.auditproof.TlogProof;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.auditproof.note.SignedNote;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit receipt} and {@code audit fork-check}: a citizen's receipt and two parties' checkpoints
 * are checked offline against the pinned log key and witness policy, and each way of lying is caught.
 */
class ReceiptAndForkCommandTest {

  @TempDir Path temp;

  final Cosigner odder = WitnessTest.cosigner("witness.odder.example/w1");
  final Cosigner outsider = WitnessTest.cosigner("witness.outside.example/w1");

  @Test
  void aReceiptForAnEntryInTheCosignedTreeVerifiesAndShowsTheEntry() throws Exception {
    Result result = run("receipt", "--receipt", receipt(7, "entry7", cosigned(odder, 20)).toString(),
        "--log-key", logKey().toString(), "--witness-policy", policy().toString());

    assertThat(result.exit()).as(result.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(result.out()).contains("entry 7 (log sequence number 8)", "at 20 entries",
        "cosigned by [witness.odder.example/w1]", "entry7");
  }

  @Test
  void aReceiptForAnEntryThatIsNotInTheTreeIsRefused() throws Exception {
    Result other = run("receipt", "--receipt", receipt(7, "entry that was never logged", cosigned(odder, 20)).toString(),
        "--log-key", logKey().toString());
    assertThat(other.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(other.err()).contains("does not lead to the root");

    TlogProof valid = TlogProof.parse(Files.readString(receipt(7, "entry7", cosigned(odder, 20))));
    Path beyond = write("beyond.tlog-proof", new TlogProof(valid.extra(), 25, valid.inclusion(), valid.checkpoint()).format());
    Result outside = run("receipt", "--receipt", beyond.toString(), "--log-key", logKey().toString());
    assertThat(outside.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(outside.err()).contains("entry 25 is not in a tree of 20 entries");
  }

  @Test
  void aReceiptCosignedOnlyByAKeyOutsideThePolicyIsRefused() throws Exception {
    Result result = run("receipt", "--receipt", receipt(7, "entry7", cosigned(outsider, 20)).toString(),
        "--log-key", logKey().toString(), "--witness-policy", policy().toString());

    assertThat(result.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(result.err()).contains("cosigned by 0 of the policy's witnesses");
  }

  @Test
  void aReceiptFromALogWithAnotherOriginIsRefused() throws Exception {
    NoteSigner otherLog = WitnessTest.noteSigner("brobygger.odder.example/audit");
    String foreign = dk.brobygger.auditproof.CheckpointNote.sign(new dk.brobygger.auditproof.Checkpoint(20,
        WitnessTest.TREE.root(20), Optional.empty(), "brobygger.odder.example/audit"), otherLog).format();
    Result result = run("receipt", "--receipt", receipt(7, "entry7", foreign).toString(), "--log-key", logKey().toString());

    assertThat(result.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(result.err()).contains("no signature of key " + WitnessTest.ORIGIN);
  }

  @Test
  void twoCosignedCheckpointsOfOneSizeWithDifferentRootsAreAFork() throws Exception {
    Path kept = write("kept.txt", cosigned(odder, 13));
    Path seen = write("seen.txt", cosignedNote(WitnessTest.note(WitnessTest.FORKED, 13), odder));

    Result result = run("fork-check", "--kept", kept.toString(), "--seen", seen.toString(), "--log-key",
        logKey().toString(), "--witness-policy", policy().toString());

    assertThat(result.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(result.err()).contains("FORK", "two different root hashes for tree size 13");
  }

  @Test
  void aSmallerCheckpointAfterALargerOneIsARollback() throws Exception {
    Result result = run("fork-check", "--kept", write("kept.txt", cosigned(odder, 13)).toString(),
        "--seen", write("seen.txt", cosigned(odder, 8)).toString(), "--log-key", logKey().toString());

    assertThat(result.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(result.err()).contains("ROLLBACK", "shows 8 entries after it signed 13");
  }

  @Test
  void aGrownLogWithAValidConsistencyProofIsOneHistoryAndAForgedOneIsAFork() throws Exception {
    Path kept = write("kept.txt", cosigned(odder, 8));
    Path grown = write("grown.txt", cosigned(odder, 20));
    Path proof = write("proof.json", proofJson(8, 20, ConsistencyProof.of(WitnessTest.TREE, 8, 20).hashes()));
    Result same = run("fork-check", "--kept", kept.toString(), "--seen", grown.toString(), "--proof", proof.toString(),
        "--log-key", logKey().toString());
    assertThat(same.exit()).as(same.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(same.out()).contains("one history");

    Path other = write("other.txt", cosignedNote(WitnessTest.note(WitnessTest.FORKED, 20), odder));
    Path otherProof = write("other.json", proofJson(8, 20, ConsistencyProof.of(WitnessTest.FORKED, 8, 20).hashes()));
    Result forked = run("fork-check", "--kept", kept.toString(), "--seen", other.toString(), "--proof",
        otherProof.toString(), "--log-key", logKey().toString());
    assertThat(forked.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(forked.err()).contains("FORK", "not consistent");

    Result noProof = run("fork-check", "--kept", kept.toString(), "--seen", grown.toString(), "--log-key",
        logKey().toString());
    assertThat(noProof.exit()).isEqualTo(AuditCli.USAGE);
    assertThat(noProof.err()).contains("/audit/proof/consistency?from=8&to=20");
  }

  @Test
  void tilePathsListsEveryTileOfTheCheckpointsTreeToFetch() throws Exception {
    Result result = run("tile-paths", "--checkpoint", write("checkpoint.txt", cosigned(odder, 20)).toString(), "--entries");

    assertThat(result.exit()).as(result.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(result.out().lines().toList()).containsExactly("0/000.p/20", "entries/000.p/20");
  }

  private String cosigned(Cosigner witness, int size) {
    return cosignedNote(WitnessTest.note(WitnessTest.TREE, size), witness);
  }

  private static String cosignedNote(String note, Cosigner witness) {
    SignedNote parsed = SignedNote.parse(note);
    return parsed.withSignature(witness.cosign(parsed.text(), 1_700_000_000L)).format();
  }

  private Path receipt(int index, String entry, String checkpoint) throws Exception {
    TlogProof proof = new TlogProof(Optional.of(entry.getBytes(UTF_8)), index,
        WitnessTest.TREE.inclusionProof(index, 20), checkpoint);
    String text = proof.format();
    assertThat(TlogProof.parse(text).format()).isEqualTo(text);
    return write("receipt-" + index + ".tlog-proof", text);
  }

  private static String proofJson(long from, long to, List<byte[]> hashes) {
    StringBuilder json = new StringBuilder("{\"from\":" + from + ",\"to\":" + to + ",\"hashes\":[");
    for (int i = 0; i < hashes.size(); i++) {
      json.append(i == 0 ? "" : ",").append('"').append(Base64.getEncoder().encodeToString(hashes.get(i))).append('"');
    }
    return json.append("]}").toString();
  }

  private Path logKey() throws Exception {
    return write("log.vkey", WitnessTest.LOG.verifier().verifierKey() + "\n");
  }

  private Path policy() throws Exception {
    return write("policy.txt", "witness " + odder.verifier().verifierKey() + "\nquorum 1\n");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(temp.resolve(name), text, UTF_8);
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("audit"));
    all.addAll(List.of(args));
    int exit = AuditCli.run(all, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Result(exit, out.toString(UTF_8), err.toString(UTF_8));
  }
}
