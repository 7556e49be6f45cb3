package dk.brobygger.auditproof.witness;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.auditproof.note.SignedNote;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit checkpoint}: the privacy officer checks a served checkpoint and its witnesses' quorum offline. */
class CheckpointCommandTest {

  @TempDir Path temp;

  final Cosigner odder = WitnessTest.cosigner("witness.odder.example/w1");
  final Cosigner outsider = WitnessTest.cosigner("witness.outside.example/w1");

  @Test
  void aCheckpointCosignedByThePolicysQuorumVerifies() throws Exception {
    SignedNote note = SignedNote.parse(WitnessTest.note(WitnessTest.TREE, 8));
    Path served = write("checkpoint.txt", note.withSignature(odder.cosign(note.text(), 42)).format());

    Result result = run("--checkpoint", served.toString(), "--log-key", logKey().toString(),
        "--witness-policy", policy(odder).toString());

    assertThat(result.exit()).as(result.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(result.out()).contains("cosigned by [witness.odder.example/w1]", "at 8 entries");
  }

  @Test
  void aCosignatureFromAKeyOutsideThePolicyDoesNotMakeAQuorum() throws Exception {
    SignedNote note = SignedNote.parse(WitnessTest.note(WitnessTest.TREE, 8));
    Path served = write("checkpoint.txt", note.withSignature(outsider.cosign(note.text(), 42)).format());

    Result result = run("--checkpoint", served.toString(), "--log-key", logKey().toString(),
        "--witness-policy", policy(odder).toString());

    assertThat(result.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(result.err()).contains("cosigned by 0 of the policy's witnesses");
  }

  @Test
  void anEditedCheckpointDoesNotVerify() throws Exception {
    SignedNote note = SignedNote.parse(WitnessTest.note(WitnessTest.TREE, 8));
    Path served = write("checkpoint.txt", note.withSignature(odder.cosign(note.text(), 42)).format().replace("\n8\n", "\n9\n"));

    Result result = run("--checkpoint", served.toString(), "--log-key", logKey().toString());

    assertThat(result.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
  }

  private Path logKey() throws Exception {
    return write("log.vkey", WitnessTest.LOG.verifier().verifierKey() + "\n");
  }

  private Path policy(Cosigner witness) throws Exception {
    return write("policy.txt", "witness " + witness.verifier().verifierKey() + "\nquorum 1\n");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(temp.resolve(name), text, StandardCharsets.UTF_8);
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new java.util.ArrayList<>(List.of("audit", "checkpoint"));
    all.addAll(List.of(args));
    int exit = AuditCli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
