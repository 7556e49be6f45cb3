package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.fhir.Failed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Issues the gateway's access tokens: JWTs (RFC 9068 shape, {@code typ: at+jwt}) signed with the
 * gateway's signing key, for the FHIR base URL as audience, carrying the granted scopes and the
 * party and role the client acts as, so the FHIR API needs no registry lookup per request.
 */
public final class AccessTokens {

  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
  static final String SCOPE = "scope";
  static final String PARTY = "party";
  static final String ROLE = "role";
  static final String CLIENT_ID = "client_id";

  private final SigningKey signingKey;
  private final String issuer;
  private final String fhirBaseUrl;
  private final Duration lifetime;
  private final Clock clock;

  /**
   * @param signingKey the gateway's access-token key and its signer: ES256 or EdDSA
   * @param issuer the gateway's issuer URL, the {@code iss} of every token
   * @param fhirBaseUrl the FHIR base URL, the {@code aud} of every token
   */
  public AccessTokens(SigningKey signingKey, String issuer, String fhirBaseUrl, Duration lifetime, Clock clock) {
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.fhirBaseUrl = Objects.requireNonNull(fhirBaseUrl, "fhirBaseUrl");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("an access token lives between 1 s and 1 h, not " + lifetime);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param requestedScope the token request's {@code scope} parameter
   * @throws AuthenticationRefused {@code invalid_scope} when it asks for more than the client's role allows
   */
  public IssuedToken issue(RegisteredClient client, String requestedScope) {
    List<SmartScope> granted = client.role().grant(requestedScope);
    // JWT times are whole seconds; keep ours whole too, so exp and expires_in agree
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = issuedAt.plus(lifetime);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(client.clientId())
        .audience(fhirBaseUrl)
        .issueTime(Date.from(issuedAt))
        .expirationTime(Date.from(expiresAt))
        .jwtID(UUID.randomUUID().toString())
        .claim(CLIENT_ID, client.clientId())
        .claim(SCOPE, SmartScope.spell(granted))
        .claim(PARTY, client.partyId())
        .claim(ROLE, client.role().claimValue())
        .build();
    JWSHeader header = new JWSHeader.Builder(signingKey.algorithm())
        .type(ACCESS_TOKEN_TYPE)
        .keyID(signingKey.keyId())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signingKey.signer());
    } catch (JOSEException e) {
      throw new Failed("could not sign an access token", e, false);
    }
    return new IssuedToken(jwt.serialize(), issuedAt, expiresAt, granted);
  }
}
