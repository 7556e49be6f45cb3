package dk.brobygger.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dk.brobygger.delivery.AttemptOutcome.Result.CANCELLED;
import static dk.brobygger.delivery.AttemptOutcome.Result.DELIVERED;
import static dk.brobygger.delivery.AttemptOutcome.Result.FAILED;
import static dk.brobygger.delivery.AttemptOutcome.Result.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.message.FhirFormat;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery routes end to end: an in-memory outbox on one side, WireMock recipients on the other. */
class DeliveryServiceTest {

  /** How long a wait for the delivery service may take before the test fails. */
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  /** Look at once, then every 10 ms: Awaitility's 100 ms would slow the many short waits. */
  @BeforeAll
  static void promptPolling() {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
  }

  private static final String PATH = "/fhir/$process-message";

  private WireMockServer recipient;
  private InMemoryOutbox outbox;
  private DeliveryService service;
  private ConsentRecheck consent = disclosure -> Fixtures.permit();
  private Minimisation minimisation = (disclosure, permit) -> disclosure.body();
  /** No signature, no encryption: the payload as {@code application/fhir+json}, so stubs can read it. */
  private Sealing sealing = (disclosure, payload) -> new SealedPayload(payload, FhirFormat.JSON.mimeType());
  private final AtomicInteger rechecks = new AtomicInteger();
  private RecordingFence fence;

  @BeforeEach
  void startRecipient() {
    recipient = new WireMockServer(options().dynamicPort());
    recipient.start();
    outbox = new InMemoryOutbox();
    fence = new RecordingFence(() -> recipient.findAll(postRequestedFor(urlEqualTo(PATH))).size());
  }

  @AfterEach
  void stopEverything() {
    if (service != null) {
      service.close();
    }
    recipient.stop();
  }

  private void startDelivery(DeliveryPolicy policy) {
    ConsentRecheck counted = disclosure -> {
      rechecks.incrementAndGet();
      return consent.recheck(disclosure);
    };
    service = DeliveryService.start(outbox, counted, fence, minimisation, sealing, policy,
        Clock.systemUTC());
  }

  private String endpoint() {
    return recipient.baseUrl() + PATH;
  }

