package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.db.Refusal;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.FhirFormats;
import dk.brobygger.fhir.message.OperationOutcomes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where answers and failures become HTTP: status, content type, FHIR headers, and an
 * OperationOutcome for every refusal, the stores' domain outcomes included ({@link DomainOutcomes}). Refusals are audited here (without the request body), so no
 * handler can forget it.
 */
public final class FhirResponses {

  private static final Logger LOG = LoggerFactory.getLogger(FhirResponses.class);
  private static final String RETRY_AFTER_SECONDS = "2";

  private final FhirCodec codec;
  private final RepeatedRefusals refusals;
  private final RefusalBudget budget;
  private final BaseUrl baseUrl;

  /**
   * @param refusals records refusals (repeated ones as a count)
   * @param budget spent by every unauthenticated or unauthorised refusal
   */
  public FhirResponses(FhirCodec codec, RepeatedRefusals refusals, RefusalBudget budget, BaseUrl baseUrl) {
    this.codec = codec;
    this.refusals = refusals;
    this.budget = budget;
    this.baseUrl = baseUrl;
  }

  /** The HTTP status of each kind of refusal. */
  public static int status(Rejected.Kind kind) {
    return switch (kind) {
      case MALFORMED -> 400;
      case INVALID -> 422;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case NOT_ACCEPTABLE -> 406;
      case TOO_LARGE -> 413;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case CONFLICT -> 409;
      case PRECONDITION_FAILED -> 412;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN, CONSENT_DENIED -> 403;
      case TOO_MANY_REQUESTS -> 429;
    };
  }

  /** The format to answer in, from {@code _format} and Accept; JSON when the caller does not say. */
  public static FhirFormat negotiate(RoutingContext ctx) {
    return FhirFormats.negotiate(
        Optional.ofNullable(ctx.request().getParam("_format")),
        Optional.ofNullable(ctx.request().getHeader("Accept")),
        FhirFormat.JSON);
  }

  /** Encodes and sends a successful answer. Runs on a worker thread (encoding costs). */
  public Encoded encode(RoutingContext ctx, FhirReply reply) {
    FhirFormat format = negotiate(ctx);
    return new Encoded(reply.status(), format, codec.encode(reply.resource(), format), reply.location(), reply.versionId());
  }

  /** Turns a failure into an OperationOutcome answer; audits refusals. Runs on a worker thread. */
  public Encoded encodeFailure(RoutingContext ctx, Throwable failure, Caller caller) {
    FhirFormat format;
    try {
      format = negotiate(ctx);
    } catch (Rejected notAcceptable) {
      // the refusal must still be readable: fall back to JSON
      format = FhirFormat.JSON;
    }
    if (failure instanceof Refusal refusal && DomainOutcomes.rejected(refusal).isPresent()) {
      failure = DomainOutcomes.rejected(refusal).get();
    }
    if (failure instanceof Rejected rejected) {
      recordRefusal(ctx, rejected, caller);
      return new Encoded(status(rejected.kind()), format, codec.encode(OperationOutcomes.rejected(rejected), format),
          Optional.empty(), Optional.empty());
    }
    Failed failed =
        failure instanceof Failed f ? f : new Failed("internal error", failure, false);
    LOG.error("{} {} failed: {}", ctx.request().method(), ctx.request().path(), failed.getMessage(), failure);
    return new Encoded(failed.isTransient() ? 503 : 500, format, codec.encode(OperationOutcomes.failed(failed), format),
        Optional.empty(), Optional.empty());
  }

  /** A refusal's OperationOutcome, without recording it (see {@link #recordRefusal}). */
  public Encoded encodeRejected(RoutingContext ctx, Rejected rejected) {
    FhirFormat format;
    try {
      format = negotiate(ctx);
    } catch (Rejected notAcceptable) {
      format = FhirFormat.JSON;
    }
    return new Encoded(status(rejected.kind()), format, codec.encode(OperationOutcomes.rejected(rejected), format),
        Optional.empty(), Optional.empty());
  }

  /** Audits a refusal; one that says who may not in spends the address's refusal budget. Worker thread. */
  public void recordRefusal(RoutingContext ctx, Rejected rejected, Caller caller) {
    if (rejected.kind() == Rejected.Kind.UNAUTHENTICATED || rejected.kind() == Rejected.Kind.FORBIDDEN) {
      budget.spend(caller.address());
    }
    auditRefusal(ctx, rejected, caller);
  }

  private void auditRefusal(RoutingContext ctx, Rejected rejected, Caller caller) {
    if (rejected.kind() == Rejected.Kind.CONSENT_DENIED) {
      return; // the deny decision itself was recorded with its consent basis
    }
    auditRefusal(caller, ctx.request().method() + " " + ctx.request().path(), status(rejected.kind()),
        rejected.diagnostics());
  }

  /** Records a refused request (never its body); the same refusal repeated is counted, not repeated. */
  public void auditRefusal(Caller caller, String request, int status, String why) {
    refusals.record(caller.actor(), request, status, why);
  }

  /** Spends one refusal of the caller's address (an unauthenticated refusal outside the FHIR API). */
  public void spendRefusal(String address) {
    budget.spend(address);
  }

  /** Writes an encoded answer. Runs on the event loop. */
  public void write(RoutingContext ctx, Encoded encoded) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(encoded.status());
    response.putHeader("Content-Type", encoded.format().mimeType() + "; charset=utf-8");
    encoded.location().ifPresent(location -> response.putHeader("Location", baseUrl.fhirBase(ctx) + "/" + location));
    encoded.versionId().ifPresent(version -> response.putHeader("ETag", "W/\"" + version + "\""));
    if (encoded.status() == 503) {
      // every 503 is transient (busy, starting, storage unavailable): say when to come back
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (encoded.status() == 401) {
      response.putHeader("WWW-Authenticate", wwwAuthenticate(ctx.request().getHeader("Authorization") != null));
    }
    response.end(Buffer.buffer(encoded.body()));
  }

  /**
   * The challenge of every 401 (RFC 6750 section 3): with {@code error="invalid_token"} when a
   * token was presented and refused, without an error code when no credentials came at all.
   */
  public static String wwwAuthenticate(boolean credentialsPresented) {
    return credentialsPresented
        ? "Bearer realm=\"brobygger\", error=\"invalid_token\""
        : "Bearer realm=\"brobygger\"";
  }

  /** An answer ready to write. */
  public record Encoded(
      int status, FhirFormat format, byte[] body, Optional<String> location, Optional<String> versionId) {}
}
