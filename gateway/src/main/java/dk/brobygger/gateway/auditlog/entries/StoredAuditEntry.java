package dk.brobygger.gateway.auditlog.entries;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An audit entry as stored.
 *
 * @param sequence its place in the log: 1, 2, 3, ... without gaps
 * @param event the event (its instant at the stored precision, microseconds)
 * @param canonicalJson the entry as canonical JSON, exactly as stored: what the Merkle tree hashes
 */
public record StoredAuditEntry(long sequence, AuditEvent event, String canonicalJson) {

  public StoredAuditEntry {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(canonicalJson, "canonicalJson");
  }

  /** The envelope every entry has: action, outcome, references and reasons. */
  public AuditEntry entry() {
    return event.entry();
  }

  /** The canonical JSON as UTF-8 bytes, the Merkle leaf input. */
  public byte[] canonicalBytes() {
    return canonicalJson.getBytes(StandardCharsets.UTF_8);
  }
}
