package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.ADDICTION_CENTRE_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy officer's view through the real gateway: the trail of one citizen, a signed
 * checkpoint, an export that verifies offline (and fails when edited), and the report in Danish.
 */
@EndToEndTest
class AuditTrailTest {

  private static final String JSON = "application/fhir+json";
  private static final String CITIZEN = CitizenIdentifier.CPR + "%7C" + Fixtures.CPR;

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;
  private TestGateway officer;

  @BeforeEach
  void aReferralIsDeliveredAndAnotherRefused() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    gateway = TestGateway.start(temp.resolve("data"),
        Map.of("laegehuset-sydfyn", base + "/gp", "behandlingscenter-svendborg", base + "/addiction"));
    officer = gateway.as(SampleParty.PRIVACY_OFFICER);
    assertThat(gateway.post("/Consent", JSON, Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR)))
        .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    String taskId = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    await("delivery").atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + taskId).body()).getStatus(),
        status -> status == Task.TaskStatus.COMPLETED);
    assertThat(gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(ADDICTION_CENTRE_SOR)))
        .statusCode()).isEqualTo(403);
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
  }

  @Test
  void thePrivacyOfficerFindsTheCitizensDecisionsAndDisclosuresAsAuditEvents() {
    HttpResponse<String> found = officer.get("/AuditEvent?patient:identifier=" + CITIZEN + "&_count=50");

    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    Bundle bundle = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, found.body());
    List<AuditEvent> events = bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    assertThat(events).extracting(e -> e.getOutcome().toCode()).contains("0", "4");
    assertThat(events).anySatisfy(e -> assertThat(e.getEntity())
        .anySatisfy(entity -> assertThat(entity.getWhat().getReference()).startsWith("Consent/")));
  }

  @Test
  void aGpSystemCannotReadTheAuditLog() {
    assertThat(gateway.as(SampleParty.GP).get("/AuditEvent?patient:identifier=" + CITIZEN).statusCode()).isEqualTo(403);
    assertThat(gateway.as(SampleParty.GP).getAt("/audit/export").statusCode()).isEqualTo(403);
    assertThat(gateway.anonymous().getAt("/audit/export").statusCode()).isEqualTo(401);
  }

  @Test
  void anExportVerifiesOfflineAgainstTheSignedCheckpointAndAnEditedOneDoesNot() throws Exception {
    HttpResponse<String> checkpoint = officer.getAt("/audit/checkpoint?fresh=true");
    assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(200);
    assertThat(checkpoint.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(Long.parseLong(checkpoint.body().split("\n")[1])).isGreaterThan(3);
    HttpResponse<String> key = officer.getAt("/audit/key");
    assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
    Path logKeyFile = temp.resolve("log.vkey");
    Files.writeString(logKeyFile, key.body());
    JsonNode json = new ObjectMapper().readTree(officer.getAt("/audit/checkpoint?format=json").body());
    assertThat(json.get("note").asText()).isEqualTo(checkpoint.body());

    HttpResponse<String> export = officer.getAt("/audit/export");
    assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
    Path exportFile = temp.resolve("export.ndjson");
    Files.writeString(exportFile, export.body());
    Path jwksFile = temp.resolve("jwks.json");
    Files.writeString(jwksFile, gateway.anonymous().getAt("/.well-known/jwks.json").body());

    assertThat(verify(exportFile, "--log-key", logKeyFile).exitCode()).isZero();
    assertThat(verify(exportFile, "--jwks", jwksFile).output()).as("a C2SP checkpoint needs the note key")
        .contains("no note key");

    List<String> lines = Files.readAllLines(exportFile);
    int edited = java.util.stream.IntStream.range(0, lines.size())
        .filter(i -> lines.get(i).contains("permit")).findFirst().orElseThrow();
    lines.set(edited, lines.get(edited).replace("permit", "deny!"));
    Path editedFile = temp.resolve("edited.ndjson");
    Files.write(editedFile, lines);
    Verification tampered = verify(editedFile, "--log-key", logKeyFile);
    assertThat(lines.get(edited)).contains("deny!");
    assertThat(tampered.exitCode()).isNotZero();
    assertThat(tampered.output()).containsIgnoringCase("entry");
  }

  @Test
  void theCitizensDisclosureReportSaysInDanishWhoReceivedWhatAndWhatWasRefused() {
    HttpResponse<String> report = officer.getAt("/audit/report?patient=" + CITIZEN + "&format=html");

    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    assertThat(report.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(report.body()).contains("Oversigt over videregivelse af dine oplysninger")
        .contains("Lægehuset Sydfyn").contains("Behandlingscenter Svendborg");
  }

  private record Verification(int exitCode, String output) {}

  private static Verification verify(Path export, String keyOption, Path keys) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = AuditCli.run(List.of("audit", "verify", "--export", export.toString(), keyOption, keys.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Verification(code, out.toString(StandardCharsets.UTF_8));
  }
}
