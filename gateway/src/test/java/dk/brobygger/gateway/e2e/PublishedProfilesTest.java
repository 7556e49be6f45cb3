package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.testing.EndToEndTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageDefinition;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published profiles through the real gateway: read and searched by url without credentials,
 * like the CapabilityStatement; and {@code Bundle/$validate}, which says what is wrong with a
 * message and stores and sends nothing.
 */
@EndToEndTest
class PublishedProfilesTest {

  private static final String JSON = "application/fhir+json";
  private static final String REFERRAL_PROFILE = "https://brobygger.dk/fhir/StructureDefinition/brobygger-referral";

  @TempDir static Path temp;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(temp.resolve("data"), Map.of("laegehuset-sydfyn", "http://localhost:9/gp"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
    return Fixtures.FHIR.newJsonParser().parseResource(type, response.body());
  }

  @Test
  void theProfilesAreReadAndSearchedByUrlWithoutCredentials() {
    TestGateway anyone = gateway.anonymous();
    HttpResponse<String> all = anyone.get("/StructureDefinition");
    assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
    assertThat(parse(Bundle.class, all).getEntry()).extracting(e -> ((StructureDefinition) e.getResource()).getUrl())
        .contains(REFERRAL_PROFILE, "https://brobygger.dk/fhir/StructureDefinition/brobygger-consent")
        .hasSize(5);

    Bundle byUrl = parse(Bundle.class,
        anyone.get("/StructureDefinition?url=" + URLEncoder.encode(REFERRAL_PROFILE, StandardCharsets.UTF_8)));
    assertThat(byUrl.getTotal()).isEqualTo(1);
    assertThat(byUrl.getEntryFirstRep().getFullUrl()).endsWith("/fhir/StructureDefinition/brobygger-referral");

    HttpResponse<String> read = anyone.get("/StructureDefinition/brobygger-referral");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(parse(StructureDefinition.class, read).getUrl()).isEqualTo(REFERRAL_PROFILE);
    assertThat(anyone.get("/StructureDefinition/no-such-profile").statusCode()).isEqualTo(404);
    assertThat(anyone.get("/StructureDefinition?name=x").statusCode()).isBetween(400, 422);
  }

  @Test
  void theMessageDefinitionsAreServedAtTheUrlsTheCapabilityStatementNames() {
    HttpResponse<String> read = gateway.anonymous().get("/MessageDefinition/referral");
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    MessageDefinition referral = parse(MessageDefinition.class, read);
    assertThat(referral.getUrl()).isEqualTo("https://brobygger.dk/fhir/MessageDefinition/referral");
    assertThat(referral.getDescription()).contains(REFERRAL_PROFILE);
    assertThat(parse(Bundle.class, gateway.anonymous().get("/MessageDefinition")).getTotal()).isEqualTo(4);
  }

  @Test
  void validateSaysAValidMessageIsValidAndStoresNothing() {
    long messages = gateway.rows("message");
    long outbox = gateway.rows("outbox");
    HttpResponse<String> answer = gateway.post("/Bundle/$validate", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    OperationOutcome outcome = parse(OperationOutcome.class, answer);
    assertThat(outcome.getIssue()).allSatisfy(i -> assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.INFORMATION));
    assertThat(gateway.rows("message")).isEqualTo(messages);
    assertThat(gateway.rows("outbox")).isEqualTo(outbox);
  }

  @Test
  void validateNamesWhatIsWrongInTheBareBundleAndInParameters() {
    Bundle broken = Fixtures.referralTo(GP_SOR);
    broken.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(ServiceRequest.class::isInstance)
        .map(ServiceRequest.class::cast).findFirst().orElseThrow().setStatus(null);
    long outbox = gateway.rows("outbox");

    HttpResponse<String> bare = gateway.post("/Bundle/$validate", JSON, Fixtures.bytes(broken));
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("resource").setResource(broken);
    HttpResponse<String> wrapped = gateway.post("/Bundle/$validate", JSON,
        Fixtures.json(parameters).getBytes(StandardCharsets.UTF_8));

    for (HttpResponse<String> answer : java.util.List.of(bare, wrapped)) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      OperationOutcome outcome = parse(OperationOutcome.class, answer);
      assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
      assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("ServiceRequest.status");
    }
    assertThat(gateway.rows("outbox")).isEqualTo(outbox);
  }

  @Test
  void validateNeedsTheRightToSendAMessage() {
    Bundle referral = Fixtures.referralTo(GP_SOR);
    ((MessageHeader) referral.getEntryFirstRep().getResource()).setId("validate-anonymous");
    assertThat(gateway.anonymous().post("/Bundle/$validate", JSON, Fixtures.bytes(referral)).statusCode()).isEqualTo(401);
  }
}
