package dk.brobygger.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the bearer tokens the FHIR API receives: signed by one of the gateway's own keys, issued
 * by this gateway, for this FHIR base URL, not expired. A verified token is remembered until it
 * expires (bounded in number), so a client that sends one token with every request pays for the
 * signature check once; the expiry is still checked on every use.
 */
public final class AccessTokenVerifier {

  /** Only for clocks of gateway instances that share keys; tokens are short-lived anyway. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
  private static final int MAX_TOKEN_CHARS = 8 * 1024;

  private final JWKSet gatewayKeys;
  private final String issuer;
  private final String fhirBaseUrl;
  private final Clock clock;
  private final JwsVerifiers verifiers;
  private final Cache<String, AuthenticatedClient> verified;

  /**
   * @param gatewayPublicKeys the gateway's signing keys (private parts, if any, are dropped)
   * @param issuer the gateway's issuer URL, as {@link AccessTokens} writes it
   * @param fhirBaseUrl the FHIR base URL, the audience tokens must name
   */
  public AccessTokenVerifier(JWKSet gatewayPublicKeys, String issuer, String fhirBaseUrl, Clock clock) {
    this(gatewayPublicKeys, issuer, fhirBaseUrl, clock, JwsVerifiers.bouncyCastle(), DEFAULT_CACHE_SIZE);
  }

  public AccessTokenVerifier(JWKSet gatewayPublicKeys, String issuer, String fhirBaseUrl, Clock clock,
      JwsVerifiers verifiers, int cacheSize) {
    this.gatewayKeys = Objects.requireNonNull(gatewayPublicKeys, "gatewayPublicKeys").toPublicJWKSet();
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.fhirBaseUrl = Objects.requireNonNull(fhirBaseUrl, "fhirBaseUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
    // Caffeine drops an entry at the token's expiry by its own ticker; the injected clock decides validity.
    this.verified = Caffeine.newBuilder()
        .maximumSize(cacheSize)
        .expireAfter(Expiry.creating((String token, AuthenticatedClient client) -> remaining(client)))
        .build();
  }

  /**
   * @throws AuthenticationRefused {@code invalid_token} when the token is not one this gateway
   *     issued for this API, or has expired
   */
  public AuthenticatedClient verify(String accessToken) {
    require(accessToken != null && !accessToken.isEmpty(), "no access token");
    AuthenticatedClient known = verified.getIfPresent(accessToken);
    if (known != null) {
      if (isExpired(known.expiresAt())) {
        verified.invalidate(accessToken);
        throw refused("the access token has expired");
      }
      return known;
    }
    AuthenticatedClient client = verifyAfresh(accessToken);
    verified.put(accessToken, client);
    return client;
  }

  private AuthenticatedClient verifyAfresh(String token) {
    require(token.length() <= MAX_TOKEN_CHARS, "the access token is too long");
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      // alg none and encrypted tokens land here too: neither parses as a JWS
      throw refused("the access token is not a signed JWT");
    }
    JWSHeader header = jwt.getHeader();
    require(ALGORITHMS.contains(header.getAlgorithm()), "the access token's alg is not one this gateway signs with");
    require(AccessTokens.ACCESS_TOKEN_TYPE.equals(header.getType()), "the access token's typ must be at+jwt");
    require(header.getKeyID() != null, "the access token has no kid");
    checkSignature(jwt);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refused("the access token's claims are not a valid JWT claims set");
    }
    return client(claims);
  }

  private void checkSignature(SignedJWT jwt) {
    List<JWK> keys = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())).select(gatewayKeys);
    require(keys.size() == 1, "the access token was not signed by this gateway");
    try {
      require(jwt.verify(verifiers.create(jwt.getHeader(), keys.get(0))), "the access token's signature does not verify");
    } catch (JOSEException e) {
      throw refused("the access token's signature does not verify");
    }
  }

  private AuthenticatedClient client(JWTClaimsSet claims) {
    require(issuer.equals(claims.getIssuer()), "the access token was issued by someone else");
    require(claims.getAudience().contains(fhirBaseUrl), "the access token is for another audience");
    Instant expiresAt = instant(claims.getExpirationTime());
    require(expiresAt != null, "the access token has no exp");
    require(!isExpired(expiresAt), "the access token has expired");
    Instant issuedAt = instant(claims.getIssueTime());
    require(issuedAt == null || !issuedAt.isAfter(clock.instant().plus(CLOCK_SKEW)), "the access token's iat is in the future");
    try {
      String clientId = claims.getSubject();
      String party = claims.getStringClaim(AccessTokens.PARTY);
      Role role = Role.ofClaimValue(claims.getStringClaim(AccessTokens.ROLE))
          .orElseThrow(() -> refused("the access token names no known role"));
      String scope = claims.getStringClaim(AccessTokens.SCOPE);
      require(clientId != null && party != null && scope != null, "the access token lacks sub, party or scope");
      Set<String> scopes = Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
      return new AuthenticatedClient(clientId, party, role, scopes, expiresAt);
    } catch (ParseException e) {
      throw refused("the access token's party, role or scope is not a string");
    }
  }

  private boolean isExpired(Instant expiresAt) {
    return !clock.instant().isBefore(expiresAt.plus(CLOCK_SKEW));
  }

  private Duration remaining(AuthenticatedClient client) {
    Duration left = Duration.between(clock.instant(), client.expiresAt().plus(CLOCK_SKEW));
    return left.isNegative() ? Duration.ZERO : left;
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
    return new AuthenticationRefused(OAuthError.INVALID_TOKEN, description);
  }
}
