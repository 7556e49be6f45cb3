package dk.brobygger.auditproof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.auditproof.ExportVerification.Kind;
import dk.brobygger.auditproof.note.NoteSigner;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exports whose checkpoint is a C2SP signed note, and their continuity with older JWS checkpoints. */
class NoteCheckpointExportTest {

  private static final String ORIGIN = "brobygger.example/audit-log";
  private static final NoteSigner LOG_KEY = CheckpointNoteTest.TestNoteKeys.generate(ORIGIN);
  private static final CheckpointSigner JWS_KEY = new CheckpointSigner(TestKeys.LOG_KEY);
  private static final List<String> TEXTS = IntStream.range(0, 9).mapToObj(i -> "{\"seq\":" + (i + 1) + "}").toList();
  private static final MerkleTree TREE = MerkleTree.of(TEXTS.stream().map(t -> MerkleHash.leafHash(t.getBytes(UTF_8))).toList());
  private static final TrustedLogKeys BOTH = new TrustedLogKeys(Optional.of(LOG_KEY.verifier()), Optional.of(TestKeys.TRUSTED));

  @Test
  void anExportEndingInANoteCheckpointVerifiesWithTheLogsNoteKey() {
    ExportVerification result = verify(export(9, note(9), Optional.empty()), TrustedLogKeys.of(LOG_KEY.verifier()), Optional.empty());

    assertThat(result.problem()).isEmpty();
    assertThat(result.checkpoint().orElseThrow().treeSize()).isEqualTo(9);
    assertThat(result.checkpoint().orElseThrow().issuedAt()).isEmpty();
  }

  @Test
  void aJwsCheckpointKeptFromBeforeTheSwitchStillProvesTheLogOnlyGrew() {
    String earlier = jws(5);

    ExportVerification result = verify(export(9, note(9), Optional.of(5L)), BOTH, Optional.of(earlier));

    assertThat(result.problem()).isEmpty();
  }

  @Test
  void anExportWithANoteCheckpointNeedsTheNoteKeyNotJustTheJwks() {
    ExportVerification result = verify(export(9, note(9), Optional.empty()), TrustedLogKeys.of(TestKeys.TRUSTED), Optional.empty());

    assertThat(result.problem().orElseThrow().kind()).isEqualTo(Kind.BAD_SIGNATURE);
    assertThat(result.problem().orElseThrow().message()).contains("no note key");
  }

  @Test
  void anEditedEntryDoesNotMatchTheSignedNote() {
    String export = export(9, note(9), Optional.empty()).replace("{\\\"seq\\\":4}", "{\\\"seq\\\":44}");

    ExportVerification result = verify(export, BOTH, Optional.empty());

    assertThat(result.problem().orElseThrow().kind()).isEqualTo(Kind.ROOT_MISMATCH);
  }

  @Test
  void aNoteCheckpointByAForeignKeyIsRefused() {
    NoteSigner foreign = CheckpointNoteTest.TestNoteKeys.generate(ORIGIN);
    String foreignNote = CheckpointNote.sign(checkpoint(9), foreign).format();

    ExportVerification result = verify(export(9, foreignNote, Optional.empty()), BOTH, Optional.empty());

    assertThat(result.problem().orElseThrow().kind()).isEqualTo(Kind.BAD_SIGNATURE);
  }

  private static Checkpoint checkpoint(int size) {
    return new Checkpoint(size, TREE.root(size), Optional.empty(), ORIGIN);
  }

  private static String note(int size) {
    return CheckpointNote.sign(checkpoint(size), LOG_KEY).format();
  }

  private static String jws(int size) {
    return JWS_KEY.sign(new Checkpoint(size, TREE.root(size), Instant.parse("2026-01-01T00:00:00Z"), ORIGIN));
  }

  private static String export(int size, String checkpoint, Optional<Long> previous) {
    StringWriter out = new StringWriter();
    try {
      ExportWriter.write(out, Optional.empty(),
          IntStream.range(0, size).mapToObj(i -> ExportEntry.of(i, TEXTS.get(i))).toList(),
          previous.map(from -> ConsistencyProof.of(TREE, from, size)), checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static ExportVerification verify(String export, TrustedLogKeys keys, Optional<String> previous) {
    return ExportVerifier.verify(new StringReader(export), keys, previous);
  }
}
