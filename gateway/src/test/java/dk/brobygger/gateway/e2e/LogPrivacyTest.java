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
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No citizen identifier and no payload in any log line: every event logged during a full journey
 * (consent, a delivered referral, a denied one, searches by CPR number, the Task read, a withdrawal)
 * is encoded as the JSON line the gateway writes, MDC and stack traces included, and searched for the
 * CPR number and for text from the referral.
 */
@EndToEndTest
class LogPrivacyTest {

  private static final String JSON = "application/fhir+json";
  private static final String GP = "laegehuset-sydfyn";
  /** The citizen, as the sample referral and consent name him, and what the referral says about him. */
  private static final List<String> SECRETS = List.of(Fixtures.CPR, "010180-1234", "Testesen", "herberget",
      "KOL (formodet)", "forhøjet blodtryk");

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  /** The gateway's own lines down to DEBUG are searched too (a delivered attempt is logged at DEBUG). */
  private final Logger ours = (Logger) LoggerFactory.getLogger("dk.brobygger");

  @BeforeEach
  void start() {
    captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    captured.start();
    root.addAppender(captured);
    ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    gateway = TestGateway.start(temp.resolve("data"), Map.of(GP, base + "/gp", "svendborg-sygehus", base + "/hospital"));
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
    root.detachAppender(captured);
    ours.setLevel(null);
  }

  @Test
  void aFullJourneyLogsNeitherTheCitizensIdentifierNorThePayload() {
    HttpResponse<String> consent = gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
    String consentId = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, consent.body()).getIdElement().getIdPart();
    HttpResponse<String> accepted = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String taskId = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    assertThat(gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(HOSPITAL_SOR))).statusCode())
        .isEqualTo(403);
    await("the referral to be delivered").atMost(Duration.ofSeconds(60))
        .until(() -> gateway.get("/Task/" + taskId).body(),
        body -> body.contains("\"completed\""));
    String patient = URLEncoder.encode("urn:oid:1.2.208.176.1.2|" + Fixtures.CPR, StandardCharsets.UTF_8);
    gateway.get("/Consent?patient:identifier=" + patient);
    gateway.get("/Patient?identifier=" + patient);
    Consent withdrawal = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, gateway.get("/Consent/" + consentId).body());
    withdrawal.setStatus(Consent.ConsentState.INACTIVE);
    assertThat(gateway.put("/Consent/" + consentId, JSON, Fixtures.json(withdrawal)).statusCode()).isEqualTo(200);

    List<String> lines = jsonLines();
    List<String> plain = plainLines();
    assertThat(plain).as("the access log").anyMatch(line -> line.contains("POST /fhir/$process-message 202")
        && line.contains("correlationId"));
    assertThat(plain).as("a delivery line names its message and Task")
        .anyMatch(line -> line.contains("taskId=" + taskId) && line.contains("messageId="));
    for (String secret : SECRETS) {
      assertThat(lines).as("JSON log lines containing " + secret).noneMatch(line -> line.contains(secret));
      assertThat(plain).as("log events containing " + secret).noneMatch(line -> line.contains(secret));
    }
  }

  /** Each event as a person reads it: message, MDC, arguments and stack trace, nothing escaped. */
  private List<String> plainLines() {
    synchronized (captured) {
      return List.copyOf(captured.list).stream()
          .map(event -> event.getLoggerName() + " " + event.getFormattedMessage() + " " + event.getMDCPropertyMap() + " "
              + java.util.Arrays.toString(event.getArgumentArray()) + " "
              + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
          .toList();
    }
  }

  private List<String> jsonLines() {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(captured.getContext());
    // the message as written (logback.xml) and its arguments apart: a secret in either is found
    encoder.setWithFormattedMessage(true);
    encoder.start();
    synchronized (captured) {
      return List.copyOf(captured.list).stream()
          .map(event -> new String(encoder.encode(event), StandardCharsets.UTF_8))
          .toList();
    }
  }
}