  private void recipientAnswers(int status) {
    recipient.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)));
  }

  private List<LoggedRequest> received() {
    return recipient.findAll(postRequestedFor(urlEqualTo(PATH)));
  }

  private void awaitSettled(Disclosure disclosure) {
    await("the disclosure's outcome is final").atMost(PATIENCE).until(() -> outbox.isSettled(disclosure));
  }

  private void awaitFirstOutcome(Disclosure disclosure) {
    await("an outcome is recorded").atMost(PATIENCE).until(() -> !outbox.outcomesOf(disclosure).isEmpty());
  }

  @Test
  void aConsentedDisclosureIsDeliveredExactlyOnceWithItsExactBytesAndIdempotencyKey() {
    recipientAnswers(200);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);
    int claimsAtDelivery = outbox.claimCount();
    await("two more polls have run").atMost(PATIENCE).until(() -> outbox.claimCount() >= claimsAtDelivery + 2);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(DELIVERED);
    List<LoggedRequest> requests = received();
    assertThat(requests).hasSize(1);
    LoggedRequest request = requests.get(0);
    assertThat(request.getBody()).isEqualTo(disclosure.body());
    assertThat(request.getHeader("Idempotency-Key")).isEqualTo(disclosure.messageId());
    assertThat(request.getHeader("X-Brobygger-Attempt")).isEqualTo("1");
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/fhir+json");
    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.httpStatus()).contains(200);
    assertThat(outcome.sentSha256()).contains(Sha256.hex(disclosure.body()));
    assertThat(outcome.recheck()).contains(Fixtures.permit());
  }

  @Test
  void anAttemptEntersTheFenceBeforeItsRecheckRecordsTheSendBeforeThePostAndLeavesAfterTheOutcome() {
    recipientAnswers(200);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);
    await("the attempt to leave the fence").atMost(PATIENCE).until(() -> fence.calls().size() == 3);

    assertThat(fence.calls()).containsExactly(
        new RecordingFence.Call("enter", disclosure.taskId(), 1, 0),
        new RecordingFence.Call("sending", disclosure.taskId(), 1, 0),
        new RecordingFence.Call("leave DELIVERED", disclosure.taskId(), 1, 1));
  }

  @Test
  void anAttemptWhoseSendCannotBeRecordedSendsNothing() {
    recipientAnswers(200);
    fence.refuseSending();
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitFirstOutcome(disclosure);

    assertThat(outbox.resultsOf(disclosure).get(0)).isEqualTo(RETRY);
    assertThat(received()).isEmpty();
  }

  @Test
  void aCancelledAttemptLeavesTheFenceWithoutRecordingASend() {
    recipientAnswers(200);
    consent = disclosure -> Fixtures.withdrawn();
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);
    await("the attempt to leave the fence").atMost(PATIENCE).until(() -> fence.calls().size() == 2);

    assertThat(fence.calls()).extracting(RecordingFence.Call::what).containsExactly("enter", "leave CANCELLED");
  }

  @Test
  void noCamelHeaderReachesTheRecipient() {
    recipientAnswers(200);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    List<String> names = new ArrayList<>();
    for (HttpHeader header : received().get(0).getHeaders().all()) {
      names.add(header.key().toLowerCase(Locale.ROOT));
    }
    assertThat(names).isNotEmpty().noneMatch(name -> name.startsWith("camel") || name.startsWith("breadcrumb")
        || name.startsWith("org.apache") || name.contains("brobygger.attempt"));
    assertThat(names).isSubsetOf("content-type", "content-length", "idempotency-key", "x-brobygger-attempt",
        "host", "user-agent", "connection", "accept-encoding");
  }

  @Test
  void aRecipientThatAnswers503TwiceIsRetriedUntilItAccepts() {
    recipient.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
    recipient.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("second")
        .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
    recipient.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(aResponse().withStatus(200)));
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(RETRY, RETRY, DELIVERED);
    assertThat(outbox.outcomesOf(disclosure).get(0).reason()).isEqualTo("recipient answered HTTP 503");
    List<LoggedRequest> requests = received();
    assertThat(requests).hasSize(3);
    assertThat(requests).extracting(r -> r.getHeader("X-Brobygger-Attempt")).containsExactlyInAnyOrder("1", "2", "3");
    assertThat(requests).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(disclosure.messageId());
    assertThat(rechecks.get()).as("consent is re-checked on every attempt").isEqualTo(3);
  }

  @Test
  void aRecipientThatAnswers400FailsTheDisclosureAtOnce() {
    recipient.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
        .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"unknown patient\"}]}"
            + " ".repeat(10) + "x".repeat(400))));
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(FAILED);
    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.reason()).startsWith("recipient rejected the message: HTTP 400 {\"resourceType\"")
        .contains("unknown patient");
    String excerpt = outcome.reason().substring("recipient rejected the message: HTTP 400 ".length());
    assertThat(excerpt).hasSize(AcknowledgementStage.EXCERPT_CHARS);
    assertThat(outcome.httpStatus()).contains(400);
    assertThat(outcome.sentSha256()).contains(Sha256.hex(disclosure.body()));
    assertThat(received()).hasSize(1);
  }

  @Test
  void aWithdrawnConsentCancelsTheDisclosureAndNothingIsSent() {
    recipientAnswers(200);
    consent = disclosure -> Fixtures.withdrawn();
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(CANCELLED);
    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.reason()).contains("was withdrawn");
    assertThat(outcome.recheck()).contains(Fixtures.withdrawn());
    assertThat(outcome.sentSha256()).isEmpty();
    assertThat(recipient.getAllServeEvents()).isEmpty();
  }

  @Test
  void anUnavailableConsentStoreMeansRetryLaterAndNothingIsSent() {
    recipientAnswers(200);
    consent = disclosure -> {
      throw new IllegalStateException("connection pool exhausted");
    };
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.oneAttemptWithinTheTest());

    awaitFirstOutcome(disclosure);

    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("consent store unavailable");
    assertThat(outcome.recheck()).isEmpty();
    assertThat(outcome.sentSha256()).isEmpty();
    assertThat(recipient.getAllServeEvents()).isEmpty();
  }

  @Test
  void aRefusedConnectionMeansRetryLater() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Disclosure disclosure = Fixtures.disclosureTo("http://localhost:" + closedPort + PATH);
    outbox.add(disclosure);
    Instant before = Instant.now();
    startDelivery(Fixtures.oneAttemptWithinTheTest());

    awaitFirstOutcome(disclosure);

    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).startsWith("could not connect to the recipient");
    assertThat(outcome.httpStatus()).isEmpty();
    assertThat(outcome.sentSha256()).as("nothing left this machine").isEmpty();
    assertThat(outcome.nextAttemptAt().orElseThrow())
        .isBetween(before.plus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofMinutes(1)));
  }

  @Test
  void aRecipientThatDoesNotAnswerInTimeMeansRetryLater() {
    recipient.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    DeliveryPolicy policy = Fixtures.withResponseTimeout(
        Fixtures.oneAttemptWithinTheTest(),
        Duration.ofMillis(300));
    startDelivery(policy);

    awaitFirstOutcome(disclosure);

    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("recipient did not answer within PT0.3S");
    assertThat(outcome.sentSha256()).as("the request went out").contains(Sha256.hex(disclosure.body()));
  }

  @Test
  void aRecipientThatTricklesItsAnswerIsCutOffAtTheAttemptsDeadline() throws Exception {
    try (TricklingRecipient stalled = new TricklingRecipient(TricklingRecipient.Stall.ANSWERING)) {
      Disclosure disclosure = Fixtures.disclosureTo(stalled.endpoint());
      outbox.add(disclosure);
      // each byte comes well within the response timeout, so no socket timeout ever fires
      DeliveryPolicy policy = Fixtures.withResponseTimeout(
          Fixtures.oneAttemptWithinTheTest(),
          Duration.ofMillis(500));
      Instant started = Instant.now();
      startDelivery(policy);

      awaitFirstOutcome(disclosure);

      Instant deadline = FenceEntryStage.mustEndBy(started, policy);
      assertThat(stalled.awaitClosed(Duration.ofSeconds(5))).as("the gateway closed the connection").isTrue();
      assertThat(stalled.closedAt()).isBefore(deadline.plusSeconds(1));
      AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
      assertThat(outcome.result()).isEqualTo(RETRY);
      assertThat(outcome.reason())
          .startsWith("aborted at the attempt's deadline")
          .endsWith("; aborted before completion; recipient may have received bytes ("
              + disclosure.body().length + " of " + disclosure.body().length + " payload bytes written)");
      assertThat(outcome.sentSha256()).contains(Sha256.hex(disclosure.body()));
      assertThat(outcome.httpStatus()).isEmpty();
    }
  }

  @Test
  void aWithdrawalsAbortRequestStopsAPayloadStillBeingWrittenAtOnceAndTheOutcomeSaysWhatMayHaveArrived()
      throws Exception {
    try (TricklingRecipient slowReader = new TricklingRecipient(TricklingRecipient.Stall.READING)) {
      Disclosure small = Fixtures.disclosureTo(slowReader.endpoint());
      byte[] large = new byte[8 * 1024 * 1024];
      java.util.Arrays.fill(large, (byte) ' ');
      Disclosure disclosure = new Disclosure(small.outboxId(), small.taskId(), small.messageId(), small.recipient(),
          small.citizen(), small.purpose(), large, small.attempt(), small.acceptedAt());
      outbox.add(disclosure);
      DeliveryPolicy policy = Fixtures.withResponseTimeout(
          Fixtures.oneAttemptWithinTheTest(),
          Duration.ofSeconds(30));
      startDelivery(policy);
      assertThat(slowReader.awaitRequest(Duration.ofSeconds(10))).as("the request began to arrive").isTrue();

      Instant asked = Instant.now();
      fence.requestAbort(disclosure.outboxId(), "consent consent-gp version 4 was withdrawn");

      assertThat(slowReader.awaitClosed(Duration.ofSeconds(5))).as("the gateway closed the connection").isTrue();
      awaitFirstOutcome(disclosure);
      assertThat(Duration.between(asked, slowReader.closedAt()))
          .as("closed within a few fence polls, not at the 37 s deadline")
          .isLessThan(Duration.ofSeconds(2));
      assertThat(slowReader.bytesRead()).as("the recipient never got the whole payload").isLessThan(large.length);
      AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
      assertThat(outcome.result()).isEqualTo(RETRY);
      assertThat(outcome.reason())
          .startsWith("aborted: consent consent-gp version 4 was withdrawn; aborted before completion;"
              + " recipient may have received bytes (")
          .endsWith(" of " + large.length + " payload bytes written)");
      assertThat(outcome.sentSha256()).as("its bytes may have arrived").isPresent();
      await("the attempt to leave the fence").atMost(PATIENCE).until(() -> fence.calls().size() == 3);
      assertThat(fence.calls().get(2).what()).isEqualTo("leave RETRY");
    }
  }

  @Test
  void aWithdrawalLeavesACallWhosePayloadIsAllOutToItsAnswerOrItsDeadline() throws Exception {
    try (TricklingRecipient stalled = new TricklingRecipient(TricklingRecipient.Stall.ANSWERING)) {
      Disclosure disclosure = Fixtures.disclosureTo(stalled.endpoint());
      outbox.add(disclosure);
      DeliveryPolicy policy = Fixtures.withResponseTimeout(
          Fixtures.oneAttemptWithinTheTest(),
          Duration.ofMillis(500));
      startDelivery(policy);
      assertThat(stalled.awaitRequest(Duration.ofSeconds(10))).as("the request arrived").isTrue();

      // closing now could not recall the bytes, and on a slow network they could arrive after the answer
      fence.requestAbort(disclosure.outboxId(), "consent consent-gp version 4 was withdrawn");

      assertThat(stalled.awaitClosed(Duration.ofSeconds(1))).as("still open a second later").isFalse();
      awaitFirstOutcome(disclosure);
      assertThat(outbox.outcomesOf(disclosure).get(0).reason()).startsWith("aborted at the attempt's deadline");
    }
  }

  @Test
  void aRecipientThatStaysDownFailsTheDisclosureWhenAttemptsAreUsedUp() {
    recipientAnswers(503);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.withMaxAttempts(Fixtures.fastPolicy(), 3));

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(RETRY, RETRY, FAILED);
    assertThat(outbox.outcomesOf(disclosure).get(2).reason())
        .isEqualTo("retries exhausted after 3 attempts: recipient answered HTTP 503");
    assertThat(received()).hasSize(3);
  }

  @Test
  void aRetryThatWouldComeAfterTheMaximumAgeFailsTheDisclosureInstead() {
    recipientAnswers(503);
    DeliveryPolicy policy = Fixtures.oneAttemptWithinTheTest();
    Instant acceptedAt = Instant.now().minus(policy.maxAge()).plusSeconds(20);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint(), acceptedAt);
    outbox.add(disclosure);
    startDelivery(policy);

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(FAILED);
    assertThat(outbox.outcomesOf(disclosure).get(0).reason())
        .isEqualTo("retries exhausted after 1 attempt (the next would be more than PT1H after acceptance): "
            + "recipient answered HTTP 503");
    assertThat(received()).hasSize(1);
  }

  @Test
  void aDisclosureClaimedAfterItsMaximumAgeFailsWithoutBeingSent() {
    recipientAnswers(200);
    DeliveryPolicy policy = Fixtures.fastPolicy();
    Disclosure disclosure = Fixtures.disclosureTo(endpoint(), Instant.now().minus(policy.maxAge()).minusSeconds(1));
    outbox.add(disclosure);
    startDelivery(policy);

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(FAILED);
    assertThat(outbox.outcomesOf(disclosure).get(0).reason()).startsWith("not attempted: more than PT1H");
    assertThat(rechecks.get()).isZero();
    assertThat(recipient.getAllServeEvents()).isEmpty();
  }

  @Test
  void aRecipientWithoutEndpointFailsTheDisclosure() {
    Disclosure disclosure = Fixtures.disclosure(Fixtures.gp(Optional.empty()), Instant.now());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(FAILED);
    assertThat(outbox.outcomesOf(disclosure).get(0).reason()).isEqualTo("recipient gp-svendborg has no endpoint");
  }

  @Test
  void whatMinimisationLeavesIsWhatIsSent() {
    recipientAnswers(200);
    String excluded = "urn:uuid:condition-psychiatric";
    consent = disclosure -> Fixtures.permit(Set.of(excluded));
    minimisation = (disclosure, permit) ->
        ("{\"minimised\":\"without " + String.join(",", permit.excludedReferences()) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    byte[] expected = ("{\"minimised\":\"without " + excluded + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(received()).singleElement().satisfies(r -> assertThat(r.getBody()).isEqualTo(expected));
    assertThat(outbox.outcomesOf(disclosure).get(0).sentSha256()).contains(Sha256.hex(expected));
  }

  @Test
  void aRecipientThatMayNotReceiveUnencryptedDataGetsNothingAndTheDisclosureFailsAtOnce() {
    recipientAnswers(200);
    sealing = (disclosure, payload) -> {
      throw new dk.brobygger.delivery.seal.SealingRefused(disclosure.recipient().id(),
          "it has no encryption key and its directory entry does not allow signed-only delivery");
    };
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(FAILED);
    assertThat(outbox.outcomesOf(disclosure).get(0).reason()).contains("no encryption key");
    assertThat(outbox.outcomesOf(disclosure).get(0).sentSha256()).isEmpty();
    assertThat(recipient.getAllServeEvents()).isEmpty();
  }

  @Test
  void aFailingMinimisationSendsNothing() {
    recipientAnswers(200);
    minimisation = (disclosure, permit) -> {
      throw new IllegalArgumentException("bundle has no entry urn:uuid:x");
    };
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.oneAttemptWithinTheTest());

    awaitFirstOutcome(disclosure);

    AttemptOutcome outcome = outbox.outcomesOf(disclosure).get(0);
    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).startsWith("minimisation failed: IllegalArgumentException");
    assertThat(recipient.getAllServeEvents()).isEmpty();
  }

  @Test
  void wakeUpPollsTheOutboxWithoutWaitingForTheTimer() {
    recipientAnswers(200);
    startDelivery(Fixtures.withPoll(Fixtures.fastPolicy(), Duration.ofHours(1), 4));
    await("the first poll at start has run").atMost(PATIENCE).until(() -> outbox.claimCount() >= 1);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);

    service.wakeUp();

    awaitSettled(disclosure);
    assertThat(outbox.resultsOf(disclosure)).containsExactly(DELIVERED);
  }

  @Test
  void oneWakeUpDrainsABacklogLargerThanOneBatch() {
    recipientAnswers(200);
    startDelivery(Fixtures.withPoll(Fixtures.fastPolicy(), Duration.ofHours(1), 2));
    await("the first poll at start has run").atMost(PATIENCE).until(() -> outbox.claimCount() >= 1);
    List<Disclosure> backlog = IntStream.range(0, 5).mapToObj(i -> Fixtures.disclosureTo(endpoint())).toList();
    backlog.forEach(outbox::add);

    service.wakeUp();

    await("all five are delivered").atMost(PATIENCE).until(() -> backlog.stream().allMatch(outbox::isSettled));
    assertThat(backlog).allSatisfy(d -> assertThat(outbox.resultsOf(d)).containsExactly(DELIVERED));
    assertThat(received()).hasSize(5);
  }

  @Test
  void aSlowRecipientDoesNotHoldUpTheOthersInItsBatch() {
    recipient.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
    recipient.stubFor(post(urlEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
    Disclosure slow = Fixtures.disclosureTo(recipient.baseUrl() + "/slow");
    Disclosure fast = Fixtures.disclosureTo(recipient.baseUrl() + "/fast");
    outbox.add(slow);
    outbox.add(fast);
    startDelivery(Fixtures.withResponseTimeout(Fixtures.fastPolicy(), Duration.ofSeconds(10)));

    await("the fast recipient has it").atMost(PATIENCE).until(() -> outbox.isSettled(fast));

    assertThat(outbox.outcomesOf(slow)).as("the slow recipient is still answering").isEmpty();
    awaitSettled(slow);
    assertThat(outbox.resultsOf(slow)).containsExactly(DELIVERED);
  }

  @Test
  void anOutcomeThatCannotBeRecordedIsAttemptedAgainWhenItsLeaseExpires() {
    recipientAnswers(200);
    outbox = new InMemoryOutbox(Duration.ofMillis(300));
    outbox.failNextRecords(1);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.resultsOf(disclosure)).containsExactly(DELIVERED);
    assertThat(received()).hasSize(2)
        .extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(disclosure.messageId());
  }

  @Test
  void anOutboxThatCannotBeReadIsPolledAgainAtTheNextTick() {
    recipientAnswers(200);
    outbox.failNextClaims(2);
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    assertThat(outbox.claimCount()).isGreaterThanOrEqualTo(3);
    assertThat(outbox.resultsOf(disclosure)).containsExactly(DELIVERED);
  }

  @Test
  void closeLetsAnAttemptInFlightFinishAndBeRecorded() {
    recipient.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(1_000)));
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());
    await("the recipient is receiving").atMost(PATIENCE).until(() -> !recipient.getAllServeEvents().isEmpty());
    assertThat(outbox.outcomesOf(disclosure)).as("still in flight when close is called").isEmpty();

    service.close();
    service = null;

    assertThat(outbox.resultsOf(disclosure)).containsExactly(DELIVERED);
  }

  @Test
  void aDeniedDecisionIsNeverPassedToMinimisation() {
    recipientAnswers(200);
    List<Decision> seenByMinimisation = new ArrayList<>();
    minimisation = (disclosure, permit) -> {
      synchronized (seenByMinimisation) {
        seenByMinimisation.add(permit);
      }
      return disclosure.body();
    };
    consent = disclosure -> Fixtures.withdrawn();
    Disclosure disclosure = Fixtures.disclosureTo(endpoint());
    outbox.add(disclosure);
    startDelivery(Fixtures.fastPolicy());

    awaitSettled(disclosure);

    synchronized (seenByMinimisation) {
      assertThat(seenByMinimisation).isEmpty();
    }
  }
}
