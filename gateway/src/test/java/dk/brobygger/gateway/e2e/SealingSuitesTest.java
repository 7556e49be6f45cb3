package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.X25519Decrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dk.brobygger.delivery.seal.OpenedMessage;
import dk.brobygger.delivery.seal.SampleRecipientOpener;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code keys.algorithm}: the real gateway seals a referral with the configured suite, and the GP,
 * played by WireMock, whose directory entry lists a P-256 and an X25519 key, opens it with its sample
 * keys and the gateway's published signing keys.
 */
@EndToEndTest
class SealingSuitesTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path temp;
  private WireMockServer gp;
  private TestGateway gateway;

  @BeforeEach
  void startTheGp() {
    gp = new WireMockServer(options().dynamicPort());
    gp.start();
    gp.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    gp.stop();
  }

  @ParameterizedTest(name = "keys.algorithm {0}")
  @EnumSource(SealingSuite.class)
  void aReferralIsSealedWithTheConfiguredSuiteAndTheGpOpensItToTheAcceptedBundle(SealingSuite suite) throws Exception {
    gateway = TestGateway.start(temp.resolve("data"), Map.of(SampleParty.GP.id(), "http://localhost:" + gp.port() + "/gp"),
        "--keys.algorithm", suite.optionValue());
    HttpResponse<String> consent = gateway.post("/Consent", "application/fhir+json",
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
    Bundle referral = Fixtures.referralTo(GP_SOR);

    HttpResponse<String> accepted = gateway.post("/$process-message", "application/fhir+json", Fixtures.bytes(referral));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String taskId = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    await("Task/" + taskId + " to be completed").atMost(PATIENCE).until(
        () -> Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + taskId).body()),
        task -> task.getStatus() == Task.TaskStatus.COMPLETED);
    List<LoggedRequest> received = gp.findAll(postRequestedFor(urlEqualTo("/gp")));
    assertThat(received).hasSize(1);
    byte[] body = received.get(0).getBody();

    JWEObject jwe = (JWEObject) JOSEObject.parse(new String(body, StandardCharsets.US_ASCII));
    JWK expectedRecipientKey = new JWKSelector(new JWKMatcher.Builder().curve(suite.encryptionCurve()).build())
        .select(InsecureSampleKeys.encryptionPublicKeys(SampleParty.GP)).get(0);
    assertThat(jwe.getHeader().getKeyID()).isEqualTo(expectedRecipientKey.getKeyID());
    OpenedMessage opened = new SampleRecipientOpener(InsecureSampleKeys.encryptionKeys(SampleParty.GP),
        InsecureSampleKeys.gatewaySigningPublicKeys()).open(body);
    assertThat(opened.encryptionKeyId()).hasValue(expectedRecipientKey.getKeyID());
    FhirCodec codec = new FhirCodec();
    assertThat(opened.payload())
        .isEqualTo(codec.canonicalJson(codec.parse(Fixtures.bytes(referral), FhirFormat.JSON, Bundle.class)));
    // the signature's alg, read with Nimbus alone rather than through our own opener
    JWK decryptionKey = InsecureSampleKeys.encryptionKeys(SampleParty.GP).getKeyByKeyId(expectedRecipientKey.getKeyID());
    jwe.decrypt(decryptionKey instanceof OctetKeyPair okp ? new X25519Decrypter(okp) : new ECDHDecrypter((ECKey) decryptionKey));
    JWSObject jws = JWSObject.parse(jwe.getPayload().toString());
    assertThat(jws.getHeader().getAlgorithm()).isEqualTo(suite.signature());
  }
}
