package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.ProofVerifier;
import dk.brobygger.auditproof.note.NoteVerifier;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.ConsentDecided;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.DisclosureSettled;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.SentClasses;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.Settlement;
import dk.brobygger.gateway.auditlog.entries.AuditQuery;
import dk.brobygger.gateway.storage.Fixtures;
import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.citizen.PatientIds;
import dk.brobygger.gateway.search.CitizenCriterion;
import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.testing.StorageTest;
import io.vertx.core.MultiMap;
import dk.brobygger.gateway.db.StorageSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy officer's view on a real log: a consent, a referral to the GP that is accepted and
 * delivered (with psychiatric data removed), and a referral to the addiction centre that is refused.
 */
@StorageTest
class PrivacyOfficerApiTest {

  static final CitizenIdentifier CPR = Fixtures.cpr("0101801234");
  static final CitizenIdentifier REPLACEMENT = Fixtures.replacementCpr("0101800X01");
  static final Caller OFFICER = Caller.anonymous("192.0.2.7");
  static final String BASE = "http://gateway.test/fhir";

  @TempDir Path temp;
  AuditTestLog log;
  Recipient gp;
  Recipient addiction;
  ConsentVersion consent;
  AuditEventResource events;
  AuditHttp http;

  @BeforeEach
  void aConsentAReferralDeliveredAndOneRefused(StorageSettings fresh) {
    log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1));
    gp = log.storage.add(Fixtures.recipient("gp-svendborg", "gp"));
    addiction = log.storage.add(Fixtures.recipient("misbrugscenter-svendborg", "addiction-centre"));
    consent = log.storage.consents().create(Fixtures.consent(CPR, Consent.ConsentState.ACTIVE), "nurse@10.0.0.1")
        .consentVersion();
    // The message names the citizen by the replacement number first: only message_citizen links it to the CPR.
    log.storage.intake().accept(Fixtures.referral("msg-gp", gp, REPLACEMENT, CPR), gp, Fixtures.permit(consent),
        "nurse@10.0.0.1");
    log.storage.clock().advance(Duration.ofMinutes(5));
    // What went out after minimisation, as the delivery records it from its sending entry.
    log.storage.audit().append(new DisclosureSettled(log.storage.clock().instant(), "gateway",
        Optional.of(REPLACEMENT), "msg-gp", gp.id(), Settlement.DELIVERED, Optional.of(consent),
        Optional.of(1), Optional.of("ab".repeat(32)),
        Optional.of(new SentClasses(List.of("ServiceRequest", "Patient"), List.of("PSY"), 1)),
        List.of("recipient answered 200", OutboxStore.REMOVED_BEFORE_SENDING + "PSY (1 items)")));
    log.storage.intake().refuse(Fixtures.referral("msg-addiction", addiction, CPR), addiction,
        Fixtures.deny("no consent permits addiction-centre"), "nurse@10.0.0.1");
    log.storage.audit().append(new ConsentDecided(log.storage.clock().instant(), "nurse@10.0.0.1",
        Optional.of(Fixtures.cpr("0202802222")), "msg-other", gp.id(), true, Optional.empty(),
        List.of("someone else")));
    events = new AuditEventResource(log.storage.audit(), new BaseUrl(Optional.empty()), log.storage.clock(),
        new CitizenCriterion(new PatientIds(log.storage.db(), log.storage.clock()), log.storage.links()));
    DisclosureReport reports = new DisclosureReport(log.storage.audit(),
        id -> Optional.ofNullable(Map.of(gp.id(), gp, addiction.id(), addiction).get(id)), log.storage.clock());
    http = new AuditHttp(log.storage.audit(), log.checkpoints, log.checkpointer, reports, log.storage.clock());
  }

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void aPatientSearchFindsTheCitizenByAnyIdentifierAndShapesTheDecisionAsBalpAuthzConsent() {
    Bundle byCpr = search(Map.of("patient:identifier", CPR.token()));
    Bundle byReplacement = search(Map.of("patient:identifier", REPLACEMENT.token()));

    assertThat(ids(byCpr)).containsExactly("1", "2", "3", "4");
    // 6 is the first search's own AUDIT_READ entry: a read about the citizen is part of the citizen's trail.
    assertThat(ids(byReplacement)).containsExactly("1", "2", "3", "4", "6");
    AuditEvent decision = (AuditEvent) byCpr.getEntry().get(1).getResource();
    assertThat(decision.getType().getCode()).isEqualTo("110113");
    assertThat(decision.getSubtypeFirstRep().getCode()).isEqualTo("AuthZ-Consent");
    assertThat(decision.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.AuthZconsent");
    assertThat(decision.getEntity()).extracting(e -> e.getWhat().getReference())
        .contains("Consent/" + consent.consentId() + "/_history/1");
    assertThat(decision.getEntity()).anyMatch(e -> e.getRole().getCode().equals("1")
        && e.getWhat().getIdentifier().getValue().equals(REPLACEMENT.value()));
  }

  @Test
  void agentEntityOutcomeAndDateNarrowTheSearch() {
    assertThat(ids(search(Map.of("agent", "gateway")))).containsExactly("3");
    assertThat(ids(search(Map.of("entity", "msg-addiction")))).containsExactly("4");
    assertThat(ids(search(Map.of("entity", "Consent/" + consent.consentId())))).containsExactly("1", "2", "3");
    assertThat(ids(search(Map.of("outcome", "4")))).containsExactly("4");
    assertThat(ids(search(Map.of("outcome", "deny,delivered")))).containsExactly("3", "4");
    assertThat(ids(search(Map.of("date", "ge2025-03-03T08:20:00Z", "patient:identifier", CPR.token())))).containsExactly("3", "4");
    assertThat(ids(search(Map.of("date", "le2025-03-02")))).isEmpty();
  }

  @Test
  void pagesLinkToTheNextAndPreviousPageAndEverySearchIsRecordedAsAnAuditRead() {
    Bundle first = search(Map.of("_count", "2"));
    Bundle second = search(Map.of("_count", "2", "_offset", "2"));

    assertThat(ids(first)).containsExactly("1", "2");
    assertThat(first.getLink("next").getUrl()).isEqualTo(BASE + "/AuditEvent?_count=2&_offset=2");
    assertThat(first.getLink("previous")).isNull();
    assertThat(ids(second)).containsExactly("3", "4");
    assertThat(second.getLink("previous").getUrl()).isEqualTo(BASE + "/AuditEvent?_count=2&_offset=0");
    List<AuditEntry> reads = log.storage.audit().search(new AuditQuery(Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), java.util.Set.of(), java.util.Set.of(AuditAction.AUDIT_READ)),
        0, 10).stream().map(s -> s.entry()).toList();
    assertThat(reads).hasSize(2).allMatch(e -> e.actor().equals(OFFICER.actor()));
  }

  @Test
  void badSearchParametersAreRejected() {
    assertThatThrownBy(() -> search(Map.of("patient:identifier", "0101801234"))).isInstanceOf(Rejected.class);
    assertThatThrownBy(() -> search(Map.of("patient", CPR.token()))).isInstanceOf(Rejected.class)
        .hasMessageContaining("patient:identifier=system|value");
    assertThatThrownBy(() -> search(Map.of("date", "ge03-03-2025"))).isInstanceOf(Rejected.class);
    assertThatThrownBy(() -> search(Map.of("name", "x"))).isInstanceOf(Rejected.class)
        .hasMessageContaining("'name' is not supported");
    assertThatThrownBy(() -> search(Map.of("_count", "-1"))).isInstanceOf(Rejected.class);
  }

  @Test
  void theDisclosureReportSaysWhoReceivedWhatUnderWhichConsentAndWhatWasRefused() throws Exception {
    RawReply json = http.report(params(Map.of("patient", REPLACEMENT.token())), OFFICER);
    JsonNode report = new ObjectMapper().readTree(json.body());

    assertThat(json.contentType()).isEqualTo("application/json");
    JsonNode disclosure = report.get("disclosures").get(0);
    assertThat(report.get("disclosures")).hasSize(1);
    assertThat(disclosure.get("recipientName").asText()).isEqualTo("Test gp-svendborg");
    assertThat(disclosure.get("consent").asText()).isEqualTo("Consent/" + consent.consentId() + "/_history/1");
    assertThat(disclosure.get("dataSent").toString()).isEqualTo("[\"ServiceRequest\",\"Patient\"]");
    assertThat(disclosure.get("dataRemoved").toString()).isEqualTo("[\"PSY\"]");
    assertThat(report.get("notSent")).hasSize(1);
    assertThat(report.get("notSent").get(0).get("recipientId").asText()).isEqualTo(addiction.id());
    assertThat(report.get("notSent").get(0).get("outcome").asText()).isEqualTo("deny");
    assertThat(report.get("consentChanges").get(0).get("change").asText()).isEqualTo("created");

    String html = new String(http.report(params(Map.of("patient", CPR.token(), "format", "html")), OFFICER).body(),
        StandardCharsets.UTF_8);
    assertThat(html).contains("Oversigt over videregivelse af dine oplysninger", "Test gp-svendborg",
        "henvisningen", "oplysninger om psykisk sygdom", "Test misbrugscenter-svendborg",
        "Dit samtykke gav ikke lov", "Du gav samtykke").doesNotContain("someone else");
    assertThat(log.storage.audit().read(1, 100)).filteredOn(e -> e.entry().action() == AuditAction.AUDIT_READ)
        .hasSize(2).allMatch(e -> e.entry().citizen().isPresent());
  }

  @Test
  void theCheckpointAndProofEndpointsAnswerJsonThatVerifies() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode checkpoint = json.readTree(http.checkpoint(params(Map.of("fresh", "true", "format", "json")), OFFICER).body());
    JsonNode inclusion = json.readTree(http.inclusion(params(Map.of("index", "1", "size", "5")), OFFICER).body());
    JsonNode consistency = json.readTree(http.consistency(params(Map.of("from", "2", "to", "5")), OFFICER).body());

    byte[] root = Base64.getDecoder().decode(checkpoint.get("rootHash").asText());
    assertThat(checkpoint.get("treeSize").asLong()).isEqualTo(5);
    assertThat(checkpoint.get("keyId").asText()).isEqualTo(AuditTestLog.SIGNING_KEY.getKeyID());
    ProofVerifier.verifyInclusion(Base64.getDecoder().decode(inclusion.get("leafHash").asText()), 1, 5,
        hashes(inclusion.get("hashes")), root);
    byte[] root2 = new AuditProofs(log.storage.audit(), log.checkpoints).root(2);
    ProofVerifier.verifyConsistency(2, 5, root2, root, hashes(consistency.get("hashes")));
    assertThatThrownBy(() -> http.inclusion(params(Map.of("index", "1", "size", "6")), OFFICER))
        .isInstanceOf(Rejected.class).hasMessageContaining("not covered by a checkpoint");
    StreamedReply export = http.export(params(Map.of()), OFFICER);
    java.io.StringWriter body = new java.io.StringWriter();
    export.body().writeTo(body);
    assertThat(export.contentType()).isEqualTo("application/x-ndjson");
    assertThat(body.toString().lines()).hasSize(6);
  }

  @Test
  void theCheckpointIsServedAsAC2spSignedNoteThatTheLogsVerifierKeyChecks() {
    RawReply reply = http.checkpoint(params(Map.of("fresh", "true")), OFFICER);
    String note = new String(reply.body(), StandardCharsets.UTF_8);
    String verifierKey = log.checkpointer.verifierKey();

    Checkpoint checkpoint = CheckpointNote.verify(note, NoteVerifier.parse(verifierKey));

    assertThat(reply.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(note).startsWith(Checkpointer.DEFAULT_ORIGIN + "\n5\n")
        .contains("\n\n\u2014 " + Checkpointer.DEFAULT_ORIGIN + " ");
    assertThat(checkpoint.treeSize()).isEqualTo(5);
    assertThat(checkpoint.rootHash()).isEqualTo(new AuditProofs(log.storage.audit(), log.checkpoints).root(5));
    assertThat(verifierKey).startsWith(Checkpointer.DEFAULT_ORIGIN + "+");
    assertThatThrownBy(() -> http.checkpoint(params(Map.of("format", "xml")), OFFICER))
        .isInstanceOf(Rejected.class).hasMessageContaining("format must be note or json");
  }

  private static List<byte[]> hashes(JsonNode array) {
    List<byte[]> hashes = new java.util.ArrayList<>();
    array.forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
    return hashes;
  }

  private Bundle search(Map<String, String> query) {
    return (Bundle) events.search(params(query), Handling.STRICT, BASE, OFFICER).resource();
  }

  private static MultiMap params(Map<String, String> query) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    query.forEach(params::add);
    return params;
  }

  private static List<String> ids(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }
}
