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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's daily tools through the FHIR API: re-running a failed delivery (refused while
 * consent does not permit it, allowed after a renewed consent) and pausing and resuming delivery to
 * one recipient, each audited with who asked.
 */
@EndToEndTest
class OperatorToolsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String JSON = "application/fhir+json";
  private static final String GP = "laegehuset-sydfyn";
  private static final String OUTREACH = "svendborg-gadesygepleje";

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    recipients.stubFor(post(urlEqualTo("/hospital")).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    gateway = TestGateway.start(temp.resolve("data"), Map.of(GP, base + "/gp", "svendborg-sygehus", base + "/hospital"),
        "--metrics.port", "0");
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
  }

  @Test
  void aFailedDeliveryIsNotRerunAfterAWithdrawalAndIsDeliveredAfterARenewedConsent() {
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(400)));
    String consentId = recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));
    String taskId = accept(Fixtures.referralTo(GP_SOR));
    Task failed = awaitTask(taskId, Task.TaskStatus.FAILED);
    assertThat(failed.getStatusReason().getText()).contains("recipient rejected the message: HTTP 400");

    withdraw(consentId);
    HttpResponse<String> refused = gateway.post("/Task/" + taskId + "/$retry", JSON, new byte[0]);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(outcome(refused).getIssueFirstRep().getDiagnostics())
        .startsWith("Re-run refused: consent no longer permits this delivery")
        .contains("Lægehuset Sydfyn");
    assertThat(task(taskId).getStatus()).isEqualTo(Task.TaskStatus.FAILED);
    assertThat(gateway.auditEntries("DELIVERY_RERUN")).singleElement().satisfies(entry -> assertThat(entry)
        .contains("\"outcome\":\"refused\"").contains("\"actor\":\"" + OUTREACH + "@").contains(GP));

    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    String renewed = recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));
    HttpResponse<String> rerun = gateway.post("/Task/" + taskId + "/$retry", JSON, new byte[0]);

    assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(202);
    assertThat(rerun.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("Task/" + taskId));
    Task delivered = awaitTask(taskId, Task.TaskStatus.COMPLETED);
    assertThat(delivered.getReasonReference().getReference()).startsWith("Consent/" + renewed);
    List<LoggedRequest> sent = recipients.findAll(postRequestedFor(urlEqualTo("/gp")));
    assertThat(sent).hasSize(2);
    // the same idempotency key: a recipient that did keep the first copy drops the second
    assertThat(sent.get(1).getHeader("Idempotency-Key")).isEqualTo(sent.get(0).getHeader("Idempotency-Key"));
    assertThat(gateway.auditEntries("DELIVERY_RERUN")).hasSize(2).last().satisfies(entry -> assertThat(entry)
        .contains("\"outcome\":\"requested\"").contains("\"actor\":\"" + OUTREACH + "@").contains(renewed));
  }

  @Test
  void onlyAFailedOrCancelledDeliveryOfTheCallersOwnMessageCanBeRerun() {
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR)));
    String taskId = accept(Fixtures.referralTo(GP_SOR));
    awaitTask(taskId, Task.TaskStatus.COMPLETED);

    HttpResponse<String> completed = gateway.post("/Task/" + taskId + "/$retry", JSON, new byte[0]);
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(409);
    assertThat(outcome(completed).getIssueFirstRep().getDiagnostics()).contains("is completed");

    HttpResponse<String> otherTeam = gateway.asSecondTeam().post("/Task/" + taskId + "/$retry", JSON, new byte[0]);
    assertThat(otherTeam.statusCode()).as(otherTeam.body()).isEqualTo(404);
    HttpResponse<String> recipient = gateway.as(dk.brobygger.keys.SampleParty.GP)
        .post("/Task/" + taskId + "/$retry", JSON, new byte[0]);
    assertThat(recipient.statusCode()).as(recipient.body()).isEqualTo(403);
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/gp")))).hasSize(1);
    assertThat(gateway.auditEntries("DELIVERY_RERUN")).isEmpty();
  }

  @Test
  void aPausedRecipientGetsNothingUntilResumedWhileOthersAreDelivered() throws IOException {
    recordConsent(Fixtures.consentPermitting(organisation(GP_SOR), organisation(HOSPITAL_SOR)));
    Parameters why = new Parameters();
    why.addParameter().setName("reason").setValue(new StringType("the GP system's maintenance window"));
    HttpResponse<String> paused = gateway.post("/Endpoint/" + GP + "/$pause", JSON,
        Fixtures.json(why).getBytes(StandardCharsets.UTF_8));
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    assertThat(endpoint(paused).getStatus()).isEqualTo(Endpoint.EndpointStatus.SUSPENDED);

    String toGp = accept(Fixtures.referralTo(GP_SOR));
    String toHospital = accept(Fixtures.referralTo(HOSPITAL_SOR));
    // the poll that delivered the later referral to the hospital passed over the earlier one to the GP
    awaitTask(toHospital, Task.TaskStatus.COMPLETED);
    assertThat(task(toGp).getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/gp")))).isEmpty();

    Bundle suspended = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, gateway.get("/Endpoint?status=suspended").body());
    assertThat(suspended.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly(GP);
    assertThat(ObjectMapperHolder.MAPPER.readTree(get(gateway.gateway().baseUrl() + "/health/ready").body())
        .findValue("pausedRecipients").toString()).isEqualTo("[\"" + GP + "\"]");
    String whilePaused = scrape();
    assertThat(OperationsTest.value(whilePaused, "brobygger_delivery_paused", "recipient=\"" + GP + "\"")).hasValue(1);
    // a paused recipient's messages wait as paused, not due: the backlog-age alert stays quiet
    assertThat(OperationsTest.value(whilePaused, "brobygger_outbox_messages", "recipient=\"" + GP + "\"", "state=\"paused\""))
        .hasValue(1);
    assertThat(OperationsTest.value(whilePaused, "brobygger_outbox_messages", "recipient=\"" + GP + "\"", "state=\"due\""))
        .hasValue(0);

    HttpResponse<String> resumed = gateway.post("/Endpoint/" + GP + "/$resume", JSON, new byte[0]);
    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
    assertThat(endpoint(resumed).getStatus()).isEqualTo(Endpoint.EndpointStatus.ACTIVE);
    awaitTask(toGp, Task.TaskStatus.COMPLETED);
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/gp")))).hasSize(1);
    assertThat(OperationsTest.value(scrape(), "brobygger_delivery_paused", "recipient=\"" + GP + "\"")).isEmpty();
    assertThat(gateway.auditEntries("DELIVERY_PAUSE")).hasSize(2)
        .satisfies(entries -> {
          assertThat(entries.get(0)).contains("\"outcome\":\"paused\"").contains("maintenance window")
              .contains("\"actor\":\"" + OUTREACH + "@");
          assertThat(entries.get(1)).contains("\"outcome\":\"resumed\"");
        });
  }

  @Test
  void pausingIsForTheOutreachSystemAndOnlyForRecipientsWithAnEndpoint() {
    HttpResponse<String> byGp = gateway.as(dk.brobygger.keys.SampleParty.GP).post("/Endpoint/" + GP + "/$pause", JSON, new byte[0]);
    assertThat(byGp.statusCode()).as(byGp.body()).isEqualTo(403);
    HttpResponse<String> unknown = gateway.post("/Endpoint/nobody/$pause", JSON, new byte[0]);
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    Parameters wrong = new Parameters();
    wrong.addParameter().setName("until").setValue(new StringType("tomorrow"));
    HttpResponse<String> badParameter = gateway.post("/Endpoint/" + GP + "/$pause", JSON,
        Fixtures.json(wrong).getBytes(StandardCharsets.UTF_8));
    assertThat(badParameter.statusCode()).as(badParameter.body()).isIn(400, 422);
    assertThat(outcome(badParameter).getIssueFirstRep().getDiagnostics()).contains("'reason'");
    assertThat(gateway.auditEntries("DELIVERY_PAUSE")).isEmpty();
    assertThat(gateway.rows("recipient_pause")).isZero();
  }

  private static final class ObjectMapperHolder {
    static final ObjectMapper MAPPER = new ObjectMapper();
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

  private String accept(Bundle referral) {
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(referral));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return Fixtures.taskOf(accepted).getIdElement().getIdPart();
  }

  private Task task(String taskId) {
    return Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + taskId).body());
  }

  private Task awaitTask(String taskId, Task.TaskStatus status) {
    return await("Task/" + taskId + " to be " + status.toCode()).atMost(PATIENCE).until(() -> task(taskId),
        t -> t.getStatus() == status);
  }

  private static OperationOutcome outcome(HttpResponse<String> response) {
    return Fixtures.FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
  }

  private static Endpoint endpoint(HttpResponse<String> response) {
    return Fixtures.FHIR.newJsonParser().parseResource(Endpoint.class, response.body());
  }

  private String scrape() {
    return get("http://127.0.0.1:" + gateway.gateway().operations().port().orElseThrow() + "/metrics").body();
  }

  private HttpResponse<String> get(String url) {
    if (url.startsWith("https:")) {
      return gateway.send(HttpRequest.newBuilder(URI.create(url)).GET());
    }
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
