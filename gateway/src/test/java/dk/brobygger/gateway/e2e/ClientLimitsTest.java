package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody costs the gateway much before proving who they are: refusals are rate-limited per address
 * and audited as counts, slow or surplus connections are closed, and every refusal is a readable
 * OperationOutcome (every 401 with a challenge).
 */
@EndToEndTest
class ClientLimitsTest {

  private static final String FHIR_JSON = "application/fhir+json";

  @TempDir Path temp;
  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private TestGateway start(String... extraArgs) {
    gateway = TestGateway.start(temp.resolve("data"), Map.of(), extraArgs);
    return gateway;
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWithAnOperationOutcome() {
    start("--http.max-body-bytes", "2048");
    byte[] body = new byte[64 * 1024];
    // a body of unknown length goes out chunked: no Content-Length to refuse it by up front
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.fhir() + "/$process-message"))
        .header("Authorization", "Bearer " + gateway.token(SampleParty.OUTREACH))
        .header("Content-Type", FHIR_JSON)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    HttpResponse<String> refused = gateway.send(request);

    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(FHIR_JSON));
    assertThat(refused.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("larger than the limit of 2048 bytes");
  }

  @Test
  void every401CarriesABearerChallengeWithTheErrorWhereOneApplies() {
    start();
    TestGateway anonymous = gateway.anonymous();

    HttpResponse<String> noCredentials = anonymous.get("/Consent");
    HttpResponse<String> badToken = anonymous.get("/Consent", "Authorization", "Bearer not-a-token");
    HttpResponse<String> auditWithoutCredentials = anonymous.getAt("/audit/export");
    HttpResponse<String> badAssertion = gateway.requestToken(TestGateway.tokenForm("not.a.jwt", "system/*.cruds"));

    assertThat(List.of(noCredentials, badToken, auditWithoutCredentials, badAssertion))
        .allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(401));
    assertThat(noCredentials.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"brobygger\"");
    assertThat(auditWithoutCredentials.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"brobygger\"");
    assertThat(badToken.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"brobygger\", error=\"invalid_token\"");
    assertThat(badAssertion.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"brobygger\", error=\"invalid_client\"");
  }

  @Test
  void anAddressThatSpentItsRefusalsIsAnswered429WithRetryAfterUntilItsBudgetRefills() {
    start("--http.refusals-per-minute", "5");
    TestGateway anonymous = gateway.anonymous();
    for (int i = 0; i < 5; i++) {
      assertThat(anonymous.get("/Consent").statusCode()).isEqualTo(401);
    }

    HttpResponse<String> throttled = anonymous.get("/Consent");
    HttpResponse<String> throttledAtTheTokenEndpoint = gateway.requestToken(TestGateway.tokenForm("not.a.jwt", "system/*.cruds"));

    for (HttpResponse<String> answer : List.of(throttled, throttledAtTheTokenEndpoint)) {
      assertThat(answer.statusCode()).isEqualTo(429);
      // one refusal refills every 12 s at 5 a minute
      assertThat(answer.headers().firstValue("Retry-After").map(Long::parseLong))
          .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 12L));
      assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(FHIR_JSON));
      assertThat(answer.body()).contains("OperationOutcome").contains("throttled").contains("too many");
    }
  }

  @Test
  void repeatedRefusalsOfOneKindFromOneAddressAreRecordedAsAFewEntriesWithCounts() {
    start("--http.refusals-per-minute", "1000", "--audit.refusal-window", "PT2S");
    TestGateway anonymous = gateway.anonymous();
    int before = gateway.auditEntries("REQUEST_REFUSED").size();

    for (int i = 0; i < 131; i++) {
      assertThat(anonymous.get("/Consent").statusCode()).isEqualTo(401);
    }

    // every refusal is recorded: each window's first as itself, the rest of the window as one count
    List<String> ours = await("all 131 refusals in the log").atMost(Duration.ofSeconds(15)).until(() -> {
          // one read: a second one may already hold more entries than the first
          List<String> all = gateway.auditEntries("REQUEST_REFUSED");
          return all.subList(before, all.size());
        },
        entries -> refusalsRecorded(entries) >= 131);
    assertThat(refusalsRecorded(ours)).isEqualTo(131);
    assertThat(ours).hasSizeLessThanOrEqualTo(2 * 10); // at least 0.1 s per request would be needed for more
    assertThat(ours.get(0)).contains("GET /fhir/Consent -> 401").contains("an access token");
    assertThat(ours).anySatisfy(entry -> assertThat(entry).containsPattern("the same refusal \\(401\\) \\d+ more times"));
  }

  private static long refusalsRecorded(List<String> entries) {
    long count = 0;
    for (String entry : entries) {
      java.util.regex.Matcher further = java.util.regex.Pattern.compile("the same refusal \\(\\d+\\) (\\d+) more time").matcher(entry);
      count += further.find() ? Long.parseLong(further.group(1)) : 1;
    }
    return count;
  }

  @Test
  void anUnknownPathIsRefusedWithAnOperationOutcome() {
    start();

    HttpResponse<String> notFound = gateway.get("/Nothing");

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(FHIR_JSON));
    assertThat(notFound.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("GET /fhir/Nothing");
  }

  @Test
  void aConnectionThatTricklesItsRequestIsClosedAtTheRequestTimeout() throws Exception {
    start("--http.request-timeout", "PT1S");
    URI base = URI.create(gateway.fhir());
    try (SSLSocket socket = (SSLSocket) SampleClients.tls(null).getSocketFactory().createSocket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(("GET /fhir/metadata HTTP/1.1\r\nHost: " + base.getHost() + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      CountDownLatch closed = new CountDownLatch(1);
      Thread trickle = new Thread(() -> {
        try {
          // one header byte every 100 ms: never idle, never done
          while (!closed.await(100, TimeUnit.MILLISECONDS)) {
            out.write('x');
            out.flush();
          }
        } catch (IOException | InterruptedException e) {
          // the gateway closed the connection: what this test waits for
        }
      });
      long started = System.nanoTime();
      trickle.start();

      int read = readOrEnd(socket.getInputStream());
      closed.countDown();
      trickle.join(5_000);

      assertThat(read).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(8));
    }
  }

  @Test
  void oneAddressMayHoldOnlySoManyConnections() throws Exception {
    start("--http.max-connections-per-address", "2", "--http.request-timeout", "PT30S");
    URI base = URI.create(gateway.fhir());
    List<SSLSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        SSLSocket socket = (SSLSocket) SampleClients.tls(null).getSocketFactory().createSocket(base.getHost(), base.getPort());
        socket.startHandshake();
        held.add(socket);
      }
      SSLSocket third = (SSLSocket) SampleClients.tls(null).getSocketFactory().createSocket(base.getHost(), base.getPort());
      held.add(third);
      third.setSoTimeout(10_000);

      assertThat(readOrEnd(third.getInputStream())).isEqualTo(-1);

      held.get(0).close();
      // with one closed, the address may connect again
      String answer = await("a new connection to be served").atMost(Duration.ofSeconds(10))
          .until(() -> metadataOverNewConnection(base),
          text -> text.startsWith("HTTP/1.1 200"));
      assertThat(answer).startsWith("HTTP/1.1 200");
    } finally {
      for (SSLSocket socket : held) {
        socket.close();
      }
    }
  }

  private static String metadataOverNewConnection(URI base) {
    try (SSLSocket socket = (SSLSocket) SampleClients.tls(null).getSocketFactory().createSocket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /fhir/metadata HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "closed: " + e;
    }
  }

  /** The first byte the gateway sends, or -1 when it closes the connection (also mid-handshake). */
  private static int readOrEnd(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (javax.net.ssl.SSLException | java.net.SocketException closedByPeer) {
      return -1;
    }
  }
}
