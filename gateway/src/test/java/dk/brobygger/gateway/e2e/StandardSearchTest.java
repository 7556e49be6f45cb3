package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.fhir.message.MessageEvent;
import dk.brobygger.fhir.message.MessageProfiles;
import dk.brobygger.keys.SampleParty;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search, paging, conditional create and operation inputs as FHIR R4 defines them, through the real
 * gateway. One gateway serves every test; each test uses citizens of its own.
 */
@EndToEndTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandardSearchTest {

  private static final String JSON = "application/fhir+json";

  private WireMockServer recipients;
  private TestGateway gateway;

  @BeforeAll
  void start(@TempDir Path temp) {
    recipients = AcceptingRecipients.start();
    gateway = TestGateway.start(temp.resolve("data"), AcceptingRecipients.endpoints(recipients));
  }

  @AfterAll
  void stop() {
    gateway.close();
    recipients.stop();
  }

  private static String query(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Class<T> type, HttpResponse<String> r) {
    return Fixtures.FHIR.newJsonParser().parseResource(type, r.body());
  }

  private Bundle search(String path, String... headers) {
    HttpResponse<String> answer = gateway.get(path, headers);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    return parse(Bundle.class, answer);
  }

  /** GET on a link the gateway gave (an absolute URL). */
  private Bundle follow(String url) {
    return search(url.substring(URI.create(gateway.fhir()).toString().length()));
  }

  private static Consent consentOf(String cpr) {
    Consent consent = Fixtures.consentPermitting(organisation(GP_SOR));
    consent.getPatient().getIdentifier().setValue(cpr);
    return consent;
  }

  private HttpResponse<String> create(Consent consent, String... headers) {
    return gateway.post("/Consent", JSON, Fixtures.json(consent).getBytes(StandardCharsets.UTF_8), headers);
  }

  private static List<String> ids(Bundle bundle) {
    return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
        .map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }

  @Test
  void theCitizenIsAPatientReferenceAnIdentifierOrAChainAndTheOldTokenFormIsRefusedSayingSo() {
    String cpr = "0202802345";
    String consent = parse(Consent.class, create(consentOf(cpr))).getIdElement().getIdPart();
    Bundle patients = search("/Patient?identifier=" + query(CitizenIdentifier.CPR + "|" + cpr));
    Patient patient = (Patient) patients.getEntryFirstRep().getResource();
    String patientId = patient.getIdElement().getIdPart();
    assertThat(patientId).doesNotContain(cpr);
    assertThat(parse(Patient.class, gateway.get("/Patient/" + patientId)).getIdentifierFirstRep().getValue()).isEqualTo(cpr);

    assertThat(ids(search("/Consent?patient=Patient/" + patientId))).containsExactly(consent);
    assertThat(ids(search("/Consent?patient=" + patientId))).containsExactly(consent);
    assertThat(ids(search("/Consent?patient=" + query(gateway.fhir() + "/Patient/" + patientId)))).containsExactly(consent);
    assertThat(ids(search("/Consent?patient:identifier=" + query(CitizenIdentifier.CPR + "|" + cpr)))).containsExactly(consent);
    assertThat(ids(search("/Consent?patient.identifier=" + query(CitizenIdentifier.CPR + "|" + cpr)))).containsExactly(consent);
    assertThat(ids(search("/Consent?patient=Patient/never-served"))).isEmpty();

    HttpResponse<String> oldForm = gateway.get("/Consent?patient=" + query(CitizenIdentifier.CPR + "|" + cpr));
    assertThat(oldForm.statusCode()).isEqualTo(422);
    assertThat(parse(OperationOutcome.class, oldForm).getIssueFirstRep().getDiagnostics()).contains("patient:identifier=system|value");
    assertThat(gateway.get("/Consent?patient=Organization/x").statusCode()).isEqualTo(422);
  }

  @Test
  void everySearchIsPagedWithSelfNextAndPreviousLinksAndCountsOnlyWhenAsked() {
    String cpr = "0303803456";
    for (int i = 0; i < 3; i++) {
      assertThat(create(consentOf(cpr)).statusCode()).isEqualTo(201);
    }
    String citizen = "patient:identifier=" + query(CitizenIdentifier.CPR + "|" + cpr);

    Bundle first = search("/Consent?" + citizen + "&_count=2");
    assertThat(first.getTotal()).isEqualTo(3);
    assertThat(ids(first)).hasSize(2);
    assertThat(first.getLink("self").getUrl()).isEqualTo(gateway.fhir() + "/Consent?" + citizen + "&_count=2&_offset=0");
    assertThat(first.getLink("previous")).isNull();
    Bundle second = follow(first.getLink("next").getUrl());
    assertThat(ids(second)).hasSize(1).doesNotContainAnyElementsOf(ids(first));
    assertThat(second.getLink("next")).isNull();
    assertThat(ids(follow(second.getLink("previous").getUrl()))).isEqualTo(ids(first));

    Bundle counted = search("/Consent?" + citizen + "&_summary=count");
    assertThat(counted.getTotal()).isEqualTo(3);
    assertThat(counted.getEntry()).isEmpty();
    assertThat(search("/Consent?" + citizen + "&_total=none").hasTotal()).isFalse();
    // no parameters at all: the caller's own consents, paged
    Bundle all = search("/Consent?_count=1");
    assertThat(all.getLink("next")).isNotNull();
    assertThat(ids(all)).hasSize(1);
    assertThat(search("/Consent?_count=100000").getLink("self").getUrl()).contains("_count=500");
  }

  @Test
  void anUnknownParameterIs400UnlessTheCallerPrefersLenientHandlingThenItIsIgnoredAndLeftOutOfTheSelfLink() {
    HttpResponse<String> strict = gateway.get("/Consent?colour=blue");
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(parse(OperationOutcome.class, strict).getIssueFirstRep().getDiagnostics())
        .contains("'colour' is not supported", "handling=lenient");
    assertThat(gateway.get("/Consent?colour=blue", "Prefer", "handling=strict").statusCode()).isEqualTo(400);
    assertThat(gateway.get("/Task?patient:missing=x").statusCode()).isEqualTo(400);
    assertThat(gateway.get("/AuditEvent?colour=blue").statusCode()).isIn(400, 403);

    Bundle lenient = search("/Consent?colour=blue&status=active&_count=1", "Prefer", "handling=lenient");
    assertThat(lenient.getLink("self").getUrl()).doesNotContain("colour").contains("status=active");
    assertThat(lenient.getEntry()).anySatisfy(e -> assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.OUTCOME));
  }

  @Test
  void conditionalCreateReturnsTheOneMatchCreatesWhenNoneAndRefusesSeveralWith412() {
    Consent consent = consentOf("0404804567");
    consent.addIdentifier().setSystem("https://example.org/consent-forms").setValue("form-17");
    String condition = "identifier=" + query("https://example.org/consent-forms|form-17");

    HttpResponse<String> created = create(consent, "If-None-Exist", condition);
    HttpResponse<String> again = create(consent, "If-None-Exist", condition);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(parse(Consent.class, again).getIdElement().getIdPart())
        .isEqualTo(parse(Consent.class, created).getIdElement().getIdPart());
    assertThat(search("/Consent?identifier=form-17").getTotal()).isEqualTo(1);

    assertThat(create(consent).statusCode()).isEqualTo(201); // unconditional: a second one
    HttpResponse<String> several = create(consent, "If-None-Exist", condition);
    assertThat(several.statusCode()).isEqualTo(412);
    assertThat(parse(OperationOutcome.class, several).getIssueFirstRep().getDiagnostics()).contains("more than one");
    assertThat(create(consent, "If-None-Exist", "colour=blue").statusCode()).isEqualTo(400);
    assertThat(search("/Consent?identifier=form-17").getTotal()).isEqualTo(2);
  }

  @RepeatedTest(3)
  void simultaneousConditionalCreatesOfOneIdentifierStoreOneConsentAndAnswerTheOthersWithIt() throws Exception {
    int requests = 6;
    String form = "race-" + UUID.randomUUID();
    Consent consent = consentOf("0404804567");
    consent.addIdentifier().setSystem("https://example.org/consent-forms").setValue(form);
    String condition = "identifier=" + query("https://example.org/consent-forms|" + form);
    create(consentOf("0404804567")); // the token is fetched before the race, not by every thread at once
    CyclicBarrier start = new CyclicBarrier(requests);
    ExecutorService clients = Executors.newFixedThreadPool(requests);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        answers.add(clients.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          return create(consent, "If-None-Exist", condition);
        }));
      }
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : answers) {
        responses.add(answer.get(2, TimeUnit.MINUTES));
      }
      assertThat(responses.stream().map(HttpResponse::statusCode).toList()).as("one created, the others found it")
          .containsOnlyOnce(201).containsOnly(201, 200);
      Set<String> ids = new HashSet<>();
      responses.forEach(response -> ids.add(parse(Consent.class, response).getIdElement().getIdPart()));
      assertThat(ids).hasSize(1);
      assertThat(search("/Consent?identifier=" + query(form)).getTotal()).isEqualTo(1);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void operationsTakeTheirInputBareOrInParametersAndAsyncIsRefused() {
    Patient link = new Patient();
    link.addIdentifier().setSystem(CitizenIdentifier.LOCAL_OUTREACH).setValue("svb-555");
    link.addIdentifier().setSystem(CitizenIdentifier.CPR).setValue("0505805678");
    Parameters linkParameters = new Parameters();
    linkParameters.addParameter().setName("patient").setResource(link);
    HttpResponse<String> linked = gateway.post("/Patient/$link-identifiers", JSON,
        Fixtures.json(linkParameters).getBytes(StandardCharsets.UTF_8));
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
    assertThat(parse(Patient.class, linked).getIdentifier()).hasSize(2);
    assertThat(parse(Patient.class, linked).getIdElement().getIdPart()).isNotBlank();

    assertThat(create(Fixtures.consentPermitting(organisation(GP_SOR))).statusCode()).isEqualTo(201);
    Bundle referral = Fixtures.referralTo(GP_SOR);
    Parameters message = new Parameters();
    message.addParameter().setName("content").setResource(referral);
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.json(message).getBytes(StandardCharsets.UTF_8));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

    Parameters async = new Parameters();
    async.addParameter().setName("content").setResource(Fixtures.referralTo(GP_SOR));
    async.addParameter().setName("async").setValue(new org.hl7.fhir.r4.model.BooleanType(true));
    HttpResponse<String> refused = gateway.post("/$process-message", JSON, Fixtures.json(async).getBytes(StandardCharsets.UTF_8));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(parse(OperationOutcome.class, refused).getIssueFirstRep().getDiagnostics()).contains("async=true is not supported");
    assertThat(gateway.post("/$process-message?async=true", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR))).statusCode())
        .isEqualTo(422);
  }

  @Test
  void operatorsFindTasksByCitizenRecipientStatusEventTimeAndMessageId() {
    assertThat(create(Fixtures.consentPermitting(organisation(GP_SOR))).statusCode()).isEqualTo(201);
    Bundle referral = Fixtures.referralTo(GP_SOR);
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(referral));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String task = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    String messageId = Fixtures.messageId(referral);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String gp = SampleParty.GP.id();

    assertThat(ids(search("/Task?identifier=" + messageId))).containsExactly(task);
    assertThat(ids(search("/Task?focus=Bundle/" + messageId))).containsExactly(task);
    String byCitizen = "/Task?patient:identifier=" + query(CitizenIdentifier.CPR + "|" + Fixtures.CPR);
    assertThat(ids(search(byCitizen))).contains(task);
    assertThat(ids(search(byCitizen + "&owner=Organization/" + gp + "&code=referral&authored-on=ge" + today
        + "&_lastUpdated=ge" + today))).contains(task);
    assertThat(ids(search(byCitizen + "&code=appointment-request"))).doesNotContain(task);
    assertThat(ids(search(byCitizen + "&authored-on=lt" + today))).isEmpty();
    assertThat(ids(search("/Task?identifier=" + messageId + "&status=requested,in-progress,completed,failed"))).containsExactly(task);
    assertThat(ids(search("/Task?identifier=" + messageId + "&status=cancelled"))).isEmpty();
    Task found = (Task) search("/Task?identifier=" + messageId).getEntryFirstRep().getResource();
    assertThat(found.getFor().getIdentifier().getValue()).isEqualTo(Fixtures.CPR);
    assertThat(found.getCode().getCoding()).extracting(c -> c.getCode()).contains("fulfill", "referral");

    // the GP it went to finds it too; the other team does not
    assertThat(ids(parse(Bundle.class, gateway.as(SampleParty.GP).get("/Task?identifier=" + messageId)))).containsExactly(task);
    assertThat(ids(parse(Bundle.class, gateway.asSecondTeam().get("/Task?identifier=" + messageId)))).isEmpty();
  }
  @Test
  void everyInteractionTheCapabilityStatementDeclaresIsAnsweredByARouteAndDeleteIsNotDeclared() {
    org.hl7.fhir.r4.model.CapabilityStatement cs = parse(org.hl7.fhir.r4.model.CapabilityStatement.class, gateway.get("/metadata"));
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    int probes = 0;
    for (var resource : cs.getRestFirstRep().getResource()) {
      String type = "/" + resource.getType();
      for (var interaction : resource.getInteraction()) {
        HttpResponse<String> answer = switch (interaction.getCode()) {
          case SEARCHTYPE -> gateway.get(type);
          case CREATE -> gateway.post(type, JSON, empty);
          case READ -> gateway.get(type + "/probe");
          case UPDATE -> gateway.put(type + "/probe", JSON, "{}");
          case VREAD -> gateway.get(type + "/probe/_history/1");
          case HISTORYINSTANCE -> gateway.get(type + "/probe/_history");
          default -> throw new AssertionError("declared but not probed: " + interaction.getCode());
        };
        assertRouted(resource.getType() + " " + interaction.getCode().toCode(), answer);
        probes++;
      }
      for (var operation : resource.getOperation()) {
        HttpResponse<String> answer = gateway.post(type + "/$" + operation.getName(), JSON, empty);
        if (answer.statusCode() == 405) {
          // an instance-level operation (Task/{id}/$retry, Endpoint/{id}/$pause) lives under an id
          answer = gateway.post(type + "/probe/$" + operation.getName(), JSON, empty);
        }
        assertRouted(operation.getName(), answer);
        probes++;
      }
      assertThat(resource.getInteraction()).extracting(i -> i.getCode())
          .doesNotContain(org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction.DELETE);
    }
    for (var operation : cs.getRestFirstRep().getOperation()) {
      assertRouted(operation.getName(), gateway.post("/$" + operation.getName(), JSON, empty));
      probes++;
    }
    assertThat(probes).isGreaterThan(12);
    assertThat(gateway.delete("/Consent/probe").statusCode()).isEqualTo(405);
    // every profile the statement names is one the gateway publishes
    List<String> profiles = new ArrayList<>();
    for (var resource : cs.getRestFirstRep().getResource()) {
      if (resource.hasProfile()) {
        profiles.add(resource.getProfile());
        assertThat(resource.getSupportedProfile()).extracting(p -> p.getValue()).contains(resource.getProfile());
      }
      resource.getSupportedProfile().forEach(p -> profiles.add(p.getValue()));
    }
    assertThat(profiles).contains(MessageProfiles.CONSENT, MessageProfiles.profileUrl(MessageEvent.REFERRAL));
    for (String profile : profiles) {
      assertThat(search("/StructureDefinition?url=" + query(profile)).getTotal()).as(profile).isEqualTo(1);
    }
    assertThat(cs.getRestFirstRep().getResource()).extracting(r -> r.getType()).contains("Bundle", "MessageDefinition");
    assertThat(cs.getRestFirstRep().getSecurity().getExtensionByUrl(
        "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris").getExtensionByUrl("token").getValue()
        .primitiveValue()).isEqualTo(gateway.tokenUrl());
  }

  /** Answered by a route of its own: not the router's 404 for an unknown path, not 405. */
  private static void assertRouted(String what, HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(what + ": " + answer.body()).isNotEqualTo(405);
    assertThat(answer.body()).as(what).doesNotContain("no such resource or operation");
  }
}
