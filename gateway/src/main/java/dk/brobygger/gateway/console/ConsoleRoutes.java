package dk.brobygger.gateway.console;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CSPHandler;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import dk.brobygger.gateway.config.ConsoleSettings;

/**
 * Every route of the console, in one list, mounted at /console in the gateway's router: security
 * headers, files, signing in and out, then the pages of each role.
 */
public final class ConsoleRoutes {

  /** Form posts are small: a consent, a referral's note. */
  private static final long FORM_LIMIT = 64 * 1024;
  static final Set<ConsoleRole> ANYONE = EnumSet.allOf(ConsoleRole.class);
  static final Set<ConsoleRole> NURSE = EnumSet.of(ConsoleRole.NURSE);
  static final Set<ConsoleRole> PRIVACY_OFFICER = EnumSet.of(ConsoleRole.PRIVACY_OFFICER);

  private ConsoleRoutes() {}

  /**
   * @param samples the INSECURE sample identity provider, present only in demo/development mode
   */
  public static void install(Router router, Vertx vertx, Console console, ConsoleAssets assets,
      Optional<InsecureSampleIdentityProvider> samples, Optional<ConsoleSettings.Oidc> oidc, String baseUrl,
      Predicate<String> knownParty, NursePages nursePages) {
    router.route("/console*").handler(securityHeaders());
    router.route("/console*").handler(CSPHandler.create()
        .setDirective("default-src", "'none'")
        .setDirective("script-src", "'self'")
        .setDirective("style-src", "'self'")
        .setDirective("img-src", "'self' data:")
        .setDirective("connect-src", "'self'")
        .setDirective("form-action", "'self'")
        .setDirective("frame-ancestors", "'none'")
        .setDirective("base-uri", "'none'"));
    router.get("/console/assets/:file").handler(assets.handler());
    router.route("/console*").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));

    // an address that failed to sign in too often is answered 429 before anything is done for it (as the API does)
    router.route(Console.SIGN_IN + "*").handler(ctx -> {
      long wait = console.audit().signInRetryAfterSeconds(Console.address(ctx));
      if (wait == 0) {
        ctx.next();
        return;
      }
      ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(wait))
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("For mange mislykkede forsøg på at logge ind herfra. Prøv igen om " + wait + " sekunder.");
    });
    SignIn signIn = new SignIn(vertx, console, samples, oidc.isPresent());
    router.get(Console.SIGN_IN).handler(signIn.page());
    oidc.map(settings -> new OidcSignIn(vertx, settings, baseUrl, console, signIn, knownParty)).ifPresent(provider -> {
      router.get(OidcSignIn.START).handler(provider.start());
      router.get(OidcSignIn.CALLBACK).handler(provider.callback());
    });
    samples.ifPresent(provider -> router.post(Console.SIGN_IN + "/proeveperson").handler(signIn.samplePerson(provider)));
    router.post("/console/log-ud").handler(console.page(ANYONE, signIn.signOut()));

    router.get("/console").handler(console.page(ANYONE, request -> ConsoleReply.ok(
        console.templates().render("home.jte", Map.of("frame", request.frame("Forside"))))));
    router.get("/console/").handler(ctx -> ctx.redirect("/console"));

    // the street nurse's pages
    nursePages.install(router);

    // the privacy officer's pages: console.officer.OfficerPages, installed next to these
  }

  /** Pages are never cached or framed, and their type is never guessed. */
  private static Handler<RoutingContext> securityHeaders() {
    return ctx -> {
      ctx.response()
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer")
          .putHeader("X-Frame-Options", "DENY");
      if (!ctx.request().path().startsWith("/console/assets/")) {
        ctx.response().putHeader("Cache-Control", "no-store");
      }
      ctx.next();
    };
  }
}
