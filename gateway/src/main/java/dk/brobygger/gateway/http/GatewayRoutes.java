package dk.brobygger.gateway.http;

import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.MessageEvent;
import dk.brobygger.fhir.message.MessageProfiles;
import dk.brobygger.gateway.auditlog.AuditEventResource;
import dk.brobygger.gateway.auditlog.AuditHttp;
import dk.brobygger.gateway.auth.AuthHandlers;
import dk.brobygger.gateway.auth.Interaction;
import dk.brobygger.gateway.auth.TokenEndpoint;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every HTTP route of the gateway, in one list, in the order a request meets them: open documents,
 * the token endpoint, then for the FHIR API receive (size) -> authenticate -> body -> authorise +
 * work. Handlers are tiny: they hand the request to a resource class on a worker thread, and
 * {@link FhirResponses} turns the outcome into HTTP.
 */
public final class GatewayRoutes {

  private static final long TOKEN_REQUEST_LIMIT = 16 * 1024;

  /** Everything a route needs. */
  public record Resources(
      CapabilityResource capability,
      ConsentResource consents,
      MessageResource messages,
      TaskResource tasks,
      CitizenResource citizens,
      AuditEventResource auditEvents,
      AuditHttp audit,
      DeliveryControlResource deliveryControl,
      ConformanceResource conformance) {}

  /** The documents and endpoint of SMART Backend Services. */
  public record TokenService(TokenEndpoint endpoint, String smartConfiguration, String jwks) {}

  private GatewayRoutes() {}

