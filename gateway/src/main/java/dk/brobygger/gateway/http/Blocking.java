package dk.brobygger.gateway.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Runs a handler's work (parsing, database, encoding) off the event loop, unordered so that one
 * slow request does not queue the others, and answers through {@link FhirResponses}.
 */
public final class Blocking {

  /** The work of one request, on a worker thread. */
  @FunctionalInterface
  public interface Work {
    FhirReply run(RoutingContext ctx, Caller caller) throws Exception;
  }

  private final FhirResponses responses;

  public Blocking(FhirResponses responses) {
    this.responses = responses;
  }

  public io.vertx.core.Handler<RoutingContext> handler(Work work) {
    return ctx -> {
      Caller caller = callerOf(ctx);
      ctx.vertx()
          .executeBlocking(() -> {
            try {
              return responses.encode(ctx, work.run(ctx, caller));
            } catch (Exception e) {
              return responses.encodeFailure(ctx, e, caller);
            }
          }, false)
          .onComplete(done -> {
            if (done.succeeded()) {
              responses.write(ctx, done.result());
            } else {
              ctx.fail(done.cause());
            }
          });
    };
  }

  /** Answers a refusal that is known before any work starts (404, 405, 413). */
  public void refuse(RoutingContext ctx, Throwable failure) {
    Caller caller = callerOf(ctx);
    ctx.vertx()
        .executeBlocking(() -> responses.encodeFailure(ctx, failure, caller), false)
        .onComplete(done -> {
          if (done.succeeded()) {
            responses.write(ctx, done.result());
          } else if (!ctx.response().ended()) {
            ctx.response().setStatusCode(500).end();
          }
        });
  }

  static Caller callerOf(RoutingContext ctx) {
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    return new Caller("unauthenticated", address);
  }
}
