package dk.brobygger.gateway.console.officer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auditlog.AuditHttp;
import dk.brobygger.gateway.auditlog.AuditProofs;
import dk.brobygger.gateway.auditlog.Checkpointer;
import dk.brobygger.gateway.auditlog.InclusionProof;
import dk.brobygger.gateway.console.ConsoleReply;
import dk.brobygger.gateway.console.ConsoleRequest;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import io.vertx.core.MultiMap;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the timeline page's script fetches to check the shown entries itself: the newest signed
 * checkpoint (the same note /audit/checkpoint serves, witnesses' cosignatures included) and the
 * inclusion paths of the shown entries. The keys it checks them with are not served here: the page
 * carries the log key and the witness policy's keys pinned in the gateway's configuration.
 */
public final class LogVerification {

  /** At most this many paths per request: one page of the timeline. */
  static final int MAX_PATHS = CitizenTimeline.PAGE_SIZE;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuditHttp audit;
  private final AuditProofs proofs;
  private final Checkpointer checkpointer;
  private final String pinnedLogKey;
  private final Optional<WitnessPolicy> witnesses;

  /**
   * @param pinnedLogKey the verifier key of the log's checkpoint key, from the gateway's key set
   * @param witnesses the configured witness policy (audit.witness-policy), whose keys and quorum the page
   *     checks the checkpoint's cosignatures against
   */
  public LogVerification(AuditHttp audit, AuditProofs proofs, Checkpointer checkpointer, String pinnedLogKey,
      Optional<WitnessPolicy> witnesses) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.proofs = Objects.requireNonNull(proofs, "proofs");
    this.checkpointer = Objects.requireNonNull(checkpointer, "checkpointer");
    this.pinnedLogKey = Objects.requireNonNull(pinnedLogKey, "pinnedLogKey");
    this.witnesses = Objects.requireNonNull(witnesses, "witnesses");
  }

  public String pinnedLogKey() {
    return pinnedLogKey;
  }

  /** The policy's witness keys, space-separated (empty without a policy), as configured: pinned like the log key. */
  public String witnessKeys() {
    return witnesses.map(policy -> policy.witnesses().stream().map(w -> w.key().verifierKey())
        .collect(Collectors.joining(" "))).orElse("");
  }

  /** How many of the witnesses must have cosigned (0 without a policy). */
  public int witnessQuorum() {
    return witnesses.map(WitnessPolicy::quorum).orElse(0);
  }

  /** Signs a checkpoint now unless one already covers the entries up to {@code sequence}. */
  public void coverUpTo(long sequence) {
    long covered = checkpointer.latest().map(StoredCheckpoint::treeSize).orElse(0L);
    if (covered < sequence) {
      checkpointer.checkpointNow();
    }
  }

  /** GET …/kontrolpunkt: the newest checkpoint as a signed note. */
  public ConsoleReply checkpoint(ConsoleRequest request) {
    return new ConsoleReply.Data("text/plain; charset=utf-8",
        audit.checkpoint(MultiMap.caseInsensitiveMultiMap(), request.caller()).body());
  }

  /**
   * GET …/kvittering?message=ID: the disclosure's receipt, exactly what the API's
   * /audit/receipt?message=ID serves (and audits as a read), for the officer signed in to the console.
   */
  public ConsoleReply receipt(ConsoleRequest request) {
    return new ConsoleReply.Data("text/plain; charset=utf-8",
        audit.receipt(request.ctx().queryParams(), request.caller()).body());
  }

  /** GET …/stier?size=N&index=I&index=J: the inclusion paths of entries I, J in the tree of size N. */
  public ConsoleReply paths(ConsoleRequest request) {
    MultiMap query = request.ctx().queryParams();
    long size = number(query.get("size"), "size");
    List<String> indices = query.getAll("index");
    if (indices.isEmpty() || indices.size() > MAX_PATHS) {
      throw new Rejected(Rejected.Kind.INVALID, "Angiv mellem 1 og " + MAX_PATHS + " poster (index)");
    }
    ObjectNode body = JSON.createObjectNode().put("treeSize", size);
    ArrayNode paths = body.putArray("proofs");
    for (String index : indices) {
      InclusionProof proof = proofs.inclusion(number(index, "index"), size);
      ArrayNode hashes = paths.addObject().put("index", proof.index()).putArray("hashes");
      proof.hashes().forEach(hash -> hashes.add(Base64.getEncoder().encodeToString(hash)));
    }
    try {
      return new ConsoleReply.Data("application/json", JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
    }
  }

  private static long number(String text, String name) {
    try {
      return Long.parseLong(Objects.requireNonNullElse(text, ""));
    } catch (NumberFormatException e) {
      throw new Rejected(Rejected.Kind.INVALID, "\"" + name + "\" skal være et helt tal");
    }
  }
}
