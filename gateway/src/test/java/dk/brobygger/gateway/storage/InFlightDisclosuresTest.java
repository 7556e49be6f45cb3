package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.outbox.InFlightDisclosures;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.delivery.AttemptId;
import dk.brobygger.delivery.AttemptOutcome;
import dk.brobygger.delivery.AttemptOutcome.Result;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.StorageTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class InFlightDisclosuresTest {

  static final CitizenIdentifier CPR = Fixtures.cpr("0101601234");
  static final CitizenIdentifier LOCAL = new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svb-0042");
  static final ConsentVersion CONSENT = new ConsentVersion("consent-1", 2);
  static final Decision PERMIT = new Decision(Decision.Verdict.PERMIT, Optional.of(CONSENT), List.of("permitted"),
      Set.of(), Set.of());
  /** Far longer than any wait below: the tests' own bound on a withdrawal that should return. */
  static final Duration RETURNS_WITHIN = Duration.ofSeconds(10);
  /** How long a withdrawal is watched to show that it is still waiting. */
  static final Duration STILL_WAITING_AFTER = Duration.ofMillis(300);

  TestStorage storage;
  InFlightDisclosures fence;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
    fence = new InFlightDisclosures(storage.db(), storage.audit(), storage.links(), storage.clock());
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static Disclosure disclosure(long outboxId, CitizenIdentifier citizen) {
    return new Disclosure(outboxId, "task-" + outboxId, "message-" + outboxId, Fixtures.recipient("gp-1", "gp"),
        List.of(citizen), Code.TREATMENT, "{}".getBytes(StandardCharsets.UTF_8), 1, Instant.parse("2025-03-03T08:00:00Z"));
  }

  private static AttemptOutcome ended(Disclosure attempt, Result result) {
    return ended(attempt, result, "recipient answered HTTP 503");
  }

  private static AttemptOutcome ended(Disclosure attempt, Result result, String reason) {
    return new AttemptOutcome(attempt, result, reason, Optional.empty(), Optional.empty(),
        result == Result.RETRY ? Optional.of(Instant.parse("2025-03-03T09:00:00Z")) : Optional.empty(), Optional.empty());
  }

  private Instant inTenSeconds() {
    return storage.clock().instant().plusSeconds(10);
  }

  private CompletableFuture<List<InFlightDisclosures.InFlight>> withdrawalOf(CitizenIdentifier citizen) {
    Instant withdrawnAt = storage.clock().instant();
    return CompletableFuture.supplyAsync(() -> fence.awaitWithdrawal(citizen, CONSENT, withdrawnAt, "nurse"));
  }

  private static void assertStillWaiting(CompletableFuture<?> withdrawal) {
    assertThatThrownBy(() -> withdrawal.get(STILL_WAITING_AFTER.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void aWithdrawalWaitsForAnAttemptInFlightAndNamesItWithItsOutcomeOnceItEnded() throws Exception {
    Disclosure attempt = disclosure(1, CPR);
    fence.enter(attempt, inTenSeconds());
    fence.sending(attempt, PERMIT, attempt.body(), "aa11");

    CompletableFuture<List<InFlightDisclosures.InFlight>> withdrawal = withdrawalOf(CPR);
    assertStillWaiting(withdrawal);
    fence.leave(ended(attempt, Result.DELIVERED));

    assertThat(withdrawal.get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(
        new InFlightDisclosures.InFlight("task-1", 1, "message-1", "gp-1", "aa11", "delivered"));
    assertThat(storage.audit().about(List.of(CPR))).anySatisfy(e -> {
      assertThat(e.entry().action()).isEqualTo(AuditAction.WITHDRAWAL_FENCED);
      assertThat(e.entry().reasons()).contains("Task/task-1 attempt 1 to gp-1 (payload sha256 aa11): delivered");
    });
  }

  @Test
  void theSendIsAuditedWithPayloadRecipientAndConsentVersionBeforeItHappens() {
    Disclosure attempt = disclosure(1, CPR);
    fence.enter(attempt, inTenSeconds());

    fence.sending(attempt, PERMIT, attempt.body(), "aa11");

    assertThat(storage.audit().about(List.of(CPR))).singleElement().satisfies(e -> {
      assertThat(e.entry().action()).isEqualTo(AuditAction.DISCLOSURE_ATTEMPT);
      assertThat(e.entry().outcome().code()).isEqualTo("sending");
      assertThat(e.entry().sentSha256()).contains("aa11");
      assertThat(e.entry().reasons())
          .containsExactly("sending payload sha256 aa11 to recipient gp-1 under consent consent-1 version 2");
    });
  }

  @Test
  void anAttemptUnderALinkedIdentifierHoldsBackTheWithdrawalOfAConsentUnderAnother() throws Exception {
    storage.links().link(List.of(LOCAL, CPR), "nurse");
    Disclosure attempt = disclosure(1, CPR);
    fence.enter(attempt, inTenSeconds());
    fence.sending(attempt, PERMIT, attempt.body(), "aa11");

    CompletableFuture<List<InFlightDisclosures.InFlight>> withdrawal = withdrawalOf(LOCAL);
    assertStillWaiting(withdrawal);
    fence.leave(ended(attempt, Result.RETRY));

    assertThat(withdrawal.get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS))
        .extracting(InFlightDisclosures.InFlight::outcome).containsExactly("retry (recipient answered HTTP 503)");
  }

  @Test
  void anAttemptStoppedAtItsRecheckIsWaitedForButNotNamed() throws Exception {
    Disclosure attempt = disclosure(1, CPR);
    fence.enter(attempt, inTenSeconds());

    CompletableFuture<List<InFlightDisclosures.InFlight>> withdrawal = withdrawalOf(CPR);
    assertStillWaiting(withdrawal);
    fence.leave(ended(attempt, Result.CANCELLED));

    assertThat(withdrawal.get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
    assertThat(storage.audit().about(List.of(CPR))).noneMatch(e -> e.entry().action() == AuditAction.WITHDRAWAL_FENCED);
  }

  @Test
  void anAttemptPastItsDeadlineNoLongerHoldsAWithdrawalAndIsNamedUnconfirmed() {
    Disclosure attempt = disclosure(1, CPR);
    fence.enter(attempt, inTenSeconds());
    fence.sending(attempt, PERMIT, attempt.body(), "aa11");
    storage.clock().advance(Duration.ofSeconds(12));

    List<InFlightDisclosures.InFlight> named =
        fence.awaitWithdrawal(CPR, CONSENT, storage.clock().instant(), "nurse");

    assertThat(named).extracting(InFlightDisclosures.InFlight::outcome).containsExactly("unconfirmed");
  }

  @Test
  void theRerunOfAnAttemptWhoseInstanceDiedRegistersAgainAndTheDeadRegistrationIsAbandoned() {
    Disclosure died = disclosure(1, CPR);
    fence.enter(died, inTenSeconds());
    fence.sending(died, PERMIT, died.body(), "aa11");
    storage.clock().advance(Duration.ofMinutes(3)); // the lease expired; another instance claims the row
    Instant withdrawnAt = storage.clock().instant();
    Disclosure rerun = disclosure(1, CPR);
    fence.enter(rerun, inTenSeconds());
    fence.sending(rerun, PERMIT, rerun.body(), "aa11");
    fence.leave(ended(rerun, Result.DELIVERED));

    assertThat(fence.awaitWithdrawal(CPR, CONSENT, withdrawnAt, "nurse"))
        .extracting(InFlightDisclosures.InFlight::outcome).containsExactly("abandoned", "delivered");
  }

  @Test
  void attemptsThatEndedBeforeTheWithdrawalOrAreAboutSomeoneElseAreNeitherWaitedForNorNamed() {
    Disclosure earlier = disclosure(1, CPR);
    fence.enter(earlier, inTenSeconds());
    fence.sending(earlier, PERMIT, earlier.body(), "aa11");
    fence.leave(ended(earlier, Result.DELIVERED));
    Disclosure someoneElse = disclosure(2, Fixtures.cpr("0202602345"));
    fence.enter(someoneElse, inTenSeconds());
    fence.sending(someoneElse, PERMIT, someoneElse.body(), "bb22");
    storage.clock().advance(Duration.ofMinutes(1));

    assertThat(fence.awaitWithdrawal(CPR, CONSENT, storage.clock().instant(), "nurse")).isEmpty();
  }

  @Test
  void aWithdrawalAsksWhicheverInstanceSendsItsCitizensDataToAbortAndNamesWhatTheAbortLeft()
      throws Exception {
    Disclosure attempt = disclosure(1, CPR);
    fence.enter(attempt, inTenSeconds());
    fence.sending(attempt, PERMIT, attempt.body(), "aa11");
    Disclosure someoneElse = disclosure(2, Fixtures.cpr("0202602345"));
    fence.enter(someoneElse, inTenSeconds());
    AttemptId mine = new AttemptId(1, 1);
    AttemptId theirs = new AttemptId(2, 1);
    assertThat(fence.abortsRequested(Set.of(mine, theirs))).isEmpty();

    CompletableFuture<List<InFlightDisclosures.InFlight>> withdrawal = withdrawalOf(CPR);
    Instant giveUp = Instant.now().plus(RETURNS_WITHIN);
    while (fence.abortsRequested(Set.of(mine, theirs)).isEmpty() && Instant.now().isBefore(giveUp)) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polls, as an instance does
    }
    assertThat(fence.abortsRequested(Set.of(mine, theirs)))
        .containsExactly(java.util.Map.entry(mine, "consent consent-1 version 2 was withdrawn"));
    assertStillWaiting(withdrawal);
    fence.leave(ended(attempt, Result.RETRY, "aborted: consent consent-1 version 2 was withdrawn; aborted before"
        + " completion; recipient may have received bytes (2 of 2 payload bytes written)"));

    assertThat(withdrawal.get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).singleElement()
        .extracting(InFlightDisclosures.InFlight::describe).asString()
        .isEqualTo("Task/task-1 attempt 1 to gp-1 (payload sha256 aa11): retry (aborted: consent consent-1 version 2"
            + " was withdrawn; aborted before completion; recipient may have received bytes (2 of 2 payload bytes"
            + " written))");
    assertThat(fence.abortsRequested(Set.of(mine, theirs))).as("an ended attempt is not asked again").isEmpty();
  }
}
