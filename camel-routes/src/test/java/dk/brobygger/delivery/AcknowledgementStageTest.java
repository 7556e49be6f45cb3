package dk.brobygger.delivery;

import static dk.brobygger.delivery.AttemptOutcome.Result.DELIVERED;
import static dk.brobygger.delivery.AttemptOutcome.Result.FAILED;
import static dk.brobygger.delivery.AttemptOutcome.Result.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AcknowledgementStageTest {

  private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
  private final DeliveryPolicy policy = Fixtures.withBackoff(Fixtures.fastPolicy(), Duration.ofSeconds(10),
      Duration.ofMinutes(10));
  private final Retries retries =
      new Retries(policy, new Backoff(policy, new Random(7)), Clock.fixed(NOW, ZoneOffset.UTC));
  private final AcknowledgementStage stage = new AcknowledgementStage(retries, policy,
      new RecipientCalls(new RecordingFence(() -> 0), Clock.fixed(NOW, ZoneOffset.UTC)));
  private final Disclosure disclosure = AttemptStateFixture.attempt(1);
  private final AttemptState sent = AttemptStateFixture.sealed(disclosure);

  private static AttemptOutcome outcome(AttemptState state) {
    return state.outcome().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204})
  void anySuccessStatusMeansDelivered(int status) {
    AttemptOutcome outcome = outcome(stage.answered(sent, status, ""));

    assertThat(outcome.result()).isEqualTo(DELIVERED);
    assertThat(outcome.httpStatus()).contains(status);
    assertThat(outcome.sentSha256()).contains(Sha256.hex(disclosure.body()));
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void timeoutsThrottlingAndServerErrorsAreRetriedAfterTheBackoff(int status) {
    AttemptOutcome outcome = outcome(stage.answered(sent, status, "busy"));

    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("recipient answered HTTP " + status);
    assertThat(outcome.nextAttemptAt()).contains(NOW.plusSeconds(10));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 410, 413, 415, 422})
  void otherClientErrorsFailAtOnce(int status) {
    AttemptOutcome outcome = outcome(stage.answered(sent, status, "nope"));

    assertThat(outcome.result()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo("recipient rejected the message: HTTP " + status + " nope");
  }

  @Test
  void aRedirectFailsAtOnceBecauseRedirectsAreNotFollowed() {
    AttemptOutcome outcome = outcome(stage.answered(sent, 301, ""));

    assertThat(outcome.result()).isEqualTo(FAILED);
    assertThat(outcome.reason()).startsWith("recipient answered HTTP 301");
  }

  @Test
  void theRecordedExcerptOfARefusalIsOneLineOfAtMost200Characters() {
    String body = "line one\n\n   line two " + "y".repeat(500);

    String reason = outcome(stage.answered(sent, 422, body)).reason();

    String excerpt = reason.substring("recipient rejected the message: HTTP 422 ".length());
    assertThat(excerpt).hasSize(200).startsWith("line one line two yyy").doesNotContain("\n");
  }

  @Test
  void aRefusedConnectionIsRetriedAndRecordsNoFingerprintBecauseNothingWasSent() {
    var refused = new HttpHostConnectException("Connect to http://gp.example:80 failed: Connection refused");

    AttemptOutcome outcome = outcome(stage.unreachable(sent, refused));

    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).startsWith("could not connect to the recipient");
    assertThat(outcome.sentSha256()).isEmpty();
  }

  @Test
  void anUnknownHostIsRetried() {
    AttemptOutcome outcome = outcome(stage.unreachable(sent, new UnknownHostException("gp.invalid")));

    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("unknown host: gp.invalid");
    assertThat(outcome.sentSha256()).isEmpty();
  }

  @Test
  void aConnectTimeoutIsRetriedAndNamesTheConnectTimeout() {
    AttemptOutcome outcome = outcome(stage.unreachable(sent, new ConnectTimeoutException("connect timed out")));

    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("could not connect to the recipient within " + policy.connectTimeout());
    assertThat(outcome.sentSha256()).isEmpty();
  }

  @Test
  void aResponseTimeoutIsRetriedAndCountsAsPossiblySent() {
    AttemptOutcome outcome = outcome(stage.unreachable(sent, new SocketTimeoutException("Read timed out")));

    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("recipient did not answer within " + policy.responseTimeout());
    assertThat(outcome.sentSha256()).contains(Sha256.hex(disclosure.body()));
  }

  @Test
  void aNetworkFailureWrappedByCamelIsRecognisedByItsCause() {
    var wrapped = new RuntimeException("exchange failed", new ConnectException("Connection refused"));

    AttemptOutcome outcome = outcome(stage.unreachable(sent, wrapped));

    assertThat(outcome.result()).isEqualTo(RETRY);
    assertThat(outcome.reason()).isEqualTo("could not connect to the recipient: Connection refused");
  }
}
