package dk.brobygger.gateway.auth;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Authenticates a client by its client assertion (SMART Backend Services, RFC 7523 section 2.2):
 * a JWT the client signed with a key it registered, naming itself as {@code iss} and {@code sub},
 * addressed to our token URL, short-lived, and used once.
 *
 * <p>The checks run cheapest-and-safest first: shape and algorithm, then the signature, then the
 * claims, and only then the replay store, so unauthenticated junk never reaches the database and
 * claim-level descriptions only ever reach the key's holder. Every refusal is {@code invalid_client}.
 */
public final class ClientAssertionVerifier {

  /** SMART requires servers to take RS384 and ES384; ES256 and Ed25519 are what our parties use. */
  public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.RS384, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
  /** The longest an assertion may live, per SMART: {@code exp} at most five minutes ahead. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  /** How far the client's clock may be off ours, in either direction. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** Bounds what is parsed and stored; a real assertion is well under 2 KB. */
  private static final int MAX_ASSERTION_CHARS = 8 * 1024;
  private static final int MAX_JTI_CHARS = 200;
  private static final String UNSIGNED = "unsigned client assertions (alg none) are not accepted";

  private final ClientRegistry clients;
  private final ReplayStore replays;
  private final String tokenUrl;
  private final Clock clock;
  private final JwsVerifiers verifiers;

  /**
   * @param tokenUrl the token endpoint's URL exactly as clients must put it in {@code aud}
   */
  public ClientAssertionVerifier(ClientRegistry clients, ReplayStore replays, String tokenUrl, Clock clock) {
    this(clients, replays, tokenUrl, clock, JwsVerifiers.bouncyCastle());
  }

  public ClientAssertionVerifier(
      ClientRegistry clients, ReplayStore replays, String tokenUrl, Clock clock, JwsVerifiers verifiers) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.replays = Objects.requireNonNull(replays, "replays");
    this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
  }

  /**
   * @return the client the assertion authenticates
   * @throws AuthenticationRefused {@code invalid_client} when anything about the assertion is wrong
   * @throws dk.brobygger.fhir.Failed when the replay store is unavailable
   */
  public RegisteredClient verify(String assertion) {
    SignedJWT jwt = parse(assertion);
    JWTClaimsSet claims = claimsOf(jwt);
    String clientId = claims.getIssuer();
    require(clientId != null && !clientId.isBlank(), "the client assertion has no iss");
    require(clientId.equals(claims.getSubject()), "the client assertion's iss and sub must both be the client id");
    RegisteredClient client = clients.byClientId(clientId).orElseThrow(() -> refused("unknown client"));

    checkSignature(jwt, client);
    Instant usableUntil = checkTimes(claims);
    require(claims.getAudience().contains(tokenUrl), "the client assertion's aud must be " + tokenUrl);
    String jti = claims.getJWTID();
    require(jti != null && !jti.isBlank(), "the client assertion has no jti");
    require(jti.length() <= MAX_JTI_CHARS, "the client assertion's jti is longer than " + MAX_JTI_CHARS + " characters");
    require(replays.recordFirstUse(clientId, jti, usableUntil), "this client assertion was used before (jti replayed)");
    return client;
  }

  private static SignedJWT parse(String assertion) {
    require(assertion != null && !assertion.isEmpty(), "client_assertion is missing");
    require(assertion.length() <= MAX_ASSERTION_CHARS, "the client assertion is too long");
    JWT jwt;
    try {
      jwt = JWTParser.parse(assertion);
    } catch (ParseException e) {
      require(!declaresAlgNone(assertion), UNSIGNED);
      throw refused("the client assertion is not a JWT");
    }
    require(!(jwt instanceof PlainJWT), UNSIGNED);
    require(jwt instanceof SignedJWT, "the client assertion must be signed, not encrypted");
    SignedJWT signed = (SignedJWT) jwt;
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    require(ALGORITHMS.contains(alg), "alg " + alg + " is not accepted; use ES256, ES384, RS384 or EdDSA");
    return signed;
  }

  /** An unsecured JWT with a signature glued on does not parse; still say why it is refused. */
  private static boolean declaresAlgNone(String assertion) {
    int dot = assertion.indexOf('.');
    try {
      return dot > 0 && Algorithm.NONE.equals(Header.parse(new Base64URL(assertion.substring(0, dot))).getAlgorithm());
    } catch (ParseException e) {
      return false;
    }
  }

  private static JWTClaimsSet claimsOf(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refused("the client assertion's claims are not a valid JWT claims set");
    }
  }

  /** Tries each registered key the header can mean (by kid when given, else by key type). */
  private void checkSignature(SignedJWT jwt, RegisteredClient client) {
    JWSHeader header = jwt.getHeader();
    List<JWK> candidates = new JWKSelector(JWKMatcher.forJWSHeader(header)).select(client.publicKeys());
    require(!candidates.isEmpty(), header.getKeyID() == null
        ? "no key registered for this client fits alg " + header.getAlgorithm()
        : "no key registered for this client has kid " + header.getKeyID() + " and fits alg " + header.getAlgorithm());
    for (JWK key : candidates) {
      try {
        if (jwt.verify(verifiers.create(header, key))) {
          return;
        }
      } catch (JOSEException e) {
        // a key that cannot check this signature (e.g. unknown crit header) does not authenticate it
      }
    }
    throw refused("the client assertion's signature does not verify with the client's registered key");
  }

  /** @return when the assertion stops being acceptable here, which is how long it must be remembered */
  private Instant checkTimes(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Instant exp = instant(claims.getExpirationTime());
    require(exp != null, "the client assertion has no exp");
    require(exp.isAfter(now.minus(CLOCK_SKEW)), "the client assertion has expired");
    require(!exp.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW)),
        "the client assertion's exp is more than " + MAX_LIFETIME.toMinutes() + " minutes ahead");
    Instant iat = instant(claims.getIssueTime());
    require(iat == null || !iat.isAfter(now.plus(CLOCK_SKEW)), "the client assertion's iat is in the future");
    require(iat == null || !iat.isAfter(exp), "the client assertion's iat is after its exp");
    Instant nbf = instant(claims.getNotBeforeTime());
    require(nbf == null || !nbf.isAfter(now.plus(CLOCK_SKEW)), "the client assertion is not valid yet (nbf)");
    return exp.plus(CLOCK_SKEW);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  private static void require(boolean condition, String description) {
    if (!condition) {
      throw refused(description);
    }
  }

  private static AuthenticationRefused refused(String description) {
    return new AuthenticationRefused(OAuthError.INVALID_CLIENT, description);
  }
}
