package dk.brobygger.gateway.console;

import dk.brobygger.fhir.Rejected;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's gatekeeper: every page runs through {@link #page}, which finds the session, sends a
 * signed-out browser to sign in, refuses a person whose role the page does not allow (403), refuses
 * a state change without the session's CSRF token (403), audits each refusal, and runs the page on a
 * worker thread. Pages are plain functions of a {@link ConsoleRequest}.
 */
public final class Console {

  private static final Logger LOG = LoggerFactory.getLogger(Console.class);

  public static final String SIGN_IN = "/console/log-ind";
  static final String COOKIE = "brobygger_console";

  private final Vertx vertx;
  private final ConsoleSessions sessions;
  private final ConsoleTemplates templates;
  private final ConsoleAudit audit;
  private final boolean insecureSample;
  private final Clock clock;

  public Console(Vertx vertx, ConsoleSessions sessions, ConsoleTemplates templates, ConsoleAudit audit,
      boolean insecureSample, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.templates = Objects.requireNonNull(templates, "templates");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.insecureSample = insecureSample;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public ConsoleTemplates templates() {
    return templates;
  }

  public ConsoleAudit audit() {
    return audit;
  }

  ConsoleSessions sessions() {
    return sessions;
  }

  boolean insecureSample() {
    return insecureSample;
  }

  /** A page open to the given roles only. */
  public Handler<RoutingContext> page(Set<ConsoleRole> roles, ConsolePage page) {
    Set<ConsoleRole> allowed = Set.copyOf(roles);
    return ctx -> {
      String cookie = Optional.ofNullable(ctx.request().getCookie(COOKIE)).map(Cookie::getValue).orElse("");
      String address = address(ctx);
      vertx.executeBlocking(() -> answer(ctx, cookie, address, allowed, page), false)
          .onComplete(done -> {
            if (done.succeeded()) {
              write(ctx, done.result());
            } else {
              LOG.error("console page {} {} failed", ctx.request().method(), ctx.request().path(), done.cause());
              write(ctx, problem(500, "Der skete en fejl", "Der skete en fejl hos os. Prøv igen om lidt.", Optional.empty()));
            }
          });
    };
  }

  private ConsoleReply answer(RoutingContext ctx, String cookie, String address, Set<ConsoleRole> allowed, ConsolePage page) {
    String request = ctx.request().method() + " " + ctx.request().path();
    Optional<ConsoleSession> found = sessions.find(cookie);
    Optional<ConsolePerson> person = found.flatMap(ConsoleSession::person);
    if (person.isEmpty()) {
      if (!isRead(ctx)) {
        audit.refused("unauthenticated@" + address, request, 401, "not signed in (or the session was idle too long)");
      }
      return new ConsoleReply.Redirect(SIGN_IN);
    }
    ConsoleSession session = found.orElseThrow();
    ConsolePerson who = person.orElseThrow();
    if (!allowed.contains(who.role())) {
      audit.refused(who.actor(address), request, 403, "the role " + who.role().claimValue() + " may not open this page");
      return problem(403, "Ingen adgang", "Din rolle (" + who.role().danish() + ") giver ikke adgang til denne side.",
          Optional.of(session));
    }
    if (!isRead(ctx) && !csrfHolds(ctx, session)) {
      audit.refused(who.actor(address), request, 403, "the CSRF token is missing or wrong");
      return problem(403, "Handlingen blev afvist",
          "Siden var for gammel eller kom ikke fra konsollen. Gå tilbage, genindlæs siden og prøv igen.", Optional.of(session));
    }
    ConsoleRequest consoleRequest = new ConsoleRequest(ctx, session, who, address,
        clock.instant().plus(sessions.idleTimeout()), insecureSample);
    try {
      return page.handle(consoleRequest);
    } catch (Rejected rejected) {
      return problem(status(rejected.kind()), "Det kunne ikke lade sig gøre", rejected.diagnostics(), Optional.of(session));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The session's token, from the form or (htmx) the header, compared in constant time. */
  static boolean csrfHolds(RoutingContext ctx, ConsoleSession session) {
    String sent = Optional.ofNullable(ctx.request().getHeader(ConsoleRequest.CSRF_HEADER))
        .orElseGet(() -> Optional.ofNullable(ctx.request().getFormAttribute(ConsoleRequest.CSRF_FIELD)).orElse(""));
    return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8));
  }

  static boolean isRead(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  ConsoleReply problem(int status, String heading, String message, Optional<ConsoleSession> session) {
    PageFrame frame = new PageFrame(heading, session.flatMap(ConsoleSession::person),
        session.map(ConsoleSession::csrfToken).orElse(""), insecureSample);
    return new ConsoleReply.Html(status, templates.render("problem.jte",
        Map.of("frame", frame, "heading", heading, "message", message)));
  }

  static int status(Rejected.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case FORBIDDEN, CONSENT_DENIED -> 403;
      case TOO_MANY_REQUESTS -> 429;
      case TOO_LARGE -> 413;
      case MALFORMED -> 400;
      default -> 422;
    };
  }

  /** Writes a reply on the event loop. A redirect for htmx is an HX-Redirect, so the whole page moves. */
  static void write(RoutingContext ctx, ConsoleReply reply) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    if (reply instanceof ConsoleReply.Html html) {
      response.setStatusCode(html.status())
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .end(html.body());
    } else if (reply instanceof ConsoleReply.Data data) {
      response.setStatusCode(200).putHeader("Content-Type", data.contentType()).end(Buffer.buffer(data.body()));
    } else if (reply instanceof ConsoleReply.Redirect redirect) {
      if ("true".equals(ctx.request().getHeader("HX-Request"))) {
        response.setStatusCode(200).putHeader("HX-Redirect", redirect.location()).end();
      } else {
        response.setStatusCode(303).putHeader("Location", redirect.location()).end();
      }
    }
  }

  /** The session cookie: only over HTTPS, never to scripts, not on cross-site sub-requests. */
  static Cookie sessionCookie(String value) {
    return Cookie.cookie(COOKIE, value).setPath("/console").setSecure(true).setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX);
  }

  static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
