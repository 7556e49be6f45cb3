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
import dk.brobygger.delivery.seal.SampleRecipientOpener;
import dk.brobygger.fhir.Code;
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
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Yes to my GP, not about my drinking": a consent that permits the GP but denies substance-use
 * data. The referral still goes, without the alcohol-dependence diagnosis and every reference to
 * it; a referral that is itself about the drinking is refused at the door.
 */
@EndToEndTest
class MinimisationTest {

  private static final String JSON = "application/fhir+json";
  private static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";
  private static final String DRINKING = "urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    gateway = TestGateway.start(temp.resolve("data"), Map.of("laegehuset-sydfyn", "http://localhost:" + recipients.port() + "/gp"));
    Consent yesToTheGpButNotAboutDrinking = Fixtures.consentPermitting(organisation(GP_SOR));
    yesToTheGpButNotAboutDrinking.getProvision().addProvision()
        .setType(Consent.ConsentProvisionType.DENY)
        .addSecurityLabel(new Coding(Code.ACT_CODE, "SUD", "substance use disorder information sensitivity"));
    HttpResponse<String> recorded = gateway.post("/Consent", JSON,
        Fixtures.json(yesToTheGpButNotAboutDrinking).getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
  }

  private static ServiceRequest serviceRequest(Bundle referral) {
    return referral.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast).findFirst().orElseThrow();
  }

  private static String patientUrl(Bundle referral) {
    return referral.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
        .map(Bundle.BundleEntryComponent::getFullUrl).findFirst().orElseThrow();
  }

  /** The sample referral with an alcohol dependence diagnosis (ICD-10 F10.2) among its reasons. */
  private static Bundle referralMentioningDrinking() {
    Bundle referral = Fixtures.referralTo(GP_SOR);
    Condition drinking = new Condition();
    drinking.setId(DRINKING.substring("urn:uuid:".length()));
    drinking.setCode(new CodeableConcept(new Coding(ICD_10, "F10.2", "Alkoholafhængighed")));
    drinking.setSubject(new Reference(patientUrl(referral)));
    drinking.getClinicalStatus().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical").setCode("active");
    referral.addEntry().setFullUrl(DRINKING).setResource(drinking);
    serviceRequest(referral).addReasonReference(new Reference(DRINKING));
    return referral;
  }

  @Test
  void theGpReceivesTheReferralWithoutTheAlcoholDiagnosisAndTheDisclosureRecordSaysWhatWasRemoved() {
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(referralMentioningDrinking()));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String taskId = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    await("delivery").atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + taskId).body()).getStatus(),
        status -> status == Task.TaskStatus.COMPLETED);
    byte[] sent = recipients.findAll(postRequestedFor(urlEqualTo("/gp"))).get(0).getBody();
    String opened = new String(new SampleRecipientOpener(InsecureSampleKeys.encryptionKeys(SampleParty.GP),
        InsecureSampleKeys.gatewaySigningPublicKeys()).open(sent).payload(), StandardCharsets.UTF_8);
    Bundle delivered = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, opened);

    assertThat(opened).doesNotContain("F10.2").doesNotContain("Alkoholafhængighed").doesNotContain(DRINKING);
    assertThat(delivered.getEntry()).extracting(e -> e.getResource().fhirType())
        .contains("ServiceRequest", "Patient", "Observation").contains("Condition"); // the COPD diagnosis stays
    assertThat(serviceRequest(delivered).getReasonReference()).extracting(Reference::getReference).doesNotContain(DRINKING);
    List<String> disclosures = gateway.auditEntries("DISCLOSURE_ATTEMPT");
    assertThat(disclosures).anySatisfy(entry -> assertThat(entry).contains("removed before sending").contains("SUD"));
  }

  @Test
  void aReferralWhoseFocusIsAboutTheDrinkingIsRefusedNamingTheClassThatBlocksIt() {
    Bundle aboutDrinking = referralMentioningDrinking();
    serviceRequest(aboutDrinking).addReasonCode(new CodeableConcept(new Coding(ICD_10, "F10.2", "Alkoholafhængighed")));

    HttpResponse<String> refused = gateway.post("/$process-message", JSON, Fixtures.bytes(aboutDrinking));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(Fixtures.FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body())
        .getIssueFirstRep().getDiagnostics()).contains("SUD").contains("Lægehuset Sydfyn");
    assertThat(gateway.rows("outbox")).isZero();
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/gp")))).isEmpty();
  }
}
