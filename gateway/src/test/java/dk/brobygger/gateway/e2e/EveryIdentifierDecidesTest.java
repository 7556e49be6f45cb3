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
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every citizen identifier in a message decides: they must all name one citizen, and every consent
 * of that citizen counts, a withdrawal under any of its identifiers included. Through the real
 * gateway, with WireMock as the GP.
 */
@EndToEndTest
class EveryIdentifierDecidesTest {

  private static final String JSON = "application/fhir+json";
  /** A (Fixtures.CPR) has a consent for the GP; B and C are other CPR numbers. */
  private static final String B = "0202802345";
  private static final String C = "0303803456";

  @TempDir Path temp;
  private WireMockServer gp;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gp = new WireMockServer(options().dynamicPort());
    gp.start();
    gp.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    gateway = TestGateway.start(temp.resolve("data"), Map.of("laegehuset-sydfyn", "http://localhost:" + gp.port() + "/gp"));
  }

  @AfterEach
  void stop() {
    gateway.close();
    gp.stop();
  }

  private String recordConsentUnder(String cpr) {
    Consent consent = Fixtures.consentPermitting(organisation(GP_SOR));
    consent.getPatient().getIdentifier().setValue(cpr);
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

  private void link(String... cprs) {
    Patient citizen = new Patient();
    for (String cpr : cprs) {
      citizen.addIdentifier().setSystem(CitizenIdentifier.CPR).setValue(cpr);
    }
    HttpResponse<String> linked = gateway.post("/Patient/$link-identifiers", JSON,
        Fixtures.json(citizen).getBytes(StandardCharsets.UTF_8));
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
  }

  /** The sample referral to the GP, its Patient carrying these CPR numbers in this order. */
  private static Bundle referralAbout(String... cprs) {
    Bundle referral = Fixtures.referralTo(GP_SOR);
    Patient patient = patientOf(referral);
    patient.getIdentifier().clear();
    for (String cpr : cprs) {
      patient.addIdentifier().setSystem(CitizenIdentifier.CPR).setValue(cpr);
    }
    return referral;
  }

  private static Patient patientOf(Bundle message) {
    return message.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Patient.class::isInstance).map(Patient.class::cast).findFirst().orElseThrow();
  }

  private HttpResponse<String> send(Bundle referral) {
    return gateway.post("/$process-message", JSON, Fixtures.bytes(referral));
  }

  private static String diagnostics(HttpResponse<String> answer) {
    return Fixtures.FHIR.newJsonParser().parseResource(OperationOutcome.class, answer.body())
        .getIssueFirstRep().getDiagnostics();
  }

  @ParameterizedTest(name = "the consented CPR number {0}")
  @ValueSource(strings = {"first", "second"})
  void aPatientWithAConsentedAndANeverConsentedUnlinkedCprIsRefusedAsNamingTwoCitizens(String position) {
    recordConsentUnder(Fixtures.CPR);
    Bundle referral = position.equals("first") ? referralAbout(Fixtures.CPR, C) : referralAbout(C, Fixtures.CPR);

    HttpResponse<String> refused = send(referral);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(diagnostics(refused)).isEqualTo(DisclosurePolicy.MORE_THAN_ONE_CITIZEN);
    assertThat(gateway.rows("outbox")).isZero();
    assertThat(gateway.auditEntries("REQUEST_REFUSED")).anySatisfy(e -> assertThat(e).contains("more than one citizen"));
    assertThat(gp.findAll(postRequestedFor(urlEqualTo("/gp")))).isEmpty();
  }

  @ParameterizedTest(name = "the consented CPR number {0}")
  @ValueSource(strings = {"first", "second"})
  void aWithdrawalUnderALinkedIdentifierWinsOverAnOlderConsentUnderTheOther(String position) {
    recordConsentUnder(Fixtures.CPR);
    withdraw(recordConsentUnder(B));
    link(Fixtures.CPR, B);

    HttpResponse<String> refused = send(position.equals("first") ? referralAbout(Fixtures.CPR, B) : referralAbout(B, Fixtures.CPR));
    HttpResponse<String> byTheOtherIdentifierAlone = send(referralAbout(Fixtures.CPR));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(byTheOtherIdentifierAlone.statusCode()).as(byTheOtherIdentifierAlone.body()).isEqualTo(403);
    assertThat(gateway.rows("outbox")).isZero();
    assertThat(gp.findAll(postRequestedFor(urlEqualTo("/gp")))).isEmpty();
  }

  @Test
  void aConsentRecordedAfterTheWithdrawalPermitsAgain() {
    withdraw(recordConsentUnder(B));
    link(Fixtures.CPR, B);
    recordConsentUnder(Fixtures.CPR);

    HttpResponse<String> accepted = send(referralAbout(Fixtures.CPR, B));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
  }

  @Test
  void linkedIdentifiersNameOneCitizenWhoseConsentUnderEitherApplies() {
    recordConsentUnder(Fixtures.CPR);
    link(Fixtures.CPR, B);

    HttpResponse<String> accepted = send(referralAbout(B, Fixtures.CPR));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
  }

  @Test
  void aFocusWhoseSubjectIdentifierNamesAnotherCitizenIsRefused() {
    recordConsentUnder(Fixtures.CPR);
    Bundle referral = referralAbout(Fixtures.CPR);
    ServiceRequest focus = referral.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast).findFirst().orElseThrow();
    focus.getSubject().setIdentifier(new Identifier().setSystem(CitizenIdentifier.CPR).setValue(C));

    HttpResponse<String> refused = send(referral);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(diagnostics(refused)).isEqualTo(DisclosurePolicy.MORE_THAN_ONE_CITIZEN);
    assertThat(gateway.rows("outbox")).isZero();
  }

  @Test
  void theDisclosureReportOfTheNeverConsentedIdentifierListsNoneOfTheOtherCitizensDisclosures() {
    recordConsentUnder(Fixtures.CPR);
    assertThat(send(referralAbout(Fixtures.CPR, C)).statusCode()).isEqualTo(422);
    assertThat(send(referralAbout(Fixtures.CPR)).statusCode()).isEqualTo(202);
    TestGateway officer = gateway.as(SampleParty.PRIVACY_OFFICER);
    await("the citizen's report to list the delivery to the GP").atMost(java.time.Duration.ofSeconds(20))
        .until(() -> officer.getAt("/audit/report?patient=" + CitizenIdentifier.CPR + "%7C" + Fixtures.CPR).body(),
        body -> body.contains("laegehuset-sydfyn"));

    HttpResponse<String> report = officer.getAt("/audit/report?patient=" + CitizenIdentifier.CPR + "%7C" + C);

    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    assertThat(report.body()).doesNotContain("laegehuset-sydfyn");
    assertThat(report.body()).doesNotContain(Fixtures.CPR);
  }
}
