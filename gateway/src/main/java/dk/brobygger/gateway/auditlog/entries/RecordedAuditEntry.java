package dk.brobygger.gateway.auditlog.entries;

import java.util.Objects;
import java.util.Optional;

/**
 * An audit entry as an export needs it: its canonical text exactly as stored and the leaf hash
 * recorded when it was appended (absent only when that record is missing from the database).
 */
public record RecordedAuditEntry(long sequence, String canonicalJson, Optional<byte[]> leafHash) {

  public RecordedAuditEntry {
    Objects.requireNonNull(canonicalJson, "canonicalJson");
    leafHash = leafHash.map(byte[]::clone);
  }

  /**
   * The entry its canonical text records; throws {@link IllegalStateException} when the text no
   * longer reads as an audit entry (changed behind the gateway's back).
   */
  public StoredAuditEntry read() {
    return CanonicalAuditJson.read(canonicalJson);
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public Optional<byte[]> leafHash() {
    return leafHash.map(byte[]::clone);
  }
}
