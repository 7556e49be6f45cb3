package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.delivery.AttemptOutcome;
import dk.brobygger.delivery.AttemptOutcome.Result;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.messages.MessageRefusal;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.gateway.outbox.InFlightDisclosures;
import dk.brobygger.gateway.testing.StorageTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class DeliveryAnswersTest {

  static final ConsentVersion BASIS = new ConsentVersion("consent-1", 1);
  static final Duration LEASE = Duration.ofMinutes(2);

  TestStorage storage;
  Recipient gp;
  Recipient team = Fixtures.recipient("gadesygeplejerske-svendborg", "outreach");
  OutboxStore outbox;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
    gp = storage.add(Fixtures.recipient("gp-svendborg", "gp"));
    outbox = storage.outbox("instance-a", LEASE);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  /** Our referral to the GP, accepted and then taken through one delivery round ending in {@code result}. */
  private String referral(String messageId, Result result) {
    String taskId = storage.intake().accept(Fixtures.referral(messageId, gp, Fixtures.cpr("0101601234")), gp,
        Fixtures.permit(BASIS), "nurse").taskId();
    Disclosure d = outbox.claim(1).get(0);
    outbox.record(new AttemptOutcome(
        d,
        result,
        result == Result.RETRY ? "recipient answered 503" : "recipient answered 200",
        Optional.of(result == Result.RETRY ? 503 : 200),
        Optional.of("5d41402abc4b2a76b9719d911017c592"),
        result == Result.RETRY ? Optional.of(storage.clock().instant().plus(Duration.ofMinutes(5))) : Optional.empty(),
        Optional.of(Fixtures.permit(BASIS))));
    return taskId;
  }

  private Acceptance acknowledge(String ackId, String ourMessageId, String code, Optional<String> reason) {
    return storage.answers().acknowledge(Fixtures.acknowledgement(ackId, team), ourMessageId, code, reason, "gp-system");
  }

  @Test
  void anOkAcknowledgementCompletesTheTaskAndIsAuditedWithTheAcknowledgedMessage() {
    String taskId = referral("msg-1", Result.RETRY);
    long auditBefore = storage.count("audit_log");

    Acceptance acceptance = acknowledge("ack-1", "msg-1", "ok", Optional.empty());

    assertThat(acceptance).isEqualTo(new Acceptance(taskId, false));
    DeliveryTask task = storage.tasks().find(taskId).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(task.businessStatus()).contains("acknowledged");
    assertThat(storage.count("audit_log")).isEqualTo(auditBefore + 1);
    List<StoredAuditEntry> trail = storage.audit().forMessage("msg-1");
    AuditEntry ack = trail.get(trail.size() - 1).entry();
    assertThat(ack.action()).isEqualTo(AuditAction.ACKNOWLEDGEMENT_RECEIVED);
    assertThat(ack.outcome().code()).isEqualTo("ok");
    assertThat(ack.actor()).isEqualTo("gp-system");
    assertThat(ack.recipientId()).contains("gp-svendborg");
    assertThat(ack.citizen()).contains(Fixtures.cpr("0101601234"));
    assertThat(ack.reasons()).containsExactly("acknowledgement ack-1 of message msg-1");
  }

  @Test
  void aFinalAcknowledgementSettlesADeliveryWaitingForARetrySoItIsNotSentAgain() {
    referral("msg-1", Result.RETRY);

    acknowledge("ack-1", "msg-1", "ok", Optional.empty());
    storage.clock().advance(Duration.ofHours(1));

    assertThat(outbox.claim(10)).isEmpty();
  }

  @Test
  void anAcknowledgementLeavesADeliveryInFlightToRecordItsOwnAttempt() {
    storage.intake().accept(Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234")), gp, Fixtures.permit(BASIS), "nurse");
    Disclosure inFlight = outbox.claim(1).get(0);

    acknowledge("ack-1", "msg-1", "ok", Optional.empty());
    outbox.record(new AttemptOutcome(inFlight, Result.DELIVERED, "recipient answered 200", Optional.of(200),
        Optional.of("5d41402abc4b2a76b9719d911017c592"), Optional.empty(), Optional.of(Fixtures.permit(BASIS))));

    DeliveryTask task = storage.tasks().find(inFlight.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(task.businessStatus()).contains("acknowledged");
    assertThat(storage.audit().forMessage("msg-1")).extracting(e -> e.entry().action()).containsExactly(
        AuditAction.CONSENT_DECISION, AuditAction.ACKNOWLEDGEMENT_RECEIVED, AuditAction.DISCLOSURE_ATTEMPT);
  }

  @Test
  void aFatalErrorAcknowledgementFailsADeliveredTaskAndRecordsTheRecipientsReason() {
    String taskId = referral("msg-1", Result.DELIVERED);

    acknowledge("ack-1", "msg-1", "fatal-error", Optional.of("patient unknown at this practice"));

    DeliveryTask task = storage.tasks().find(taskId).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.FAILED);
    assertThat(task.reason()).contains("recipient reported fatal-error: patient unknown at this practice");
    assertThat(task.businessStatus()).contains("acknowledged: fatal-error");
    AuditEntry ack = last(storage.audit().forMessage("msg-1"));
    assertThat(ack.outcome().code()).isEqualTo("fatal-error");
    assertThat(ack.reasons()).containsExactly(
        "acknowledgement ack-1 of message msg-1", "recipient reported fatal-error: patient unknown at this practice");
  }

  @Test
  void aTransientErrorAcknowledgementChangesOnlyTheBusinessStatus() {
    String taskId = referral("msg-1", Result.DELIVERED);
    DeliveryTask before = storage.tasks().find(taskId).orElseThrow();

    acknowledge("ack-1", "msg-1", "transient-error", Optional.of("system maintenance"));

    DeliveryTask after = storage.tasks().find(taskId).orElseThrow();
    assertThat(after.state()).isEqualTo(before.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(after.reason()).isEqualTo(before.reason());
    assertThat(after.businessStatus()).contains("acknowledged: transient-error");
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(last(storage.audit().forMessage("msg-1")).outcome().code()).isEqualTo("transient-error");
  }

  @Test
  void anOkAcknowledgementDoesNotReviveAFailedTask() {
    String taskId = referral("msg-1", Result.FAILED);

    acknowledge("ack-1", "msg-1", "ok", Optional.empty());

    DeliveryTask task = storage.tasks().find(taskId).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.FAILED);
    assertThat(task.businessStatus()).contains("acknowledged");
  }

  @Test
  void anOkAcknowledgementCompletesATaskThatStoppedNotKnowingWhetherItsMessageArrived() {
    String taskId = storage.intake().accept(Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234")), gp,
        Fixtures.permit(BASIS), "nurse").taskId();
    InFlightDisclosures fence = new InFlightDisclosures(storage.db(), storage.audit(), storage.links(), storage.clock());
    Disclosure first = outbox.claim(1).get(0);
    fence.enter(first, storage.clock().instant().plusSeconds(10));
    fence.sending(first, Fixtures.permit(BASIS), first.body(), "5d41402abc4b2a76b9719d911017c592");
    outbox.record(new AttemptOutcome(first, Result.RETRY, "recipient did not answer within PT30S", Optional.empty(),
        Optional.of("5d41402abc4b2a76b9719d911017c592"), Optional.of(storage.clock().instant()),
        Optional.of(Fixtures.permit(BASIS))));
    storage.clock().advance(Duration.ofMinutes(1));
    outbox.record(new AttemptOutcome(outbox.claim(1).get(0), Result.CANCELLED, "consent withdrawn", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(storage.tasks().find(taskId).orElseThrow().state()).isEqualTo(TaskState.FAILED);

    acknowledge("ack-1", "msg-1", "ok", Optional.empty());

    DeliveryTask task = storage.tasks().find(taskId).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(task.reason()).contains("the recipient acknowledged the message");
  }

  @Test
  void theSameAcknowledgementAgainChangesNothingAndIsReportedAsADuplicate() {
    String taskId = referral("msg-1", Result.DELIVERED);
    Acceptance first = acknowledge("ack-1", "msg-1", "fatal-error", Optional.of("patient unknown"));
    DeliveryTask afterFirst = storage.tasks().find(taskId).orElseThrow();
    long audit = storage.count("audit_log");

    Acceptance second = acknowledge("ack-1", "msg-1", "fatal-error", Optional.of("patient unknown"));
    Acceptance third = acknowledge("ack-1", "msg-1", "fatal-error", Optional.of("patient unknown"));

    assertThat(first.duplicate()).isFalse();
    assertThat(second).isEqualTo(new Acceptance(taskId, true)).isEqualTo(third);
    assertThat(storage.tasks().find(taskId)).contains(afterFirst);
    assertThat(storage.count("audit_log")).isEqualTo(audit);
    assertThat(storage.count("acknowledgement")).isEqualTo(1);
  }

  @Test
  void anAcknowledgementIdUsedByAnotherMessageIsAConflict() {
    referral("msg-1", Result.DELIVERED);
    referral("msg-2", Result.DELIVERED);
    acknowledge("ack-1", "msg-1", "ok", Optional.empty());

    assertThatThrownBy(() -> acknowledge("ack-1", "msg-2", "ok", Optional.empty()))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThatThrownBy(() -> acknowledge("msg-2", "msg-1", "ok", Optional.empty()))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
  }

  @Test
  void anAcknowledgementOfAMessageTheGatewayNeverDeliveredIsRejectedAndStoresNothing() {
    assertThatThrownBy(() -> acknowledge("ack-1", "never-sent", "ok", Optional.empty()))
        .isInstanceOfSatisfying(MessageRefusal.NotDeliveredHere.class, r -> {
          assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).contains("never-sent").contains("not delivered by this gateway");
        });
    assertThat(storage.count("message")).isZero();
    assertThat(storage.count("acknowledgement")).isZero();
    assertThat(storage.count("audit_log")).isZero();
  }

  @Test
  void anUnknownAcknowledgementCodeIsRejected() {
    String taskId = referral("msg-1", Result.DELIVERED);
    long audit = storage.count("audit_log");

    assertThatThrownBy(() -> acknowledge("ack-1", "msg-1", "maybe", Optional.empty()))
        .isInstanceOfSatisfying(MessageRefusal.UnknownAcknowledgementCode.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID));
    assertThat(storage.tasks().find(taskId).orElseThrow().businessStatus()).isEmpty();
    assertThat(storage.count("audit_log")).isEqualTo(audit);
  }

  @Test
  void concurrentCopiesOfOneAcknowledgementApplyItOnce() throws Exception {
    String taskId = referral("msg-1", Result.DELIVERED);
    long version = storage.tasks().find(taskId).orElseThrow().version();

    List<Acceptance> acceptances = Concurrently.run(6, t -> acknowledge("ack-1", "msg-1", "ok", Optional.empty()));

    assertThat(acceptances).extracting(Acceptance::taskId).containsOnly(taskId);
    assertThat(acceptances).filteredOn(a -> !a.duplicate()).hasSize(1);
    assertThat(storage.tasks().find(taskId).orElseThrow().version()).isEqualTo(version + 1);
    assertThat(storage.count("acknowledgement")).isEqualTo(1);
  }

  private static AuditEntry last(List<StoredAuditEntry> entries) {
    return entries.get(entries.size() - 1).entry();
  }
}
