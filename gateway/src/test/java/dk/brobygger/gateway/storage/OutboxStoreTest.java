package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.delivery.AttemptOutcome;
import dk.brobygger.delivery.AttemptOutcome.Result;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.outbox.InFlightDisclosures;
import dk.brobygger.gateway.testing.StorageTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class OutboxStoreTest {

  static final ConsentVersion BASIS = new ConsentVersion("consent-1", 1);
  static final Duration LEASE = Duration.ofMinutes(2);

  TestStorage storage;
  Recipient gp;
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

  private Acceptance accept(String messageId) {
    return storage.intake().accept(
        Fixtures.referral(messageId, gp, Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1")),
        gp, Fixtures.permit(BASIS), "nurse");
  }

  private static AttemptOutcome outcome(Disclosure d, Result result, String reason, Optional<Decision> recheck) {
    boolean sent = recheck.map(Decision::permits).orElse(false) && result != Result.CANCELLED;
    return new AttemptOutcome(
        d,
        result,
        reason,
        sent && result != Result.RETRY ? Optional.of(result == Result.DELIVERED ? 200 : 400) : Optional.empty(),
        sent ? Optional.of("5d41402abc4b2a76b9719d911017c592") : Optional.empty(),
        result == Result.RETRY ? Optional.of(Instant.parse("2025-03-03T09:00:00Z")) : Optional.empty(),
        recheck);
  }

  private static Optional<Decision> permitted() {
    return Optional.of(Fixtures.permit(BASIS));
  }

  @Test
  void aClaimLeasesDueRowsInOrderAndHandsOutEverythingDeliveryNeeds() {
    Acceptance first = accept("msg-1");
    Acceptance second = accept("msg-2");
    ReceivedMessage sent = Fixtures.referral("msg-1", gp, Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1"));

    List<Disclosure> claimed = outbox.claim(10);

    assertThat(claimed).extracting(Disclosure::taskId).containsExactly(first.taskId(), second.taskId());
    Disclosure d = claimed.get(0);
    assertThat(d.messageId()).isEqualTo("msg-1");
    assertThat(d.recipient()).isEqualTo(gp);
    assertThat(d.citizen()).containsExactly(Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1"));
    assertThat(d.purpose()).isEqualTo(Code.TREATMENT);
    assertThat(d.body()).isEqualTo(sent.canonicalJson());
    assertThat(d.attempt()).isEqualTo(1);
    assertThat(d.acceptedAt()).isEqualTo(storage.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(storage.tasks().find(first.taskId()).orElseThrow().state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(outbox.claim(10)).as("leased rows are not handed out twice").isEmpty();
    assertThat(storage.outbox("instance-b", LEASE).claim(10)).as("nor to another instance").isEmpty();
  }

  @Test
  void aStopReturnsItsUnfinishedLeasesAtOnceToAnotherInstanceAndTheCutOffAttemptRecordsNothing() {
    accept("msg-1");
    accept("msg-2");
    Disclosure cutOff = outbox.claim(1).get(0);
    OutboxStore instanceB = storage.outbox("instance-b", LEASE);

    assertThat(instanceB.releaseLeases()).as("another instance's leases are not its to return").isZero();
    assertThat(outbox.releaseLeases()).isEqualTo(1);

    // no waiting for the lease to expire: the clock has not moved
    assertThat(instanceB.claim(10)).extracting(Disclosure::messageId).containsExactly("msg-1", "msg-2");
    // (a 2xx it still got would be recorded: see a_2xx_is_recorded_when_the_same_instance_took_the_row_again...)
    assertThatThrownBy(() -> outbox.record(outcome(cutOff, Result.RETRY, "recipient answered 503", permitted())))
        .isInstanceOf(Failed.class);
  }

  @Test
  void aClaimTakesAtMostTheNumberAskedFor() {
    accept("msg-1");
    accept("msg-2");
    accept("msg-3");

    assertThat(outbox.claim(2)).extracting(Disclosure::messageId).containsExactly("msg-1", "msg-2");
    assertThat(outbox.claim(2)).extracting(Disclosure::messageId).containsExactly("msg-3");
  }

  @Test
  void anExpiredLeaseLetsAnotherInstanceTakeTheRowAndTheFirstCanNoLongerSettleIt() {
    accept("msg-1");
    Disclosure byA = outbox.claim(1).get(0);
    storage.clock().advance(LEASE.plusSeconds(1));
    OutboxStore instanceB = storage.outbox("instance-b", LEASE);

    Disclosure byB = instanceB.claim(1).get(0);

    assertThat(byB.outboxId()).isEqualTo(byA.outboxId());
    assertThat(byB.attempt()).isEqualTo(1);
    assertThatThrownBy(() -> outbox.record(outcome(byA, Result.RETRY, "recipient answered 503", permitted())))
        .isInstanceOf(Failed.class).hasMessageContaining("lease");
    assertThat(storage.tasks().find(byA.taskId()).orElseThrow().state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(storage.audit().lastSequence()).as("only the acceptance was audited").isEqualTo(1);

    instanceB.record(outcome(byB, Result.DELIVERED, "recipient answered 200", permitted()));
    assertThat(storage.tasks().find(byB.taskId()).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
  }

  @Test
  void aRecipients2xxIsRecordedEvenAfterTheLeaseRanOutAndTheTaskNeverEndsCancelled() {
    accept("msg-1");
    Disclosure byA = outbox.claim(1).get(0);
    storage.clock().advance(LEASE.plusSeconds(1));
    OutboxStore instanceB = storage.outbox("instance-b", LEASE);
    Disclosure byB = instanceB.claim(1).get(0);

    outbox.record(outcome(byA, Result.DELIVERED, "recipient answered HTTP 200", permitted()));
    assertThatThrownBy(() -> instanceB.record(outcome(byB, Result.CANCELLED, "consent withdrawn", Optional.empty())))
        .isInstanceOf(Failed.class).hasMessageContaining("lease");

    DeliveryTask task = storage.tasks().find(byA.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(task.reason()).contains("recipient answered HTTP 200 (after this attempt's lease had run out)");
    assertThat(instanceB.claim(1)).as("the row is finished").isEmpty();
  }

  /**
   * Found by issue 8's long model run (seed 8, one gateway, under load): a clock jump ran the lease
   * out during an attempt, the same instance took the row again, the recipient answered that second
   * attempt 400 and the first 200. The first's 2xx found no lease and was dropped: the Task ended
   * failed although the recipient had the message.
   */
  @Test
  void a2xxIsRecordedWhenTheSameInstanceTookTheRowAgainAndTheLaterAttemptSettledFirst() {
    accept("msg-1");
    Disclosure first = outbox.claim(1).get(0);
    storage.clock().advance(LEASE.plusSeconds(1));
    Disclosure again = outbox.claim(1).get(0);
    assertThat(again.outboxId()).isEqualTo(first.outboxId());

    outbox.record(outcome(again, Result.FAILED, "recipient rejected the message: HTTP 400", permitted()));
    outbox.record(outcome(first, Result.DELIVERED, "recipient answered HTTP 200", permitted()));

    DeliveryTask task = storage.tasks().find(first.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(task.reason()).contains("recipient answered HTTP 200 (after this attempt's lease had run out)");
    assertThat(outbox.claim(1)).as("the row is finished").isEmpty();
  }

  @Test
  void aTaskStoppedByConsentAfterAnUnansweredAttemptSaysTheRecipientMayHaveItInsteadOfCancelled() {
    Acceptance accepted = accept("msg-1");
    InFlightDisclosures fence = new InFlightDisclosures(storage.db(), storage.audit(), storage.links(), storage.clock());
    Disclosure first = outbox.claim(1).get(0);
    fence.enter(first, storage.clock().instant().plusSeconds(10));
    fence.sending(first, Fixtures.permit(BASIS), first.body(), "5d41402abc4b2a76b9719d911017c592");
    outbox.record(outcome(first, Result.RETRY, "recipient did not answer within PT10S", permitted()));
    storage.clock().advance(Duration.ofHours(1));
    Disclosure second = outbox.claim(1).get(0);

    outbox.record(outcome(second, Result.CANCELLED, "consent consent-1 version 2 was withdrawn", Optional.empty()));

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.FAILED);
    assertThat(task.reason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("consent consent-1 version 2 was withdrawn; not marked cancelled: attempt 1 (payload sha256"
            + " 5d41402abc4b2a76b9719d911017c592, sent ")
        .endsWith(") got no answer, so the recipient may have received the message"));
  }

  /** Found by the consent model's long run: a deny naming many consents made the outcome unrecordable, the Task stuck. */
  @Test
  void aReasonLongerThanTheTaskHoldsIsRecordedWithItsStartAndEnd() {
    Acceptance accepted = accept("msg-1");
    Disclosure d = outbox.claim(1).get(0);
    String reason = "consent no longer permits this disclosure: " + "consent x was withdrawn; ".repeat(150) + "the end";

    outbox.record(outcome(d, Result.CANCELLED, reason, Optional.empty()));

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.reason()).hasValueSatisfying(r -> assertThat(r).hasSizeLessThanOrEqualTo(OutboxStore.REASON_CHARS)
        .startsWith("consent no longer permits this disclosure: ").contains(" [...] ").endsWith("the end"));
  }

  @Test
  void aTaskWhoseEverySentAttemptWasAnsweredEndsCancelledWhenConsentStopsIt() {
    Acceptance accepted = accept("msg-1");
    InFlightDisclosures fence = new InFlightDisclosures(storage.db(), storage.audit(), storage.links(), storage.clock());
    Disclosure first = outbox.claim(1).get(0);
    fence.enter(first, storage.clock().instant().plusSeconds(10));
    fence.sending(first, Fixtures.permit(BASIS), first.body(), "5d41402abc4b2a76b9719d911017c592");
    outbox.record(new AttemptOutcome(first, Result.RETRY, "recipient answered HTTP 503", Optional.of(503),
        Optional.of("5d41402abc4b2a76b9719d911017c592"), Optional.of(Instant.parse("2025-03-03T09:00:00Z")), permitted()));
    storage.clock().advance(Duration.ofHours(1));
    Disclosure second = outbox.claim(1).get(0);

    outbox.record(outcome(second, Result.CANCELLED, "consent consent-1 version 2 was withdrawn", Optional.empty()));

    assertThat(storage.tasks().find(accepted.taskId()).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void aDeliveredAttemptCompletesTheTaskAndIsAuditedWithWhatWasSent() {
    Acceptance accepted = accept("msg-1");
    Disclosure d = outbox.claim(1).get(0);
    storage.clock().advance(Duration.ofSeconds(3));

    outbox.record(outcome(d, Result.DELIVERED, "recipient answered 200", permitted()));

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.reason()).contains("recipient answered 200");
    assertThat(task.lastModified()).isAfter(task.createdAt());
    AuditEntry attempt = storage.audit().read(2, 1).get(0).entry();
    assertThat(attempt.action()).isEqualTo(AuditAction.DISCLOSURE_ATTEMPT);
    assertThat(attempt.outcome().code()).isEqualTo("delivered");
    assertThat(attempt.actor()).isEqualTo("gateway");
    assertThat(attempt.attempt()).contains(1);
    assertThat(attempt.sentSha256()).contains("5d41402abc4b2a76b9719d911017c592");
    assertThat(attempt.consent()).contains(BASIS);
    assertThat(attempt.messageId()).contains("msg-1");
    assertThat(attempt.recipientId()).contains("gp-svendborg");
    assertThat(attempt.reasons()).startsWith("recipient answered 200");
    storage.clock().advance(Duration.ofDays(1));
    assertThat(outbox.claim(10)).as("a settled row is never claimed again").isEmpty();
  }

  @Test
  void aRetryCountsTheAttemptReleasesTheLeaseAndWaitsUntilItsTime() {
    Acceptance accepted = accept("msg-1");
    Disclosure first = outbox.claim(1).get(0);

    outbox.record(outcome(first, Result.RETRY, "recipient answered 503", permitted()));

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.reason()).contains("recipient answered 503");
    assertThat(outbox.claim(1)).as("not due before 09:00").isEmpty();
    storage.clock().advance(Duration.ofHours(1));
    Disclosure second = storage.outbox("instance-b", LEASE).claim(1).get(0);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(storage.audit().read(2, 1).get(0).entry().outcome().code()).isEqualTo("retry");
  }

  @Test
  void aRoundStoppedBecauseTheConsentStoreWasUnavailableIsNotCountedAsAnAttempt() {
    Acceptance accepted = accept("msg-1");
    Disclosure first = outbox.claim(1).get(0);

    outbox.record(outcome(first, Result.RETRY, "consent store unavailable", Optional.empty()));

    assertThat(storage.tasks().find(accepted.taskId()).orElseThrow().attempts()).isZero();
    assertThat(storage.audit().read(2, 1).get(0).entry().attempt()).isEmpty();
    storage.clock().advance(Duration.ofHours(1));
    assertThat(outbox.claim(1).get(0).attempt()).isEqualTo(1);
  }

  @Test
  void aCancelledRoundCancelsTheTaskWithoutCountingAnAttempt() {
    Acceptance accepted = accept("msg-1");
    Disclosure d = outbox.claim(1).get(0);
    Decision withdrawn = Decision.deny(Optional.of(new ConsentVersion("consent-1", 2)), List.of("consent withdrawn"));

    outbox.record(outcome(d, Result.CANCELLED, "consent no longer permits", Optional.of(withdrawn)));

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.attempts()).isZero();
    assertThat(task.basis()).contains(new ConsentVersion("consent-1", 2));
    AuditEntry audited = storage.audit().read(2, 1).get(0).entry();
    assertThat(audited.outcome().code()).isEqualTo("cancelled");
    assertThat(audited.reasons()).containsExactly("consent no longer permits", "consent withdrawn");
    assertThat(audited.sentSha256()).isEmpty();
  }

  @Test
  void aFailedAttemptFailsTheTaskForGood() {
    Acceptance accepted = accept("msg-1");
    Disclosure d = outbox.claim(1).get(0);

    outbox.record(outcome(d, Result.FAILED, "recipient answered 400", permitted()));

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.FAILED);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(storage.audit().read(2, 1).get(0).entry().outcome().code()).isEqualTo("failed");
    storage.clock().advance(Duration.ofDays(1));
    assertThat(outbox.claim(10)).isEmpty();
  }

  @Test
  void anOutcomeCanBeRecordedOnlyOnce() {
    accept("msg-1");
    Disclosure d = outbox.claim(1).get(0);
    outbox.record(outcome(d, Result.DELIVERED, "recipient answered 200", permitted()));

    assertThatThrownBy(() -> outbox.record(outcome(d, Result.FAILED, "recipient answered 400", permitted())))
        .isInstanceOf(Failed.class);
    assertThat(storage.tasks().find(d.taskId()).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(storage.audit().lastSequence()).isEqualTo(2);
  }

  @Test
  void aRowWhoseRecipientLeftTheDirectoryIsSettledAsFailedAndNotHandedOut() {
    Acceptance accepted = accept("msg-1");
    storage.remove(gp);

    assertThat(outbox.claim(10)).isEmpty();

    DeliveryTask task = storage.tasks().find(accepted.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.FAILED);
    assertThat(task.reason()).contains("recipient gp-svendborg is no longer in the directory");
    AuditEntry audited = storage.audit().read(2, 1).get(0).entry();
    assertThat(audited.action()).isEqualTo(AuditAction.DISCLOSURE_ATTEMPT);
    assertThat(audited.outcome().code()).isEqualTo("failed");
    storage.add(gp);
    assertThat(outbox.claim(10)).as("settled for good").isEmpty();
  }

  @Test
  void twoInstancesClaimingConcurrentlyNeverTakeTheSameRowAndTogetherTakeAll() throws Exception {
    int rows = 120;
    for (int i = 0; i < rows; i++) {
      accept("msg-" + i);
    }
    List<OutboxStore> instances = List.of(storage.outbox("instance-a", LEASE), storage.outbox("instance-b", LEASE));

    List<List<Long>> claimedPerThread = Concurrently.run(4, t -> {
      OutboxStore mine = instances.get(t % 2);
      List<Long> claimed = new ArrayList<>();
      while (true) {
        List<Disclosure> batch = mine.claim(7);
        if (batch.isEmpty()) {
          return claimed;
        }
        batch.forEach(d -> claimed.add(d.outboxId()));
      }
    });

    List<Long> all = claimedPerThread.stream().flatMap(List::stream).toList();
    Set<Long> distinct = new HashSet<>(all);
    assertThat(all).hasSize(rows);
    assertThat(distinct).hasSize(rows);
  }
}
