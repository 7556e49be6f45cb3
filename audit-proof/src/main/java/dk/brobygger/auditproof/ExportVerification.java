package dk.brobygger.auditproof;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@link ExportVerifier} found: either the export verified, with the checkpoint it proves (keep
 * its JWS as the "previous" for the next export), or the first problem in it.
 *
 * @param problem the first problem, in line order; empty when the export verified
 * @param checkpoint the verified checkpoint; present exactly when there is no problem
 * @param checkpointJws the verified checkpoint's compact JWS; present exactly when there is no problem
 * @param entries the number of entry lines checked before stopping (all of them when verified)
 */
public record ExportVerification(
    Optional<Problem> problem, Optional<Checkpoint> checkpoint, Optional<String> checkpointJws, long entries) {

  /** Kinds of problem, so a report can group them and a test can assert which one was found. */
  public enum Kind {
    /** A line is not JSON, or not one of the format's line shapes. */
    MALFORMED_LINE,
    /** A line is valid but in the wrong place: prefix not first, an entry after the proof, two proofs. */
    MISPLACED_LINE,
    /** Entry indexes are not contiguous from the export's start: deleted, inserted or reordered entries. */
    INDEX_SEQUENCE,
    /** An entry's text is not a JSON object. */
    ENTRY_NOT_JSON,
    /** An entry's text does not hash to the leaf hash recorded when it was appended: it was edited. */
    LEAF_HASH_MISMATCH,
    /** The export ends without a checkpoint: truncated. */
    MISSING_CHECKPOINT,
    /** There is something after the checkpoint. */
    TRAILING_LINE,
    /** The checkpoint is not validly signed by a trusted key, or its payload is malformed. */
    BAD_SIGNATURE,
    /** The checkpoint covers a different number of entries than the export holds. */
    SIZE_MISMATCH,
    /** The entries do not hash to the checkpoint's root. */
    ROOT_MISMATCH,
    /** The caller's previous checkpoint does not verify. */
    BAD_PREVIOUS_CHECKPOINT,
    /** The previous checkpoint is not a prefix of this one: a rewritten or forked log. */
    INCONSISTENT_WITH_PREVIOUS
  }

  /**
   * One problem.
   *
   * @param line 1-based line of the export where it was found; empty when it concerns the previous
   *     checkpoint the caller supplied
   * @param entryIndex the entry it concerns, when one can be named
   */
  public record Problem(Kind kind, OptionalInt line, OptionalLong entryIndex, String message) {
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(entryIndex, "entryIndex");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return kind + line.stream().mapToObj(n -> " at line " + n).findFirst().orElse("")
          + entryIndex.stream().mapToObj(n -> " (entry " + n + ")").findFirst().orElse("") + ": " + message;
    }
  }

  public ExportVerification {
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(checkpointJws, "checkpointJws");
    if (problem.isPresent() == checkpoint.isPresent() || checkpoint.isPresent() != checkpointJws.isPresent()) {
      throw new IllegalArgumentException("an export either verifies with a checkpoint or has a problem");
    }
  }

  static ExportVerification verified(Checkpoint checkpoint, String checkpointJws, long entries) {
    return new ExportVerification(Optional.empty(), Optional.of(checkpoint), Optional.of(checkpointJws), entries);
  }

  static ExportVerification failed(Problem problem, long entries) {
    return new ExportVerification(Optional.of(problem), Optional.empty(), Optional.empty(), entries);
  }

  /** True when the export verified. */
  public boolean ok() {
    return problem.isEmpty();
  }
}
