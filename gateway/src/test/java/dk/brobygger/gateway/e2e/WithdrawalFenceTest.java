package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dk.brobygger.gateway.http.ConsentResource;
import dk.brobygger.gateway.storage.PostgresStorage;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A withdrawal's answer is a fence: two gateway instances share one PostgreSQL and deliver a
 * stream of referrals, over a network that holds each request 150-500 ms, to a WireMock GP that
 * answers after a random delay; withdrawals race the stream, and no request may reach the GP after
 * a withdrawal's 200.
 */
@EndToEndTest
class WithdrawalFenceTest {

  private static final String JSON = "application/fhir+json";
  private static final int ROUNDS = 3;
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Set<Task.TaskStatus> SETTLED =
      Set.of(Task.TaskStatus.COMPLETED, Task.TaskStatus.CANCELLED, Task.TaskStatus.FAILED);

  /** Counts each request the moment it has fully arrived, before WireMock's answer delay. */
  private static final class ArrivalCounter implements StubRequestFilterV2 {
    final AtomicInteger arrived = new AtomicInteger();

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
      arrived.incrementAndGet();
      return RequestFilterAction.continueWith(request);
    }

    @Override
    public String getName() {
      return "arrival-counter";
    }
  }

  @TempDir Path temp;
  private PostgresStorage.FreshSchema database;
  private final ArrivalCounter arrivals = new ArrivalCounter();
  private WireMockServer gp;
  private SlowNetwork network;
  private TestGateway one;
  private TestGateway two;

  @BeforeEach
  void start() {
    database = PostgresStorage.freshSchema();
    gp = new WireMockServer(options().dynamicPort().extensions(arrivals));
    gp.start();
    gp.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200).withUniformRandomDelay(10, 100)));
    network = new SlowNetwork(gp.port());
    Map<String, String> endpoints = Map.of("laegehuset-sydfyn", "http://127.0.0.1:" + network.port() + "/gp");
    String url = database.settings().jdbcUrl();
    one = TestGateway.start(temp.resolve("one"), endpoints, "--db.url", url);
    two = TestGateway.start(temp.resolve("two"), endpoints, "--db.url", url);
  }

  @AfterEach
  void stop() {
    if (two != null) {
      two.close();
    }
    if (one != null) {
      one.close();
    }
    network.close();
    gp.stop();
    database.close();
  }

  @Test
  void noRequestReachesTheRecipientAfterAWithdrawalsAnswerWithTwoInstancesOnOneDatabase() throws Exception {
    List<String> inFlightNamed = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      TestGateway withdrawing = round % 2 == 0 ? one : two;
      String consentId = Fixtures.recordConsent(one, Fixtures.consentPermitting(organisation(GP_SOR)));
      int arrivedBefore = arrivals.arrived.get();
      ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
      AtomicBoolean streaming = new AtomicBoolean(true);
      ExecutorService senders = Executors.newFixedThreadPool(2);
      List<Future<?>> streams = List.of(
          senders.submit(() -> stream(one, streaming, accepted)),
          senders.submit(() -> stream(two, streaming, accepted)));
      await("deliveries to be under way").atMost(PATIENCE)
          .until(() -> arrivals.arrived.get() - arrivedBefore, n -> n >= 6);

      HttpResponse<String> withdrawn = Fixtures.withdraw(withdrawing, consentId);
      int arrivedAtAnswer = arrivals.arrived.get();

      streaming.set(false);
      for (Future<?> stream : streams) {
        stream.get(30, TimeUnit.SECONDS);
      }
      senders.shutdown();
      assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
      withdrawn.headers().firstValue(ConsentResource.IN_FLIGHT_HEADER).ifPresent(inFlightNamed::add);
      for (String taskId : accepted) {
        await("Task/" + taskId + " to settle").atMost(PATIENCE)
            .until(() -> task(taskId), t -> SETTLED.contains(t.getStatus()));
      }
      assertThat(arrivals.arrived.get())
          .as("requests at the GP after the withdrawal's 200 in round %d", round)
          .isEqualTo(arrivedAtAnswer);
    }
    // Whether a delivery was queued or in flight at a withdrawal depends on timing, so it is not
    // asserted; with the withdrawal's wait removed this test saw requests arrive after the 200.
    // every request that reached the GP was durably recorded before it left
    assertThat(one.auditEntries("DISCLOSURE_ATTEMPT").stream().filter(e -> e.contains("\"outcome\":\"sending\"")))
        .hasSizeGreaterThanOrEqualTo(arrivals.arrived.get());
    assertThat(inFlightNamed).allSatisfy(named -> assertThat(named).contains("Task/"));
    assertThat(one.auditEntries("WITHDRAWAL_FENCED")).hasSize(inFlightNamed.size());
  }

  private void stream(TestGateway gateway, AtomicBoolean streaming, ConcurrentLinkedQueue<String> accepted) {
    while (streaming.get()) {
      HttpResponse<String> answer = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
      if (answer.statusCode() == 202) {
        accepted.add(Fixtures.taskOf(answer).getIdElement().getIdPart());
      } else {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      }
    }
  }

  private Task task(String taskId) {
    return Fixtures.FHIR.newJsonParser().parseResource(Task.class, one.get("/Task/" + taskId).body());
  }
}
