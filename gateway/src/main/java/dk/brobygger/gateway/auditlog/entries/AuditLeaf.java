package dk.brobygger.gateway.auditlog.entries;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The Merkle leaf hash recorded for one audit entry when it was appended.
 *
 * @param sequence the entry's sequence number (1, 2, 3, ...); its leaf index is {@code sequence - 1}
 * @param hash SHA-256(0x00 || canonical JSON), 32 bytes
 */
public record AuditLeaf(long sequence, byte[] hash) {

  public AuditLeaf {
    hash = hash.clone();
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AuditLeaf that && sequence == that.sequence && Arrays.equals(hash, that.hash);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(sequence) + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "AuditLeaf[sequence=" + sequence + ", hash=" + HexFormat.of().formatHex(hash) + "]";
  }
}
