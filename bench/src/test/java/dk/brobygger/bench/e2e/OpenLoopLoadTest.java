package dk.brobygger.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenLoopLoadTest {

  private static final OpenLoopLoad.Window IGNORED = new OpenLoopLoad.Window() {
    @Override
    public void started() {}

    @Override
    public void ended() {}
  };

  private HttpServer server;

  /** A gateway stand-in that answers 202 after {@code serviceMillis}, one request at a time. */
  private String gateway(long serviceMillis, AtomicInteger received) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/fhir/$process-message", exchange -> {
      exchange.getRequestBody().readAllBytes();
      received.incrementAndGet();
      try {
        Thread.sleep(serviceMillis); // the stand-in's service time, not a wait in the test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static OpenLoopLoad load(String base, int maxInFlight) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return new OpenLoopLoad(List.of(new OpenLoopLoad.Transport("plain", client, base, null)),
        () -> new OpenLoopLoad.Referral(UUID.randomUUID().toString(), "{}".getBytes()), maxInFlight);
  }

  @Test
  void sendsAtTheOfferedRateAndMeasuresOnlyTheWindow() throws Exception {
    AtomicInteger received = new AtomicInteger();
    String base = gateway(0, received);

    OpenLoopLoad.Outcome outcome = load(base, 8).run(40, Duration.ofMillis(500), Duration.ofSeconds(1), IGNORED);

    assertThat(outcome.saturated()).isFalse();
    assertThat(outcome.due()).isEqualTo(60); // 1.5 s at 40 per second
    assertThat(received.get()).isEqualTo(60);
    assertThat(outcome.acceptedAtNanos()).hasSize(60);
    assertThat(outcome.measuredIds()).hasSize(40);
    assertThat(outcome.latency().getTotalCount()).isEqualTo(40);
  }

  @Test
  void latencyCountsFromWhenAReferralWasDueNotFromWhenASlotFreed() throws Exception {
    // 200 ms per answer, one at a time, 10 due per second for a second: a closed loop would report
    // about 200 ms for each; the last one due waits behind nine others
    AtomicInteger received = new AtomicInteger();
    String base = gateway(200, received);

    OpenLoopLoad.Outcome outcome = load(base, 1).run(10, Duration.ZERO, Duration.ofSeconds(1), IGNORED);

    assertThat(outcome.saturated()).isFalse();
    assertThat(outcome.latency().getTotalCount()).isEqualTo(10);
    assertThat(outcome.latency().getMinValue()).isGreaterThanOrEqualTo(190_000);
    assertThat(outcome.latency().getMaxValue()).isGreaterThan(1_000_000);
  }
}
