package dk.brobygger.gateway.console;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out. The sign-in page holds an anonymous session, so its form has a CSRF token
 * too (no one can sign a nurse in as someone else from another site); signing in replaces that
 * session with a new one.
 */
final class SignIn {

  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);

  private final Vertx vertx;
  private final Console console;
  private final Optional<InsecureSampleIdentityProvider> samples;
  private final boolean oidc;

  SignIn(Vertx vertx, Console console, Optional<InsecureSampleIdentityProvider> samples, boolean oidc) {
    this.oidc = oidc;
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.console = Objects.requireNonNull(console, "console");
    this.samples = Objects.requireNonNull(samples, "samples");
  }

  /** GET /console/log-ind: the ways to sign in; a signed-in person goes to the start page. */
  Handler<RoutingContext> page() {
    return ctx -> blocking(ctx, () -> {
      Optional<ConsoleSession> found = console.sessions().find(cookie(ctx));
      if (found.flatMap(ConsoleSession::person).isPresent()) {
        return new ConsoleReply.Redirect("/console");
      }
      ConsoleSession session = found.orElseGet(() -> {
        ConsoleSession started = console.sessions().start();
        ctx.response().addCookie(Console.sessionCookie(started.cookie()));
        return started;
      });
      PageFrame frame = new PageFrame("Log ind", Optional.empty(), session.csrfToken(), console.insecureSample());
      List<ConsolePerson> people = samples.map(InsecureSampleIdentityProvider::people).orElse(List.of());
      return ConsoleReply.ok(console.templates().render("signin.jte", Map.of("frame", frame, "samplePeople", people, "oidc", oidc)));
    });
  }

  /** POST /console/log-ind/proeveperson: INSECURE, demo/development only (the route exists only then). */
  Handler<RoutingContext> samplePerson(InsecureSampleIdentityProvider provider) {
    return ctx -> blocking(ctx, () -> {
      String address = Console.address(ctx);
      Optional<ConsoleSession> found = console.sessions().find(cookie(ctx));
      if (found.isEmpty() || !Console.csrfHolds(ctx, found.get())) {
        console.audit().refusedSignIn(address, "POST " + ctx.request().path(),
            "sign-in without the sign-in page's CSRF token");
        return new ConsoleReply.Redirect(Console.SIGN_IN);
      }
      Optional<ConsolePerson> person = Optional.ofNullable(ctx.request().getFormAttribute("subject")).flatMap(provider::person);
      if (person.isEmpty()) {
        return new ConsoleReply.Redirect(Console.SIGN_IN);
      }
      signedIn(ctx, found.get(), person.get());
      LOG.warn("console: {} signed in through the INSECURE sample identity provider", person.get().subject());
      return new ConsoleReply.Redirect("/console");
    });
  }

  /** Ends the old session and starts the signed-in one under a new id. */
  void signedIn(RoutingContext ctx, ConsoleSession session, ConsolePerson person) {
    ConsoleSession signedIn = console.sessions().signIn(session, person);
    ctx.response().addCookie(Console.sessionCookie(signedIn.cookie()));
  }

  /** POST /console/log-ud (through {@link Console#page}, so it needs the CSRF token). */
  ConsolePage signOut() {
    return request -> {
      console.sessions().end(request.session());
      request.ctx().response().addCookie(Console.sessionCookie("").setMaxAge(0));
      return new ConsoleReply.Redirect(Console.SIGN_IN);
    };
  }

  static String cookie(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getCookie(Console.COOKIE)).map(Cookie::getValue).orElse("");
  }

  private void blocking(RoutingContext ctx, java.util.concurrent.Callable<ConsoleReply> work) {
    vertx.executeBlocking(work, false).onComplete(done -> {
      if (done.succeeded()) {
        Console.write(ctx, done.result());
      } else {
        LOG.error("console sign-in failed", done.cause());
        ctx.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("Der skete en fejl hos os. Prøv igen om lidt.");
      }
    });
  }
}
