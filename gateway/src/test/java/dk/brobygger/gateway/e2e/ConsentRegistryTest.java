package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The consent registry through the real gateway: versions, withdrawal, history, search, refusals. */
@EndToEndTest
class ConsentRegistryTest {

  private static final String JSON = "application/fhir+json";

  @TempDir Path temp;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(temp.resolve("data"), Map.of());
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private HttpResponse<String> create(Consent consent) {
    return gateway.post("/Consent", JSON, Fixtures.json(consent).getBytes(StandardCharsets.UTF_8));
  }

  private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Class<T> type, HttpResponse<String> r) {
    return Fixtures.FHIR.newJsonParser().parseResource(type, r.body());
  }

  @Test
  void aRecordedConsentGetsAnIdVersionOneAndCanBeReadBack() {
    HttpResponse<String> created = create(Fixtures.consentPermitting(organisation(GP_SOR)));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Consent stored = parse(Consent.class, created);
    String id = stored.getIdElement().getIdPart();
    assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
    assertThat(created.headers().firstValue("ETag")).contains("W/\"1\"");
    assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/fhir/Consent/" + id + "/_history/1"));
    HttpResponse<String> read = gateway.get("/Consent/" + id);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(parse(Consent.class, read).getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
  }

  @Test
  void aWithdrawalIsANewVersionAndEveryVersionIsKept() {
    Consent stored = parse(Consent.class, create(Fixtures.consentPermitting(organisation(GP_SOR))));
    String id = stored.getIdElement().getIdPart();
    stored.setStatus(Consent.ConsentState.INACTIVE);

    HttpResponse<String> withdrawn = gateway.put("/Consent/" + id, JSON, Fixtures.json(stored), "If-Match", "W/\"1\"");

    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
    assertThat(parse(Consent.class, withdrawn).getMeta().getVersionId()).isEqualTo("2");
    Bundle history = parse(Bundle.class, gateway.get("/Consent/" + id + "/_history"));
    assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
    assertThat(history.getEntry()).extracting(e -> ((Consent) e.getResource()).getStatus())
        .containsExactly(Consent.ConsentState.INACTIVE, Consent.ConsentState.ACTIVE);
    assertThat(parse(Consent.class, gateway.get("/Consent/" + id + "/_history/1")).getStatus())
        .isEqualTo(Consent.ConsentState.ACTIVE);
  }

  @Test
  void anUpdateAgainstAnOldVersionIsAConflictAndChangesNothing() {
    Consent stored = parse(Consent.class, create(Fixtures.consentPermitting(organisation(GP_SOR))));
    String id = stored.getIdElement().getIdPart();
    assertThat(gateway.put("/Consent/" + id, JSON, Fixtures.json(stored), "If-Match", "W/\"1\"").statusCode()).isEqualTo(200);

    HttpResponse<String> stale = gateway.put("/Consent/" + id, JSON, Fixtures.json(stored), "If-Match", "W/\"1\"");

    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(parse(Bundle.class, gateway.get("/Consent/" + id + "/_history")).getEntry()).hasSize(2);
  }

  @Test
  void consentsAreFoundByTheCitizensIdentifierAndStatus() {
    create(Fixtures.consentPermitting(organisation(GP_SOR)));
    String token = CitizenIdentifier.CPR + "%7C" + Fixtures.CPR;

    Bundle active = parse(Bundle.class, gateway.get("/Consent?patient:identifier=" + token + "&status=active"));
    Bundle inactive = parse(Bundle.class, gateway.get("/Consent?patient:identifier=" + token + "&status=inactive"));
    Bundle someoneElse = parse(Bundle.class, gateway.get("/Consent?patient:identifier=" + CitizenIdentifier.CPR + "%7C0202802345"));

    assertThat(active.getEntry()).hasSize(1);
    assertThat(inactive.getEntry()).isEmpty();
    assertThat(someoneElse.getEntry()).isEmpty();
  }

  @Test
  void aConsentWithoutProvisionIsRefusedAndNotStored() {
    Consent incomplete = Fixtures.consentPermitting(organisation(GP_SOR));
    incomplete.setProvision(null);

    HttpResponse<String> refused = create(incomplete);

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(parse(OperationOutcome.class, refused).getIssueFirstRep().getDiagnostics()).contains("provision");
    assertThat(gateway.rows("consent_version")).isZero();
  }

  @Test
  void aConsentThePublishedProfileRefusesIsRefusedOnCreateAndOnUpdateNamingTheRuleAndNothingIsStored() {
    Consent withoutPolicy = Fixtures.consentPermitting(organisation(GP_SOR));
    withoutPolicy.setPolicyRule(null); // FHIR R4's ppc-1: a policy or a policyRule; ConsentRules does not check it

    HttpResponse<String> refused = create(withoutPolicy);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(parse(OperationOutcome.class, refused).getIssueFirstRep().getDiagnostics())
        .startsWith("Consent rejected: ").contains("ppc-1");
    assertThat(gateway.rows("consent_version")).isZero();

    HttpResponse<String> created = create(Fixtures.consentPermitting(organisation(GP_SOR)));
    Consent stored = parse(Consent.class, created);
    stored.setPolicyRule(null);
    HttpResponse<String> update = gateway.put("/Consent/" + stored.getIdElement().getIdPart(), JSON, Fixtures.json(stored));
    assertThat(update.statusCode()).as(update.body()).isEqualTo(422);
    assertThat(parse(OperationOutcome.class, update).getIssueFirstRep().getDiagnostics()).contains("ppc-1");
    assertThat(gateway.rows("consent_version")).isEqualTo(1);
  }

  @Test
  void aConsentIdentifierTooLongForTheSearchIndexIsRefusedNamingIt() {
    Consent consent = Fixtures.consentPermitting(organisation(GP_SOR));
    consent.addIdentifier().setSystem("https://example.org/consent-forms").setValue("f".repeat(1025));

    HttpResponse<String> refused = create(consent);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(parse(OperationOutcome.class, refused).getIssueFirstRep().getDiagnostics())
        .contains("Consent.identifier[0]", "1024");
    assertThat(gateway.rows("consent_version")).isZero();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "urn:oid:1.2.208.176.1.2, 0000000000",
      "urn:oid:1.2.208.176.1.2, 3201801234",
      "urn:oid:1.2.208.176.1.2, 0113801234",
      "urn:oid:1.2.208.176.1.6.1.1, 010180-X7K2"})
  void aConsentUnderAnIdentifierNoMessageMayCarryIsRefusedWithTheSameTextAsTheMessage(String system, String value) {
    Consent consent = Fixtures.consentPermitting(organisation(GP_SOR));
    consent.getPatient().getIdentifier().setSystem(system).setValue(value);
    Bundle referral = Fixtures.referralTo(GP_SOR);
    org.hl7.fhir.r4.model.Patient patient = referral.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(org.hl7.fhir.r4.model.Patient.class::isInstance)
        .map(org.hl7.fhir.r4.model.Patient.class::cast)
        .findFirst().orElseThrow();
    patient.getIdentifier().clear();
    patient.addIdentifier().setSystem(system).setValue(value);

    HttpResponse<String> refused = create(consent);
    HttpResponse<String> message = gateway.post("/$process-message", JSON, Fixtures.bytes(referral));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(message.statusCode()).as(message.body()).isEqualTo(422);
    String consentText = parse(OperationOutcome.class, refused).getIssueFirstRep().getDiagnostics();
    String messageText = parse(OperationOutcome.class, message).getIssueFirstRep().getDiagnostics();
    // one rule, one wording: only the element path in front differs
    assertThat(consentText).startsWith("Consent rejected: Consent.patient.identifier: ");
    assertThat(messageText).startsWith("Referral rejected: Patient.identifier[0]: ");
    assertThat(consentText.substring("Consent rejected: Consent.patient.identifier: ".length()))
        .isEqualTo(messageText.substring("Referral rejected: Patient.identifier[0]: ".length()));
    assertThat(consentText).doesNotContain(value);
    assertThat(gateway.rows("consent_version")).isZero();
  }

  @Test
  void consentsCannotBeDeleted() {
    String id = parse(Consent.class, create(Fixtures.consentPermitting(organisation(GP_SOR)))).getIdElement().getIdPart();

    HttpResponse<String> refused = gateway.delete("/Consent/" + id);

    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(parse(OperationOutcome.class, refused).getIssueFirstRep().getDiagnostics()).contains("withdraw");
    assertThat(gateway.get("/Consent/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownConsentIsNotFound() {
    HttpResponse<String> missing = gateway.get("/Consent/does-not-exist");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(parse(OperationOutcome.class, missing).getIssueFirstRep().getDiagnostics()).contains("does-not-exist");
  }

  @Test
  void theRegistryAnswersInXmlWhenAskedTo() {
    String id = parse(Consent.class, create(Fixtures.consentPermitting(organisation(GP_SOR)))).getIdElement().getIdPart();

    HttpResponse<String> xml = gateway.get("/Consent/" + id + "?_format=xml");
    HttpResponse<String> byAccept = gateway.get("/Consent/" + id, "Accept", "application/fhir+xml");

    assertThat(xml.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+xml"));
    assertThat(byAccept.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+xml"));
    Consent parsed = Fixtures.FHIR.newXmlParser().parseResource(Consent.class, xml.body());
    assertThat(parsed.getIdElement().getIdPart()).isEqualTo(id);
  }

  @Test
  void theCapabilityStatementListsExactlyTheSupportedInteractions() {
    CapabilityStatement cs = parse(CapabilityStatement.class, gateway.get("/metadata"));

    assertThat(cs.getRestFirstRep().getResource()).extracting(r -> r.getType()).containsExactlyInAnyOrder("Consent", "Task",
        "Bundle", "Patient", "AuditEvent", "Endpoint", "StructureDefinition", "MessageDefinition");
    assertThat(cs.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("Bundle"))
        .flatExtracting(r -> r.getOperation()).extracting(o -> o.getName()).containsExactly("validate");
    assertThat(cs.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("Task"))
        .flatExtracting(r -> r.getOperation()).extracting(o -> o.getName()).containsExactly("retry");
    assertThat(cs.getRestFirstRep().getOperation()).extracting(o -> o.getName()).containsExactly("process-message");
    CapabilityStatement.CapabilityStatementRestResourceComponent consent = cs.getRestFirstRep().getResource().stream()
        .filter(r -> r.getType().equals("Consent")).findFirst().orElseThrow();
    assertThat(consent.getInteraction()).extracting(i -> i.getCode().toCode())
        .containsExactlyInAnyOrder("create", "read", "vread", "update", "history-instance", "search-type");
    assertThat(gateway.get("/Consent/any-id").statusCode()).isEqualTo(404);
  }
}
