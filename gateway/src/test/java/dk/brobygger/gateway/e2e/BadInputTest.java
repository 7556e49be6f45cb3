package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets a clear 4xx with an OperationOutcome, nothing is stored for delivery, nothing is
 * sent, and the refusal is audited. One gateway serves all cases; each case checks the deltas.
 */
@EndToEndTest
class BadInputTest {

  private static final String JSON = "application/fhir+json";

  @TempDir static Path temp;
  private static WireMockServer recipients;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    gateway = TestGateway.start(temp.resolve("data"),
        Map.of("laegehuset-sydfyn", base + "/gp", "svendborg-sygehus", base + "/hospital"),
        "--http.max-body-bytes", "65536",
        // every case below is its own refusal entry; counting repeats is ClientLimitsTest's subject
        "--audit.refusal-window", "PT0.001S");
    HttpResponse<String> consent = gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    recipients.stop();
  }

  private static byte[] referral(Function<Bundle, Bundle> change) {
    return Fixtures.bytes(change.apply(Fixtures.referralTo(GP_SOR)));
  }

  static Stream<Arguments> badMessages() {
    return Stream.of(
        Arguments.of("a body that is neither JSON nor XML", JSON, "this is not FHIR".getBytes(StandardCharsets.UTF_8), 400, ""),
        Arguments.of("JSON that is not FHIR", JSON, "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8), 400, ""),
        Arguments.of("an unknown element", JSON,
            new String(referral(b -> b), StandardCharsets.UTF_8).replaceFirst("\"resourceType\":\"Bundle\"",
                "\"resourceType\":\"Bundle\",\"colour\":\"blue\"").getBytes(StandardCharsets.UTF_8), 400, "colour"),
        Arguments.of("a resource that is not a Bundle", JSON,
            Fixtures.json(new Patient()).getBytes(StandardCharsets.UTF_8), 422, "Bundle"),
        Arguments.of("a Bundle that is not a message", JSON,
            referral(b -> b.setType(Bundle.BundleType.COLLECTION)), 422, "message"),
        Arguments.of("a message without a MessageHeader first", JSON, referral(b -> {
          Bundle.BundleEntryComponent header = b.getEntry().remove(0);
          b.getEntry().add(header);
          return b;
        }), 422, "MessageHeader"),
        Arguments.of("an unknown destination", JSON, Fixtures.bytes(Fixtures.referralTo("999999999999999")), 422,
            "not a recipient in the directory"),
        Arguments.of("a message without destination", JSON, referral(b -> {
          ((MessageHeader) b.getEntryFirstRep().getResource()).getDestination().clear();
          return b;
        }), 422, "destination"),
        Arguments.of("a patient without identifier", JSON, referral(b -> {
          b.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
              .forEach(e -> ((Patient) e.getResource()).getIdentifier().clear());
          return b;
        }), 422, "identifier"),
        Arguments.of("a malformed CPR number", JSON, referral(b -> {
          b.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
              .forEach(e -> ((Patient) e.getResource()).getIdentifierFirstRep().setValue("3213801234"));
          return b;
        }), 422, "CPR"),
        Arguments.of("a patient identifier without system", JSON, referral(b -> {
          b.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
              .forEach(e -> ((Patient) e.getResource()).getIdentifierFirstRep().setSystem(null));
          return b;
        }), 422, "Patient.identifier has no CPR"),
        Arguments.of("an identifier system of a thousand OID arcs", JSON, referral(b -> {
          b.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
              .forEach(e -> ((Patient) e.getResource()).addIdentifier().setSystem("urn:oid:1" + ".2".repeat(1_000)).setValue("x"));
          return b;
        }), 422, "at most 1024"),
        Arguments.of("a MessageHeader.id that is not a FHIR id", JSON, new String(referral(b -> {
          b.getEntryFirstRep().getResource().setId("placeholder-id");
          return b;
        }), StandardCharsets.UTF_8).replace("\"placeholder-id\"", "\"a/../b\"").getBytes(StandardCharsets.UTF_8), 422,
            "not a valid FHIR id"),
        Arguments.of("JSON with a duplicate key", JSON, new String(referral(b -> b), StandardCharsets.UTF_8)
            .replaceFirst("\"type\":\"message\"", "\"type\":\"message\",\"type\":\"message\"")
            .getBytes(StandardCharsets.UTF_8), 400, "repeats"),
        Arguments.of("XML with a DOCTYPE", "application/fhir+xml",
            ("<!DOCTYPE Bundle SYSTEM \"http://127.0.0.1:9/x.dtd\">" + Fixtures.FHIR.newXmlParser()
                .encodeResourceToString(Fixtures.referralTo(GP_SOR))).getBytes(StandardCharsets.UTF_8), 400, "DOCTYPE"),
        Arguments.of("a wrong content type", "text/plain", referral(b -> b), 415, "Content-Type"),
        Arguments.of("a body over the configured limit", JSON, new byte[70_000], 413, "limit"));
  }

  @ParameterizedTest(name = "{0} is refused with {3} and changes nothing")
  @MethodSource("badMessages")
  void badInputIsRefusedWithAnOperationOutcomeAndChangesNothing(
      String situation, String contentType, byte[] body, int status, String diagnostics) {
    long outboxBefore = gateway.rows("outbox");
    long messagesBefore = gateway.rows("message");
    long tasksBefore = gateway.rows("delivery_task");
    long auditBefore = gateway.rows("audit_log");

    HttpResponse<String> refused = gateway.post("/$process-message", contentType, body);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(status);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(JSON));
    OperationOutcome outcome = Fixtures.FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body());
    assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank().contains(diagnostics);
    assertThat(gateway.rows("outbox")).isEqualTo(outboxBefore);
    assertThat(gateway.rows("message")).isEqualTo(messagesBefore);
    assertThat(gateway.rows("delivery_task")).isEqualTo(tasksBefore);
    assertThat(gateway.rows("audit_log")).as("the refusal is audited").isEqualTo(auditBefore + 1);
    assertThat(recipients.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }
}
