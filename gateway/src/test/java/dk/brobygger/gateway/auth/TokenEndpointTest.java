package dk.brobygger.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.testing.StorageTest;
import dk.brobygger.gateway.testing.TestClock;
import dk.brobygger.gateway.storage.PostgresStorage;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole token flow on a real PostgreSQL replay store: assertion, token, verified client. */
@StorageTest
class TokenEndpointTest {

  private static final Instant NOW = Instant.parse("2026-03-02T09:15:00Z");
  private static final String ISSUER = "https://gateway.example";
  private static final String FHIR = "https://gateway.example/fhir";

  // one database for the class: every assertion has its own jti, so tests do not meet in it
  private static ReplayDatabase db;

  private final TestClock clock = TestClock.standingAt(NOW);
  private TokenEndpoint endpoint;
  private AccessTokenVerifier tokens;

  @BeforeAll
  static void open(StorageSettings fresh) {
    db = ReplayDatabase.open(fresh);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void wire() {
    ClientAssertionVerifier assertions = new ClientAssertionVerifier(InsecureSampleClients.registry(),
        new JdbcReplayStore(db.dataSource()), ClientAssertions.TOKEN_URL, clock);
    AccessTokens issuer = new AccessTokens(SigningKey.of(SealingSuite.P256.signingKey(InsecureSampleKeys.gatewaySigningKeys())),
        ISSUER, FHIR, Duration.ofMinutes(2), clock);
    endpoint = new TokenEndpoint(assertions, issuer);
    tokens = new AccessTokenVerifier(InsecureSampleKeys.gatewaySigningPublicKeys(), ISSUER, FHIR, clock);
  }

  private static Map<String, List<String>> request(String assertion, String scope) {
    Map<String, List<String>> form = new LinkedHashMap<>();
    form.put("grant_type", List.of("client_credentials"));
    form.put("client_assertion_type", List.of(TokenEndpoint.CLIENT_ASSERTION_TYPE));
    form.put("client_assertion", List.of(assertion));
    form.put("scope", List.of(scope));
    return form;
  }

  private void assertRefused(Map<String, List<String>> form, OAuthError error, String because) {
    assertThatThrownBy(() -> endpoint.issue(form))
        .isInstanceOfSatisfying(AuthenticationRefused.class, refused -> assertThat(refused.error()).isEqualTo(error))
        .hasMessageContaining(because);
  }

  @Test
  void anOutreachTeamGetsATokenForTheScopesItAskedForWithinItsRole() throws Exception {
    TokenResponse response = endpoint.issue(request(ClientAssertions.of(SampleParty.OUTREACH, NOW),
        "system/Consent.rs system/*.c"));

    assertThat(response.tokenType()).isEqualTo("bearer");
    assertThat(response.expiresIn()).isEqualTo(120);
    assertThat(response.scope()).isEqualTo("system/Consent.crs system/MessageHeader.c system/Patient.c");
    Map<String, Object> json = JSONObjectUtils.parse(response.toJson());
    assertThat(json).containsOnlyKeys("access_token", "token_type", "expires_in", "scope")
        .containsEntry("token_type", "bearer").containsEntry("expires_in", 120L);

    AuthenticatedClient client = tokens.verify(response.accessToken());
    assertThat(client.clientId()).isEqualTo("svendborg-gadesygepleje");
    assertThat(client.partyId()).isEqualTo("svendborg-gadesygepleje");
    assertThat(client.role()).isEqualTo(Role.OUTREACH);
    assertThat(client.scopes()).containsExactlyInAnyOrder("system/Consent.crs", "system/MessageHeader.c", "system/Patient.c");
    assertThat(client.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
    assertThat(client.permits("Consent", Interaction.UPDATE)).isFalse();
  }

  @Test
  void aClientAskingForAScopeItsRoleLacksGetsInvalidScope() {
    assertRefused(request(ClientAssertions.of(SampleParty.ADDICTION_CENTRE, NOW), "system/Task.rs system/Consent.rs"),
        OAuthError.INVALID_SCOPE, "system/Consent.rs is not allowed");
  }

  @Test
  void aReplayedAssertionGetsNoSecondToken() {
    String assertion = ClientAssertions.of(SampleParty.GP, NOW);
    endpoint.issue(request(assertion, "system/Task.rs"));

    assertRefused(request(assertion, "system/Task.rs"), OAuthError.INVALID_CLIENT, "used before");
  }

  @Test
  void anotherGrantTypeIsUnsupported() {
    Map<String, List<String>> form = request(ClientAssertions.of(SampleParty.GP, NOW), "system/Task.rs");
    form.put("grant_type", List.of("authorization_code"));

    assertRefused(form, OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type must be client_credentials");
  }

  @Test
  void aMissingGrantTypeIsAnInvalidRequest() {
    Map<String, List<String>> form = request(ClientAssertions.of(SampleParty.GP, NOW), "system/Task.rs");
    form.remove("grant_type");

    assertRefused(form, OAuthError.INVALID_REQUEST, "grant_type is missing");
  }

  @Test
  void aRepeatedParameterIsAnInvalidRequest() {
    Map<String, List<String>> form = request(ClientAssertions.of(SampleParty.GP, NOW), "system/Task.rs");
    form.put("scope", List.of("system/Task.rs", "system/Consent.rs"));

    assertRefused(form, OAuthError.INVALID_REQUEST, "scope must not be repeated");
  }

  @Test
  void anotherKindOfClientAuthenticationIsInvalidClient() {
    Map<String, List<String>> form = request(ClientAssertions.of(SampleParty.GP, NOW), "system/Task.rs");
    form.put("client_assertion_type", List.of("urn:ietf:params:oauth:client-assertion-type:saml2-bearer"));

    assertRefused(form, OAuthError.INVALID_CLIENT, "client_assertion_type must be");
  }

  @Test
  void noClientAssertionIsInvalidClient() {
    Map<String, List<String>> form = request("", "system/Task.rs");

    assertRefused(form, OAuthError.INVALID_CLIENT, "client_assertion is missing");
  }

  @Test
  void aRequestWithoutScopeIsInvalidScope() {
    Map<String, List<String>> form = request(ClientAssertions.of(SampleParty.GP, NOW), "");

    assertRefused(form, OAuthError.INVALID_SCOPE, "scope is required");
  }

  @Test
  void refusalsBecomeOAuthErrorJson() throws Exception {
    AuthenticationRefused refused = new AuthenticationRefused(OAuthError.INVALID_CLIENT, "bad \"quote\"\n");

    assertThat(JSONObjectUtils.parse(refused.toJson()))
        .containsEntry("error", "invalid_client")
        .containsEntry("error_description", "bad ?quote??");
  }
}
