package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.HOSPITAL_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated sample messages against the real gateway (byte flips, deletions, type
 * swaps, huge values, XML variants; see {@link BodyMutations}): none gets a 5xx, none takes longer
 * than a hang would, none that is certainly invalid gets a 2xx, every refusal is an
 * OperationOutcome, and nothing is stored or sent but what was accepted. The seed is printed; run
 * again with {@code -Dfuzz.seed=N} (and {@code -Dfuzz.bodies=N}) to repeat a run.
 */
@EndToEndTest
class MutatedBodiesTest {

  private static final Duration HANG = Duration.ofSeconds(10);

  @TempDir static Path temp;
  private static WireMockServer recipients;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    gateway = TestGateway.start(temp.resolve("data"),
        Map.of("laegehuset-sydfyn", base + "/gp", "svendborg-sygehus", base + "/hospital",
            "behandlingscenter-svendborg", base + "/addiction-centre"));
    HttpResponse<String> consent = gateway.post("/Consent", BodyMutations.JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR), organisation(HOSPITAL_SOR)))
            .getBytes(StandardCharsets.UTF_8));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    recipients.stop();
  }

  /** What one body got. */
  private record Answer(BodyMutations.Mutation mutation, int status, String body, Duration took, String task) {
    @Override
    public String toString() {
      return mutation + " -> " + status + " in " + took.toMillis() + " ms: "
          + body.substring(0, Math.min(300, body.length()));
    }
  }

  @Test
  void noMutatedBodyCrashesHangsOrGetsInUnnoticed() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    int count = Integer.getInteger("fuzz.bodies", 2_000);
    System.out.println("MutatedBodiesTest: seed " + seed + ", " + count + " bodies (repeat with -Dfuzz.seed=" + seed + ")");
    BodyMutations mutations = new BodyMutations(new Random(seed), samples());
    List<BodyMutations.Mutation> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      bodies.add(mutations.next());
    }
    long messagesBefore = gateway.rows("message");
    long outboxBefore = gateway.rows("outbox");
    String token = gateway.token(dk.brobygger.keys.SampleParty.OUTREACH);

    // two senders: as many as there are validation slots on the CI machine, so nothing is turned away busy
    List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    ExecutorService senders = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (BodyMutations.Mutation mutation : bodies) {
        sent.add(senders.submit(() -> answers.add(send(mutation, token))));
      }
      for (Future<?> each : sent) {
        each.get(5, TimeUnit.MINUTES);
      }
    } finally {
      senders.shutdownNow();
    }

    assertThat(answers).as("every body answered").filteredOn(a -> a.status() == 0).isEmpty();
    assertThat(answers).as("no 5xx").filteredOn(a -> a.status() >= 500).isEmpty();
    assertThat(answers).as("no answer slower than a hang").filteredOn(a -> a.took().compareTo(HANG) > 0).isEmpty();
    assertThat(answers).as("no 2xx for a certainly invalid body")
        .filteredOn(a -> a.mutation().certainlyInvalid() && a.status() < 300).isEmpty();
    assertThat(answers).as("every refusal is an OperationOutcome").filteredOn(a -> a.status() >= 400)
        .allSatisfy(a -> assertThat(Fixtures.FHIR.newJsonParser().parseResource(a.body()))
            .as(a.toString()).isInstanceOf(OperationOutcome.class));

    Set<String> acceptedTasks = ConcurrentHashMap.newKeySet();
    answers.stream().filter(a -> a.status() == 202).forEach(a -> acceptedTasks.add(a.task()));
    Set<String> inboxTasks = ConcurrentHashMap.newKeySet();
    answers.stream().filter(a -> a.status() == 200).forEach(a -> inboxTasks.add(a.task()));
    assertThat(gateway.rows("outbox") - outboxBefore).as("only accepted messages wait for delivery")
        .isEqualTo(acceptedTasks.size());
    assertThat(gateway.rows("message") - messagesBefore).as("only accepted or received messages are stored")
        .isLessThanOrEqualTo(acceptedTasks.size() + inboxTasks.size());
    List<LoggedRequest> delivered = await("every accepted message delivered").atMost(Duration.ofMinutes(2))
        .until(() -> recipients.findAll(anyRequestedFor(anyUrl())),
        requests -> distinctKeys(requests).size() >= acceptedTasks.size());
    assertThat(distinctKeys(delivered)).as("nothing is sent that was not accepted").hasSize(acceptedTasks.size());

    Map<Integer, Long> byStatus = new java.util.TreeMap<>();
    answers.forEach(a -> byStatus.merge(a.status(), 1L, Long::sum));
    long slowest = answers.stream().mapToLong(a -> a.took().toMillis()).max().orElse(0);
    System.out.println("MutatedBodiesTest: seed " + seed + ", answers by status " + byStatus + ", slowest " + slowest
        + " ms, accepted " + acceptedTasks.size() + " distinct messages");
  }

  private static Set<String> distinctKeys(List<LoggedRequest> requests) {
    Set<String> keys = new java.util.HashSet<>();
    requests.forEach(r -> keys.add(r.getHeader("Idempotency-Key")));
    return keys;
  }

  private static Answer send(BodyMutations.Mutation mutation, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.fhir() + "/$process-message"))
        .timeout(HANG.multipliedBy(3))
        .header("Content-Type", mutation.contentType())
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(mutation.body()));
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = gateway.send(request);
    } catch (UncheckedIOException unanswered) {
      // status 0: no answer at all (a timeout, a reset connection)
      return new Answer(mutation, 0, unanswered.toString(), Duration.ofNanos(System.nanoTime() - started), "");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String task = response.statusCode() < 300 ? response.headers().firstValue("Location").orElse("?") : "";
    return new Answer(mutation, response.statusCode(), response.body(), took, task);
  }

  private static List<byte[]> samples() {
    Path examples = Path.of("..", "docs", "examples");
    try (Stream<Path> files = Files.list(examples)) {
      List<byte[]> samples = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .filter(f -> !f.getFileName().toString().startsWith("consent")).sorted().toList()) {
        samples.add(Files.readAllBytes(file));
      }
      assertThat(samples).as("sample messages in " + examples.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(5);
      return samples;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
