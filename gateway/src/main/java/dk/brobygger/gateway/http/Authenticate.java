package dk.brobygger.gateway.http;

import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auth.AccessTokenVerifier;
import dk.brobygger.gateway.auth.AuthenticatedClient;
import dk.brobygger.gateway.auth.AuthenticationRefused;
import dk.brobygger.gateway.auth.ClientCertificates;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The authenticate stage, before the body is read: an access token ({@code Authorization: Bearer})
 * or else a client certificate must identify a known system. Runs on the event loop: a token seen
 * before costs a cache lookup, a new one a single signature check.
 */
public final class Authenticate implements Handler<RoutingContext> {

  private static final String CALLER = Caller.class.getName();

  private final AccessTokenVerifier tokens;
  private final ClientCertificates certificates;
  private final Blocking blocking;

  public Authenticate(AccessTokenVerifier tokens, ClientCertificates certificates, Blocking blocking) {
    this.tokens = tokens;
    this.certificates = certificates;
    this.blocking = blocking;
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      ctx.put(CALLER, new Caller(Optional.of(authenticate(ctx)), Blocking.addressOf(ctx)));
      ctx.next();
    } catch (AuthenticationRefused refused) {
      blocking.refuse(ctx, new Rejected(Rejected.Kind.UNAUTHENTICATED, "Request rejected: " + refused.description()));
    } catch (Rejected rejected) {
      blocking.refuse(ctx, rejected);
    }
  }

  private AuthenticatedClient authenticate(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new Rejected(Rejected.Kind.UNAUTHENTICATED, "Request rejected: only Bearer access tokens are accepted");
      }
      return tokens.verify(authorization.substring(7).trim());
    }
    Optional<List<Certificate>> chain = peerCertificates(ctx);
    if (chain.isPresent()) {
      return certificates.identify(chain.get());
    }
    throw new Rejected(Rejected.Kind.UNAUTHENTICATED,
        "Request rejected: an access token (Authorization: Bearer) or a client certificate is required");
  }

  private static Optional<List<Certificate>> peerCertificates(RoutingContext ctx) {
    if (!ctx.request().isSSL()) {
      return Optional.empty();
    }
    try {
      List<Certificate> chain = ctx.request().connection().peerCertificates();
      return chain == null || chain.isEmpty() ? Optional.empty() : Optional.of(chain);
    } catch (SSLPeerUnverifiedException noCertificate) {
      return Optional.empty();
    }
  }

  /** The caller this stage identified; anonymous on routes that do not authenticate. */
  static Caller callerOf(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    return caller != null ? caller : Caller.anonymous(Blocking.addressOf(ctx));
  }
}
