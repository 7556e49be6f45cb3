package dk.brobygger.auditproof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.brobygger.auditproof.ExportVerification.Kind;
import dk.brobygger.auditproof.ExportVerification.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogExportTest {

  private static final String ORIGIN = "brobygger.example/audit-log";
  private static final Instant ISSUED_AT = Instant.parse("2025-03-04T09:15:30Z");
  private static final int SIZE = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  // Canonical entry texts as the storage layer would hold them, with non-ASCII names on purpose.
  private static final List<String> TEXTS = IntStream.range(0, SIZE)
      .mapToObj(i -> "{\"citizen\":\"Patient/" + (100 + i) + "\",\"kind\":\"" + (i % 2 == 0 ? "consent" : "disclosure")
          + "\",\"recipient\":\"Lægehuset Brøndby\",\"seq\":" + i + "}")
      .toList();
  private static final MerkleTree TREE = tree(TEXTS);

  private static final CheckpointSigner SIGNER = new CheckpointSigner(TestKeys.LOG_KEY);

  @Test
  void aCompleteExportVerifiesAndYieldsItsCheckpoint() {
    String export = export(0, true, OptionalLong.empty());
    ExportVerification result = verify(export, Optional.empty());

    assertThat(result.problem()).isEmpty();
    assertThat(result.ok()).isTrue();
    assertThat(result.entries()).isEqualTo(SIZE);
    assertThat(result.checkpoint()).contains(new Checkpoint(SIZE, TREE.root(SIZE), ISSUED_AT, ORIGIN));
    // ES256 signatures are randomised: compare with the JWS the export carries, not a fresh one.
    String exported = lines(export).get(SIZE);
    assertThat(result.checkpointJws()).hasValueSatisfying(jws -> assertThat(exported).isEqualTo(checkpointLine(jws)));
  }

  @Test
  void anExportStartingAtAnyEntryVerifiesThroughItsPrefix() {
    for (int from = 0; from <= SIZE; from++) {
      ExportVerification result = verify(export(from, false, OptionalLong.empty()), Optional.empty());

      assertThat(result.problem()).as("export from %d", from).isEmpty();
      assertThat(result.entries()).isEqualTo(SIZE - from);
    }
  }

  @Test
  void anExportProvesItExtendsEveryEarlierCheckpoint() {
    for (int from : new int[] {0, 5}) {
      for (int previousSize = 0; previousSize <= SIZE; previousSize++) {
        ExportVerification result =
            verify(export(from, false, OptionalLong.of(previousSize)), Optional.of(checkpointJws(previousSize)));

        assertThat(result.problem()).as("export from %d, previous size %d", from, previousSize).isEmpty();
      }
    }
  }

  @Test
  void theExportIsAsciiAndGivesBackEachCanonicalTextByteForByte() throws IOException {
    String export = export(0, false, OptionalLong.empty());

    assertThat(export.chars().allMatch(c -> c < 128)).isTrue();
    List<String> lines = lines(export);
    for (int i = 0; i < SIZE; i++) {
      assertThat(JSON.readTree(lines.get(i)).get("entry").textValue().getBytes(UTF_8)).isEqualTo(TEXTS.get(i).getBytes(UTF_8));
    }
  }

  @Test
  void editingOneFieldOfAnyEntryNamesThatEntryByItsRecordedLeafHash() {
    for (int i = 0; i < SIZE; i++) {
      List<String> lines = lines(export(0, true, OptionalLong.empty()));
      lines.set(i, editEntry(lines.get(i), false));

      assertProblem(verify(join(lines), Optional.empty()), Kind.LEAF_HASH_MISMATCH, i + 1, OptionalLong.of(i));
    }
  }

  @Test
  void editingOneFieldOfAnyEntryWithoutRecordedLeafHashesBreaksTheSignedRoot() {
    for (int i = 0; i < SIZE; i++) {
      List<String> lines = lines(export(0, false, OptionalLong.empty()));
      lines.set(i, editEntry(lines.get(i), false));

      Problem problem = assertProblem(verify(join(lines), Optional.empty()), Kind.ROOT_MISMATCH, SIZE + 1, OptionalLong.empty());
      assertThat(problem.message()).isEqualTo("entries do not match the signed checkpoint");
    }
  }

  @Test
  void editingAnEntryTogetherWithItsRecordedLeafHashStillBreaksTheSignedRoot() {
    for (int i = 0; i < SIZE; i++) {
      List<String> lines = lines(export(0, true, OptionalLong.empty()));
      lines.set(i, editEntry(lines.get(i), true));

      assertProblem(verify(join(lines), Optional.empty()), Kind.ROOT_MISMATCH, SIZE + 1, OptionalLong.empty());
    }
  }

  @Test
  void deletingAnyEntryIsDetected() {
    for (int from : new int[] {0, 3}) {
      int entries = SIZE - from;
      int firstEntryLine = from == 0 ? 0 : 1;
      for (int i = 0; i < entries; i++) {
        List<String> lines = lines(export(from, false, OptionalLong.empty()));
        lines.remove(firstEntryLine + i);
        ExportVerification result = verify(join(lines), Optional.empty());

        long deleted = from + i;
        if (i < entries - 1) {
          assertProblem(result, Kind.INDEX_SEQUENCE, firstEntryLine + i + 1, OptionalLong.of(deleted));
        } else {
          assertProblem(result, Kind.SIZE_MISMATCH, lines.size(), OptionalLong.of(deleted));
        }
      }
    }
  }

  @Test
  void reorderingAnyTwoNeighbouringEntriesIsDetected() {
    for (int i = 0; i + 1 < SIZE; i++) {
      List<String> lines = lines(export(0, false, OptionalLong.empty()));
      String line = lines.get(i);
      lines.set(i, lines.get(i + 1));
      lines.set(i + 1, line);

      Problem problem = assertProblem(verify(join(lines), Optional.empty()), Kind.INDEX_SEQUENCE, i + 1, OptionalLong.of(i));
      assertThat(problem.message())
          .isEqualTo("expected entry " + i + " here but found entry " + (i + 1) + ": entries are missing, inserted or reordered");
    }
  }

  @Test
  void swappingTheTextsOfTwoEntriesUnderIntactIndexesIsDetected() {
    for (int i = 0; i + 1 < SIZE; i++) {
      for (boolean recorded : new boolean[] {true, false}) {
        List<String> lines = lines(export(0, recorded, OptionalLong.empty()));
        lines.set(i, withEntryText(lines.get(i), TEXTS.get(i + 1)));
        lines.set(i + 1, withEntryText(lines.get(i + 1), TEXTS.get(i)));
        ExportVerification result = verify(join(lines), Optional.empty());

        if (recorded) {
          assertProblem(result, Kind.LEAF_HASH_MISMATCH, i + 1, OptionalLong.of(i));
        } else {
          assertProblem(result, Kind.ROOT_MISMATCH, SIZE + 1, OptionalLong.empty());
        }
      }
    }
  }

  @Test
  void insertingAnEntryAnywhereIsDetected() {
    String forged = "{\"citizen\":\"Patient/999\",\"kind\":\"disclosure\",\"recipient\":\"Misbrugscenter\",\"seq\":999}";
    for (int i = 0; i <= SIZE; i++) {
      // Inserted with the index of the entry it pushes down: the next original entry is out of sequence.
      List<String> lines = lines(export(0, false, OptionalLong.empty()));
      lines.add(i, entryLine(i, forged));
      ExportVerification result = verify(join(lines), Optional.empty());
      if (i < SIZE) {
        assertProblem(result, Kind.INDEX_SEQUENCE, i + 2, OptionalLong.of(i + 1));
      } else {
        assertProblem(result, Kind.SIZE_MISMATCH, SIZE + 2, OptionalLong.of(SIZE));
      }

      // Inserted and every later entry renumbered: the indexes are contiguous but the checkpoint is not.
      List<String> renumbered = new ArrayList<>();
      for (int j = 0; j <= SIZE; j++) {
        String text = j < i ? TEXTS.get(j) : j == i ? forged : TEXTS.get(j - 1);
        renumbered.add(entryLine(j, text));
      }
      renumbered.add(lines.get(lines.size() - 1));
      assertProblem(verify(join(renumbered), Optional.empty()), Kind.SIZE_MISMATCH, SIZE + 2, OptionalLong.of(SIZE));
    }
  }

  @Test
  void truncatingTheEndAnywhereIsDetected() {
    List<String> all = lines(export(4, false, OptionalLong.of(2)));
    for (int kept = 0; kept < all.size(); kept++) {
      ExportVerification result = verify(join(all.subList(0, kept)), Optional.empty());

      assertProblem(result, Kind.MISSING_CHECKPOINT, kept + 1, OptionalLong.empty());
    }
  }

  @Test
  void droppingTheLastEntriesButKeepingTheCheckpointIsDetected() {
    for (int dropped = 1; dropped <= SIZE; dropped++) {
      List<String> lines = lines(export(0, false, OptionalLong.empty()));
      List<String> truncated = new ArrayList<>(lines.subList(0, SIZE - dropped));
      truncated.add(lines.get(SIZE));

      Problem problem =
          assertProblem(verify(join(truncated), Optional.empty()), Kind.SIZE_MISMATCH, truncated.size(), OptionalLong.of(SIZE - dropped));
      assertThat(problem.message())
          .isEqualTo("the checkpoint covers 12 entries but the export holds " + (SIZE - dropped)
              + ": entries are missing or added at the end");
    }
  }

  @Test
  void replacingTheCheckpointSignatureIsDetected() {
    String otherSignature = checkpointJws(SIZE - 1).split("\\.")[2];
    List<String> lines = lines(export(0, false, OptionalLong.empty()));
    String[] parts = checkpointJws(SIZE).split("\\.");
    lines.set(SIZE, checkpointLine(parts[0] + "." + parts[1] + "." + otherSignature));

    Problem problem = assertProblem(verify(join(lines), Optional.empty()), Kind.BAD_SIGNATURE, SIZE + 1, OptionalLong.empty());
    assertThat(problem.message()).isEqualTo("checkpoint signature does not verify with key audit-log-1");
  }

  @Test
  void aRewrittenLogSignedWithAnotherKeyIsRejected() {
    // The forger rewrites entry 3 and signs a checkpoint that matches the rewritten entries.
    List<String> rewritten = new ArrayList<>(TEXTS);
    rewritten.set(3, rewritten.get(3).replace("disclosure", "consent"));
    Checkpoint forged = new Checkpoint(SIZE, tree(rewritten).root(SIZE), ISSUED_AT, ORIGIN);
    for (CheckpointSigner forger : List.of(new CheckpointSigner(TestKeys.FOREIGN_KEY), new CheckpointSigner(TestKeys.IMPOSTOR_KEY))) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < SIZE; i++) {
        lines.add(entryLine(i, rewritten.get(i)));
      }
      lines.add(checkpointLine(forger.sign(forged)));

      Problem problem = assertProblem(verify(join(lines), Optional.empty()), Kind.BAD_SIGNATURE, SIZE + 1, OptionalLong.empty());
      assertThat(problem.message()).isIn(
          "checkpoint is signed with unknown key someone-else", "checkpoint signature does not verify with key audit-log-1");
    }
  }

  @Test
  void aGenuineCheckpointOverOtherEntriesIsRejected() {
    List<String> forked = new ArrayList<>(TEXTS);
    forked.set(7, forked.get(7).replace("Patient/107", "Patient/108"));
    String genuineButForked = SIGNER.sign(new Checkpoint(SIZE, tree(forked).root(SIZE), ISSUED_AT, ORIGIN));
    List<String> lines = lines(export(0, false, OptionalLong.empty()));
    lines.set(SIZE, checkpointLine(genuineButForked));

    assertProblem(verify(join(lines), Optional.empty()), Kind.ROOT_MISMATCH, SIZE + 1, OptionalLong.empty());
  }

  @Test
  void aPreviousCheckpointOfAForkedLogIsInconsistent() {
    List<String> forked = new ArrayList<>(TEXTS);
    forked.set(2, forked.get(2).replace("consent", "disclosure"));
    for (int previousSize = 3; previousSize <= SIZE; previousSize++) {
      String previous = SIGNER.sign(new Checkpoint(previousSize, tree(forked).root(previousSize), ISSUED_AT, ORIGIN));

      ExportVerification result = verify(export(0, false, OptionalLong.of(previousSize)), Optional.of(previous));

      Problem problem = assertProblem(result, Kind.INCONSISTENT_WITH_PREVIOUS, SIZE + 2, OptionalLong.empty());
      assertThat(problem.message())
          .startsWith("the previous checkpoint is not consistent with this one: ")
          .contains("tree size " + previousSize);
    }
  }

  @Test
  void aPreviousCheckpointLargerThanTheExportMeansTheLogLostEntries() {
    List<String> lines = lines(export(0, false, OptionalLong.empty()));
    List<String> shorter = new ArrayList<>(lines.subList(0, 8));
    shorter.add(checkpointLine(checkpointJws(8)));

    Problem problem =
        assertProblem(verify(join(shorter), Optional.of(checkpointJws(SIZE))), Kind.INCONSISTENT_WITH_PREVIOUS, 9, OptionalLong.empty());
    assertThat(problem.message()).isEqualTo("the previous checkpoint covers 12 entries, more than this export's 8: the log lost entries");
  }

  @Test
  void anExportWithoutTheConsistencyProofCannotSatisfyAPreviousCheckpoint() {
    ExportVerification result = verify(export(0, false, OptionalLong.empty()), Optional.of(checkpointJws(5)));

    Problem problem = assertProblem(result, Kind.INCONSISTENT_WITH_PREVIOUS, SIZE + 1, OptionalLong.empty());
    assertThat(problem.message()).isEqualTo("the export carries no consistency proof from the previous checkpoint's size 5");
  }

  @Test
  void aConsistencyProofFromAnotherSizeCannotSatisfyAPreviousCheckpoint() {
    ExportVerification result = verify(export(0, false, OptionalLong.of(4)), Optional.of(checkpointJws(5)));

    assertProblem(result, Kind.INCONSISTENT_WITH_PREVIOUS, SIZE + 1, OptionalLong.empty());
  }

  @Test
  void aPreviousCheckpointOfAnotherLogIsInconsistent() {
    String otherLog = SIGNER.sign(new Checkpoint(5, TREE.root(5), ISSUED_AT, "other.example/audit-log"));

    ExportVerification result = verify(export(0, false, OptionalLong.of(5)), Optional.of(otherLog));

    assertProblem(result, Kind.INCONSISTENT_WITH_PREVIOUS, SIZE + 2, OptionalLong.empty());
  }

  @Test
  void aPreviousCheckpointThatDoesNotVerifyIsReportedBeforeTheExportIsRead() {
    String foreign = new CheckpointSigner(TestKeys.FOREIGN_KEY).sign(new Checkpoint(5, TREE.root(5), ISSUED_AT, ORIGIN));

    ExportVerification result = verify(export(0, false, OptionalLong.of(5)), Optional.of(foreign));

    assertThat(result.problem()).hasValueSatisfying(problem -> {
      assertThat(problem.kind()).isEqualTo(Kind.BAD_PREVIOUS_CHECKPOINT);
      assertThat(problem.line()).isEmpty();
    });
  }

  @Test
  void anEntryWhoseTextIsNotJsonIsNamed() throws IOException {
    List<String> texts = new ArrayList<>(TEXTS);
    texts.set(2, "{\"citizen\":\"Patient/102\",");
    texts.set(3, "[\"not\",\"an\",\"object\"]");
    StringWriter out = new StringWriter();
    ExportWriter.write(out, Optional.empty(), entries(texts, 0, false), Optional.empty(),
        SIGNER.sign(new Checkpoint(SIZE, tree(texts).root(SIZE), ISSUED_AT, ORIGIN)));

    Problem problem = assertProblem(verify(out.toString(), Optional.empty()), Kind.ENTRY_NOT_JSON, 3, OptionalLong.of(2));
    assertThat(problem.message()).isEqualTo("entry 2 is not valid JSON");
  }

  @Test
  void linesThatAreNotPartOfTheFormatAreReported() {
    List<String> lines = lines(export(0, false, OptionalLong.empty()));

    List<String> garbage = new ArrayList<>(lines);
    garbage.add(4, "{\"index\":4,");
    assertProblem(verify(join(garbage), Optional.empty()), Kind.MALFORMED_LINE, 5, OptionalLong.empty());

    List<String> unknownField = new ArrayList<>(lines);
    unknownField.set(0, unknownField.get(0).replace("{", "{\"note\":\"x\","));
    assertProblem(verify(join(unknownField), Optional.empty()), Kind.MALFORMED_LINE, 1, OptionalLong.empty());

    List<String> duplicateKey = new ArrayList<>(lines);
    duplicateKey.set(1, duplicateKey.get(1).replace("{", "{\"index\":7,"));
    assertProblem(verify(join(duplicateKey), Optional.empty()), Kind.MALFORMED_LINE, 2, OptionalLong.empty());

    List<String> trailing = new ArrayList<>(lines);
    trailing.add(entryLine(SIZE, TEXTS.get(0)));
    assertProblem(verify(join(trailing), Optional.empty()), Kind.TRAILING_LINE, SIZE + 2, OptionalLong.empty());

    List<String> latePrefix = lines(export(3, false, OptionalLong.empty()));
    latePrefix.add(1, latePrefix.get(0));
    assertProblem(verify(join(latePrefix), Optional.empty()), Kind.MISPLACED_LINE, 2, OptionalLong.empty());
  }

  @Test
  void theWriterRefusesAnExportThatCouldNotVerify() {
    StringWriter out = new StringWriter();
    ExportWriter writer = new ExportWriter(out);

    assertThatThrownBy(() -> writer.entry(ExportEntry.of(1, TEXTS.get(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("expected entry index 0, got 1");
    assertThatThrownBy(() -> writer.checkpoint(checkpointJws(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("checkpoint covers tree size 3 but the export ends at 0");
    assertThatThrownBy(() -> writer.consistency(ConsistencyProof.of(TREE, 1, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("consistency proof ends at tree size 2 but the export ends at 0");
  }

  // --- building exports ---

  /** The export of entries [from, SIZE), with a consistency proof from previousSize when given. */
  private static String export(int from, boolean recordedLeafHashes, OptionalLong previousSize) {
    CompactRange prefix = CompactRange.empty();
    for (int i = 0; i < from; i++) {
      prefix.append(leafHash(TEXTS.get(i)));
    }
    StringWriter out = new StringWriter();
    try {
      ExportWriter.write(out,
          from == 0 ? Optional.empty() : Optional.of(prefix.frontier()),
          entries(TEXTS, from, recordedLeafHashes),
          previousSize.isPresent() ? Optional.of(ConsistencyProof.of(TREE, previousSize.getAsLong(), SIZE)) : Optional.empty(),
          checkpointJws(SIZE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static List<ExportEntry> entries(List<String> texts, int from, boolean recordedLeafHashes) {
    List<ExportEntry> entries = new ArrayList<>();
    for (int i = from; i < texts.size(); i++) {
      entries.add(recordedLeafHashes
          ? ExportEntry.withLeafHash(i, texts.get(i), leafHash(texts.get(i)))
          : ExportEntry.of(i, texts.get(i)));
    }
    return entries;
  }

  private static String checkpointJws(int size) {
    return SIGNER.sign(new Checkpoint(size, TREE.root(size), ISSUED_AT, ORIGIN));
  }

  private static MerkleTree tree(List<String> texts) {
    return MerkleTree.of(texts.stream().map(LogExportTest::leafHash).toList());
  }

  private static byte[] leafHash(String text) {
    return MerkleHash.leafHash(text.getBytes(UTF_8));
  }

  // --- tampering ---

  /** Changes one field of the entry on {@code line}; with {@code rehash}, the recorded leaf hash too. */
  private static String editEntry(String line, boolean rehash) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      String text = node.get("entry").textValue();
      String edited = text.contains("\"disclosure\"")
          ? text.replace("\"disclosure\"", "\"consent\"")
          : text.replace("\"consent\"", "\"disclosure\"");
      node.put("entry", edited);
      if (rehash) {
        node.put("leafHash", Base64.getEncoder().encodeToString(leafHash(edited)));
      }
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String withEntryText(String line, String text) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      node.put("entry", text);
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String entryLine(long index, String text) {
    ObjectNode node = JSON.createObjectNode();
    node.put("index", index);
    node.put("entry", text);
    return node.toString();
  }

  private static String checkpointLine(String jws) {
    return JSON.createObjectNode().put("checkpoint", jws).toString();
  }

  private static List<String> lines(String export) {
    return new ArrayList<>(export.lines().toList());
  }

  private static String join(List<String> lines) {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  private static ExportVerification verify(String export, Optional<String> previous) {
    return ExportVerifier.verify(new StringReader(export), TestKeys.TRUSTED, previous);
  }

  private static Problem assertProblem(ExportVerification result, Kind kind, int line, OptionalLong entryIndex) {
    assertThat(result.ok()).isFalse();
    assertThat(result.checkpoint()).isEmpty();
    Problem problem = result.problem().orElseThrow();
    assertThat(problem.kind()).as("kind of %s", problem).isEqualTo(kind);
    assertThat(problem.line()).as("line of %s", problem).hasValue(line);
    assertThat(problem.entryIndex()).as("entry of %s", problem).isEqualTo(entryIndex);
    return problem;
  }
}
