package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auditlog.RawReply;
import dk.brobygger.gateway.auditlog.StreamedReply;
import dk.brobygger.gateway.operations.Correlation;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** The work of one request whose answer is streamed (an export): checks first, then the body. */
  @FunctionalInterface
  public interface StreamWork {
    StreamedReply run(RoutingContext ctx, Caller caller) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Blocking.class);
  private static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(60);

  private final FhirResponses responses;
  private final WorkerExecutor workers;
  private final Duration stallLimit;

  /**
   * @param workers where requests' work runs: the gateway's executor sized to its database pool, so
   *     that requests queue for a thread rather than hold one while they queue for a connection
   */
  public Blocking(FhirResponses responses, WorkerExecutor workers) {
    this(responses, workers, DEFAULT_STALL_LIMIT);
  }

  /**
   * @param stallLimit how long a streamed answer waits for a client that takes nothing before it
   *     treats it as gone: the stream holds a worker thread and a database connection meanwhile
   */
  public Blocking(FhirResponses responses, WorkerExecutor workers, Duration stallLimit) {
    this.responses = responses;
    this.workers = workers;
    this.stallLimit = stallLimit;
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
      onWorkerThenAnswer(ctx, () -> {
        try {
          authorise(caller, required);
          RawReply reply = work.run(ctx, caller);
          return () -> {
            reply.headers().forEach(ctx.response()::putHeader);
            ctx.response().setStatusCode(reply.status())
                .putHeader("Content-Type", reply.contentType())
                .end(io.vertx.core.buffer.Buffer.buffer(reply.body()));
          };
        } catch (Throwable e) {
          FhirResponses.Encoded failure = responses.encodeFailure(ctx, answerable(e), caller);
          return () -> responses.write(ctx, failure);
        }
      });
    };
  }

  /**
   * A route whose answer is streamed as it is made (an audit export): the checks run first and a
   * refusal is still an OperationOutcome; then the body is written on the same worker thread with
   * the client's back-pressure ({@link ResponseStream}), holding only what is in flight. A body cut
   * off half-way (the client left, the database failed) closes the connection, so that what the
   * client has is visibly incomplete.
   */
  public Handler<RoutingContext> streamed(Permission required, StreamWork work) {
    return ctx -> {
      Caller caller = Authenticate.callerOf(ctx);
      onWorkerThenAnswer(ctx, () -> {
        StreamedReply reply;
        try {
          authorise(caller, required);
          reply = work.run(ctx, caller);
        } catch (Throwable e) {
          FhirResponses.Encoded failure = responses.encodeFailure(ctx, answerable(e), caller);
          return () -> responses.write(ctx, failure);
        }
        ctx.response().setStatusCode(200).setChunked(true).putHeader("Content-Type", reply.contentType());
        ResponseStream out = new ResponseStream(ctx.response(), stallLimit);
        try {
          reply.body().writeTo(out);
          out.close();
        } catch (Exception e) {
          LOG.warn("streamed answer to {} cut off: {}", ctx.request().path(), e.toString());
          out.abort();
        }
        return () -> { };
      });
    };
  }

  /**
   * Runs {@code work} on a worker thread with the request's correlation id, then what it returns
   * (writing the answer) back on the request's context.
   */
  private void onWorkerThenAnswer(RoutingContext ctx, java.util.concurrent.Callable<Runnable> work) {
    workers
        .executeBlocking(Correlation.within(ctx, work), false)
        .onComplete(done -> {
          if (done.succeeded()) {
            done.result().run();
          } else {
            ctx.fail(done.cause());
          }
        });
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
