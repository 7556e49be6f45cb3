package dk.brobygger.gateway.auditlog;

import dk.brobygger.auditproof.TlogProof;
import dk.brobygger.fhir.Failed;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A disclosure's receipt: its audit entry (canonical JSON, as the extra data), its index and
 * inclusion proof, and the checkpoint, in the c2sp.org/tlog-proof@v1 shape that {@code brobygger
 * audit receipt} checks offline. Where a receipt is found: {@link #link}.
 */
public final class DisclosureReceipts {

  private DisclosureReceipts() {}

  /** Where the receipt of the disclosure of message {@code messageId} is served (relative to the gateway). */
  public static String link(String messageId) {
    return "/audit/receipt?message=" + URLEncoder.encode(messageId, StandardCharsets.UTF_8);
  }

  static String fileName(String messageId) {
    return messageId.replaceAll("[^A-Za-z0-9._-]", "_") + ".tlog-proof";
  }

  /** The receipt's text; fails if the recorded leaf hash is not the entry's (the log was changed). */
  static String receipt(StoredAuditEntry entry, InclusionProof proof, String checkpoint) {
    if (!MessageDigest.isEqual(AuditLog.leafHash(entry.canonicalJson()), proof.leafHash())) {
      throw new Failed("audit entry " + entry.sequence() + " does not hash to its recorded leaf hash: the audit log"
          + " was changed outside the gateway", null);
    }
    return new TlogProof(Optional.of(entry.canonicalBytes()), proof.index(), proof.hashes(), checkpoint).format();
  }
}
