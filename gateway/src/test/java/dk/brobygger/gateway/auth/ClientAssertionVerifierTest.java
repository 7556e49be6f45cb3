package dk.brobygger.gateway.auth;

import static dk.brobygger.gateway.auth.ClientAssertions.TOKEN_URL;
import static dk.brobygger.gateway.auth.ClientAssertions.claims;
import static dk.brobygger.gateway.auth.ClientAssertions.keyOf;
import static dk.brobygger.gateway.auth.ClientAssertions.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import dk.brobygger.gateway.testing.TestClock;
import dk.brobygger.keys.SampleParty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ClientAssertionVerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-02T09:15:00Z");

  private final TestClock clock = TestClock.standingAt(NOW);
  private final RememberingReplayStore replays = new RememberingReplayStore();
  private final List<RegisteredClient> registered = new ArrayList<>(InsecureSampleClients.all());

  private ClientAssertionVerifier verifier() {
    return new ClientAssertionVerifier(ClientRegistry.of(registered), replays, TOKEN_URL, clock);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String assertion, String because) {
    return assertThatThrownBy(() -> verifier().verify(assertion))
        .isInstanceOfSatisfying(AuthenticationRefused.class, refused -> {
          assertThat(refused.error()).isEqualTo(OAuthError.INVALID_CLIENT);
          assertThat(refused.httpStatus()).isEqualTo(401);
        })
        .hasMessageContaining(because);
  }

  @Test
  void aWellFormedAssertionAuthenticatesTheClientItNames() {
    RegisteredClient client = verifier().verify(ClientAssertions.of(SampleParty.GP, NOW));

    assertThat(client.clientId()).isEqualTo("laegehuset-sydfyn");
    assertThat(client.role()).isEqualTo(Role.RECIPIENT_SYSTEM);
    assertThat(replays.size()).isEqualTo(1);
  }

  @Test
  void aForgedSignatureIsRefused() {
    String genuine = ClientAssertions.of(SampleParty.GP, NOW);
    String[] parts = genuine.split("\\.");
    // same header and claims, but the signature of other claims: the bytes no longer match
    String other = ClientAssertions.of(SampleParty.GP, NOW.plusSeconds(1)).split("\\.")[2];

    assertRefused(parts[0] + "." + parts[1] + "." + other, "signature does not verify");
    assertThat(replays.size()).isZero();
  }

  @Test
  void anAssertionSignedByAnUnregisteredKeyWithTheClientsKidIsRefused() throws Exception {
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(keyOf(SampleParty.GP).getKeyID()).generate();

    assertRefused(signed(impostor, JWSAlgorithm.ES256, claims("laegehuset-sydfyn", NOW).build()),
        "signature does not verify");
  }

  @Test
  void anotherPartysKeyDoesNotAuthenticateAClient() {
    // the outreach team's real key, naming the GP as the client
    JWK outreachKey = keyOf(SampleParty.OUTREACH);

    assertRefused(signed(outreachKey, JWSAlgorithm.ES256, claims("laegehuset-sydfyn", NOW).build()),
        "no key registered for this client has kid " + outreachKey.getKeyID());
  }

  @Test
  void anotherPartysKeyWithoutAKidDoesNotAuthenticateAClientEither() {
    JWSHeader noKid = new JWSHeader.Builder(JWSAlgorithm.ES256).build();

    assertRefused(signed(keyOf(SampleParty.OUTREACH), noKid, claims("laegehuset-sydfyn", NOW).build()),
        "signature does not verify");
  }

  @Test
  void anUnsignedAssertionIsRefused() {
    String none = new PlainJWT(claims("laegehuset-sydfyn", NOW).build()).serialize();

    assertRefused(none, "alg none");
  }

  @Test
  void anAssertionWithAlgNoneButASignatureAttachedIsRefused() {
    String genuine = ClientAssertions.of(SampleParty.GP, NOW);
    String noneHeader = Base64URL.encode("{\"alg\":\"none\"}").toString();

    assertRefused(noneHeader + genuine.substring(genuine.indexOf('.')), "alg none");
  }

  @Test
  void anHmacAssertionIsRefusedWhateverItsKey() {
    String hs256 = Base64URL.encode("{\"alg\":\"HS256\"}").toString();
    String genuine = ClientAssertions.of(SampleParty.GP, NOW);

    assertRefused(hs256 + genuine.substring(genuine.indexOf('.')), "alg HS256 is not accepted");
  }

  @Test
  void anExpiredAssertionIsRefused() {
    String assertion = ClientAssertions.of(SampleParty.GP, NOW);
    clock.advance(Duration.ofMinutes(4).plus(ClientAssertionVerifier.CLOCK_SKEW).plusSeconds(1));

    assertRefused(assertion, "has expired");
  }

  @Test
  void anAssertionJustPastItsExpiryIsStillTakenWithinTheClockSkew() {
    String assertion = ClientAssertions.of(SampleParty.GP, NOW);
    clock.advance(Duration.ofMinutes(4).plusSeconds(30));

    assertThat(verifier().verify(assertion).clientId()).isEqualTo("laegehuset-sydfyn");
  }

  @Test
  void anAssertionThatExpiresMoreThanFiveMinutesAheadIsRefused() {
    JWTClaimsSet tooLong = claims("laegehuset-sydfyn", NOW)
        .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(10))))
        .build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, tooLong), "more than 5 minutes ahead");
  }

  @Test
  void anAssertionWithoutExpIsRefused() {
    JWTClaimsSet noExp = claims("laegehuset-sydfyn", NOW).expirationTime(null).build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, noExp), "has no exp");
  }

  @Test
  void anAssertionIssuedInTheFutureIsRefused() {
    JWTClaimsSet future = claims("laegehuset-sydfyn", NOW).issueTime(Date.from(NOW.plusSeconds(120))).build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, future), "iat is in the future");
  }

  @Test
  void anAssertionNotValidYetIsRefused() {
    JWTClaimsSet later = claims("laegehuset-sydfyn", NOW).notBeforeTime(Date.from(NOW.plusSeconds(120))).build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, later), "not valid yet");
  }

  @Test
  void aReplayedAssertionIsRefusedTheSecondTime() {
    String assertion = ClientAssertions.of(SampleParty.GP, NOW);
    verifier().verify(assertion);

    assertRefused(assertion, "used before");
  }

  @Test
  void anAssertionWithoutJtiIsRefused() {
    JWTClaimsSet noJti = claims("laegehuset-sydfyn", NOW).jwtID(null).build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, noJti), "has no jti");
  }

  @Test
  void anAssertionForAnotherAudienceIsRefused() {
    JWTClaimsSet elsewhere = claims("laegehuset-sydfyn", NOW).audience("https://gateway.example/fhir").build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, elsewhere), "aud must be " + TOKEN_URL);
  }

  @Test
  void anAssertionWhoseSubjectIsNotItsIssuerIsRefused() {
    JWTClaimsSet onBehalf = claims("laegehuset-sydfyn", NOW).subject("svendborg-sygehus").build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, onBehalf), "iss and sub");
  }

  @Test
  void anUnknownClientIsRefused() {
    JWTClaimsSet stranger = claims("apotek-svendborg", NOW).build();

    assertRefused(signed(keyOf(SampleParty.GP), JWSAlgorithm.ES256, stranger), "unknown client");
  }

  @Test
  void somethingThatIsNotAJwtIsRefused() {
    assertRefused("not-a-jwt", "not a JWT");
  }

  @Test
  void clientsMaySignWithEd25519EcdsaP384OrRs384() throws Exception {
    JWK ed25519 = new OctetKeyPairGenerator(Curve.Ed25519).keyID("home-care-ed25519").generate();
    JWK p384 = new ECKeyGenerator(Curve.P_384).keyID("home-care-es384").generate();
    JWK rsa = new RSAKeyGenerator(2048).keyID("home-care-rs384").generate();
    registered.add(new RegisteredClient("den-sociale-hjemmepleje", "den-sociale-hjemmepleje",
        Role.ofPartyKind("home-care"), new JWKSet(List.of(ed25519, p384, rsa))));

    for (var signing : List.of(
        new Object[] {ed25519, JWSAlgorithm.EdDSA},
        new Object[] {ed25519, JWSAlgorithm.Ed25519},
        new Object[] {p384, JWSAlgorithm.ES384},
        new Object[] {rsa, JWSAlgorithm.RS384})) {
      String assertion = signed((JWK) signing[0], (JWSAlgorithm) signing[1], claims("den-sociale-hjemmepleje", NOW).build());

      assertThat(verifier().verify(assertion).role()).as("%s", signing[1]).isEqualTo(Role.RECIPIENT_SYSTEM);
    }
  }

  @Test
  void rs256IsNotAmongTheAcceptedAlgorithms() throws Exception {
    JWK rsa = new RSAKeyGenerator(2048).keyID("rsa-2048").generate();
    registered.add(new RegisteredClient("rsa-client", "rsa-client", Role.RECIPIENT_SYSTEM, new JWKSet(rsa)));

    assertRefused(signed(rsa, JWSAlgorithm.RS256, claims("rsa-client", NOW).build()), "alg RS256 is not accepted");
  }
}
