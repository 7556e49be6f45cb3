package dk.brobygger.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.auditproof.ExportVerification.Kind;
import dk.brobygger.auditproof.ExportVerification.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Verifies a log export (format in the package documentation) in one streaming pass, holding only a
 * {@link CompactRange}: every entry is hashed as it is read, and at the checkpoint line the recomputed
 * root must equal the signed one. Reports the first problem in line order, naming the line and, where
 * it can, the entry. Stateless; an I/O failure of the reader is thrown as UncheckedIOException, since
 * it says nothing about the export.
 */
public final class ExportVerifier {

  private ExportVerifier() {}

  /**
   * Verifies {@code export} against the log's public {@code keys}; with a {@code previous} checkpoint
   * JWS (one the privacy officer verified earlier), also proves that the log only grew since then.
   */
  public static ExportVerification verify(Reader export, JWKSet keys, Optional<String> previous) {
    return verify(export, TrustedLogKeys.of(keys), previous);
  }

  /**
   * Verifies {@code export} whose checkpoint (and {@code previous}, if given) is a C2SP signed note or
   * a JWS, each against the matching key in {@code checkpoints}.
   */
  public static ExportVerification verify(Reader export, TrustedLogKeys checkpoints, Optional<String> previous) {
    Optional<Checkpoint> previousCheckpoint;
    try {
      previousCheckpoint = previous.map(checkpoints::verify);
    } catch (InvalidCheckpoint e) {
      Problem problem = new Problem(Kind.BAD_PREVIOUS_CHECKPOINT, OptionalInt.empty(), OptionalLong.empty(),
          "the previous checkpoint does not verify: " + e.getMessage());
      return ExportVerification.failed(problem, 0);
    }
    Pass pass = new Pass(checkpoints, previousCheckpoint);
    try {
      return pass.read(new BufferedReader(export));
    } catch (Stop stop) {
      return ExportVerification.failed(stop.problem, pass.entries);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the log export failed", e);
    }
  }

  private enum Stage { START, ENTRIES, CONSISTENCY, DONE }

  /** Ends the pass at the first problem; caught once, in {@link #verify}. */
  private static final class Stop extends RuntimeException {
    final Problem problem;

    Stop(Problem problem) {
      super(problem.message(), null, false, false);
      this.problem = problem;
    }
  }

  /** The state of one pass over one export. */
  private static final class Pass {
    private final TrustedLogKeys checkpoints;
    private final Optional<Checkpoint> previous;
    private Stage stage = Stage.START;
    private int lineNumber;
    private CompactRange range = CompactRange.empty();
    private long entries;
    private Optional<ConsistencyProof> consistency = Optional.empty();
    private int consistencyLine;

    Pass(TrustedLogKeys checkpoints, Optional<Checkpoint> previous) {
      this.checkpoints = checkpoints;
      this.previous = previous;
    }

    ExportVerification read(BufferedReader reader) throws IOException {
      Checkpoint checkpoint = null;
      String checkpointJws = null;
      String text;
      while ((text = reader.readLine()) != null) {
        lineNumber++;
        if (stage == Stage.DONE) {
          throw stop(Kind.TRAILING_LINE, "nothing may follow the checkpoint");
        }
        ObjectNode line = parseLine(text);
        if (line.has(LogExport.PREFIX)) {
          prefix(line);
        } else if (line.has(LogExport.INDEX) || line.has(LogExport.ENTRY)) {
          entry(line);
        } else if (line.has(LogExport.CONSISTENCY)) {
          consistency(line);
        } else if (line.has(LogExport.CHECKPOINT)) {
          checkpointJws = checkpointJws(line);
          checkpoint = checkpoint(checkpointJws);
          stage = Stage.DONE;
        } else {
          throw stop(Kind.MALFORMED_LINE, "line is none of prefix, entry, consistency or checkpoint");
        }
      }
      if (stage != Stage.DONE) {
        lineNumber++;
        throw stop(Kind.MISSING_CHECKPOINT, "the export ends without a checkpoint: it is truncated");
      }
      return ExportVerification.verified(checkpoint, checkpointJws, entries);
    }

    private void prefix(ObjectNode line) {
      requireFields(line, Set.of(LogExport.PREFIX), Set.of());
      if (stage != Stage.START || lineNumber != 1) {
        throw stop(Kind.MISPLACED_LINE, "the prefix must be the first line");
      }
      JsonNode body = line.get(LogExport.PREFIX);
      if (!body.isObject()) {
        throw stop(Kind.MALFORMED_LINE, "\"prefix\" must be an object");
      }
      requireFields((ObjectNode) body, Set.of(LogExport.SIZE, LogExport.HASHES), Set.of());
      long size = nonNegativeLong(body.get(LogExport.SIZE), "prefix size");
      if (size == 0) {
        throw stop(Kind.MALFORMED_LINE, "an export starting at entry 0 has no prefix");
      }
      try {
        range = CompactRange.from(new Frontier(size, hashes(body.get(LogExport.HASHES), "prefix hashes")));
      } catch (IllegalArgumentException e) {
        throw stop(Kind.MALFORMED_LINE, e.getMessage());
      }
      stage = Stage.ENTRIES;
    }

