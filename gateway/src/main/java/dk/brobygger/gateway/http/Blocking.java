package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auditlog.RawReply;
import dk.brobygger.gateway.operations.Correlation;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Runs a handler's work (parsing, database, encoding) off the event loop, unordered so that one
 * slow request does not queue the others, after the authorise stage; answers through
 * {@link FhirResponses}.
 */
public final class Blocking {

  /** The work of one request, on a worker thread. */
  @FunctionalInterface
  public interface Work {
    FhirReply run(RoutingContext ctx, Caller caller) throws Exception;
  }

  /** The work of one request whose answer is not a FHIR resource (proofs, exports, reports). */
  @FunctionalInterface
  public interface RawWork {
    RawReply run(RoutingContext ctx, Caller caller) throws Exception;
  }

  private final FhirResponses responses;
  private final WorkerExecutor workers;

  /**
   * @param workers where requests' work runs: the gateway's executor sized to its database pool, so
   *     that requests queue for a thread rather than hold one while they queue for a connection
   */
  public Blocking(FhirResponses responses, WorkerExecutor workers) {
    this.responses = responses;
    this.workers = workers;
  }

  /** The executor requests' blocking work runs on, for handlers that are not FHIR routes (the token endpoint). */
  WorkerExecutor workers() {
    return workers;
  }

  /** A route that requires an authenticated caller whose scopes grant {@code required}. */
  public Handler<RoutingContext> handler(Permission required, Work work) {
    return run((ctx, caller) -> {
      authorise(caller, required);
      return work.run(ctx, caller);
    });
  }

  /** A non-FHIR route (JSON, NDJSON, HTML); refusals are still OperationOutcomes. */
  public Handler<RoutingContext> raw(Permission required, RawWork work) {
    return ctx -> {
      Caller caller = Authenticate.callerOf(ctx);
      workers
          .executeBlocking(Correlation.within(ctx, () -> {
            try {
              authorise(caller, required);
              RawReply reply = work.run(ctx, caller);
              return (Runnable) () -> {
                reply.headers().forEach(ctx.response()::putHeader);
                ctx.response().setStatusCode(reply.status())
                    .putHeader("Content-Type", reply.contentType())
                    .end(io.vertx.core.buffer.Buffer.buffer(reply.body()));
              };
            } catch (Throwable e) {
              FhirResponses.Encoded failure = responses.encodeFailure(ctx, answerable(e), caller);
              return (Runnable) () -> responses.write(ctx, failure);
            }
          }), false)
          .onComplete(done -> {
            if (done.succeeded()) {
              done.result().run();
            } else {
              ctx.fail(done.cause());
            }
          });
    };
  }

  /** A route open to anyone, e.g. the CapabilityStatement. */
  public Handler<RoutingContext> open(Work work) {
    return run(work);
  }

  private Handler<RoutingContext> run(Work work) {
    return ctx -> {
      Caller caller = Authenticate.callerOf(ctx);
      workers
          .executeBlocking(Correlation.within(ctx, () -> {
            try {
              return responses.encode(ctx, work.run(ctx, caller));
            } catch (Throwable e) {
              return responses.encodeFailure(ctx, answerable(e), caller);
            }
          }), false)
          .onComplete(done -> {
            if (done.succeeded()) {
              responses.write(ctx, done.result());
            } else {
              ctx.fail(done.cause());
            }
          });
    };
  }

  /**
   * Every failure becomes an OperationOutcome, Errors included (a StackOverflowError deep in a
   * library is still one request's failure), except those that say the JVM itself is failing
   * (out of memory, internal error): answering could make it worse, so they go on up.
   */
  private static Throwable answerable(Throwable failure) {
    if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
      throw fatal;
    }
    return failure;
  }

  /** The authorise stage: the caller's granted scopes must cover the route. */
  static void authorise(Caller caller, Permission required) {
    if (!caller.may(required.resourceType(), required.interaction())) {
      throw new Rejected(Rejected.Kind.FORBIDDEN,
          "Request rejected: " + caller.id() + " is not allowed to " + required.interaction().name().toLowerCase(Locale.ROOT)
              + " " + required.resourceType());
    }
  }

  /** Answers a refusal that is known before any work starts (401, 404, 405, 413). */
  public void refuse(RoutingContext ctx, Throwable failure) {
    Caller caller = Authenticate.callerOf(ctx);
    workers
        .executeBlocking(() -> responses.encodeFailure(ctx, failure, caller), false)
        .onComplete(done -> {
          if (done.succeeded()) {
            responses.write(ctx, done.result());
          } else if (!ctx.response().ended()) {
            ctx.response().setStatusCode(500).end();
          }
        });
  }

  /**
   * Answers a refusal on the calling (event-loop) thread, then audits it on a worker: for the
   * router's error handlers, whose response Vert.x ends as plain text if it is still open when the
   * handler returns. A small OperationOutcome is cheap to encode.
   */
  public void refuseNow(RoutingContext ctx, Rejected rejected) {
    Caller caller = Authenticate.callerOf(ctx);
    responses.write(ctx, responses.encodeRejected(ctx, rejected));
    workers.executeBlocking(() -> {
      responses.recordRefusal(ctx, rejected, caller);
      return null;
    }, false);
  }

  static String addressOf(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
