package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import dk.brobygger.fhir.message.MessageEvent;
import dk.brobygger.fhir.message.MessageProfiles;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole FHIR API driven only through HAPI FHIR's generic client, each call written the way the
 * HAPI documentation shows it, as a GP vendor's integration test would: nothing here knows the
 * gateway's URLs beyond its base.
 */
@EndToEndTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HapiGenericClientTest {

  private static final String FORMS = "https://example.org/consent-forms";

  private WireMockServer recipients;
  private TestGateway gateway;
  private FhirContext ctx;

  @BeforeAll
  void start(@TempDir Path temp) {
    recipients = AcceptingRecipients.start();
    gateway = TestGateway.start(temp.resolve("data"), AcceptingRecipients.endpoints(recipients));
    ctx = FhirContext.forR4();
    // the gateway's certificate is issued by the sample CA: trust it as a vendor would trust its own
    ctx.getRestfulClientFactory().setHttpClient(HttpClients.custom().setSSLContext(SampleClients.tls(null)).build());
  }

  @AfterAll
  void stop() {
    gateway.close();
    recipients.stop();
  }

  /** A client authenticated as the party's system, with a SMART Backend Services token. */
  private IGenericClient clientOf(SampleParty party) {
    IGenericClient client = ctx.newRestfulGenericClient(gateway.fhir());
    client.registerInterceptor(new BearerTokenAuthInterceptor(gateway.token(party)));
    return client;
  }

  private static Consent consentOf(String cpr, String form) {
    Consent consent = Fixtures.consentPermitting(organisation(GP_SOR));
    consent.getPatient().getIdentifier().setValue(cpr);
    consent.addIdentifier().setSystem(FORMS).setValue(form);
    return consent;
  }

  private static Bundle example(String name) {
    // as sent: the entries keep their ids (HAPI would otherwise take them from the fullUrls)
    return Fixtures.FHIR.newJsonParser().setOverrideResourceIdWithBundleEntryFullUrl(false)
        .parseResource(Bundle.class, new String(Fixtures.example(name), StandardCharsets.UTF_8));
  }

  @Test
  void capabilitiesDeclareSmartAndMutualTlsAndConsentIsCreatedReadUpdatedAndNeverDeleted() {
    IGenericClient client = clientOf(SampleParty.OUTREACH);
    CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(capabilities.getRestFirstRep().getSecurity().getService()).flatExtracting(s -> s.getCoding())
        .extracting(c -> c.getCode()).contains("SMART-on-FHIR", "Certificates");
    var resources = capabilities.getRestFirstRep().getResource();
    var consentDeclared = resources.stream().filter(r -> r.getType().equals("Consent")).findFirst().orElseThrow();
    assertThat(consentDeclared.getProfile()).isEqualTo(MessageProfiles.CONSENT);
    assertThat(consentDeclared.getSupportedProfile()).extracting(p -> p.getValue()).containsExactly(MessageProfiles.CONSENT);
    assertThat(resources.stream().filter(r -> r.getType().equals("Bundle")).findFirst().orElseThrow().getSupportedProfile())
        .extracting(p -> p.getValue()).containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(MessageEvent.values()).map(MessageProfiles::profileUrl).toList());

    MethodOutcome created = client.create().resource(consentOf("0606806789", "form-1")).execute();
    assertThat(created.getCreated()).isTrue();
    IdType id = (IdType) created.getId();
    Consent read = client.read().resource(Consent.class).withId(id.getIdPart()).execute();
    assertThat(read.getMeta().getVersionId()).isEqualTo("1");

    read.setStatus(Consent.ConsentState.INACTIVE);
    MethodOutcome updated = client.update().resource(read).execute();
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
    assertThat(client.read().resource(Consent.class).withIdAndVersion(id.getIdPart(), "1").execute().getStatus())
        .isEqualTo(Consent.ConsentState.ACTIVE);
    Bundle history = client.history().onInstance(new IdType("Consent", id.getIdPart())).returnBundle(Bundle.class).execute();
    assertThat(history.getEntry()).hasSize(2);
    assertThatThrownBy(() -> client.delete().resourceById(new IdType("Consent", id.getIdPart())).execute())
        .isInstanceOf(MethodNotAllowedException.class);
  }

  @Test
  void conditionalCreateFindsTheExistingConsentAndRefusesWhenSeveralMatch() {
    IGenericClient client = clientOf(SampleParty.OUTREACH);
    Consent consent = consentOf("0707807890", "form-2");

    MethodOutcome first = client.create().resource(consent).conditional()
        .where(Consent.IDENTIFIER.exactly().systemAndIdentifier(FORMS, "form-2")).execute();
    MethodOutcome second = client.create().resource(consent).conditional()
        .where(Consent.IDENTIFIER.exactly().systemAndIdentifier(FORMS, "form-2")).execute();

    assertThat(first.getCreated()).isTrue();
    assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    client.create().resource(consent).execute();
    assertThatThrownBy(() -> client.create().resource(consent).conditional()
        .where(Consent.IDENTIFIER.exactly().systemAndIdentifier(FORMS, "form-2")).execute())
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void theCitizenIsSearchedByReferenceByIdentifierAndByChainAndSearchesPage() {
    IGenericClient client = clientOf(SampleParty.OUTREACH);
    String cpr = "0808808901";
    for (String form : List.of("form-3a", "form-3b", "form-3c")) {
      client.create().resource(consentOf(cpr, form)).execute();
    }
    Bundle patients = client.search().forResource(Patient.class)
        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(CitizenIdentifier.CPR, cpr)).returnBundle(Bundle.class).execute();
    String patientId = patients.getEntryFirstRep().getResource().getIdElement().getIdPart();
    assertThat(client.read().resource(Patient.class).withId(patientId).execute().getIdentifierFirstRep().getValue()).isEqualTo(cpr);

    Bundle byReference = client.search().forResource(Consent.class).where(Consent.PATIENT.hasId("Patient/" + patientId))
        .returnBundle(Bundle.class).execute();
    Bundle byChain = client.search().forResource(Consent.class)
        .where(Consent.PATIENT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(CitizenIdentifier.CPR, cpr)))
        .returnBundle(Bundle.class).execute();
    Bundle byIdentifier = client.search().forResource(Consent.class)
        .whereMap(Map.of("patient:identifier", List.of(CitizenIdentifier.CPR + "|" + cpr))).returnBundle(Bundle.class).execute();
    assertThat(List.of(byReference, byChain, byIdentifier)).allSatisfy(b -> assertThat(b.getEntry()).hasSize(3));

    Bundle page = client.search().forResource(Consent.class).where(Consent.PATIENT.hasId("Patient/" + patientId))
        .count(2).totalMode(SearchTotalModeEnum.ACCURATE).returnBundle(Bundle.class).execute();
    assertThat(page.getTotal()).isEqualTo(3);
    assertThat(page.getEntry()).hasSize(2);
    Bundle next = client.loadPage().next(page).execute();
    assertThat(next.getEntry()).hasSize(1);
    assertThat(client.loadPage().previous(next).execute().getEntry()).hasSize(2);
    Bundle counted = client.search().forResource(Consent.class).where(Consent.PATIENT.hasId("Patient/" + patientId))
        .summaryMode(SummaryEnum.COUNT).returnBundle(Bundle.class).execute();
    assertThat(counted.getTotal()).isEqualTo(3);
    assertThat(counted.getEntry()).isEmpty();

    assertThatThrownBy(() -> client.search().forResource(Consent.class).where(new StringClientParam("colour").matches().value("blue"))
        .returnBundle(Bundle.class).execute()).isInstanceOf(InvalidRequestException.class);
    Bundle lenient = client.search().forResource(Consent.class).where(new StringClientParam("colour").matches().value("blue"))
        .and(Consent.PATIENT.hasId("Patient/" + patientId)).withAdditionalHeader("Prefer", "handling=lenient")
        .returnBundle(Bundle.class).execute();
    assertThat(lenient.getLink("self").getUrl()).doesNotContain("colour");
  }

  @Test
  void messagesTasksTheInboxAndTheAuditTrailThroughOperationsReadsSearchesAndUpdates() {
    IGenericClient outreach = clientOf(SampleParty.OUTREACH);
    outreach.create().resource(Fixtures.consentPermitting(organisation(GP_SOR))).execute();

    // $process-message as HAPI's own builder sends it, and as a named operation with a Parameters input
    Bundle answer = outreach.operation().processMessage().setMessageBundle(Fixtures.referralTo(GP_SOR))
        .synchronous(Bundle.class).execute();
    Bundle referral = Fixtures.referralTo(GP_SOR);
    Bundle second = outreach.operation().onServer().named("$process-message")
        .withParameter(Parameters.class, "content", referral).returnResourceType(Bundle.class).execute();
    assertThat(List.of(answer, second)).allSatisfy(response ->
        assertThat(((MessageHeader) response.getEntryFirstRep().getResource()).getResponse().getCode())
            .isEqualTo(MessageHeader.ResponseType.OK));
    Task task = outreach.search().forResource(Task.class)
        .where(Task.IDENTIFIER.exactly().code(Fixtures.messageId(referral))).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (Task) e.getResource()).findFirst().orElseThrow();
    assertThat(outreach.read().resource(Task.class).withId(task.getIdElement().getIdPart()).execute().getFocus().getIdentifier()
        .getValue()).isEqualTo(Fixtures.messageId(referral));
    Bundle toTheGp = outreach.search().forResource(Task.class)
        .where(Task.OWNER.hasId("Organization/" + SampleParty.GP.id()))
        .and(Task.PATIENT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(CitizenIdentifier.CPR, Fixtures.CPR)))
        .and(Task.CODE.exactly().code("referral"))
        .returnBundle(Bundle.class).execute();
    assertThat(toTheGp.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).contains(task.getIdElement().getIdPart());
    assertThat(outreach.read().resource(Bundle.class).withId(Fixtures.messageId(referral)).execute().getType())
        .isEqualTo(Bundle.BundleType.MESSAGE);
    assertThatThrownBy(() -> outreach.operation().onServer().named("$process-message")
        .withParameter(Parameters.class, "content", Fixtures.referralTo(GP_SOR))
        .andParameter("async", new org.hl7.fhir.r4.model.BooleanType(true)).returnResourceType(Bundle.class).execute())
        .isInstanceOf(UnprocessableEntityException.class);

    // the GP refers a citizen to the outreach team: it lands in the team's inbox, which marks it handled
    IGenericClient gp = clientOf(SampleParty.GP);
    gp.operation().processMessage().setMessageBundle(example("referral-from-gp-to-outreach.json")).synchronous(Bundle.class)
        .execute();
    Bundle inbox = outreach.search().forResource(Task.class)
        .where(Task.OWNER.hasId("Organization/" + SampleParty.OUTREACH.id())).and(Task.STATUS.exactly().code("requested"))
        .returnBundle(Bundle.class).execute();
    Task item = (Task) inbox.getEntryFirstRep().getResource();
    item.setStatus(Task.TaskStatus.COMPLETED);
    assertThat(((Task) outreach.update().resource(item).execute().getResource()).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);

    // two identifiers of one citizen, linked through the operation's Parameters input
    Patient citizen = new Patient();
    citizen.addIdentifier().setSystem(CitizenIdentifier.LOCAL_OUTREACH).setValue("svb-777");
    citizen.addIdentifier().setSystem(CitizenIdentifier.CPR).setValue("0909809012");
    Patient linked = outreach.operation().onType(Patient.class).named("$link-identifiers")
        .withParameter(Parameters.class, "patient", citizen).returnResourceType(Patient.class).execute();
    assertThat(linked.getIdentifier()).hasSize(2);

    // the privacy officer pages through the citizen's audit trail
    IGenericClient officer = clientOf(SampleParty.PRIVACY_OFFICER);
    Bundle trail = officer.search().forResource(AuditEvent.class)
        .where(AuditEvent.PATIENT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(CitizenIdentifier.CPR, Fixtures.CPR)))
        .count(2).returnBundle(Bundle.class).execute();
    assertThat(trail.getEntry()).hasSize(2);
    assertThat(officer.loadPage().next(trail).execute().getEntry()).isNotEmpty();
  }
}
