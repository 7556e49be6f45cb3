package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.citizen.CitizenRefusal;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.StorageTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class CitizenLinksTest {

  static final CitizenIdentifier LOCAL = new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svb-0042");
  static final CitizenIdentifier REPLACEMENT = Fixtures.replacementCpr("0101609XY1");
  static final CitizenIdentifier CPR = Fixtures.cpr("0101601234");
  static final CitizenIdentifier STRANGER = new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svb-0099");

  TestStorage storage;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void anIdentifierNeverLinkedExpandsToItself() {
    assertThat(storage.links().expand(List.of(LOCAL))).containsExactly(LOCAL);
  }

  @Test
  void linkingReturnsTheWholeCitizenAndExpandingAnyOfItsIdentifiersFindsTheRest() {
    List<CitizenIdentifier> citizen = storage.links().link(List.of(LOCAL, REPLACEMENT), "svendborg-nurse");

    assertThat(citizen).containsExactly(LOCAL, REPLACEMENT);
    assertThat(storage.links().expand(List.of(REPLACEMENT))).containsExactly(REPLACEMENT, LOCAL);
    assertThat(storage.links().expand(List.of(STRANGER))).containsExactly(STRANGER);
  }

  @Test
  void linksAreTransitiveSoALaterCprJoinsEverythingTheLocalIdWasLinkedTo() {
    storage.links().link(List.of(LOCAL, REPLACEMENT), "nurse");

    List<CitizenIdentifier> citizen = storage.links().link(List.of(REPLACEMENT, CPR), "nurse");

    assertThat(citizen).containsExactly(REPLACEMENT, CPR, LOCAL);
    assertThat(storage.links().expand(List.of(CPR))).containsExactly(CPR, REPLACEMENT, LOCAL);
    assertThat(storage.links().expand(List.of(LOCAL))).containsExactlyInAnyOrder(LOCAL, REPLACEMENT, CPR);
    assertThat(storage.links().expand(List.of(LOCAL)).get(0)).isEqualTo(LOCAL);
  }

  @Test
  void linkingTwoCitizensThatEachHaveLinksJoinsBothGroups() {
    storage.links().link(List.of(LOCAL, REPLACEMENT), "nurse");
    storage.links().link(List.of(CPR, STRANGER), "nurse");

    storage.links().link(List.of(LOCAL, CPR), "nurse");

    assertThat(storage.links().expand(List.of(STRANGER))).containsExactlyInAnyOrder(STRANGER, CPR, LOCAL, REPLACEMENT);
  }

  @Test
  void linkingIdentifiersAlreadyLinkedWritesNothingAndAuditsNothing() {
    storage.links().link(List.of(LOCAL, REPLACEMENT), "nurse");
    storage.links().link(List.of(REPLACEMENT, CPR), "nurse");
    long links = storage.count("citizen_link");
    long entries = storage.count("audit_log");

    List<CitizenIdentifier> again = storage.links().link(List.of(CPR, LOCAL), "nurse");
    storage.links().link(List.of(LOCAL, REPLACEMENT), "nurse");
    storage.links().link(List.of(LOCAL), "nurse");

    assertThat(again).containsExactlyInAnyOrder(LOCAL, REPLACEMENT, CPR);
    assertThat(storage.count("citizen_link")).isEqualTo(links).isEqualTo(2);
    assertThat(storage.count("audit_log")).isEqualTo(entries).isEqualTo(2);
  }

  @Test
  void aNewLinkIsAuditedAboutTheFirstIdentifierWithoutSpellingOutTheCprNumber() {
    storage.links().link(List.of(LOCAL, REPLACEMENT, CPR), "svendborg-nurse");

    List<StoredAuditEntry> entries = storage.audit().read(1, 10);
    assertThat(entries).hasSize(1);
    AuditEntry linked = entries.get(0).entry();
    assertThat(linked.action()).isEqualTo(AuditAction.CITIZEN_LINKED);
    assertThat(linked.outcome().code()).isEqualTo("linked");
    assertThat(linked.actor()).isEqualTo("svendborg-nurse");
    assertThat(linked.citizen()).contains(LOCAL);
    assertThat(linked.reasons()).containsExactly(
        "linked " + REPLACEMENT.token() + " to " + LOCAL.token(),
        "linked CPR xxxxxx-1234 to " + LOCAL.token());
    assertThat(entries.get(0).canonicalJson()).doesNotContain("0101601234");
    assertThat(storage.audit().about(storage.links().expand(List.of(CPR)))).hasSize(1);
  }

  @Test
  void aCprNamedFirstIsTheEntrysCitizenAndAppearsNowhereElseInIt() {
    storage.links().link(List.of(CPR, LOCAL), "nurse");

    StoredAuditEntry stored = storage.audit().read(1, 10).get(0);
    assertThat(stored.entry().citizen()).contains(CPR);
    assertThat(stored.entry().reasons()).containsExactly("linked " + LOCAL.token() + " to CPR xxxxxx-1234");
    assertThat(stored.canonicalJson().split("0101601234", -1)).hasSize(2);
  }

  @Test
  void linkingNothingIsRejected() {
    assertThatThrownBy(() -> storage.links().link(List.of(), "nurse"))
        .isInstanceOfSatisfying(CitizenRefusal.NoIdentifierGiven.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID));
  }

  @Test
  void concurrentLinksOfTheSamePairStoreOneLinkAndOneAuditEntry() throws Exception {
    List<List<CitizenIdentifier>> results = Concurrently.run(6, t -> storage.links().link(
        t % 2 == 0 ? List.of(LOCAL, CPR) : List.of(CPR, LOCAL), "nurse-" + t));

    assertThat(results).allSatisfy(r -> assertThat(r).containsExactlyInAnyOrder(LOCAL, CPR));
    assertThat(storage.count("citizen_link")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void expandInsideATransactionSeesTheLinksCommittedBeforeIt() {
    storage.links().link(List.of(LOCAL, CPR), "nurse");

    List<CitizenIdentifier> citizen = storage.db().read(c -> storage.links().expand(c, List.of(CPR, STRANGER)));

    assertThat(citizen).containsExactly(CPR, STRANGER, LOCAL);
  }
}