    private void entry(ObjectNode line) {
      requireFields(line, Set.of(LogExport.INDEX, LogExport.ENTRY), Set.of(LogExport.LEAF_HASH));
      if (stage == Stage.CONSISTENCY) {
        throw stop(Kind.MISPLACED_LINE, "an entry follows the consistency proof");
      }
      long index = nonNegativeLong(line.get(LogExport.INDEX), "entry index");
      long expected = range.size();
      if (index != expected) {
        throw new Stop(new Problem(Kind.INDEX_SEQUENCE, OptionalInt.of(lineNumber), OptionalLong.of(expected),
            "expected entry " + expected + " here but found entry " + index
                + ": entries are missing, inserted or reordered"));
      }
      JsonNode entry = line.get(LogExport.ENTRY);
      if (!entry.isTextual()) {
        throw stopAtEntry(Kind.MALFORMED_LINE, index, "\"entry\" must be the entry's canonical text as a JSON string");
      }
      String canonicalText = entry.textValue();
      requireJsonObject(canonicalText, index);
      byte[] leafHash = MerkleHash.leafHash(canonicalText.getBytes(StandardCharsets.UTF_8));
      JsonNode recorded = line.get(LogExport.LEAF_HASH);
      if (recorded != null && !MessageDigest.isEqual(leafHash, hash(recorded, "leafHash"))) {
        throw stopAtEntry(Kind.LEAF_HASH_MISMATCH, index,
            "entry " + index + " does not match the leaf hash recorded when it was appended: it was changed");
      }
      range.append(leafHash);
      entries++;
      stage = Stage.ENTRIES;
    }

    private void consistency(ObjectNode line) {
      requireFields(line, Set.of(LogExport.CONSISTENCY), Set.of());
      if (stage == Stage.CONSISTENCY) {
        throw stop(Kind.MISPLACED_LINE, "a second consistency proof");
      }
      JsonNode body = line.get(LogExport.CONSISTENCY);
      if (!body.isObject()) {
        throw stop(Kind.MALFORMED_LINE, "\"consistency\" must be an object");
      }
      requireFields((ObjectNode) body, Set.of(LogExport.FROM, LogExport.TO, LogExport.HASHES), Set.of());
      long from = nonNegativeLong(body.get(LogExport.FROM), "consistency from");
      long to = nonNegativeLong(body.get(LogExport.TO), "consistency to");
      if (from > to) {
        throw stop(Kind.MALFORMED_LINE, "consistency proof goes backwards, from " + from + " to " + to);
      }
      if (to != range.size()) {
        throw stop(Kind.SIZE_MISMATCH, "consistency proof is to tree size " + to
            + " but the entries end at tree size " + range.size() + ": entries are missing or added at the end");
      }
      consistency = Optional.of(new ConsistencyProof(from, to, hashes(body.get(LogExport.HASHES), "consistency hashes")));
      consistencyLine = lineNumber;
      stage = Stage.CONSISTENCY;
    }

    private String checkpointJws(ObjectNode line) {
      requireFields(line, Set.of(LogExport.CHECKPOINT), Set.of());
      JsonNode jws = line.get(LogExport.CHECKPOINT);
      if (!jws.isTextual()) {
        throw stop(Kind.MALFORMED_LINE, "\"checkpoint\" must be the signed note or compact JWS as a JSON string");
      }
      return jws.textValue();
    }

    private Checkpoint checkpoint(String jws) {
      Checkpoint checkpoint;
      try {
        checkpoint = checkpoints.verify(jws);
      } catch (InvalidCheckpoint e) {
        throw stop(Kind.BAD_SIGNATURE, e.getMessage());
      }
      if (checkpoint.treeSize() != range.size()) {
        long firstDifferent = Math.min(checkpoint.treeSize(), range.size());
        throw stopAtEntry(Kind.SIZE_MISMATCH, firstDifferent, "the checkpoint covers " + checkpoint.treeSize()
            + " entries but the export holds " + range.size() + ": entries are missing or added at the end");
      }
      if (!MessageDigest.isEqual(range.root(), checkpoint.rootHash())) {
        throw stop(Kind.ROOT_MISMATCH, "entries do not match the signed checkpoint");
      }
      previous.ifPresent(earlier -> requireConsistent(earlier, checkpoint));
      return checkpoint;
    }

