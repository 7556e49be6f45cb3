package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.auditproof.ConsistencyProof;
import dk.brobygger.auditproof.ExportEntry;
import dk.brobygger.auditproof.ExportWriter;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes entries [from, to) of the log in the export format of the auditproof package: the prefix
 * frontier when from > 0, each entry's canonical text with the leaf hash recorded for it (as stored:
 * an entry edited later no longer matches it, and the verifier names it), optionally a consistency
 * proof from an earlier checkpoint the privacy officer holds, and the checkpoint of size {@code to}.
 *
 * <p>{@code to} must be the size of a stored checkpoint (by default the newest): an export then needs
 * no new signature, and what it proves is exactly what that checkpoint signed. Entries that are
 * missing in the database (deleted or renumbered) cannot be written in the format, which requires
 * contiguous indexes: the export then fails naming the first missing entry.
 */
public final class AuditExport {

  /** Media type of the export. */
  public static final String MEDIA_TYPE = "application/x-ndjson";

  // entries per round trip of the cursor: the most an export holds in memory at once
  private static final int ENTRIES_PER_FETCH = 500;

  private final AuditLog log;
  private final CheckpointStore checkpoints;
  private final LongAdder entriesRead = new LongAdder();

  public AuditExport(AuditLog log, CheckpointStore checkpoints) {
    this.log = Objects.requireNonNull(log, "log");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
  }

  /**
   * What to export.
   *
   * @param from the first entry index (0 for the whole log)
   * @param to one past the last entry index: a checkpoint's tree size
   * @param previous the size of an earlier checkpoint to prove consistency from, if any
   */
  public record Range(long from, long to, Optional<Long> previous) {
    public Range {
      Objects.requireNonNull(previous, "previous");
    }
  }

  /**
   * The range to export, from optional request parameters: {@code from} defaults to 0 and {@code to}
   * to the newest checkpoint's size.
   *
   * @throws Rejected when the sizes are out of order or {@code to} is not a checkpoint's size
   */
  public Range range(Optional<Long> from, Optional<Long> to, Optional<Long> previous) {
    long end = to.orElseGet(() -> checkpoints.latest().map(StoredCheckpoint::treeSize)
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Export rejected: no checkpoint has been issued yet")));
    long start = from.orElse(0L);
    if (start < 0 || start > end) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Export rejected: from must satisfy 0 <= from <= to, got from " + start + " to " + end);
    }
    if (previous.isPresent() && (previous.get() < 0 || previous.get() > end)) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Export rejected: previous must satisfy 0 <= previous <= to, got previous " + previous.get() + " to " + end);
    }
    if (checkpoints.ofSize(end).isEmpty()) {
      throw new Rejected(Rejected.Kind.NOT_FOUND, "Export rejected: no checkpoint covers exactly " + end
          + " entries; exports end at a checkpoint (newest sizes: " + checkpoints.sizes(5) + ")");
    }
    return new Range(start, end, previous);
  }

  /**
   * Writes the export of {@code range} (see {@link #range}) to {@code out}, entry by entry as they
   * come off a database cursor: nothing but one fetch of entries is held, so {@code out} sets the
   * pace (a writer that blocks while its reader is slow stops the reading), and a writer that fails
   * (its reader went away) ends the read and returns the connection.
   */
  public void write(Range range, Writer out) throws IOException {
    StoredCheckpoint checkpoint = checkpoints.ofSize(range.to()).orElseThrow(() -> new Rejected(
        Rejected.Kind.NOT_FOUND, "Export rejected: no checkpoint covers exactly " + range.to() + " entries"));
    ExportWriter writer = new ExportWriter(out);
    if (range.from() > 0) {
      writer.prefix(RecordedLeaves.range(log, range.from()).frontier());
    }
    long[] next = {range.from()};
    try {
      log.eachRecorded(range.from(), range.to(), ENTRIES_PER_FETCH, entry -> {
        // Sequence numbers start at 1, leaf indexes at 0.
        if (entry.sequence() != next[0] + 1) {
          throw missing(next[0]);
        }
        entriesRead.increment();
        writer.entry(new ExportEntry(next[0], entry.canonicalJson(), entry.leafHash()));
        next[0]++;
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (next[0] != range.to()) {
      throw missing(next[0]);
    }
    if (range.previous().isPresent()) {
      writer.consistency(ConsistencyProof.of(RecordedLeaves.tree(log, range.to()), range.previous().get(), range.to()));
    }
    // the C2SP checkpoint where one was issued; checkpoints from before that only have their JWS
    writer.checkpoint(checkpoint.note().orElse(checkpoint.jws()));
  }

  /**
   * Fails as {@link #write} would on an entry missing from the database, before anything is sent:
   * a streamed answer cannot turn into an OperationOutcome once its first line is out. One count
   * when the log is whole; the full read only to name the first missing entry.
   */
  public void requireWhole(Range range) throws IOException {
    if (log.countBetween(range.from(), range.to()) != range.to() - range.from()) {
      write(range, Writer.nullWriter());
    }
  }

  /** Entries read from the database by exports so far (to observe that a slow reader stops the reading). */
  public long entriesRead() {
    return entriesRead.sum();
  }

  private static Failed missing(long index) {
    return new Failed("audit entry " + (index + 1) + " (index " + index + ") is missing from the database: the audit"
        + " log was changed outside the gateway; the export stops there", null);
  }
}
