package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.messages.TaskStore;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.messages.MessageRefusal;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.testing.StorageTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class MessageIntakeTest {

  static final ConsentVersion BASIS = new ConsentVersion("consent-1", 3);

  TestStorage storage;
  Recipient gp = Fixtures.recipient("gp-svendborg", "gp");
  Recipient addictionCentre = Fixtures.recipient("misbrugscenter-svendborg", "addiction-centre");

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void acceptingStoresTheMessageItsDecisionARequestedTaskAndADueOutboxRow() {
    ReceivedMessage m = Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1"));

    Acceptance acceptance = storage.intake().accept(m, gp, Fixtures.permit(BASIS), "svendborg-nurse");

    assertThat(acceptance.duplicate()).isFalse();
    DeliveryTask task = storage.tasks().find(acceptance.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.REQUESTED);
    assertThat(task.messageId()).isEqualTo("msg-1");
    assertThat(task.recipientId()).isEqualTo("gp-svendborg");
    assertThat(task.attempts()).isZero();
    assertThat(task.basis()).contains(BASIS);
    assertThat(task.reason()).isEmpty();
    assertThat(task.createdAt()).isEqualTo(storage.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(storage.tasks().forMessage("msg-1")).containsExactly(task);
    assertThat(storage.count("message")).isEqualTo(1);
    assertThat(storage.count("message_citizen")).isEqualTo(2);
    assertThat(storage.count("outbox")).isEqualTo(1);

    AuditEntry decision = storage.audit().read(1, 10).get(0).entry();
    assertThat(decision.action()).isEqualTo(AuditAction.CONSENT_DECISION);
    assertThat(decision.outcome().code()).isEqualTo("permit");
    assertThat(decision.actor()).isEqualTo("svendborg-nurse");
    assertThat(decision.messageId()).contains("msg-1");
    assertThat(decision.recipientId()).contains("gp-svendborg");
    assertThat(decision.citizen()).contains(Fixtures.cpr("0101601234"));
    assertThat(decision.consent()).contains(BASIS);
    assertThat(decision.reasons()).containsExactly("Consent/consent-1/_history/3 permits gp");
  }

  @Test
  void theSameMessageIdAgainStoresNothingAndReturnsTheFirstTask() {
    ReceivedMessage m = Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234"));
    Acceptance first = storage.intake().accept(m, gp, Fixtures.permit(BASIS), "nurse");

    Acceptance again = storage.intake().accept(m, gp, Fixtures.permit(BASIS), "nurse");

    assertThat(again).isEqualTo(new Acceptance(first.taskId(), true));
    assertThat(storage.count("message")).isEqualTo(1);
    assertThat(storage.count("delivery_task")).isEqualTo(1);
    assertThat(storage.count("outbox")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void theSameMessageIdForAnotherRecipientIsAConflict() {
    storage.intake().accept(Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234")), gp, Fixtures.permit(BASIS), "nurse");

    assertThatThrownBy(() -> storage.intake().accept(
        Fixtures.referral("msg-1", addictionCentre, Fixtures.cpr("0101601234")), addictionCentre,
        Fixtures.permit(BASIS), "nurse"))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThat(storage.count("delivery_task")).isEqualTo(1);
  }

  @Test
  void concurrentSubmissionsOfOneMessageCreateOneTask() throws Exception {
    ReceivedMessage m = Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234"));

    List<Acceptance> acceptances = Concurrently.run(6, t -> storage.intake().accept(m, gp, Fixtures.permit(BASIS), "nurse"));

    assertThat(acceptances).extracting(Acceptance::taskId).containsOnly(acceptances.get(0).taskId());
    assertThat(acceptances).filteredOn(a -> !a.duplicate()).hasSize(1);
    assertThat(storage.count("delivery_task")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void whenTheAuditEntryCannotBeWrittenNothingOfTheAcceptanceIsStored() throws SQLException {
    // Occupy the audit sequence number the acceptance will draw, so its audit insert hits a
    // duplicate key after the message, Task and outbox rows were written in the same transaction.
    try (Connection c = storage.db().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO audit_log (seq, action, recorded_at, actor, outcome, canonical_json)"
                + " VALUES (1, 'AUDIT_READ', CURRENT_TIMESTAMP, 'test', 'occupied', '{}')")) {
      s.executeUpdate();
      c.commit();
    }

    assertThatThrownBy(() -> storage.intake().accept(
        Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234")), gp, Fixtures.permit(BASIS), "nurse"))
        .isInstanceOf(Failed.class);

    assertThat(storage.count("message")).isZero();
    assertThat(storage.count("message_citizen")).isZero();
    assertThat(storage.count("delivery_task")).isZero();
    assertThat(storage.count("outbox")).isZero();
    assertThat(storage.count("audit_log")).isEqualTo(1);
    assertThat(storage.audit().lastSequence()).isZero();
  }

  @Test
  void aRefusalRecordsTheDenyDecisionAndNothingElse() {
    ReceivedMessage m = Fixtures.referral("msg-2", addictionCentre, Fixtures.cpr("0101601234"));

    storage.intake().refuse(m, addictionCentre, Fixtures.deny("no consent permits addiction-centre"), "nurse");

    assertThat(storage.count("message")).isZero();
    assertThat(storage.count("delivery_task")).isZero();
    assertThat(storage.count("outbox")).isZero();
    AuditEntry decision = storage.audit().read(1, 10).get(0).entry();
    assertThat(decision.action()).isEqualTo(AuditAction.CONSENT_DECISION);
    assertThat(decision.outcome().code()).isEqualTo("deny");
    assertThat(decision.recipientId()).contains("misbrugscenter-svendborg");
    assertThat(decision.consent()).isEmpty();
    assertThat(decision.reasons()).containsExactly("no consent permits addiction-centre");
  }

  @Test
  void aMessageRefusedBeforeCanBeAcceptedOnceConsentPermitsIt() {
    ReceivedMessage m = Fixtures.referral("msg-3", gp, Fixtures.cpr("0101601234"));
    storage.intake().refuse(m, gp, Fixtures.deny("no consent"), "nurse");

    Acceptance acceptance = storage.intake().accept(m, gp, Fixtures.permit(BASIS), "nurse");

    assertThat(acceptance.duplicate()).isFalse();
    assertThat(storage.audit().read(1, 10)).extracting(e -> e.entry().outcome().code()).containsExactly("deny", "permit");
  }

  @Test
  void acceptTakesOnlyAPermitAndRefuseOnlyADeny() {
    ReceivedMessage m = Fixtures.referral("msg-4", gp, Fixtures.cpr("0101601234"));
    assertThatThrownBy(() -> storage.intake().accept(m, gp, Fixtures.deny("no"), "nurse"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.intake().refuse(m, gp,
        new dk.brobygger.fhir.consent.Decision(dk.brobygger.fhir.consent.Decision.Verdict.PERMIT, Optional.of(BASIS),
            List.of(), Set.of(), Set.of()), "nurse"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.count("audit_log")).isZero();
  }

  @Test
  void anAcceptedMessageSurvivesClosingAndReopeningTheDatabase() {
    Acceptance acceptance = storage.intake().accept(
        Fixtures.referral("msg-5", gp, Fixtures.cpr("0101601234")), gp, Fixtures.permit(BASIS), "nurse");
    storage.db().close();

    try (Database reopened = Database.open(storage.settings())) {
      assertThat(new TaskStore(reopened).find(acceptance.taskId()))
          .hasValueSatisfying(t -> assertThat(t.messageId()).isEqualTo("msg-5"));
      assertThat(new AuditLog(reopened).read(1, 10)).hasSize(1);
    }
  }
}