    private void requireConsistent(Checkpoint earlier, Checkpoint current) {
      if (!earlier.origin().equals(current.origin())) {
        throw stop(Kind.INCONSISTENT_WITH_PREVIOUS, "the previous checkpoint is of log " + earlier.origin()
            + ", this export of log " + current.origin());
      }
      if (earlier.treeSize() > current.treeSize()) {
        throw stop(Kind.INCONSISTENT_WITH_PREVIOUS, "the previous checkpoint covers " + earlier.treeSize()
            + " entries, more than this export's " + current.treeSize() + ": the log lost entries");
      }
      boolean proofNeeded = earlier.treeSize() > 0 && earlier.treeSize() < current.treeSize();
      if (proofNeeded && consistency.isEmpty()) {
        throw stop(Kind.INCONSISTENT_WITH_PREVIOUS,
            "the export carries no consistency proof from the previous checkpoint's size " + earlier.treeSize());
      }
      List<byte[]> proof = new ArrayList<>();
      if (consistency.isPresent()) {
        ConsistencyProof carried = consistency.get();
        if (carried.fromSize() != earlier.treeSize()) {
          throw new Stop(new Problem(Kind.INCONSISTENT_WITH_PREVIOUS, OptionalInt.of(consistencyLine), OptionalLong.empty(),
              "the consistency proof starts at tree size " + carried.fromSize()
                  + ", not at the previous checkpoint's size " + earlier.treeSize()));
        }
        proof = carried.hashes();
      }
      try {
        ProofVerifier.verifyConsistency(
            earlier.treeSize(), current.treeSize(), earlier.rootHash(), current.rootHash(), proof);
      } catch (InvalidProof e) {
        throw stop(Kind.INCONSISTENT_WITH_PREVIOUS, "the previous checkpoint is not consistent with this one: " + e.getMessage());
      }
    }

    private ObjectNode parseLine(String text) {
      JsonNode node;
      try {
        node = LogExport.JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw stop(Kind.MALFORMED_LINE, "line is not valid JSON");
      }
      if (node == null || !node.isObject()) {
        throw stop(Kind.MALFORMED_LINE, "line is not a JSON object");
      }
      return (ObjectNode) node;
    }

    private void requireJsonObject(String canonicalText, long index) {
      // An unpaired surrogate has no UTF-8 form: it would be hashed as '?' and collide with other text.
      if (!StandardCharsets.UTF_8.newEncoder().canEncode(canonicalText)) {
        throw stopAtEntry(Kind.ENTRY_NOT_JSON, index, "entry " + index + " is not valid Unicode text");
      }
      JsonNode parsed;
      try {
        parsed = LogExport.JSON.readTree(canonicalText);
      } catch (JsonProcessingException e) {
        throw stopAtEntry(Kind.ENTRY_NOT_JSON, index, "entry " + index + " is not valid JSON");
      }
      if (parsed == null || !parsed.isObject()) {
        throw stopAtEntry(Kind.ENTRY_NOT_JSON, index, "entry " + index + " is not a JSON object");
      }
    }

    private void requireFields(ObjectNode node, Set<String> required, Set<String> optional) {
      for (String name : required) {
        if (!node.has(name)) {
          throw stop(Kind.MALFORMED_LINE, "field \"" + name + "\" is missing");
        }
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!required.contains(name) && !optional.contains(name)) {
          throw stop(Kind.MALFORMED_LINE, "unexpected field \"" + name + "\"");
        }
      }
    }

    private long nonNegativeLong(JsonNode node, String what) {
      if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
        throw stop(Kind.MALFORMED_LINE, what + " must be a non-negative integer");
      }
      return node.longValue();
    }

    private List<byte[]> hashes(JsonNode node, String what) {
      if (!node.isArray()) {
        throw stop(Kind.MALFORMED_LINE, what + " must be an array of base64 hashes");
      }
      List<byte[]> hashes = new ArrayList<>(node.size());
      for (JsonNode element : node) {
        hashes.add(hash(element, what));
      }
      return hashes;
    }

    private byte[] hash(JsonNode node, String what) {
      byte[] bytes;
      try {
        bytes = node.isTextual() ? Base64.getDecoder().decode(node.textValue()) : null;
      } catch (IllegalArgumentException e) {
        bytes = null;
      }
      if (bytes == null || bytes.length != MerkleHash.SIZE) {
        throw stop(Kind.MALFORMED_LINE, what + " must hold base64 hashes of " + MerkleHash.SIZE + " bytes");
      }
      return bytes;
    }

    private Stop stop(Kind kind, String message) {
      return new Stop(new Problem(kind, OptionalInt.of(lineNumber), OptionalLong.empty(), message));
    }

    private Stop stopAtEntry(Kind kind, long index, String message) {
      return new Stop(new Problem(kind, OptionalInt.of(lineNumber), OptionalLong.of(index), message));
    }
  }
}
