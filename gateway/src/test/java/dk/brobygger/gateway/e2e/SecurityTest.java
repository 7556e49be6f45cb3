package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.gateway.Gateway;
import dk.brobygger.gateway.auth.AccessTokens;
import dk.brobygger.gateway.auth.RegisteredClient;
import dk.brobygger.gateway.auth.Role;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.gateway.config.GatewayConfig;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.InsecureSampleTrustSet;
import dk.brobygger.keys.Pem;
import dk.brobygger.keys.SampleParty;
import dk.brobygger.keys.TrustSetLayout;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Only known systems get in, each only as far as its role allows, and every refusal is audited:
 * through the real gateway over HTTPS, with the sample parties' keys and certificates.
 */
@EndToEndTest
class SecurityTest {

  private static final String JSON = "application/fhir+json";

  @TempDir Path temp;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(temp.resolve("data"), Map.of());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static ECKey clientKey(SampleParty party) {
    return (ECKey) InsecureSampleKeys.clientAuthKeys(party).getKeys().stream()
        .filter(k -> k instanceof ECKey && k.isPrivate()).findFirst().orElseThrow();
  }

  static Stream<Arguments> refusedAssertions() {
    return Stream.of(
        Arguments.of("a forged signature", (Function<String, String>) url -> {
          String genuine = SampleClients.assertion(SampleParty.GP, url, Duration.ofMinutes(4));
          String[] parts = genuine.split("\\.");
          byte[] signature = Base64URL.from(parts[2]).decode();
          signature[5] ^= 0x01;
          return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature);
        }),
        Arguments.of("a key not registered for that client", (Function<String, String>) url ->
            SampleClients.assertion(SampleParty.GP.id(), clientKey(SampleParty.HOSPITAL), url, Duration.ofMinutes(4),
                JWSAlgorithm.ES256)),
        Arguments.of("alg none", (Function<String, String>) url -> new PlainJWT(new JWTClaimsSet.Builder()
            .issuer(SampleParty.GP.id()).subject(SampleParty.GP.id()).audience(url)
            .expirationTime(Date.from(Instant.now().plusSeconds(120))).jwtID(UUID.randomUUID().toString())
            .build()).serialize()),
        Arguments.of("an expired assertion", (Function<String, String>) url ->
            SampleClients.assertion(SampleParty.GP, url, Duration.ofMinutes(-5))),
        Arguments.of("an assertion valid for more than five minutes", (Function<String, String>) url ->
            SampleClients.assertion(SampleParty.GP, url, Duration.ofMinutes(30))),
        Arguments.of("an assertion for another token endpoint", (Function<String, String>) url ->
            SampleClients.assertion(SampleParty.GP, "https://other.example/auth/token", Duration.ofMinutes(4))));
  }

  @ParameterizedTest(name = "{0} gets no token, and the refusal is audited")
  @MethodSource("refusedAssertions")
  void aBadClientAssertionGetsNoToken(String situation, Function<String, String> assertion) {
    long audited = gateway.rows("audit_log");

    HttpResponse<String> refused = gateway.requestToken(
        TestGateway.tokenForm(assertion.apply(gateway.tokenUrl()), "system/MessageHeader.c"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    assertThat(refused.body()).contains("\"error\":\"invalid_client\"").doesNotContain("access_token");
    assertThat(gateway.rows("audit_log")).isEqualTo(audited + 1);
  }

  @Test
  void aReplayedAssertionIsRefusedAlsoAfterARestart() {
    // a fixed public URL keeps the token URL (the assertion's audience) the same across restarts
    String publicUrl = "https://brobygger.test";
    gateway.close();
    gateway = TestGateway.start(temp.resolve("replay"), Map.of(), "--http.public-base-url", publicUrl);
    String form = TestGateway.tokenForm(
        SampleClients.assertion(SampleParty.GP, publicUrl + "/auth/token", Duration.ofMinutes(4)), "system/MessageHeader.c");
    assertThat(gateway.requestToken(form).statusCode()).isEqualTo(200);

    HttpResponse<String> replayed = gateway.requestToken(form);
    gateway.close();
    gateway = TestGateway.start(temp.resolve("replay"), Map.of(), "--http.public-base-url", publicUrl);
    HttpResponse<String> replayedAfterRestart = gateway.requestToken(form);

    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.body()).contains("used before (jti replayed)");
    assertThat(replayedAfterRestart.statusCode()).as(replayedAfterRestart.body()).isEqualTo(401);
    assertThat(replayedAfterRestart.body()).contains("used before (jti replayed)");
  }

  private String tokenFrom(String issuer, String audience) {
    AccessTokens minted = new AccessTokens(
        SigningKey.of(SealingSuite.P256.signingKey(InsecureSampleKeys.gatewaySigningKeys())), issuer,
        audience, Duration.ofMinutes(5), Clock.systemUTC());
    return minted.issue(new RegisteredClient(SampleParty.OUTREACH.id(), SampleParty.OUTREACH.id(), Role.OUTREACH,
        InsecureSampleKeys.clientAuthPublicKeys(SampleParty.OUTREACH)), "system/Consent.rs").accessToken();
  }

  private HttpResponse<String> searchConsentsWith(String token) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.fhir() + "/Consent"))
        .header("Authorization", "Bearer " + token).GET());
  }

  @Test
  void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefusedWith401() {
    String base = gateway.fhir().replace("/fhir", "");
    String genuine = tokenFrom(base, base + "/fhir");
    String otherAudience = tokenFrom(base, "https://other-gateway.example/fhir");
    String otherIssuer = tokenFrom("https://other-gateway.example", base + "/fhir");

    assertThat(searchConsentsWith(genuine).statusCode()).as("the same token, rightly minted").isEqualTo(200);
    HttpResponse<String> wrongAudience = searchConsentsWith(otherAudience);
    HttpResponse<String> wrongIssuer = searchConsentsWith(otherIssuer);

    assertThat(wrongAudience.statusCode()).isEqualTo(401);
    assertThat(wrongAudience.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(wrongIssuer.statusCode()).isEqualTo(401);
  }

  @Test
  void aRequestWithoutCredentialsIsRefusedWith401AndAnOperationOutcomeAndAudited() {
    long audited = gateway.rows("audit_log");

    HttpResponse<String> refused = gateway.anonymous().get("/Consent");

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(Fixtures.FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body())
        .getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
    assertThat(gateway.rows("audit_log")).isEqualTo(audited + 1);
  }

  @Test
  void theCapabilityStatementAndTheWellKnownDocumentsStayOpen() {
    assertThat(gateway.anonymous().get("/metadata").statusCode()).isEqualTo(200);
    HttpResponse<String> smart = gateway.anonymous().getAt("/.well-known/smart-configuration");
    assertThat(smart.statusCode()).isEqualTo(200);
    assertThat(smart.body()).contains(gateway.tokenUrl()).contains("private_key_jwt");
    HttpResponse<String> jwks = gateway.anonymous().getAt("/.well-known/jwks.json");
    assertThat(jwks.statusCode()).isEqualTo(200);
    assertThat(jwks.body()).contains("\"kty\"").doesNotContain("\"d\"");
  }

  @Test
  void aGpSystemMayNotReadConsents() {
    String id = Fixtures.FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.Consent.class, gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8)).body())
        .getIdElement().getIdPart();
    long audited = gateway.rows("audit_log");

    HttpResponse<String> refused = gateway.as(SampleParty.GP).get("/Consent/" + id);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).doesNotContain(Fixtures.CPR);
    assertThat(gateway.rows("audit_log")).isEqualTo(audited + 1);
  }

  @Test
  void thePrivacyOfficerMayReadConsentsButNotSendMessages() {
    gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8));
    TestGateway officer = gateway.as(SampleParty.PRIVACY_OFFICER);

    HttpResponse<String> read = officer.get("/Consent");
    HttpResponse<String> send = officer.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(send.statusCode()).isEqualTo(403);
    assertThat(gateway.rows("outbox")).isZero();
  }

  @Test
  void aClientCertificateFromTheConfiguredCaIdentifiesTheOutreachTeam() {
    HttpResponse<String> read = gateway.getWithCertificate(SampleClients.tls(SampleParty.OUTREACH), "/Consent");

    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    Path foreign = temp.resolve("foreign-trust-set");
    InsecureSampleTrustSet.generate(foreign);
    X509Certificate foreignCertificate = Pem.readCertificates(
        Files.newInputStream(foreign.resolve(TrustSetLayout.clientCertificate(SampleParty.OUTREACH.id())))).get(0);
    var foreignKey = Pem.readPrivateKey(Files.newInputStream(foreign.resolve(TrustSetLayout.clientPrivateKey(SampleParty.OUTREACH.id()))));
    long audited = gateway.rows("audit_log");

    HttpResponse<String> refused = gateway.getWithCertificate(
        SampleClients.tls(InsecureSampleKeys.caCertificate(), new X509Certificate[] {foreignCertificate}, foreignKey),
        "/Consent");

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("does not chain");
    assertThat(gateway.rows("audit_log")).isEqualTo(audited + 1);
  }

  @Test
  void theGatewayRefusesTheSampleKeysOutsideDemoOrDevelopmentMode() throws Exception {
    gateway.close();
    gateway = null;
    Path directory = Files.writeString(temp.resolve("keyless-directory.json"), """
        {"recipients": [{"id": "laegehuset-sydfyn", "name": "Lægehuset Sydfyn", "kind": "gp",
          "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "123451000016008"}]}]}
        """);

    assertThatThrownBy(() -> Gateway.start(GatewayConfig.load(List.of("--http.port", "0",
            "--data.dir", temp.resolve("production").toString(), "--directory.file", directory.toString()), Map.of())))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("INSECURE sample keys")
        .hasMessageContaining("keys generate");
  }

  @Test
  void aKeySetThatTrustsTheSampleClientCaIsRefusedOutsideDemoOrDevelopmentMode() throws Exception {
    gateway.close();
    gateway = null;
    Path keys = temp.resolve("keys");
    InsecureSampleTrustSet.generate(keys);
    try (var sampleCa = InsecureSampleKeys.open(TrustSetLayout.CA_CERTIFICATE)) {
      Files.write(keys.resolve(TrustSetLayout.CA_CERTIFICATE), sampleCa.readAllBytes());
    }
    Path directory = Files.writeString(temp.resolve("keyless-directory.json"), """
        {"recipients": [{"id": "svendborg-gadesygepleje", "name": "Gadesygeplejen Svendborg", "kind": "outreach",
          "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "325421000016001"}]}]}
        """);

    // the sample client certificates (private keys published) would chain to it
    assertThatThrownBy(() -> Gateway.start(GatewayConfig.load(List.of("--http.port", "0",
            "--data.dir", temp.resolve("production").toString(), "--keys.dir", keys.toString(),
            "--directory.file", directory.toString()), Map.of())))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("INSECURE sample keys");
  }

  @Test
  void aFreshKeySetAloneDoesNotStartTheGatewayOnTheBuiltInSampleDirectory() {
    gateway.close();
    gateway = null;
    Path keys = temp.resolve("keys");
    InsecureSampleTrustSet.generate(keys);

    // the sample directory trusts client keys whose private halves are published in keys-sample
    assertThatThrownBy(() -> GatewayConfig.load(List.of("--http.port", "0",
            "--data.dir", temp.resolve("production").toString(), "--keys.dir", keys.toString()), Map.of()))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("option directory.file (BROBYGGER_DIRECTORY_FILE) is required");
  }

  @Test
  void aDirectoryThatTrustsAnInsecureSampleKeyIsRefusedOutsideDemoOrDevelopmentNamingTheEntry() {
    gateway.close();
    gateway = null;
    Path keys = temp.resolve("keys");
    InsecureSampleTrustSet.generate(keys);
    Path directory = temp.resolve("directory.json");
    TestGateway.writeDirectory(directory, Map.of()); // every party with its sample keys

    assertThatThrownBy(() -> Gateway.start(GatewayConfig.load(List.of("--http.port", "0",
            "--data.dir", temp.resolve("production").toString(), "--keys.dir", keys.toString(),
            "--directory.file", directory.toString()), Map.of())))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("entry 'svendborg-gadesygepleje'")
        .hasMessageContaining("INSECURE sample key");
  }

  @Test
  void aFreshKeySetWithADirectoryOfThePartiesOwnKeysStartsOutsideDevelopmentMode() throws Exception {
    gateway.close();
    gateway = null;
    Path keys = temp.resolve("keys");
    InsecureSampleTrustSet.generate(keys);
    String ownKey = Files.readString(keys.resolve(TrustSetLayout.clientAuthPublicJwks(SampleParty.OUTREACH.id())));
    Path directory = Files.writeString(temp.resolve("directory.json"), """
        {"recipients": [{"id": "svendborg-gadesygepleje", "name": "Gadesygeplejen Svendborg", "kind": "outreach",
          "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "325421000016001"}],
          "clientKeys": %s}]}
        """.formatted(ownKey));

    try (Gateway production = Gateway.start(GatewayConfig.load(List.of("--http.port", "0",
        "--data.dir", temp.resolve("production").toString(), "--keys.dir", keys.toString(),
        "--directory.file", directory.toString()), Map.of()))) {
      assertThat(production.baseUrl()).startsWith("https://");
    }
  }
}
