package dk.brobygger.gateway.auditlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.auditproof.ConsistencyProof;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.search.SearchRequest;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The log's non-FHIR endpoints: the signed checkpoint, inclusion and consistency proofs (JSON,
 * hashes in standard base64), the export (newline-delimited JSON) and the citizen's disclosure report
 * (JSON or Danish HTML). Bad parameters are {@link Rejected}; the HTTP layer maps them.
 *
 * <p>The export and the report show log contents, so each appends an AUDIT_READ entry naming the
 * caller (after the answer is made, so a failed read records nothing). Checkpoints and proofs are
 * hashes only and are not recorded: monitors poll them, and recording every poll would grow the log
 * with nothing a citizen needs to know.
 */
public final class AuditHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";

  private final AuditLog log;
  private final CheckpointStore checkpoints;
  private final Checkpointer checkpointer;
  private final AuditProofs proofs;
  private final AuditExport export;
  private final AuditTiles tiles;
  private final DisclosureReport reports;
  private final Clock clock;
  private final Optional<WitnessSubmitter> witnesses;

  public AuditHttp(AuditLog log, CheckpointStore checkpoints, Checkpointer checkpointer, DisclosureReport reports,
      Clock clock) {
    this(log, checkpoints, checkpointer, reports, clock, Optional.empty());
  }

  /** @param witnesses when a witness policy is configured: whose cosignatures the checkpoint carries */
  public AuditHttp(AuditLog log, CheckpointStore checkpoints, Checkpointer checkpointer, DisclosureReport reports,
      Clock clock, Optional<WitnessSubmitter> witnesses) {
    this.witnesses = Objects.requireNonNull(witnesses, "witnesses");
    this.log = Objects.requireNonNull(log, "log");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.checkpointer = Objects.requireNonNull(checkpointer, "checkpointer");
    this.proofs = new AuditProofs(log, checkpoints);
    this.export = new AuditExport(log, checkpoints);
    this.tiles = new AuditTiles(log, checkpoints);
    this.reports = Objects.requireNonNull(reports, "reports");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code GET /audit/checkpoint[?size=N][&fresh=true][&format=json]}. */
  public RawReply checkpoint(RoutingContext ctx, Caller caller) {
    String accept = Optional.ofNullable(ctx.request().getHeader("Accept")).orElse("");
    boolean json = accept.contains("application/json") && !accept.contains("text/plain");
    MultiMap query = ctx.queryParams();
    if (json && !query.contains("format")) {
      query = MultiMap.caseInsensitiveMultiMap().addAll(query).add("format", "json");
    }
    return checkpoint(query, caller);
  }

  /** {@code GET /audit/key}: the verifier key of the log's checkpoint note key, as a verifier pins it. */
  public RawReply key(RoutingContext ctx, Caller caller) {
    return new RawReply(200, TEXT_TYPE, (checkpointer.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The newest checkpoint; with {@code size}, the checkpoint of exactly that size; with {@code
   * fresh=true}, a checkpoint issued now over every committed entry (on demand). As the C2SP
   * checkpoint (a signed note, text/plain) that tlog clients read; with {@code format=json}, as JSON
   * that also carries the older JWS form.
   */
  public RawReply checkpoint(MultiMap query, Caller caller) {
    String what = "Checkpoint request";
    SearchRequest parameters = SearchRequest.ofEndpoint(what, query, Set.of("size", "fresh", "format"));
    boolean json = parameters.single("format").map(value -> switch (value) {
      case "json" -> true;
      case "note" -> false;
      default -> throw new Rejected(Rejected.Kind.INVALID, what + " rejected: format must be note or json");
    }).orElse(false);
    Optional<Long> size = parameters.wholeNumber("size");
    boolean fresh = parameters.single("fresh").map(value -> switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new Rejected(Rejected.Kind.INVALID, what + " rejected: fresh must be true or false");
    }).orElse(false);
    if (fresh && size.isPresent()) {
      throw new Rejected(Rejected.Kind.INVALID, what + " rejected: give either size or fresh, not both");
    }
    StoredCheckpoint checkpoint;
    if (size.isPresent()) {
      checkpoint = checkpoints.ofSize(size.get()).orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND,
          "no checkpoint covers exactly " + size.get() + " entries (newest sizes: " + checkpoints.sizes(5) + ")"));
    } else if (fresh) {
      checkpoint = checkpointer.checkpointNow();
    } else {
      checkpoint = checkpoints.latest().orElseGet(checkpointer::checkpointNow);
    }
    if (!json) {
      String note = checkpoint.note().orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND,
          what + ": the checkpoint of size " + checkpoint.treeSize()
              + " was issued before checkpoints were signed notes; format=json gives its JWS"));
      String cosigned = witnesses.map(w -> w.cosigned(checkpoint).format()).orElse(note);
      // the newest checkpoint changes as the log grows (tlog-tiles: no caching beyond a few seconds)
      return new RawReply(200, TEXT_TYPE, cosigned.getBytes(StandardCharsets.UTF_8),
          Map.of("Cache-Control", size.isPresent() ? "max-age=31536000, immutable" : "no-cache"));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("origin", checkpointer.origin());
    body.put("treeSize", checkpoint.treeSize());
    body.put("rootHash", base64(checkpoint.rootHash()));
    body.put("issuedAt", checkpoint.issuedAt().toString());
    body.put("keyId", keyId(checkpoint.jws()));
    body.put("jws", checkpoint.jws());
    checkpoint.note().ifPresent(note -> body.put("note", note));
    body.put("noteKey", checkpointer.verifierKey());
    witnesses.filter(w -> checkpoint.note().isPresent()).ifPresent(w -> {
      body.put("cosigned", w.cosigned(checkpoint).format());
      w.waitingForQuorum().ifPresent(waited -> body.put("waitingForWitnessesSeconds", waited.toSeconds()));
    });
    return json(body);
  }

  /**
   * {@code GET /audit/tile/<L>/<N>[.p/<W>]} and {@code GET /audit/tile/entries/<N>[.p/<W>]}: the log as
   * c2sp.org/tlog-tiles, up to the newest checkpoint. Entry bundles show log contents, so each read
   * of one is recorded as an AUDIT_READ entry, like an export.
   */
  public RawReply tile(RoutingContext ctx, Caller caller) {
    String prefix = "/audit/tile/";
    String path = ctx.normalizedPath();
    SearchRequest.ofEndpoint("Tile request", ctx.queryParams(), Set.of());
    dk.brobygger.auditproof.tiles.TilePath tile = AuditTiles.parse(path.startsWith(prefix)
        ? path.substring(prefix.length()) : path);
    RawReply reply = tiles.tile(tile);
    if (tile.entries()) {
      recordRead(caller, Optional.empty(), "entry bundle " + tile.path());
    }
    return reply;
  }

  /**
   * {@code GET /audit/receipt?message=ID}: the receipt of the message's disclosure, a
   * c2sp.org/tlog-proof whose extra data is the disclosure's log entry, with the newest checkpoint
   * covering it that the witness policy's quorum cosigned (without one yet, the newest checkpoint,
   * with the cosignatures it has). Shows an entry, so the read is recorded.
   */
  public RawReply receipt(RoutingContext ctx, Caller caller) {
    return receipt(ctx.queryParams(), caller);
  }

  public RawReply receipt(MultiMap query, Caller caller) {
    String messageId = SearchRequest.ofEndpoint("Receipt request", query, Set.of("message")).required("message");
    dk.brobygger.gateway.auditlog.entries.StoredAuditEntry disclosure = log.forMessage(messageId).stream()
        .filter(stored -> stored.event() instanceof AuditEvent.DisclosureSettled settled
            && settled.settlement() == AuditEvent.Settlement.DELIVERED)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND,
            "Receipt: message " + messageId + " has no delivered disclosure in the audit log"));
    // a checkpoint the witnesses have cosigned if there is one, else the newest (cosignatures follow)
    StoredCheckpoint checkpoint = witnesses.flatMap(w -> w.newestCosignedCovering(disclosure.sequence()))
        .or(() -> checkpoints.latest().filter(newest -> newest.treeSize() >= disclosure.sequence()))
        .orElseGet(checkpointer::checkpointNow);
    String note = checkpoint.note().orElseThrow(() -> new Failed(
        "the newest audit checkpoint is not a signed note; a receipt needs one", null));
    String cosigned = witnesses.map(w -> w.cosigned(checkpoint).format()).orElse(note);
    byte[] proof = DisclosureReceipts.receipt(disclosure, proofs.inclusion(disclosure.sequence() - 1,
        checkpoint.treeSize()), cosigned).getBytes(StandardCharsets.UTF_8);
    recordRead(caller, disclosure.entry().citizen(), "receipt of the disclosure of message " + messageId);
    return new RawReply(200, TEXT_TYPE, proof, Map.of("Content-Disposition",
        "inline; filename=\"" + DisclosureReceipts.fileName(messageId) + "\""));
  }

  /** {@code GET /audit/proof/inclusion?index=I[&size=N]} (size defaults to the newest checkpoint's). */
  public RawReply inclusion(RoutingContext ctx, Caller caller) {
    return inclusion(ctx.queryParams(), caller);
  }

  public RawReply inclusion(MultiMap query, Caller caller) {
    SearchRequest parameters = SearchRequest.ofEndpoint("Inclusion proof", query, Set.of("index", "size"));
    long index = parameters.requiredWholeNumber("index");
    long size = parameters.wholeNumber("size").orElseGet(this::newestSize);
    InclusionProof proof = proofs.inclusion(index, size);
    ObjectNode body = JSON.createObjectNode();
    body.put("index", proof.index());
    body.put("treeSize", proof.treeSize());
    body.put("leafHash", base64(proof.leafHash()));
    body.set("hashes", base64(proof.hashes()));
    body.put("rootHash", base64(proof.rootHash()));
    return json(body);
  }

  /** {@code GET /audit/proof/consistency?from=M[&to=N]} (to defaults to the newest checkpoint's size). */
  public RawReply consistency(RoutingContext ctx, Caller caller) {
    return consistency(ctx.queryParams(), caller);
  }

  public RawReply consistency(MultiMap query, Caller caller) {
    SearchRequest parameters = SearchRequest.ofEndpoint("Consistency proof", query, Set.of("from", "to"));
    long from = parameters.requiredWholeNumber("from");
    long to = parameters.wholeNumber("to").orElseGet(this::newestSize);
    ConsistencyProof proof = proofs.consistency(from, to);
    ObjectNode body = JSON.createObjectNode();
    body.put("from", proof.fromSize());
    body.put("to", proof.toSize());
    body.set("hashes", base64(proof.hashes()));
    return json(body);
  }

  /**
   * {@code GET /audit/export[?from=M][&to=N][&previous=P]}: entries [from, to) with the checkpoint of
   * size {@code to} (default: the newest), and with {@code previous} a consistency proof from that
   * earlier checkpoint size.
   */
  public StreamedReply export(RoutingContext ctx, Caller caller) throws IOException {
    return export(ctx.queryParams(), caller);
  }

  /**
   * Checks the request and that the range is whole in the database, records the read, and returns
   * the export to stream: recorded before the first line goes out, so no entry is shown without
   * its AUDIT_READ (a read that fails its checks records nothing).
   */
  public StreamedReply export(MultiMap query, Caller caller) throws IOException {
    SearchRequest parameters = SearchRequest.ofEndpoint("Export", query, Set.of("from", "to", "previous"));
    AuditExport.Range range = export.range(
        parameters.wholeNumber("from"), parameters.wholeNumber("to"), parameters.wholeNumber("previous"));
    export.requireWhole(range);
    recordRead(caller, Optional.empty(), "exported entries [" + range.from() + ", " + range.to() + ")");
    return new StreamedReply(AuditExport.MEDIA_TYPE, out -> export.write(range, out));
  }

  /**
   * {@code GET /audit/report?patient=system|value[&format=json|html]}: the citizen's disclosure
   * report (default JSON; html is the Danish document to hand to the citizen).
   */
  public RawReply report(RoutingContext ctx, Caller caller) {
    return report(ctx.queryParams(), caller);
  }

  public RawReply report(MultiMap query, Caller caller) {
    String what = "Disclosure report";
    SearchRequest parameters = SearchRequest.ofEndpoint(what, query, Set.of("patient", "format"));
    CitizenIdentifier citizen = CitizenIdentifier.parseToken(parameters.required("patient"))
        .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, what + " rejected: patient must be an identifier token"
            + " system|value, e.g. " + CitizenIdentifier.CPR + "|0101801234"));
    String format = parameters.single("format").orElse("json");
    DisclosureReport.Report report = reports.about(citizen);
    RawReply reply = switch (format) {
      case "json" -> new RawReply(200, JSON_TYPE, reports.json(report).getBytes(StandardCharsets.UTF_8));
      case "html" -> new RawReply(200, "text/html; charset=utf-8", reports.html(report).getBytes(StandardCharsets.UTF_8));
      default -> throw new Rejected(Rejected.Kind.INVALID, what + " rejected: format must be json or html");
    };
    recordRead(caller, Optional.of(citizen), "disclosure report (" + format + ")");
    return reply;
  }

  private void recordRead(Caller caller, Optional<CitizenIdentifier> citizen, String what) {
    log.append(new AuditEvent.AuditRead(clock.instant(), caller.actor(), citizen, List.of(what)));
  }

  private long newestSize() {
    return checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L);
  }

  private static String keyId(String jws) {
    try {
      return JWSObject.parse(jws).getHeader().getKeyID();
    } catch (ParseException e) {
      throw new Failed("a stored audit checkpoint is not a JWS", e);
    }
  }

  private static RawReply json(ObjectNode body) {
    try {
      return new RawReply(200, JSON_TYPE, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
    }
  }

  private static ArrayNode base64(List<byte[]> hashes) {
    ArrayNode array = JSON.createArrayNode();
    hashes.forEach(hash -> array.add(base64(hash)));
    return array;
  }

  private static String base64(byte[] hash) {
    return Base64.getEncoder().encodeToString(hash);
  }
}
