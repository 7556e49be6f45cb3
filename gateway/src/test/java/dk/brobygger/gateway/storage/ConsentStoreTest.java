package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.consent.StoredConsent;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.consent.ConsentRefusal;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.StorageTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class ConsentStoreTest {

  static final CitizenIdentifier OLE = Fixtures.cpr("0101601234");
  static final CitizenIdentifier KNUD = Fixtures.replacementCpr("0101609XY1");

  TestStorage storage;
  ConsentStore consents;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
    consents = storage.consents();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aNewConsentIsVersionOneWithIdAndMetaInItsStoredJsonAndIsAudited() {
    Consent given = Fixtures.consent(OLE, ConsentState.ACTIVE);

    StoredConsent stored = consents.create(given, "svendborg-nurse");

    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored.citizen()).isEqualTo(OLE);
    assertThat(stored.status()).isEqualTo("active");
    assertThat(stored.recordedBy()).isEqualTo("svendborg-nurse");
    Consent json = FhirContext.forR4Cached().newJsonParser()
        .parseResource(Consent.class, new String(stored.json(), StandardCharsets.UTF_8));
    assertThat(json.getIdElement().getIdPart()).isEqualTo(stored.id());
    assertThat(json.getMeta().getVersionId()).isEqualTo("1");
    assertThat(json.getMeta().getLastUpdated().toInstant()).isEqualTo(stored.recordedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(given.hasId()).as("the caller's resource is left alone").isFalse();
    assertThat(consents.current(stored.id())).hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(1));

    StoredAuditEntry audited = storage.audit().read(1, 10).get(0);
    assertThat(audited.entry().action()).isEqualTo(AuditAction.CONSENT_CREATED);
    assertThat(audited.entry().outcome().code()).isEqualTo("created");
    assertThat(audited.entry().consent()).contains(new ConsentVersion(stored.id(), 1));
    assertThat(audited.entry().citizen()).contains(OLE);
    assertThat(audited.entry().actor()).isEqualTo("svendborg-nurse");
  }

  @Test
  void updatesAddVersionsAndHistoryListsThemNewestFirst() {
    StoredConsent v1 = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");
    storage.clock().advance(Duration.ofMinutes(5));
    StoredConsent v2 = consents.update(v1.id(), Fixtures.consent(OLE, ConsentState.ACTIVE), Optional.of(1L), "nurse");
    storage.clock().advance(Duration.ofMinutes(5));
    StoredConsent v3 = consents.update(v1.id(), Fixtures.consent(OLE, ConsentState.INACTIVE), Optional.empty(), "nurse");

    assertThat(List.of(v2.version(), v3.version())).containsExactly(2L, 3L);
    assertThat(consents.history(v1.id())).extracting(StoredConsent::version).containsExactly(3L, 2L, 1L);
    assertThat(consents.history(v1.id()).get(2).recordedAt()).isEqualTo(v1.recordedAt());
    assertThat(consents.current(v1.id()).orElseThrow().status()).isEqualTo("inactive");
    assertThat(consents.version(v1.id(), 1).orElseThrow().status()).isEqualTo("active");
    assertThat(consents.version(v1.id(), 1).orElseThrow().json()).isEqualTo(v1.json());
    assertThat(consents.version(v1.id(), 4)).isEmpty();
    assertThat(storage.audit().read(1, 10)).extracting(e -> e.entry().action()).containsExactly(
        AuditAction.CONSENT_CREATED, AuditAction.CONSENT_CHANGED, AuditAction.CONSENT_WITHDRAWN);
  }

  @Test
  void anUpdateAgainstAStaleVersionIsAConflictAndChangesNothing() {
    StoredConsent v1 = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");
    consents.update(v1.id(), Fixtures.consent(OLE, ConsentState.ACTIVE), Optional.of(1L), "nurse");

    assertThatThrownBy(() -> consents.update(
        v1.id(), Fixtures.consent(OLE, ConsentState.INACTIVE), Optional.of(1L), "other-nurse"))
        .isInstanceOfSatisfying(ConsentRefusal.StaleVersion.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));

    assertThat(consents.current(v1.id()).orElseThrow().version()).isEqualTo(2);
    assertThat(storage.count("consent_version")).isEqualTo(2);
    assertThat(storage.audit().lastSequence()).isEqualTo(2);
  }

  @Test
  void anUpdateOfAnUnknownConsentIsNotFound() {
    assertThatThrownBy(() -> consents.update(
        "no-such-id", Fixtures.consent(OLE, ConsentState.ACTIVE), Optional.empty(), "nurse"))
        .isInstanceOfSatisfying(ConsentRefusal.UnknownConsent.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.NOT_FOUND));
    assertThat(storage.count("consent_version")).isZero();
  }

  @Test
  void aConsentCannotBeMovedToAnotherCitizen() {
    StoredConsent v1 = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");

    assertThatThrownBy(() -> consents.update(
        v1.id(), Fixtures.consent(KNUD, ConsentState.ACTIVE), Optional.empty(), "nurse"))
        .isInstanceOfSatisfying(ConsentRefusal.InvalidConsent.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID));
  }

  @Test
  void aConsentWithoutAPatientIdentifierIsInvalid() {
    Consent anonymous = Fixtures.consent(OLE, ConsentState.ACTIVE);
    anonymous.getPatient().setIdentifier(null);

    assertThatThrownBy(() -> consents.create(anonymous, "nurse"))
        .isInstanceOfSatisfying(ConsentRefusal.InvalidConsent.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID));
    assertThat(storage.count("consent")).isZero();
  }

  @Test
  void concurrentUpdatesOfOneConsentTakeTurnsAndNeverCollide() throws Exception {
    StoredConsent v1 = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");
    int threads = 8;

    List<Long> versions = Concurrently.run(threads, t -> consents.update(
        v1.id(), Fixtures.consent(OLE, ConsentState.ACTIVE), Optional.empty(), "nurse-" + t).version());

    assertThat(versions).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, threads + 1).boxed().toList());
    assertThat(consents.current(v1.id()).orElseThrow().version()).isEqualTo(threads + 1);
    assertThat(consents.history(v1.id())).hasSize(threads + 1);
  }

  @Test
  void concurrentUpdatesAgainstTheSameExpectedVersionLetExactlyOneWin() throws Exception {
    StoredConsent v1 = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");

    List<String> outcomes = Concurrently.run(6, t -> {
      try {
        consents.update(v1.id(), Fixtures.consent(OLE, ConsentState.ACTIVE), Optional.of(1L), "nurse-" + t);
        return "updated";
      } catch (ConsentRefusal r) {
        return Fixtures.answeredAs(r).name();
      }
    });

    assertThat(outcomes).containsOnlyOnce("updated").containsOnly("updated", "CONFLICT");
    assertThat(consents.current(v1.id()).orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void searchFindsCurrentVersionsByCitizenAndStatus() {
    StoredConsent oles = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");
    StoredConsent knuds = consents.create(Fixtures.consent(KNUD, ConsentState.ACTIVE), "nurse");
    consents.update(knuds.id(), Fixtures.consent(KNUD, ConsentState.INACTIVE), Optional.empty(), "nurse");

    assertThat(consents.search(Optional.of(OLE), Optional.empty())).extracting(StoredConsent::id).containsExactly(oles.id());
    assertThat(consents.search(Optional.of(KNUD), Optional.empty()))
        .extracting(StoredConsent::id, StoredConsent::version).containsExactly(org.assertj.core.groups.Tuple.tuple(knuds.id(), 2L));
    assertThat(consents.search(Optional.empty(), Optional.of("active"))).extracting(StoredConsent::id).containsExactly(oles.id());
    assertThat(consents.search(Optional.of(KNUD), Optional.of("active"))).isEmpty();
    assertThat(consents.search(Optional.empty(), Optional.empty())).hasSize(2);
  }

  @Test
  void currentForACitizenReturnsParsedCurrentVersionsAboutAnyOfTheirIdentifiers() {
    StoredConsent byCpr = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "nurse");
    StoredConsent byReplacement = consents.create(Fixtures.consent(KNUD, ConsentState.ACTIVE), "nurse");
    consents.update(byReplacement.id(), Fixtures.consent(KNUD, ConsentState.INACTIVE), Optional.empty(), "nurse");
    consents.create(Fixtures.consent(Fixtures.cpr("9999999999"), ConsentState.ACTIVE), "nurse");

    List<Consent> found = consents.currentFor(List.of(OLE, KNUD));

    assertThat(found).extracting(c -> c.getIdElement().getIdPart())
        .containsExactlyInAnyOrder(byCpr.id(), byReplacement.id());
    Consent withdrawn = found.stream()
        .filter(c -> c.getIdElement().getIdPart().equals(byReplacement.id())).findFirst().orElseThrow();
    assertThat(withdrawn.getStatus()).isEqualTo(ConsentState.INACTIVE);
    assertThat(withdrawn.getMeta().getVersionId()).isEqualTo("2");
    assertThat(withdrawn.getIdElement().getVersionIdPart()).isEqualTo("2");
    assertThat(consents.currentFor(List.of())).isEmpty();
  }
}
