package dk.brobygger.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import dk.brobygger.gateway.testing.TestClock;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokenVerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-02T09:15:00Z");
  private static final String ISSUER = "https://gateway.example";
  private static final String FHIR = "https://gateway.example/fhir";
  private static final JWK SIGNING_KEY = SealingSuite.P256.signingKey(InsecureSampleKeys.gatewaySigningKeys());

  private final TestClock clock = TestClock.standingAt(NOW);
  private final CountingVerifiers counting = new CountingVerifiers();
  private final AccessTokenVerifier verifier = new AccessTokenVerifier(
      InsecureSampleKeys.gatewaySigningPublicKeys(), ISSUER, FHIR, clock, counting, 100);

  private AccessTokens tokens(JWK key, String issuer, String audience) {
    return new AccessTokens(SigningKey.of(key), issuer, audience, AccessTokens.DEFAULT_LIFETIME, clock);
  }

  private String tokenFor(SampleParty party, String scope) {
    return tokens(SIGNING_KEY, ISSUER, FHIR).issue(InsecureSampleClients.of(party), scope).accessToken();
  }

  private void assertInvalidToken(String token, String because) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(AuthenticationRefused.class, refused -> {
          assertThat(refused.error()).isEqualTo(OAuthError.INVALID_TOKEN);
          assertThat(refused.httpStatus()).isEqualTo(401);
        })
        .hasMessageContaining(because);
  }

  @Test
  void aTokenTheGatewayIssuedNamesItsClientPartyRoleScopesAndExpiry() {
    AuthenticatedClient client = verifier.verify(tokenFor(SampleParty.OUTREACH, "system/Consent.cruds system/Task.rs"));

    assertThat(client).isEqualTo(new AuthenticatedClient("svendborg-gadesygepleje", "svendborg-gadesygepleje",
        Role.OUTREACH, Set.of("system/Consent.cruds", "system/Task.rs"), NOW.plus(Duration.ofMinutes(5))));
  }

  @Test
  void aTokenSignedWithTheGatewaysEd25519KeyIsAcceptedToo() {
    JWK ed25519 = InsecureSampleKeys.gatewaySigningKeys().getKeys().stream()
        .filter(key -> key.getKeyType().getValue().equals("OKP")).findFirst().orElseThrow();
    String token = tokens(ed25519, ISSUER, FHIR).issue(InsecureSampleClients.of(SampleParty.GP), "system/Task.rs")
        .accessToken();

    assertThat(verifier.verify(token).clientId()).isEqualTo("laegehuset-sydfyn");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    String token = tokens(SIGNING_KEY, ISSUER, "https://other-gateway.example/fhir")
        .issue(InsecureSampleClients.of(SampleParty.GP), "system/Task.rs").accessToken();

    assertInvalidToken(token, "another audience");
  }

  @Test
  void aTokenFromAnotherIssuerIsRefusedEvenWhenSignedWithOurKey() {
    String token = tokens(SIGNING_KEY, "https://other-gateway.example", FHIR)
        .issue(InsecureSampleClients.of(SampleParty.GP), "system/Task.rs").accessToken();

    assertInvalidToken(token, "issued by someone else");
  }

  @Test
  void aTokenSignedByAnotherKeyUnderOurKidIsRefused() throws Exception {
    JWK forger = new ECKeyGenerator(Curve.P_256).keyID(SIGNING_KEY.getKeyID()).generate();
    String token = tokens(forger, ISSUER, FHIR).issue(InsecureSampleClients.of(SampleParty.GP), "system/Task.rs")
        .accessToken();

    assertInvalidToken(token, "signature does not verify");
  }

  @Test
  void aTokenSignedByAKeyTheGatewayDoesNotHaveIsRefused() throws Exception {
    JWK stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").generate();
    String token = tokens(stranger, ISSUER, FHIR).issue(InsecureSampleClients.of(SampleParty.GP), "system/Task.rs")
        .accessToken();

    assertInvalidToken(token, "not signed by this gateway");
  }

  @Test
  void aClientsOwnAssertionIsNotAnAccessToken() {
    String assertion = ClientAssertions.signed(ClientAssertions.keyOf(SampleParty.GP), JWSAlgorithm.ES256,
        ClientAssertions.claims("laegehuset-sydfyn", NOW).audience(FHIR).issuer(ISSUER).build());

    assertInvalidToken(assertion, "typ must be at+jwt");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String unsigned = new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).audience(FHIR).subject("x").build())
        .serialize();

    assertInvalidToken(unsigned, "not a signed JWT");
  }

  @Test
  void aTokenWithTamperedClaimsIsRefused() throws Exception {
    String genuine = tokenFor(SampleParty.GP, "system/Task.rs");
    SignedJWT parsed = SignedJWT.parse(genuine);
    JWTClaimsSet widened = new JWTClaimsSet.Builder(parsed.getJWTClaimsSet()).claim("scope", "system/Consent.cruds").build();
    String[] parts = genuine.split("\\.");
    String tampered = parts[0] + "." + Base64URL.encode(widened.toString()) + "." + parts[2];

    assertInvalidToken(tampered, "signature does not verify");
  }

  @Test
  void anExpiredTokenIsRefused() {
    String token = tokenFor(SampleParty.GP, "system/Task.rs");
    clock.advance(Duration.ofMinutes(5).plus(AccessTokenVerifier.CLOCK_SKEW));

    assertInvalidToken(token, "has expired");
  }

  @Test
  void aTokenWithAnUnknownRoleIsRefused() {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(FHIR).subject("x")
        .expirationTime(Date.from(NOW.plusSeconds(60))).claim("party", "x").claim("role", "admin")
        .claim("scope", "system/*.cruds").build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(SIGNING_KEY.getKeyID())
        .type(AccessTokens.ACCESS_TOKEN_TYPE).build();

    assertInvalidToken(ClientAssertions.signed(SIGNING_KEY, header, claims), "no known role");
  }

  @Test
  void aVerifiedTokenIsNotVerifiedAgainOnItsNextUse() {
    String token = tokenFor(SampleParty.HOSPITAL, "system/Task.rs");

    AuthenticatedClient first = verifier.verify(token);
    AuthenticatedClient again = verifier.verify(token);
    AuthenticatedClient andAgain = verifier.verify(token);

    assertThat(again).isEqualTo(first);
    assertThat(andAgain).isEqualTo(first);
    assertThat(counting.checks()).isEqualTo(1);
  }

  @Test
  void aCachedTokenIsRefusedOncePastItsExpiry() {
    String token = tokenFor(SampleParty.HOSPITAL, "system/Task.rs");
    verifier.verify(token);
    clock.advance(Duration.ofMinutes(5).plus(AccessTokenVerifier.CLOCK_SKEW));

    assertInvalidToken(token, "has expired");
    assertInvalidToken(token, "has expired");
    assertThat(counting.checks()).isEqualTo(2);
  }

  @Test
  void aRefusedTokenIsNotCachedAsValid() throws Exception {
    JWK forger = new ECKeyGenerator(Curve.P_256).keyID(SIGNING_KEY.getKeyID()).generate();
    String forged = tokens(forger, ISSUER, FHIR).issue(InsecureSampleClients.of(SampleParty.GP), "system/Task.rs")
        .accessToken();

    assertInvalidToken(forged, "signature does not verify");
    assertInvalidToken(forged, "signature does not verify");
    assertThat(counting.checks()).isEqualTo(2);
  }

  @Test
  void theVerifierHoldsNoPrivateKeyEvenWhenGivenOne() {
    // a deployment that passes the whole signing set must not make the verifier a signer
    AccessTokenVerifier fromPrivateSet = new AccessTokenVerifier(InsecureSampleKeys.gatewaySigningKeys(), ISSUER, FHIR, clock);
    JWKSet publicOnly = InsecureSampleKeys.gatewaySigningKeys().toPublicJWKSet();

    assertThat(publicOnly.getKeys()).noneMatch(JWK::isPrivate);
    assertThat(fromPrivateSet.verify(tokenFor(SampleParty.GP, "system/Task.rs")).role()).isEqualTo(Role.RECIPIENT_SYSTEM);
  }
}
