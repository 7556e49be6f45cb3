package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.HOSPITAL_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.brobygger.delivery.seal.OpenedMessage;
import dk.brobygger.delivery.seal.SampleRecipientOpener;
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
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a recipient receives names the authenticated caller as its sender, under the gateway's
 * signature; a message that names another party anywhere in its header (or as the requester of
 * its ServiceRequest) is refused with 403 and nothing is stored.
 */
@EndToEndTest
class TheSenderIsTheCallerTest {

  private static final String JSON = "application/fhir+json";
  private static final String TEAM = "svendborg-gadesygepleje";
  private static final String TEAM_SOR = "325421000016001";

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway team;

  @BeforeEach
  void start() {
    recipients = AcceptingRecipients.start();
    team = TestGateway.start(temp.resolve("data"),
        AcceptingRecipients.endpoints(recipients));
  }

  @AfterEach
  void stop() {
    team.close();
    recipients.stop();
  }

  private static String consentId(HttpResponse<String> recorded) {
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
    return Fixtures.FHIR.newJsonParser().parseResource(Consent.class, recorded.body()).getIdElement().getIdPart();
  }

  private static String recordConsent(TestGateway as, String recipientSor) {
    return consentId(as.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(recipientSor))).getBytes(StandardCharsets.UTF_8)));
  }

  private static Task awaitTask(TestGateway as, String taskId, Task.TaskStatus status) {
    return await("Task/" + taskId + " " + status.toCode()).atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.FHIR.newJsonParser().parseResource(Task.class, as.get("/Task/" + taskId).body()),
        task -> task.getStatus() == status);
  }

  /** A GP's referral to the hospital, the street nurse team's sample re-addressed, without a sender. */
  private static Bundle gpReferralToHospital(String sourceName, String sourceSor) {
    Bundle referral = Fixtures.referralTo(HOSPITAL_SOR);
    MessageHeader header = (MessageHeader) referral.getEntryFirstRep().getResource();
    String nurseOrganisation = header.getSender().getReference();
    header.setSender(null);
    header.getSource().setName(sourceName).setEndpoint("https://brobygger.dk/recipients/" + sourceSor);
    referral.getEntry().removeIf(e -> e.getFullUrl().equals(nurseOrganisation));
    referral.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast)
        .forEach(request -> request.setRequester(organisation(GP_SOR)));
    return referral;
  }

  @Test
  void aGpPostingWithoutSenderAndASourceNamingTheStreetNurseTeamIsRefusedAndNothingIsStored() {
    recordConsent(team, HOSPITAL_SOR);
    long messages = team.rows("message");
    long outbox = team.rows("outbox");

    HttpResponse<String> refused = team.as(SampleParty.GP).post("/$process-message", JSON,
        Fixtures.bytes(gpReferralToHospital("Gadesygeplejersken, Svendborg Kommune", TEAM_SOR)));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("OperationOutcome").contains("MessageHeader.source names")
        .contains(TEAM).contains("sent by laegehuset-sydfyn");
    assertThat(team.rows("message")).isEqualTo(messages);
    assertThat(team.rows("outbox")).isEqualTo(outbox);
    assertThat(team.auditEntries("REQUEST_REFUSED")).anySatisfy(entry -> assertThat(entry).contains("MessageHeader.source"));
  }

  @Test
  void aGpPostingWithoutSenderIsAcceptedAndTheHospitalReceivesTheGpAsSenderUnderTheGatewaysSignature() {
    recordConsent(team, HOSPITAL_SOR);
    Bundle referral = gpReferralToHospital("Lægehuset Sydfyn", GP_SOR);

    TestGateway gp = team.as(SampleParty.GP);
    HttpResponse<String> accepted = gp.post("/$process-message", JSON, Fixtures.bytes(referral));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    // the GP sent it, so the GP follows its delivery (the street nurse team does not see it)
    String taskId = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    awaitTask(gp, taskId, Task.TaskStatus.COMPLETED);
    assertThat(team.get("/Task/" + taskId).statusCode()).isEqualTo(404);
    List<LoggedRequest> delivered = recipients.findAll(postRequestedFor(urlEqualTo("/hospital")));
    assertThat(delivered).hasSize(1);
    OpenedMessage opened = new SampleRecipientOpener(
        InsecureSampleKeys.encryptionKeys(SampleParty.HOSPITAL), InsecureSampleKeys.gatewaySigningPublicKeys())
        .open(delivered.get(0).getBody());
    Bundle received = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class,
        new String(opened.payload(), StandardCharsets.UTF_8));
    MessageHeader header = (MessageHeader) received.getEntryFirstRep().getResource();
    assertThat(header.getSender().getIdentifier().getSystem()).isEqualTo(Fixtures.SOR);
    assertThat(header.getSender().getIdentifier().getValue()).isEqualTo(GP_SOR);
    assertThat(header.getSender().getDisplay()).isEqualTo("Lægehuset Sydfyn");
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/gp")))).isEmpty();
  }

  @Test
  void aMessageWhoseRequesterIsAnotherPartyIsRefused() {
    recordConsent(team, HOSPITAL_SOR);
    Bundle referral = gpReferralToHospital("Lægehuset Sydfyn", GP_SOR);
    referral.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast)
        .forEach(request -> request.setRequester(organisation(TEAM_SOR)));

    HttpResponse<String> refused = team.as(SampleParty.GP).post("/$process-message", JSON, Fixtures.bytes(referral));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("ServiceRequest.requester names");
  }
}
