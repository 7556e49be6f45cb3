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
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three users' flows through the real gateway with WireMock recipients: the outreach team asks
 * the hospital for an appointment and gets the answer in its inbox; a GP refers a citizen to the
 * outreach team; recipients acknowledge; a message sent three times is kept once; a citizen known
 * by a local id and later a CPR number is one citizen to consent.
 */
@EndToEndTest
class MessageFlowsTest {

  private static final String JSON = "application/fhir+json";
  private static final String OUTREACH = "svendborg-gadesygepleje";
  private static final String APPOINTMENT_REQUEST = "4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24";
  private static final String SAMPLE_REFERRAL = "7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41";

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    recipients = AcceptingRecipients.start();
    // the outreach team has no endpoint of its own: what is sent to it waits in its inbox
    gateway = TestGateway.start(temp.resolve("data"),
        AcceptingRecipients.endpoints(recipients));
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
  }

  private static byte[] example(String name, String replace, String with) {
    return new String(Fixtures.example(name), StandardCharsets.UTF_8).replace(replace, with).getBytes(StandardCharsets.UTF_8);
  }

  private void consentTo(String sor) {
    HttpResponse<String> recorded = gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(sor))).getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
  }

  private Task awaitTask(String taskId, Task.TaskStatus status) {
    return await("Task/" + taskId + " " + status.toCode()).atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + taskId).body()),
        task -> task.getStatus() == status);
  }

  private Bundle inbox(String status) {
    HttpResponse<String> found = gateway.get("/Task?owner=Organization/" + OUTREACH + "&status=" + status);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, found.body());
  }

  private static MessageHeader.MessageHeaderResponseComponent responseOf(HttpResponse<String> answer) {
    Bundle response = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
    return ((MessageHeader) response.getEntryFirstRep().getResource()).getResponse();
  }

  /** The sample appointment messages name the citizen by CPR and local id: one citizen once linked. */
  private void linkTheSampleCitizensIdentifiers() {
    Patient citizen = new Patient();
    citizen.addIdentifier().setSystem(CitizenIdentifier.CPR).setValue(Fixtures.CPR);
    citizen.addIdentifier().setSystem(CitizenIdentifier.LOCAL_OUTREACH).setValue("svb-gsp-0042");
    HttpResponse<String> linked = gateway.post("/Patient/$link-identifiers", JSON,
        Fixtures.json(citizen).getBytes(StandardCharsets.UTF_8));
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
  }

  @Test
  void anAppointmentRequestWhosePatientIdentifiersAreNotLinkedIsRefusedAsNamingMoreThanOneCitizen() {
    consentTo(HOSPITAL_SOR);

    HttpResponse<String> refused = gateway.post("/$process-message", JSON, Fixtures.example("appointment-request-to-hospital.json"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("the message names more than one citizen");
    assertThat(gateway.rows("outbox")).isZero();
  }

  @Test
  void theHospitalsAnswerToAnAppointmentRequestUpdatesTheTaskAndWaitsInTheOutreachInboxUntilHandled() {
    consentTo(HOSPITAL_SOR);
    linkTheSampleCitizensIdentifiers();
    HttpResponse<String> requested = gateway.post("/$process-message", JSON, Fixtures.example("appointment-request-to-hospital.json"));
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
    String deliveryTask = Fixtures.taskOf(requested).getIdElement().getIdPart();
    awaitTask(deliveryTask, Task.TaskStatus.COMPLETED);
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/hospital")))).hasSize(1);

    HttpResponse<String> answered = gateway.as(SampleParty.HOSPITAL)
        .post("/$process-message", JSON, Fixtures.example("appointment-response-booked.json"));

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(responseOf(answered).getCode()).isEqualTo(MessageHeader.ResponseType.OK);
    Task original = Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + deliveryTask).body());
    assertThat(original.getBusinessStatus().getText()).isEqualTo("answered: booked");
    assertThat(original.getOutput()).filteredOn(output -> output.getValue() instanceof Reference)
        .extracting(output -> ((Reference) output.getValue()).getIdentifier().getValue())
        .containsExactly("8d0e2f4a-6b8c-4d0e-a2f4-6b8c0d2e4f53");
    Bundle waiting = inbox("requested");
    assertThat(waiting.getEntry()).hasSize(1);
    Task item = (Task) waiting.getEntryFirstRep().getResource();
    assertThat(item.getBusinessStatus().getText()).isEqualTo("appointment-response");
    HttpResponse<String> message = gateway.get("/" + item.getFocus().getReference());
    assertThat(message.statusCode()).isEqualTo(200);
    assertThat(message.body()).contains("\"booked\"");

    item.setStatus(Task.TaskStatus.COMPLETED);
    HttpResponse<String> handled = gateway.put("/Task/" + item.getIdElement().getIdPart(), JSON, Fixtures.json(item));

    assertThat(handled.statusCode()).as(handled.body()).isEqualTo(200);
    assertThat(inbox("requested").getEntry()).isEmpty();
    assertThat(inbox("completed").getEntry()).hasSize(1);
    assertThat(gateway.auditEntries("INBOX_HANDLED")).hasSize(1);
  }

  @Test
  void aGpsReferralToTheOutreachTeamNeedsNoConsentIsAuditedAndLandsInTheInbox() {
    HttpResponse<String> received = gateway.as(SampleParty.GP)
        .post("/$process-message", JSON, Fixtures.example("referral-from-gp-to-outreach.json"));

    assertThat(received.statusCode()).as(received.body()).isEqualTo(200);
    assertThat(responseOf(received).getIdentifier()).isEqualTo("1e3a5c7e-9b2d-4f6a-8c0e-2d4f6a8c0e13");
    assertThat(inbox("requested").getEntry()).hasSize(1);
    assertThat(gateway.auditEntries("MESSAGE_RECEIVED")).hasSize(1);
    assertThat(gateway.rows("outbox")).isZero();
  }

  @Test
  void nobodySendsInAnotherPartysName() {
    HttpResponse<String> spoofed = gateway.as(SampleParty.HOSPITAL)
        .post("/$process-message", JSON, Fixtures.example("referral-from-gp-to-outreach.json"));

    assertThat(spoofed.statusCode()).isEqualTo(403);
    assertThat(spoofed.body()).contains("MessageHeader.sender names laegehuset-sydfyn");
    assertThat(inbox("requested").getEntry()).isEmpty();
  }

  @Test
  void aMessageSentThreeTimesIsStoredOnceAndGetsTheSameAnswerEachTime() {
    TestGateway gp = gateway.as(SampleParty.GP);
    byte[] referral = Fixtures.example("referral-from-gp-to-outreach.json");

    List<HttpResponse<String>> answers = List.of(
        gp.post("/$process-message", JSON, referral),
        gp.post("/$process-message", JSON, referral),
        gp.post("/$process-message", JSON, referral));

    assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
    assertThat(answers).extracting(answer -> Fixtures.taskOf(answer).getIdElement().getIdPart()).containsOnly(
        Fixtures.taskOf(answers.get(0)).getIdElement().getIdPart());
    assertThat(answers).extracting(answer -> Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, answer.body())
        .getEntryFirstRep().getResource().getIdElement().getIdPart()).containsOnly(
        Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, answers.get(0).body())
            .getEntryFirstRep().getResource().getIdElement().getIdPart());
    assertThat(gateway.rows("message")).isEqualTo(1);
    assertThat(inbox("requested").getEntry()).hasSize(1);
  }

  @Test
  void theGpsAcknowledgementConfirmsTheDeliveryAndAHospitalsFatalErrorFailsItWithTheReason() {
    consentTo(GP_SOR);
    consentTo(HOSPITAL_SOR);
    linkTheSampleCitizensIdentifiers();
    Bundle referral = Fixtures.referralTo(GP_SOR);
    String referralId = Fixtures.messageId(referral);
    String toGp = Fixtures.taskOf(gateway.post("/$process-message", JSON, Fixtures.bytes(referral))).getIdElement().getIdPart();
    String toHospital = Fixtures.taskOf(gateway.post("/$process-message", JSON, Fixtures.example("appointment-request-to-hospital.json")))
        .getIdElement().getIdPart();
    awaitTask(toGp, Task.TaskStatus.COMPLETED);
    awaitTask(toHospital, Task.TaskStatus.COMPLETED);

    HttpResponse<String> confirmed = gateway.as(SampleParty.GP)
        .post("/$process-message", JSON, example("acknowledgement-ok.json", SAMPLE_REFERRAL, referralId));
    HttpResponse<String> wrongSender = gateway.as(SampleParty.HOSPITAL)
        .post("/$process-message", JSON, example("acknowledgement-ok.json", SAMPLE_REFERRAL, referralId));
    HttpResponse<String> fatal = gateway.as(SampleParty.HOSPITAL)
        .post("/$process-message", JSON, Fixtures.example("acknowledgement-fatal.json"));

    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    assertThat(Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + toGp).body())
        .getBusinessStatus().getText()).isEqualTo("acknowledged");
    assertThat(wrongSender.statusCode()).isEqualTo(403);
    assertThat(fatal.statusCode()).as(fatal.body()).isEqualTo(200);
    Task failed = Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + toHospital).body());
    assertThat(failed.getStatus()).isEqualTo(Task.TaskStatus.FAILED);
    assertThat(failed.getStatusReason().getText()).contains("fatal-error");
  }

  @Test
  void aConsentGivenUnderALocalIdAppliesToMessagesUsingTheCprNumberOnceTheIdentifiersAreLinked() {
    CitizenIdentifier local = new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "SVB-0042");
    var consent = Fixtures.consentPermitting(organisation(GP_SOR));
    consent.getPatient().setIdentifier(new Identifier().setSystem(local.system()).setValue(local.value()));
    assertThat(gateway.post("/Consent", JSON, Fixtures.json(consent).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
    assertThat(gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR))).statusCode())
        .as("the message names the citizen by CPR, the consent by the local id").isEqualTo(403);

    Patient citizen = new Patient();
    citizen.addIdentifier().setSystem(local.system()).setValue(local.value());
    citizen.addIdentifier().setSystem(CitizenIdentifier.CPR).setValue(Fixtures.CPR);
    HttpResponse<String> linked = gateway.post("/Patient/$link-identifiers", JSON, Fixtures.json(citizen).getBytes(StandardCharsets.UTF_8));

    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
    assertThat(gateway.auditEntries("CITIZEN_LINKED")).hasSize(1);
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    Bundle found = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class,
        gateway.get("/Patient?identifier=" + CitizenIdentifier.CPR + "%7C" + Fixtures.CPR).body());
    assertThat(((Patient) found.getEntryFirstRep().getResource()).getIdentifier()).extracting(Identifier::getValue)
        .containsExactlyInAnyOrder(Fixtures.CPR, "SVB-0042");
  }
}
