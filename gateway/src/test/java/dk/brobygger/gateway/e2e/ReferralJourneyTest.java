package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dk.brobygger.gateway.e2e.Fixtures.ADDICTION_CENTRE_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.HOSPITAL_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.brobygger.delivery.seal.OpenedMessage;
import dk.brobygger.delivery.seal.SampleRecipientOpener;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import dk.brobygger.fhir.message.FhirFormat;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The referral path end to end, through the real gateway on port 0 with WireMock playing the GP,
 * the hospital and the addiction centre.
 */
@EndToEndTest
class ReferralJourneyTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String JSON = "application/fhir+json";

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;

  @BeforeEach
  void startRecipients() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    recipients.stubFor(post(urlEqualTo("/hospital")).willReturn(aResponse().withStatus(200)));
    recipients.stubFor(post(urlEqualTo("/addiction")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    recipients.stop();
  }

  private Map<String, String> endpoints(int port) {
    String base = "http://localhost:" + port;
    return Map.of(
        "laegehuset-sydfyn", base + "/gp",
        "svendborg-sygehus", base + "/hospital",
        "behandlingscenter-svendborg", base + "/addiction");
  }

  private TestGateway startGateway() {
    gateway = TestGateway.start(temp.resolve("data"), endpoints(recipients.port()));
    return gateway;
  }

  private String recordConsent(Consent consent) {
    HttpResponse<String> created = gateway.post("/Consent", JSON, Fixtures.json(consent).getBytes(StandardCharsets.UTF_8));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Fixtures.FHIR.newJsonParser().parseResource(Consent.class, created.body()).getIdElement().getIdPart();
  }

  private void withdraw(String consentId) {
    Consent current = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, gateway.get("/Consent/" + consentId).body());
    current.setStatus(Consent.ConsentState.INACTIVE);
    HttpResponse<String> withdrawn = gateway.put("/Consent/" + consentId, JSON, Fixtures.json(current));
    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
  }

  private HttpResponse<String> send(Bundle referral) {
    return gateway.post("/$process-message", JSON, Fixtures.bytes(referral));
  }

  private static Task task(HttpResponse<String> response) {
    return Fixtures.FHIR.newJsonParser().parseResource(Task.class, response.body());
  }

  private static Task accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Fixtures.taskOf(response);
  }

  private Task awaitTask(String taskId, Task.TaskStatus status) {
    return await("Task/" + taskId + " to be " + status.toCode()).atMost(PATIENCE)
        .until(() -> task(gateway.get("/Task/" + taskId)), t -> t.getStatus() == status);
  }

  private static int attempts(Task task) {
    return ((IntegerType) task.getOutputFirstRep().getValue()).getValue();
  }

  private List<LoggedRequest> received(String path) {
    return recipients.findAll(postRequestedFor(urlEqualTo(path)));
  }

  @Test
  void aConsentedReferralIsDeliveredExactlyOnceSealedForTheGpAndOpensToTheCanonicalAcceptedBundle() {
    startGateway();
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));
    Bundle referral = Fixtures.referralTo(GP_SOR);

    HttpResponse<String> accepted = send(referral);

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    Task created = accepted(accepted);
    assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(location ->
        assertThat(location).endsWith("/fhir/Task/" + created.getIdElement().getIdPart()));
    Task done = awaitTask(created.getIdElement().getIdPart(), Task.TaskStatus.COMPLETED);
    assertThat(attempts(done)).isEqualTo(1);

    FhirCodec codec = new FhirCodec();
    byte[] canonical = codec.canonicalJson(codec.parse(Fixtures.bytes(referral), FhirFormat.JSON, Bundle.class));
    List<LoggedRequest> requests = received("/gp");
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/jose");
    assertThat(requests.get(0).getBodyAsString()).doesNotContain(Fixtures.CPR).doesNotContain("Patient");
    // the GP's system decrypts with its own (sample) key and verifies the gateway's signature
    OpenedMessage opened = new SampleRecipientOpener(
        InsecureSampleKeys.encryptionKeys(SampleParty.GP), InsecureSampleKeys.gatewaySigningPublicKeys())
        .open(requests.get(0).getBody());
    assertThat(opened.wasEncrypted()).isTrue();
    assertThat(opened.encryptionKeyId()).hasValue(
        InsecureSampleKeys.encryptionPublicKeys(SampleParty.GP).getKeys().get(0).getKeyID());
    assertThat(opened.payload()).isEqualTo(canonical);
    assertThat(requests.get(0).getHeader("Idempotency-Key")).isEqualTo(Fixtures.messageId(referral));
    assertThat(received("/hospital")).isEmpty();
    assertThat(received("/addiction")).isEmpty();
  }

  static Stream<Arguments> refusedDisclosures() {
    Instant now = Instant.now();
    return Stream.of(
        Arguments.of("no consent at all", (Consumer<ReferralJourneyTest>) t -> {}),
        Arguments.of("a consent for another recipient", (Consumer<ReferralJourneyTest>) t ->
            t.recordConsent(Fixtures.consentPermitting(organisation(HOSPITAL_SOR)))),
        Arguments.of("an expired consent", (Consumer<ReferralJourneyTest>) t ->
            t.recordConsent(Fixtures.consentPermitting(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                organisation(GP_SOR)))),
        Arguments.of("a withdrawn consent", (Consumer<ReferralJourneyTest>) t ->
            t.withdraw(t.recordConsent(Fixtures.consentPermitting(organisation(GP_SOR))))));
  }

  @ParameterizedTest(name = "with {0} a referral is refused with 403 and nothing reaches the GP")
  @MethodSource("refusedDisclosures")
  void withoutAPermittingConsentAReferralIsRefusedAndNothingIsSent(String situation, Consumer<ReferralJourneyTest> given) {
    startGateway();
    given.accept(this);

    HttpResponse<String> refused = send(Fixtures.referralTo(GP_SOR));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    OperationOutcome outcome = Fixtures.FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body());
    assertThat(outcome.getIssueFirstRep().getDiagnostics())
        .contains("no consent of the citizen permits disclosure to Lægehuset Sydfyn");
    assertThat(gateway.rows("outbox")).isZero();
    assertThat(received("/gp")).isEmpty();
  }

  @Test
  void aConsentWithdrawnWhileTheRecipientIsDownStopsTheWaitingMessage() {
    int port = recipients.port();
    recipients.stop(); // the hospital's system is down: connections are refused
    gateway = TestGateway.start(temp.resolve("data"), endpoints(port));
    String consentId = recordConsent(Fixtures.consentPermitting(organisation(HOSPITAL_SOR)));
    HttpResponse<String> accepted = send(Fixtures.referralTo(HOSPITAL_SOR));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String taskId = accepted(accepted).getIdElement().getIdPart();
    await("a first failed attempt").atMost(PATIENCE).until(() -> task(gateway.get("/Task/" + taskId)),
        t -> attempts(t) >= 1);

    withdraw(consentId);
    recipients = new WireMockServer(options().port(port));
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/hospital")).willReturn(aResponse().withStatus(200)));

    Task cancelled = awaitTask(taskId, Task.TaskStatus.CANCELLED);
    assertThat(cancelled.getStatusReason().getText()).containsIgnoringCase("consent");
    assertThat(received("/hospital")).isEmpty();
  }

  @Test
  void aRecipientThatAnswers503TwiceThen200GetsTheMessageOnceAfterThreeAttempts() {
    recipients.stubFor(post(urlEqualTo("/gp")).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
    recipients.stubFor(post(urlEqualTo("/gp")).inScenario("flaky").whenScenarioStateIs("second")
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    recipients.stubFor(post(urlEqualTo("/gp")).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(200)));
    startGateway();
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));

    HttpResponse<String> accepted = send(Fixtures.referralTo(GP_SOR));

    Task done = awaitTask(accepted(accepted).getIdElement().getIdPart(), Task.TaskStatus.COMPLETED);
    assertThat(attempts(done)).isEqualTo(3);
    assertThat(received("/gp")).hasSize(3);
    assertThat(recipients.getAllScenarios().getScenarios().get(0).getState()).isEqualTo("up");
  }

  @Test
  void aRecipientThatAnswers400IsNotRetriedAndTheTaskFailsWithTheReason() {
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(400).withBody("unknown patient")));
    startGateway();
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));

    HttpResponse<String> accepted = send(Fixtures.referralTo(GP_SOR));

    Task failed = awaitTask(accepted(accepted).getIdElement().getIdPart(), Task.TaskStatus.FAILED);
    assertThat(failed.getStatusReason().getText()).contains("400");
    assertThat(attempts(failed)).isEqualTo(1);
    assertThat(received("/gp")).hasSize(1);
  }

  @Test
  void messagesPendingWhenTheGatewayStopsAreDeliveredAfterItStartsAgainOnTheSameDataDirectory() {
    int port = recipients.port();
    recipients.stop();
    gateway = TestGateway.start(temp.resolve("data"), endpoints(port));
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR), organisation(HOSPITAL_SOR)));
    String toGp = accepted(send(Fixtures.referralTo(GP_SOR))).getIdElement().getIdPart();
    String toHospital = accepted(send(Fixtures.referralTo(HOSPITAL_SOR))).getIdElement().getIdPart();
    gateway.close();
    gateway = null;

    recipients = new WireMockServer(options().port(port));
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    recipients.stubFor(post(urlEqualTo("/hospital")).willReturn(aResponse().withStatus(200)));
    gateway = TestGateway.start(temp.resolve("data"), endpoints(port));

    awaitTask(toGp, Task.TaskStatus.COMPLETED);
    awaitTask(toHospital, Task.TaskStatus.COMPLETED);
    assertThat(received("/gp")).hasSize(1);
    assertThat(received("/hospital")).hasSize(1);
  }

  @Test
  void aConsentThatSaysYesToTheGpAndNothingAboutTheAddictionCentreLetsOnlyTheGpReferralThrough() {
    startGateway();
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));

    HttpResponse<String> toGp = send(Fixtures.referralTo(GP_SOR));
    HttpResponse<String> toAddictionCentre = send(Fixtures.referralTo(ADDICTION_CENTRE_SOR));

    assertThat(toGp.statusCode()).isEqualTo(202);
    assertThat(toAddictionCentre.statusCode()).isEqualTo(403);
    awaitTask(accepted(toGp).getIdElement().getIdPart(), Task.TaskStatus.COMPLETED);
    assertThat(received("/gp")).hasSize(1);
    assertThat(received("/addiction")).isEmpty();
  }
}
