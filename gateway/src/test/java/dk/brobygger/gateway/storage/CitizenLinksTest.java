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
  void an_identifier_never_linked_expands_to_itself() {
    assertThat(storage.links().expand(List.of(LOCAL))).containsExactly(LOCAL);
  }

  @Test
  void linking_returns_the_whole_citizen_and_expanding_any_of_its_identifiers_finds_the_rest() {
    List<CitizenIdentifier> citizen = storage.links().link(List.of(LOCAL, REPLACEMENT), "svendborg-nurse");

    assertThat(citizen).containsExactly(LOCAL, REPLACEMENT);
    assertThat(storage.links().expand(List.of(REPLACEMENT))).containsExactly(REPLACEMENT, LOCAL);
    assertThat(storage.links().expand(List.of(STRANGER))).containsExactly(STRANGER);
  }

  @Test
  void links_are_transitive_so_a_later_cpr_joins_everything_the_local_id_was_linked_to() {
    storage.links().link(List.of(LOCAL, REPLACEMENT), "nurse");

    List<CitizenIdentifier> citizen = storage.links().link(List.of(REPLACEMENT, CPR), "nurse");

    assertThat(citizen).containsExactly(REPLACEMENT, CPR, LOCAL);
    assertThat(storage.links().expand(List.of(CPR))).containsExactly(CPR, REPLACEMENT, LOCAL);
    assertThat(storage.links().expand(List.of(LOCAL))).containsExactlyInAnyOrder(LOCAL, REPLACEMENT, CPR);
    assertThat(storage.links().expand(List.of(LOCAL)).get(0)).isEqualTo(LOCAL);
  }

  @Test
  void linking_two_citizens_that_each_have_links_joins_both_groups() {
    storage.links().link(List.of(LOCAL, REPLACEMENT), "nurse");
    storage.links().link(List.of(CPR, STRANGER), "nurse");

    storage.links().link(List.of(LOCAL, CPR), "nurse");

    assertThat(storage.links().expand(List.of(STRANGER))).containsExactlyInAnyOrder(STRANGER, CPR, LOCAL, REPLACEMENT);
  }

  @Test
  void linking_identifiers_already_linked_writes_nothing_and_audits_nothing() {
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
  void a_new_link_is_audited_about_the_first_identifier_without_spelling_out_the_cpr_number() {
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
  void a_cpr_named_first_is_the_entrys_citizen_and_appears_nowhere_else_in_it() {
    storage.links().link(List.of(CPR, LOCAL), "nurse");

    StoredAuditEntry stored = storage.audit().read(1, 10).get(0);
    assertThat(stored.entry().citizen()).contains(CPR);
    assertThat(stored.entry().reasons()).containsExactly("linked " + LOCAL.token() + " to CPR xxxxxx-1234");
    assertThat(stored.canonicalJson().split("0101601234", -1)).hasSize(2);
  }

  @Test
  void linking_nothing_is_rejected() {
    assertThatThrownBy(() -> storage.links().link(List.of(), "nurse"))
        .isInstanceOfSatisfying(CitizenRefusal.NoIdentifierGiven.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID));
  }

  @Test
  void concurrent_links_of_the_same_pair_store_one_link_and_one_audit_entry() throws Exception {
    List<List<CitizenIdentifier>> results = Concurrently.run(6, t -> storage.links().link(
        t % 2 == 0 ? List.of(LOCAL, CPR) : List.of(CPR, LOCAL), "nurse-" + t));

    assertThat(results).allSatisfy(r -> assertThat(r).containsExactlyInAnyOrder(LOCAL, CPR));
    assertThat(storage.count("citizen_link")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void expand_inside_a_transaction_sees_the_links_committed_before_it() {
    storage.links().link(List.of(LOCAL, CPR), "nurse");

    List<CitizenIdentifier> citizen = storage.db().read(c -> storage.links().expand(c, List.of(CPR, STRANGER)));

    assertThat(citizen).containsExactly(CPR, STRANGER, LOCAL);
  }
}
