package dk.brobygger.auditproof;

import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.SignedNote;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import java.io.IOException;
import java.io.Writer;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Writes a log export (format in the package documentation) line by line, so the server can stream
 * millions of entries without holding them. The calls must come in the format's order: {@link
 * #prefix} (only when the export starts after entry 0), {@link #entry} for each entry in index order,
 * {@link #consistency} (optional), {@link #checkpoint} last. A call out of order, a gap in the
 * indexes, or a checkpoint or consistency proof whose size does not match the entries written is a
 * bug in the caller and throws IllegalStateException / IllegalArgumentException.
 *
 * <p>The writer does not close {@code out}; it writes ASCII only, so any charset will do.
 */
public final class ExportWriter {

  private enum Stage { START, ENTRIES, CONSISTENCY, DONE }

  private final Writer out;
  private Stage stage = Stage.START;
  private long nextIndex;

  public ExportWriter(Writer out) {
    if (out == null) {
      throw new IllegalArgumentException("an export writer needs somewhere to write");
    }
    this.out = out;
  }

  /** Writes a whole export in one call. */
  public static void write(Writer out, Optional<Frontier> prefix, List<ExportEntry> entries,
      Optional<ConsistencyProof> consistency, String checkpointJws) throws IOException {
    ExportWriter writer = new ExportWriter(out);
    if (prefix.isPresent()) {
      writer.prefix(prefix.get());
    }
    for (ExportEntry entry : entries) {
      writer.entry(entry);
    }
    if (consistency.isPresent()) {
      writer.consistency(consistency.get());
    }
    writer.checkpoint(checkpointJws);
  }

  /** The compact-range hashes of the entries before this export; first line, only if the export starts after 0. */
  public void prefix(Frontier prefix) throws IOException {
    requireStage(Stage.START, "the prefix must be the first line");
    if (prefix.size() == 0) {
      throw new IllegalArgumentException("an export starting at entry 0 has no prefix");
    }
    ObjectNode body = LogExport.JSON.createObjectNode();
    body.put(LogExport.SIZE, prefix.size());
    body.set(LogExport.HASHES, base64Array(prefix.hashes()));
    ObjectNode line = LogExport.JSON.createObjectNode();
    line.set(LogExport.PREFIX, body);
    writeLine(line);
    nextIndex = prefix.size();
    stage = Stage.ENTRIES;
  }

  /** One entry; indexes must follow each other without gaps, starting at the prefix size (or 0). */
  public void entry(ExportEntry entry) throws IOException {
    if (stage != Stage.START && stage != Stage.ENTRIES) {
      throw new IllegalStateException("entries must come before the consistency proof and the checkpoint");
    }
    if (entry.index() != nextIndex) {
      throw new IllegalArgumentException("expected entry index " + nextIndex + ", got " + entry.index());
    }
    ObjectNode line = LogExport.JSON.createObjectNode();
    line.put(LogExport.INDEX, entry.index());
    line.put(LogExport.ENTRY, entry.canonicalText());
    entry.recordedLeafHash().ifPresent(hash -> line.put(LogExport.LEAF_HASH, base64(hash)));
    writeLine(line);
    nextIndex++;
    stage = Stage.ENTRIES;
  }

  /** The proof from a previous checkpoint's size to this export's size (the entries written so far). */
  public void consistency(ConsistencyProof proof) throws IOException {
    if (stage == Stage.CONSISTENCY || stage == Stage.DONE) {
      throw new IllegalStateException("at most one consistency proof, before the checkpoint");
    }
    if (proof.toSize() != nextIndex) {
      throw new IllegalArgumentException(
          "consistency proof ends at tree size " + proof.toSize() + " but the export ends at " + nextIndex);
    }
    ObjectNode body = LogExport.JSON.createObjectNode();
    body.put(LogExport.FROM, proof.fromSize());
    body.put(LogExport.TO, proof.toSize());
    body.set(LogExport.HASHES, base64Array(proof.hashes()));
    ObjectNode line = LogExport.JSON.createObjectNode();
    line.set(LogExport.CONSISTENCY, body);
    writeLine(line);
    stage = Stage.CONSISTENCY;
  }

  /**
   * The signed checkpoint over all entries written (a C2SP signed note, or a compact JWS), as the
   * last line; flushes {@code out}.
   */
  public void checkpoint(String compactJws) throws IOException {
    if (stage == Stage.DONE) {
      throw new IllegalStateException("the export already has its checkpoint");
    }
    long treeSize = unverifiedTreeSize(compactJws);
    if (treeSize != nextIndex) {
      throw new IllegalArgumentException(
          "checkpoint covers tree size " + treeSize + " but the export ends at " + nextIndex);
    }
    ObjectNode line = LogExport.JSON.createObjectNode();
    line.put(LogExport.CHECKPOINT, compactJws);
    writeLine(line);
    out.flush();
    stage = Stage.DONE;
  }

  // Reads the size without checking the signature: the writer only guards against its own caller's
  // mistakes; verifying is the reader's job.
  private static long unverifiedTreeSize(String compactJws) {
    if (compactJws == null) {
      throw new IllegalArgumentException("checkpoint is missing");
    }
    try {
      if (CheckpointNote.isNote(compactJws)) {
        return CheckpointNote.parse(SignedNote.parse(compactJws).text()).treeSize();
      }
      return Checkpoint.fromJson(JWSObject.parse(compactJws).getPayload().toString()).treeSize();
    } catch (ParseException | InvalidCheckpoint | InvalidNote e) {
      throw new IllegalArgumentException("not a checkpoint JWS: " + e.getMessage(), e);
    }
  }

  private void requireStage(Stage expected, String rule) {
    if (stage != expected) {
      throw new IllegalStateException(rule);
    }
  }

  private void writeLine(ObjectNode line) throws IOException {
    try {
      out.write(LogExport.JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
    }
    out.write('\n');
  }

  private static ArrayNode base64Array(List<byte[]> hashes) {
    ArrayNode array = LogExport.JSON.createArrayNode();
    hashes.forEach(hash -> array.add(base64(hash)));
    return array;
  }

  private static String base64(byte[] hash) {
    return Base64.getEncoder().encodeToString(hash);
  }
}
