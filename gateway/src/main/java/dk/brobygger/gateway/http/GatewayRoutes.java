package dk.brobygger.gateway.http;

import dk.brobygger.fhir.Rejected;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every HTTP route of the gateway, in one list. Handlers are tiny: they hand the request to a
 * resource class on a worker thread, and {@link FhirResponses} turns the outcome into HTTP.
 */
public final class GatewayRoutes {

  /** Everything a route needs. */
  public record Resources(
      CapabilityResource capability, ConsentResource consents, MessageResource messages, TaskResource tasks) {}

  private GatewayRoutes() {}

  public static Router create(Vertx vertx, long maxBodyBytes, Blocking blocking, Resources r) {
    Router router = Router.router(vertx);
    Rejected tooLarge = new Rejected(Rejected.Kind.TOO_LARGE,
        "Request rejected: the body is larger than the limit of " + maxBodyBytes + " bytes");
    // a declared oversized body is refused before reading it; an undeclared (chunked) one is cut off
    // by the body handler's limit while reading. Either way it is never buffered whole.
    router.route("/fhir/*").handler(ctx -> {
      if (declaredLength(ctx) > maxBodyBytes) {
        ctx.response().putHeader("Connection", "close");
        blocking.refuse(ctx, tooLarge);
      } else {
        ctx.next();
      }
    });
    router.route("/fhir/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));

    router.get("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end("{\"status\":\"up\"}"));

    router.get("/fhir/metadata").handler(blocking.handler(r.capability()::read));

    router.post("/fhir/Consent").handler(blocking.handler(r.consents()::create));
    router.get("/fhir/Consent").handler(blocking.handler(r.consents()::search));
    router.get("/fhir/Consent/:id").handler(blocking.handler(r.consents()::read));
    router.put("/fhir/Consent/:id").handler(blocking.handler(r.consents()::update));
    router.get("/fhir/Consent/:id/_history").handler(blocking.handler(r.consents()::history));
    router.get("/fhir/Consent/:id/_history/:vid").handler(blocking.handler(r.consents()::versionRead));
    router.delete("/fhir/Consent/:id").handler(ctx -> blocking.refuse(ctx, new Rejected(Rejected.Kind.METHOD_NOT_ALLOWED,
        "Consents are never deleted; withdraw one by updating its status to inactive")));

    router.post("/fhir/$process-message").handler(blocking.handler(r.messages()::process));

    router.get("/fhir/Task/:id").handler(blocking.handler(r.tasks()::read));

    router.errorHandler(413, ctx -> blocking.refuse(ctx, tooLarge));
    router.errorHandler(405, ctx -> blocking.refuse(ctx, new Rejected(Rejected.Kind.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not supported on " + ctx.request().path())));
    router.errorHandler(404, ctx -> blocking.refuse(ctx, new Rejected(Rejected.Kind.NOT_FOUND,
        "no such resource or operation: " + ctx.request().method() + " " + ctx.request().path())));
    return router;
  }

  private static long declaredLength(io.vertx.ext.web.RoutingContext ctx) {
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
