package dk.brobygger.gateway.console;

import dk.brobygger.gateway.config.ConsoleSettings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in with the municipality's OpenID Connect provider: authorization code with PKCE (S256),
 * through vertx-auth-oauth2 (discovery, token request, ID token signature, issuer, audience and
 * expiry checks), and a nonce that the ID token must carry back (checked here: the library does not).
 * The state, the code verifier and the nonce wait in the database session between the two legs, so
 * the answer may come back to another gateway instance. The person's role and team come
 * from the configured claims; a person without a known role or team is refused.
 */
final class OidcSignIn {

  private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);

  static final String START = Console.SIGN_IN + "/oidc";
  static final String CALLBACK = Console.SIGN_IN + "/oidc/svar";

  private final Vertx vertx;
  private final ConsoleSettings.Oidc settings;
  private final String redirectUri;
  private final Console console;
  private final SignIn signIn;
  private final Predicate<String> knownParty;
  private Future<OAuth2Auth> provider;

  /**
   * @param baseUrl the gateway's public base URL (the provider sends the browser back to it)
   * @param knownParty whether a party claim names a party of the directory
   */
  OidcSignIn(Vertx vertx, ConsoleSettings.Oidc settings, String baseUrl, Console console, SignIn signIn,
      Predicate<String> knownParty) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.redirectUri = baseUrl + CALLBACK;
    this.console = Objects.requireNonNull(console, "console");
    this.signIn = Objects.requireNonNull(signIn, "signIn");
    this.knownParty = Objects.requireNonNull(knownParty, "knownParty");
  }

  /** The provider, discovered on first use; a failed discovery is tried again next time. */
  private synchronized Future<OAuth2Auth> provider() {
    if (provider == null || provider.failed()) {
      OAuth2Options options = new OAuth2Options().setSite(settings.issuer()).setClientId(settings.clientId());
      settings.clientSecret().ifPresent(options::setClientSecret);
      provider = OpenIDConnectAuth.discover(vertx, options);
    }
    return provider;
  }

  /** GET /console/log-ind/oidc: to the provider, with a fresh state and PKCE challenge. */
  Handler<RoutingContext> start() {
    return ctx -> {
      String cookie = SignIn.cookie(ctx);
      vertx.executeBlocking(() -> {
        ConsoleSession session = console.sessions().find(cookie).orElseGet(console.sessions()::start);
        return console.sessions().awaitSignIn(session,
            new ConsoleSession.PendingSignIn(ConsoleSessions.randomToken(), ConsoleSessions.randomToken(),
                ConsoleSessions.randomToken()));
      }, false).compose(session -> provider().map(oidc -> {
        ctx.response().addCookie(Console.sessionCookie(session.cookie()));
        ConsoleSession.PendingSignIn pending = session.signIn().orElseThrow();
        return oidc.authorizeURL(new OAuth2AuthorizationURL()
            .setRedirectUri(redirectUri)
            .setScopes(List.of("openid", "profile"))
            .setState(pending.state())
            .setCodeChallenge(challenge(pending.pkceVerifier()))
            .setCodeChallengeMethod("S256"))
            // the ID token must carry it back: a token issued for another sign-in cannot be replayed into this one
            // (added here: the library's additional parameters replace the ones it builds)
            + "&nonce=" + URLEncoder.encode(pending.nonce(), StandardCharsets.UTF_8);
      })).onComplete(done -> {
        if (done.succeeded()) {
          ctx.response().setStatusCode(303).putHeader("Location", done.result()).end();
        } else {
          LOG.warn("console: cannot reach the OpenID Connect provider {}: {}", settings.issuer(), done.cause().toString());
          unavailable(ctx);
        }
      });
    };
  }

  /** GET /console/log-ind/oidc/svar?code&state: the provider's answer. */
  Handler<RoutingContext> callback() {
    return ctx -> {
      String cookie = SignIn.cookie(ctx);
      String address = Console.address(ctx);
      String state = Optional.ofNullable(ctx.request().getParam("state")).orElse("");
      Optional<String> code = Optional.ofNullable(ctx.request().getParam("code"));
      vertx.executeBlocking(() -> console.sessions().find(cookie), false).compose(found -> {
        Optional<ConsoleSession.PendingSignIn> pending = found.flatMap(ConsoleSession::signIn);
        if (pending.isEmpty() || code.isEmpty() || !MessageDigest.isEqual(
            pending.get().state().getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
          return Future.succeededFuture(refused(address, "an answer from the identity provider that no sign-in here waits for"
              + Optional.ofNullable(ctx.request().getParam("error")).map(e -> " (error " + e + ")").orElse("")));
        }
        return provider()
            .compose(oidc -> oidc.authenticate(new Oauth2Credentials()
                .setFlow(OAuth2FlowType.AUTH_CODE)
                .setCode(code.get())
                .setRedirectUri(redirectUri)
                .setCodeVerifier(pending.get().pkceVerifier())))
            .compose(user -> vertx.executeBlocking(() -> {
              if (!nonceHolds(user, pending.get().nonce())) {
                console.sessions().end(found.get());
                return refused(address, "the ID token does not carry the nonce this sign-in sent");
              }
              Optional<ConsolePerson> person = person(user);
              if (person.isEmpty()) {
                console.sessions().end(found.get());
                return refused(address, "the ID token has no console role in claim '" + settings.roleClaim()
                    + "' or no known party in claim '" + settings.partyClaim() + "'");
              }
              signIn.signedIn(ctx, found.get(), person.get());
              LOG.info("console: {} signed in ({})", person.get().subject(), person.get().role().claimValue());
              return (ConsoleReply) new ConsoleReply.Redirect("/console");
            }, false));
      }).onComplete(done -> {
        if (done.succeeded()) {
          Console.write(ctx, done.result());
        } else {
          LOG.warn("console: sign-in with the OpenID Connect provider failed: {}", done.cause().toString());
          Console.write(ctx, refused(address, "the identity provider's answer did not hold: " + done.cause().getMessage()));
        }
      });
    };
  }

  /** OpenID Connect Core 3.1.3.7: the ID token's nonce is the one sent with this sign-in's request. */
  private static boolean nonceHolds(User user, String sent) {
    JsonObject claims = Optional.ofNullable(user.attributes().getJsonObject("idToken")).orElseGet(JsonObject::new);
    String carried = Optional.ofNullable(claims.getValue("nonce")).filter(String.class::isInstance)
        .map(String.class::cast).orElse("");
    return !sent.isEmpty() && MessageDigest.isEqual(carried.getBytes(StandardCharsets.UTF_8),
        sent.getBytes(StandardCharsets.UTF_8));
  }

  /** The person the ID token names, if its role and party claims are usable. */
  private Optional<ConsolePerson> person(User user) {
    JsonObject claims = Optional.ofNullable(user.attributes().getJsonObject("idToken")).orElseGet(JsonObject::new);
    String subject = claims.getString("sub", "");
    Optional<ConsoleRole> role = claimValues(claims.getValue(settings.roleClaim())).stream()
        .map(ConsoleRole::ofClaimValue).flatMap(Optional::stream).findFirst();
    Optional<String> party = claimValues(claims.getValue(settings.partyClaim())).stream().filter(knownParty).findFirst();
    if (subject.isEmpty() || role.isEmpty() || party.isEmpty()) {
      return Optional.empty();
    }
    String name = Optional.ofNullable(claims.getString("name")).filter(n -> !n.isBlank()).orElse(subject);
    return Optional.of(new ConsolePerson(subject, name, role.get(), party.get()));
  }

  private static List<String> claimValues(Object claim) {
    if (claim instanceof String text) {
      return List.of(text);
    }
    if (claim instanceof JsonArray array) {
      return array.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  private ConsoleReply refused(String address, String why) {
    console.audit().refusedSignIn(address, "GET " + CALLBACK, why);
    return console.problem(403, "Log ind mislykkedes",
        "Du kunne ikke logges ind. Prøv igen, eller kontakt den, der giver adgang til konsollen.", Optional.empty());
  }

  private static void unavailable(RoutingContext ctx) {
    ctx.response().setStatusCode(503).putHeader("Retry-After", "30").putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("Kommunens login svarer ikke lige nu. Prøv igen om lidt.");
  }

  /** RFC 7636: BASE64URL(SHA-256(verifier)). */
  static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
