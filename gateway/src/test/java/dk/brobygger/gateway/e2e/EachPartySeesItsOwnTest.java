package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.HOSPITAL_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.example;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see what, through the real gateway: two outreach teams on one gateway do not see each
 * other's consents, Tasks, messages or histories (404, absent from searches); the privacy officer
 * sees all; a recipient follows its delivery Task but does not read the stored message.
 */
@EndToEndTest
class EachPartySeesItsOwnTest {

  private static final String JSON = "application/fhir+json";
  private static final String TEAM = "svendborg-gadesygepleje";
  /** MessageHeader.id of referral-from-gp-to-outreach.json. */
  private static final String GP_REFERRAL_ID = "1e3a5c7e-9b2d-4f6a-8c0e-2d4f6a8c0e13";
  private static final String PATIENT = "urn:oid:1.2.208.176.1.2|" + Fixtures.CPR;

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

  private static Bundle bundle(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
  }

  private static String query(String token) {
    return URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  @Test
  void aSecondOutreachTeamDoesNotSeeTheFirstTeamsConsentsTasksMessagesOrHistory_thePrivacyOfficerSeesAll() {
    TestGateway otherTeam = team.asSecondTeam();
    TestGateway officer = team.as(SampleParty.PRIVACY_OFFICER);
    String consent = recordConsent(team, GP_SOR);
    Bundle referral = Fixtures.referralTo(GP_SOR);
    HttpResponse<String> sent = team.post("/$process-message", JSON, Fixtures.bytes(referral));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String deliveryTask = Fixtures.taskOf(sent).getIdElement().getIdPart();
    String referralId = Fixtures.messageId(referral);
    HttpResponse<String> fromGp = team.as(SampleParty.GP)
        .post("/$process-message", JSON, example("referral-from-gp-to-outreach.json"));
    assertThat(fromGp.statusCode()).as(fromGp.body()).isEqualTo(200);
    String inboxItem = Fixtures.taskOf(fromGp).getIdElement().getIdPart();
    String gpMessage = GP_REFERRAL_ID;
    // the other team records its own consent for the same citizen
    String othersConsent = recordConsent(otherTeam, HOSPITAL_SOR);

    List<String> firstTeams = List.of("/Consent/" + consent, "/Consent/" + consent + "/_history",
        "/Consent/" + consent + "/_history/1", "/Task/" + deliveryTask, "/Task/" + inboxItem,
        "/Bundle/" + referralId, "/Bundle/" + gpMessage);
    for (String path : firstTeams) {
      HttpResponse<String> answer = otherTeam.get(path);
      assertThat(answer.statusCode()).as("the other team reads " + path + ": " + answer.body()).isEqualTo(404);
      assertThat(answer.body()).contains("OperationOutcome").doesNotContain(Fixtures.CPR);
      assertThat(team.get(path).statusCode()).as("the team itself reads " + path).isEqualTo(200);
      assertThat(officer.get(path).statusCode()).as("the privacy officer reads " + path).isEqualTo(200);
    }
    // nor can it withdraw it: the consent stays as the first team recorded it
    String withdrawn = team.get("/Consent/" + consent).body().replace("\"status\":\"active\"", "\"status\":\"inactive\"");
    assertThat(otherTeam.put("/Consent/" + consent, JSON, withdrawn).statusCode()).isEqualTo(404);
    assertThat(team.get("/Consent/" + consent).body()).contains("\"status\":\"active\"").contains("\"versionId\":\"1\"");

    // searches: each team finds its own consent only; the officer finds both
    assertThat(bundle(otherTeam.get("/Consent?patient:identifier=" + query(PATIENT))).getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly(othersConsent);
    assertThat(bundle(otherTeam.get("/Consent")).getTotal()).isEqualTo(1);
    assertThat(bundle(team.get("/Consent?patient:identifier=" + query(PATIENT))).getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly(consent);
    assertThat(bundle(officer.get("/Consent?patient:identifier=" + query(PATIENT))).getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactlyInAnyOrder(consent, othersConsent);
    // inboxes: the other team's is empty, the first team's items are left out of its search; the officer reads them
    assertThat(bundle(otherTeam.get("/Task?owner=Organization/" + TestGateway.SECOND_TEAM + "&_total=accurate")).getTotal()).isZero();
    assertThat(bundle(otherTeam.get("/Task?owner=Organization/" + TEAM)).getEntry()).isEmpty();
    assertThat(bundle(officer.get("/Task?owner=Organization/" + TEAM)).getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly(inboxItem);

    // the GP follows the delivery it receives, but the message as stored (before minimisation) is not its to read
    assertThat(team.as(SampleParty.GP).get("/Task/" + deliveryTask).statusCode()).isEqualTo(200);
    assertThat(team.as(SampleParty.GP).get("/Bundle/" + referralId).statusCode()).isEqualTo(404);
    // and the GP, which sent its referral, may read it back
    assertThat(team.as(SampleParty.GP).get("/Bundle/" + gpMessage).statusCode()).isEqualTo(200);
  }

  @Test
  void aResentMessageIdOfAnotherTeamDoesNotAnswerWithThatTeamsTask() {
    recordConsent(team, GP_SOR);
    recordConsent(team.asSecondTeam(), GP_SOR);
    Bundle referral = Fixtures.referralTo(GP_SOR);
    HttpResponse<String> sent = team.post("/$process-message", JSON, Fixtures.bytes(referral));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);

    // the same message id from the other team (naming itself as sender): a conflict, not the first team's Task
    ((MessageHeader) referral.getEntryFirstRep().getResource()).setSender(null);
    ServiceRequest request = (ServiceRequest) referral.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(ServiceRequest.class::isInstance).findFirst().orElseThrow();
    request.setRequester(organisation(TestGateway.SECOND_TEAM_SOR));
    ((MessageHeader) referral.getEntryFirstRep().getResource()).getSource()
        .setName("Sundhedsteamet").setEndpoint("https://brobygger.dk/recipients/" + TestGateway.SECOND_TEAM_SOR);
    HttpResponse<String> again = team.asSecondTeam().post("/$process-message", JSON, Fixtures.bytes(referral));

    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    assertThat(again.body()).doesNotContain(Fixtures.taskOf(sent).getIdElement().getIdPart());
  }
}