  public static void install(Router router, long maxBodyBytes, Blocking blocking, FhirResponses responses,
      RefusalBudget budget, Authenticate authenticate, TokenService tokens, Resources r) {
    Rejected tooLarge = new Rejected(Rejected.Kind.TOO_LARGE,
        "Request rejected: the body is larger than the limit of " + maxBodyBytes + " bytes");
    Rejected tooMany = new Rejected(Rejected.Kind.TOO_MANY_REQUESTS,
        "Request rejected: too many unauthenticated or unauthorised requests from this address; try again after "
            + "the time in Retry-After");

    // open to anyone
    router.get("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end("{\"status\":\"up\"}"));
    router.get("/.well-known/smart-configuration").handler(AuthHandlers.document(tokens.smartConfiguration()));
    router.get("/.well-known/jwks.json").handler(AuthHandlers.document(tokens.jwks()));
    router.get("/fhir/metadata").handler(blocking.open(r.capability()::read));
    // the published profiles, open like the CapabilityStatement
    router.get("/fhir/StructureDefinition").putMetadata(CapabilityResource.SEARCH_PARAMETERS, ConformanceResource.SEARCH).handler(blocking.open(r.conformance()::searchStructureDefinitions));
    router.get("/fhir/StructureDefinition/:id").handler(blocking.open(r.conformance()::readStructureDefinition));
    router.get("/fhir/MessageDefinition").putMetadata(CapabilityResource.SEARCH_PARAMETERS, ConformanceResource.SEARCH).handler(blocking.open(r.conformance()::searchMessageDefinitions));
    router.get("/fhir/MessageDefinition/:id").handler(blocking.open(r.conformance()::readMessageDefinition));

    // an address that has spent its refusal budget is answered 429 before any work is done for it
    Handler<RoutingContext> refusalBudget = ctx -> {
      long wait = budget.retryAfterSeconds(Blocking.addressOf(ctx));
      if (wait == 0) {
        ctx.next();
        return;
      }
      ctx.response().putHeader("Retry-After", String.valueOf(wait)).putHeader("Connection", "close");
      blocking.refuse(ctx, tooMany);
    };
    router.route("/auth/token").handler(refusalBudget);
    router.route("/fhir/*").handler(refusalBudget);
    router.route("/audit/*").handler(refusalBudget);

    router.post("/auth/token")
        .handler(BodyHandler.create(false).setBodyLimit(TOKEN_REQUEST_LIMIT))
        .handler(ctx -> {
          String address = Blocking.addressOf(ctx);
          AuthHandlers.token(tokens.endpoint(), blocking.workers(), refused -> {
            responses.spendRefusal(address);
            responses.auditRefusal(Caller.anonymous(address), "POST /auth/token", refused.httpStatus(),
                refused.error().code() + ": " + refused.description());
          }).handle(ctx);
        });

    // the FHIR API: receive (a declared oversized body is refused unread) -> authenticate -> body
    router.route("/fhir/*").handler(ctx -> {
      if (declaredLength(ctx) > maxBodyBytes) {
        ctx.response().putHeader("Connection", "close");
        blocking.refuse(ctx, tooLarge);
      } else {
        ctx.next();
      }
    });
    router.route("/fhir/*").handler(authenticate);
    router.route("/audit/*").handler(authenticate);
    // an undeclared (chunked) oversized body is cut off while reading: never buffered whole
    router.route("/fhir/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));

    router.post("/fhir/Consent").putMetadata(CapabilityResource.CONDITIONAL_CREATE, true)
        .putMetadata(CapabilityResource.PROFILE, MessageProfiles.CONSENT).handler(blocking.handler(Permission.of("Consent", Interaction.CREATE), r.consents()::create));
    router.get("/fhir/Consent").putMetadata(CapabilityResource.SEARCH_PARAMETERS, ConsentResource.SEARCH).handler(blocking.handler(Permission.of("Consent", Interaction.SEARCH), r.consents()::search));
    router.get("/fhir/Consent/:id").handler(blocking.handler(Permission.of("Consent", Interaction.READ), r.consents()::read));
    router.put("/fhir/Consent/:id").putMetadata(CapabilityResource.PROFILE, MessageProfiles.CONSENT).handler(blocking.handler(Permission.of("Consent", Interaction.UPDATE), r.consents()::update));
    router.get("/fhir/Consent/:id/_history")
        .handler(blocking.handler(Permission.of("Consent", Interaction.READ), r.consents()::history));
    router.get("/fhir/Consent/:id/_history/:vid")
        .handler(blocking.handler(Permission.of("Consent", Interaction.READ), r.consents()::versionRead));
    router.delete("/fhir/Consent/:id").putMetadata(CapabilityResource.REFUSES, true).handler(blocking.handler(Permission.of("Consent", Interaction.DELETE), (ctx, caller) -> {
      throw new Rejected(Rejected.Kind.METHOD_NOT_ALLOWED,
          "Consents are never deleted; withdraw one by updating its status to inactive");
    }));

    router.post("/fhir/$process-message")
        .putMetadata(CapabilityResource.OPERATION, "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message")
        .handler(blocking.handler(Permission.of("MessageHeader", Interaction.CREATE), r.messages()::process));

    // a vendor tests a message without sending it: same permission as sending one
    router.post("/fhir/Bundle/$validate")
        .putMetadata(CapabilityResource.OPERATION, "http://hl7.org/fhir/OperationDefinition/Resource-validate")
        .putMetadata(CapabilityResource.SUPPORTED_PROFILES,
            java.util.Arrays.stream(MessageEvent.values()).map(MessageProfiles::profileUrl).toList())
        .handler(blocking.handler(Permission.of("MessageHeader", Interaction.CREATE), r.conformance()::validate));

    router.get("/fhir/Task").putMetadata(CapabilityResource.SEARCH_PARAMETERS, TaskResource.SEARCH).handler(blocking.handler(Permission.of("Task", Interaction.SEARCH), r.tasks()::search));
    router.get("/fhir/Task/:id").handler(blocking.handler(Permission.of("Task", Interaction.READ), r.tasks()::read));
    router.put("/fhir/Task/:id").handler(blocking.handler(Permission.of("Task", Interaction.UPDATE), r.tasks()::update));
    // the operator's controls: re-run a failed or cancelled delivery; pause and resume a recipient
    router.post("/fhir/Task/:id/$retry")
        .putMetadata(CapabilityResource.OPERATION, "https://brobygger.dk/fhir/OperationDefinition/Task-retry")
        .handler(blocking.handler(Permission.of("Task", Interaction.UPDATE), r.deliveryControl()::retry));
    router.get("/fhir/Endpoint").putMetadata(CapabilityResource.SEARCH_PARAMETERS, DeliveryControlResource.SEARCH)
        .handler(blocking.handler(Permission.of("Endpoint", Interaction.SEARCH), r.deliveryControl()::search));
    router.get("/fhir/Endpoint/:id")
        .handler(blocking.handler(Permission.of("Endpoint", Interaction.READ), r.deliveryControl()::read));
    router.post("/fhir/Endpoint/:id/$pause")
        .putMetadata(CapabilityResource.OPERATION, "https://brobygger.dk/fhir/OperationDefinition/Endpoint-pause")
        .handler(blocking.handler(Permission.of("Endpoint", Interaction.UPDATE), r.deliveryControl()::pause));
    router.post("/fhir/Endpoint/:id/$resume")
        .putMetadata(CapabilityResource.OPERATION, "https://brobygger.dk/fhir/OperationDefinition/Endpoint-resume")
        .handler(blocking.handler(Permission.of("Endpoint", Interaction.UPDATE), r.deliveryControl()::resume));
    router.get("/fhir/Bundle/:id").handler(blocking.handler(Permission.of("Task", Interaction.READ), r.tasks()::message));

    router.post("/fhir/Patient/$link-identifiers")
        .putMetadata(CapabilityResource.OPERATION, "https://brobygger.dk/fhir/OperationDefinition/Patient-link-identifiers")
        .handler(blocking.handler(Permission.of("Patient", Interaction.CREATE), r.citizens()::link));
    router.get("/fhir/Patient").putMetadata(CapabilityResource.SEARCH_PARAMETERS, CitizenResource.SEARCH).handler(blocking.handler(Permission.of("Patient", Interaction.SEARCH), r.citizens()::search));
    router.get("/fhir/Patient/:id").handler(blocking.handler(Permission.of("Patient", Interaction.READ), r.citizens()::read));

    // the privacy officer's view of the verifiable audit log
    Permission readAudit = Permission.of("AuditEvent", Interaction.READ);
    router.get("/fhir/AuditEvent").putMetadata(CapabilityResource.SEARCH_PARAMETERS, AuditEventResource.SEARCH).handler(blocking.handler(Permission.of("AuditEvent", Interaction.SEARCH), r.auditEvents()::search));
    router.get("/audit/checkpoint").handler(blocking.raw(readAudit, r.audit()::checkpoint));
    router.get("/audit/key").handler(blocking.raw(readAudit, r.audit()::key));
    router.get("/audit/proof/inclusion").handler(blocking.raw(readAudit, r.audit()::inclusion));
    router.get("/audit/proof/consistency").handler(blocking.raw(readAudit, r.audit()::consistency));
    router.get("/audit/export").handler(blocking.streamed(readAudit, r.audit()::export));
    router.get("/audit/report").handler(blocking.raw(readAudit, r.audit()::report));
    router.get("/audit/receipt").handler(blocking.raw(readAudit, r.audit()::receipt));
    router.get("/audit/tile/*").handler(blocking.raw(readAudit, r.audit()::tile));

    // the router ends an error handler's response itself once the handler returns: answer at once
    router.errorHandler(413, ctx -> blocking.refuseNow(ctx, tooLarge));
    router.errorHandler(405, ctx -> blocking.refuseNow(ctx, new Rejected(Rejected.Kind.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not supported on " + ctx.request().path())));
    router.errorHandler(404, ctx -> blocking.refuseNow(ctx, new Rejected(Rejected.Kind.NOT_FOUND,
        "no such resource or operation: " + ctx.request().method() + " " + ctx.request().path())));
  }

  private static long declaredLength(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
