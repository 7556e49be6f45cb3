package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.HOSPITAL_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import dk.brobygger.gateway.Gateway;

/**
 * The operator's view of one journey: Prometheus scrapes the operations listener and the probes answer
 * with real checks; after a consent, an accepted and delivered referral and a refused one, the series
 * that count them have moved.
 */
@EndToEndTest
class OperationsTest {

  private static final String JSON = "application/fhir+json";
  private static final String GP = "laegehuset-sydfyn";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;
  private final HttpClient plain = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    // the hospital has an endpoint but no consent: its referral is decided, and denied
    gateway = TestGateway.start(temp.resolve("data"), Map.of(GP, base + "/gp", "svendborg-sygehus", base + "/hospital"),
        "--metrics.port", "0");
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
  }

  @Test
  void aJourneyMovesTheSeriesPrometheusScrapes() {
    String before = scrape();
    assertThat(value(before, "brobygger_consent_decisions_total", "verdict=\"permit\"")).hasValue(0);
    double auditBefore = value(before, "brobygger_audit_log_entries", "").orElseThrow();

    HttpResponse<String> consent = gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    HttpResponse<String> refused = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(HOSPITAL_SOR)));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);

    String after = await("the delivery to be counted").atMost(Duration.ofSeconds(60)).until(this::scrape,
        text -> value(text, "brobygger_delivery_attempts_total", "recipient=\"" + GP + "\"", "result=\"delivered\"")
            .orElse(0) >= 1);
    assertThat(value(after, "brobygger_consent_decisions_total", "verdict=\"permit\"")).hasValue(1);
    assertThat(value(after, "brobygger_consent_decisions_total", "verdict=\"deny\"")).hasValue(1);
    assertThat(value(after, "brobygger_delivery_acceptance_to_delivery_seconds_count", "")).hasValue(1);
    assertThat(value(after, "brobygger_audit_log_entries", "").orElseThrow()).isGreaterThan(auditBefore);
    // nothing left for the GP: the recipient's backlog series are gone or zero
    assertThat(value(after, "brobygger_outbox_messages", "recipient=\"" + GP + "\"", "state=\"due\"").orElse(0)).isZero();
    // Vert.x's binder: requests by route, method and status
    assertThat(value(after, "vertx_http_server_requests_total", "code=\"202\"", "method=\"POST\"", "process-message"))
        .hasValue(1);
    assertThat(value(after, "vertx_http_server_requests_total", "code=\"201\"", "Consent")).hasValue(1);
    // HikariCP's and the JVM's binders
    assertThat(value(after, "hikaricp_connections_max", "")).isPresent();
    assertThat(value(after, "jvm_memory_used_bytes", "")).isPresent();
    assertThat(value(after, "brobygger_audit_checkpoint_age_seconds", "")).isPresent();
  }

  @Test
  void theProbesAnswerWithTheirChecksOnBothPortsAndReadinessGoesDownFirstOnShutdown() throws IOException {
    for (String base : List.of(gateway.gateway().baseUrl(), operationsBase())) {
      HttpResponse<String> live = get(base + "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(MAPPER.readTree(live.body()).path("status").asText()).isEqualTo("UP");
      HttpResponse<String> ready = get(base + "/health/ready");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      JsonNode checks = MAPPER.readTree(ready.body()).path("checks");
      assertThat(checks.findValuesAsText("name")).containsExactly("shutdown", "database", "delivery", "validator", "checkpoint", "disk");
      assertThat(checks.findValuesAsText("status")).containsOnly("UP");
    }
    // the old probe still answers as the README says
    assertThat(get(gateway.gateway().baseUrl() + "/health").body()).isEqualTo("{\"status\":\"up\"}");
    // /metrics is not served on the API port
    assertThat(get(gateway.gateway().baseUrl() + "/metrics").statusCode()).isEqualTo(404);

    gateway.gateway().operations().health().shuttingDown();
    HttpResponse<String> draining = get(operationsBase() + "/health/ready");
    assertThat(draining.statusCode()).isEqualTo(503);
    assertThat(MAPPER.readTree(draining.body()).path("status").asText()).isEqualTo("DOWN");
    assertThat(get(operationsBase() + "/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void aStopTakesItsStepsInOrderEachLoggedAndReadinessGoesDownFirst() {
    ListAppender<ILoggingEvent> steps = new ListAppender<>();
    steps.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    steps.start();
    Logger gatewayLog = (Logger) LoggerFactory.getLogger(Gateway.class);
    gatewayLog.addAppender(steps);
    try {
      gateway.gateway().close();
    } finally {
      gatewayLog.detachAppender(steps);
    }
    assertThat(steps.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("shutdown: ")))
        .extracting(m -> m.substring("shutdown: ".length(), Math.min(m.length(), "shutdown: ".length() + 14)))
        .containsExactly("readiness is d", "refusing new c", "requests drain", "stopping deliv", "delivery stopp",
            "final checkpoi", "database close");
    assertThat(gateway.gateway().operations().health().ready().up()).isFalse();
  }

  private String operationsBase() {
    return "http://127.0.0.1:" + gateway.gateway().operations().port().orElseThrow();
  }

  private String scrape() {
    HttpResponse<String> metrics = get(operationsBase() + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return metrics.body();
  }

  private HttpResponse<String> get(String url) {
    if (url.startsWith("https:")) {
      return gateway.send(HttpRequest.newBuilder(URI.create(url)).GET());
    }
    try {
      return plain.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The sum of the samples of one metric whose labels contain every given fragment; empty if none. */
  static OptionalDouble value(String exposition, String metric, String... fragments) {
    double[] values = exposition.lines()
        .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
        .filter(line -> Arrays.stream(fragments).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .toArray();
    return values.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Arrays.stream(values).sum());
  }
}
