package dk.brobygger.gateway.auth;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x side of authentication, kept thin: the token endpoint, the two well-known documents,
 * and the bearer check in front of the FHIR API. Route order is the router's business
 * ({@code GatewayRoutes}); the token route needs a {@code BodyHandler} with a small limit before it.
 */
public final class AuthHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(AuthHandlers.class);
  private static final String CLIENT_KEY = AuthenticatedClient.class.getName();
  private static final String FORM = "application/x-www-form-urlencoded";

  private AuthHandlers() {}

  /**
   * {@code POST} token endpoint. Runs off the event loop: it writes to the replay store.
   *
   * @param workers where the issuing runs: the gateway's database executor, as every other request's
   *     blocking work (Vert.x's default worker pool is not sized to the connection pool)
   * @param audit records a refused token request (every refusal is audited)
   */
  public static Handler<RoutingContext> token(TokenEndpoint endpoint, WorkerExecutor workers,
      java.util.function.Consumer<AuthenticationRefused> audit) {
    return ctx -> {
      String contentType = Optional.ofNullable(ctx.request().getHeader("Content-Type")).orElse("");
      if (!contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
        answer(ctx, 400, new AuthenticationRefused(AuthenticationRefused.OAuthError.INVALID_REQUEST,
            "the token request must be " + FORM).toJson());
        return;
      }
      Map<String, List<String>> form = form(ctx.request().formAttributes());
      workers
          .executeBlocking(() -> {
            try {
              return endpoint.issue(form).toJson();
            } catch (AuthenticationRefused refused) {
              audit.accept(refused); // on the worker thread: the audit log is a database write
              throw refused;
            }
          }, false)
          .onComplete(done -> {
            if (done.succeeded()) {
              answer(ctx, 200, done.result());
            } else if (done.cause() instanceof AuthenticationRefused refused) {
              answer(ctx, refused.httpStatus(), refused.toJson());
            } else {
              // ours, not the caller's: the cause stays in the log
              LOG.error("token request failed", done.cause());
              boolean retry = done.cause() instanceof Failed failed && failed.isTransient();
              answer(ctx, retry ? 503 : 500, "{\"error\":\"server_error\"}");
            }
          });
    };
  }

  /** A fixed JSON document, e.g. {@link SmartConfiguration#json} or {@link Jwks#publicJson}. */
  public static Handler<RoutingContext> document(String json) {
    return ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(json);
  }

  /**
   * Lets a request through only with a valid {@code Authorization: Bearer} token and leaves the
   * client for {@link #client}. Runs on the event loop: a cached token costs a map lookup, a new
   * one a single signature check (about a quarter of a millisecond with Bouncy Castle).
   *
   * @param refuse answers a refusal the way the API answers every other one (an OperationOutcome)
   */
  public static Handler<RoutingContext> bearer(AccessTokenVerifier verifier, BiConsumer<RoutingContext, Rejected> refuse) {
    return ctx -> {
      String authorization = ctx.request().getHeader("Authorization");
      if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        refuse.accept(ctx, new Rejected(Rejected.Kind.UNAUTHENTICATED,
            "Request rejected: an access token is required (Authorization: Bearer)"));
        return;
      }
      try {
        ctx.put(CLIENT_KEY, verifier.verify(authorization.substring(7).trim()));
      } catch (AuthenticationRefused refused) {
        refuse.accept(ctx, refused.asRejected());
        return;
      }
      ctx.next();
    };
  }

  /** The client {@link #bearer} authenticated for this request, if it ran. */
  public static Optional<AuthenticatedClient> client(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CLIENT_KEY));
  }

  private static Map<String, List<String>> form(MultiMap attributes) {
    Map<String, List<String>> form = new LinkedHashMap<>();
    for (String name : attributes.names()) {
      form.put(name, attributes.getAll(name));
    }
    return form;
  }

  /** Token responses must not be cached anywhere (RFC 6749 section 5.1). */
  private static void answer(RoutingContext ctx, int status, String json) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    if (status == 401) {
      // every 401 carries a challenge (RFC 6750 section 3); here the client's assertion was refused
      response.putHeader("WWW-Authenticate", "Bearer realm=\"brobygger\", error=\"invalid_client\"");
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .end(json);
  }
}
