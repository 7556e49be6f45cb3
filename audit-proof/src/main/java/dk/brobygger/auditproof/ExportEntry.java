package dk.brobygger.auditproof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One audit log entry as exported: its gap-free sequence number, its canonical JSON text exactly as
 * stored (the Merkle leaf is the UTF-8 bytes of this text), and optionally the leaf hash recorded when
 * it was appended, which lets a verifier name an entry edited after the fact.
 */
public record ExportEntry(long index, String canonicalText, Optional<byte[]> recordedLeafHash) {

  public ExportEntry {
    if (index < 0) {
      throw new IllegalArgumentException("entry index must not be negative, got " + index);
    }
    Objects.requireNonNull(canonicalText, "canonicalText");
    Objects.requireNonNull(recordedLeafHash, "recordedLeafHash");
    recordedLeafHash = recordedLeafHash.map(hash -> MerkleHash.requireHash(hash, "recorded leaf hash").clone());
  }

  /** An entry exported without its recorded leaf hash. */
  public static ExportEntry of(long index, String canonicalText) {
    return new ExportEntry(index, canonicalText, Optional.empty());
  }

  /** An entry exported with the leaf hash recorded at append time. */
  public static ExportEntry withLeafHash(long index, String canonicalText, byte[] recordedLeafHash) {
    return new ExportEntry(index, canonicalText, Optional.of(recordedLeafHash));
  }

  /** The Merkle leaf hash of this entry's canonical text (UTF-8). */
  public byte[] leafHash() {
    return MerkleHash.leafHash(canonicalText.getBytes(StandardCharsets.UTF_8));
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public Optional<byte[]> recordedLeafHash() {
    return recordedLeafHash.map(byte[]::clone);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExportEntry that
        && index == that.index
        && canonicalText.equals(that.canonicalText)
        && recordedLeafHash.isPresent() == that.recordedLeafHash.isPresent()
        && (recordedLeafHash.isEmpty() || Arrays.equals(recordedLeafHash.get(), that.recordedLeafHash.get()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, canonicalText, recordedLeafHash.map(Arrays::hashCode).orElse(0));
  }

  @Override
  public String toString() {
    return "ExportEntry[index=" + index + ", canonicalText=" + canonicalText + ", recordedLeafHash="
        + recordedLeafHash.map(HexFormat.of()::formatHex).orElse("none") + "]";
  }
}
