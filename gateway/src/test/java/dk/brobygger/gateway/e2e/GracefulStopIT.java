package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.gateway.e2e.RecordingRecipient.Delivery;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM during load, on the real gateway as a separate process (as {@link CrashRecoveryIT} runs
 * it): referrals are being sent and one delivery hangs at the recipient when the stop begins. The
 * stop takes its steps in order within {@code shutdown.timeout}, readiness first; the hanging
 * attempt is cut off and its lease returned; the next start delivers it at once although the lease
 * (10 minutes) is far from expired; and every referral answered 202 reaches the GP.
 */
@EndToEndTest
class GracefulStopIT {

  private static final int REFERRALS = 40;
  private static final int SENDERS = 4;
  private static final Duration STOP_BOUND = Duration.ofSeconds(8);
  /** Far beyond the test's patience: a row whose lease were not returned would not come back in time. */
  private static final String LEASE = "PT10M";
  private static final Duration START_PATIENCE = Duration.ofMinutes(6);
  private static final Duration DELIVERY_PATIENCE = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path runDirectory = Path.of("target", "graceful-stop");
  private final HttpClient asOutreach = HttpClient.newBuilder().sslContext(SampleClients.tls(SampleParty.OUTREACH))
      .connectTimeout(Duration.ofSeconds(30)).build();
  private final Map<String, String> taskOfAccepted = new ConcurrentHashMap<>();
  private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  private final Map<Integer, AtomicInteger> otherAnswers = new ConcurrentHashMap<>();
  private volatile String baseUrl;
  private Path dataDirectory;
  private RecordingRecipient recipient;
  private GatewayProcess gateway;
  private ExecutorService senders;

  @AfterEach
  void cleanUp() throws IOException {
    if (senders != null) {
      senders.shutdownNow();
    }
    if (gateway != null && gateway.isAlive()) {
      gateway.kill();
    }
    if (recipient != null) {
      recipient.close();
    }
    if (dataDirectory != null) {
      String path = dataDirectory.toString();
      ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())
          .filter(p -> p.info().commandLine().map(line -> line.contains(path)).orElse(false))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aSigtermDuringLoadStopsInOrderWithinItsBoundAndTheNextStartDeliversWhatWasInFlight() throws Exception {
    Files.createDirectories(runDirectory);
    Path log = runDirectory.resolve("gateway.log");
    Files.deleteIfExists(log);
    dataDirectory = Files.createTempDirectory("brobygger-stop-data");
    // a database server the gateway starts may run as another user: let it reach the data directory
    Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
    recipient = new RecordingRecipient(runDirectory.resolve("recipient.log"));
    Path directoryFile = runDirectory.resolve("directory.json");
    TestGateway.writeDirectory(directoryFile, recipient.endpoints());
    List<String> args = List.of("--development", "--http.port", "0", "--data.dir", dataDirectory.toString(),
        "--directory.file", directoryFile.toString(), "--shutdown.timeout", "PT" + STOP_BOUND.toSeconds() + "S",
        "--delivery.lease", LEASE, "--delivery.poll-interval", "PT0.05S", "--delivery.response-timeout", "PT30S");

    gateway = GatewayProcess.start(args, log);
    baseUrl = gateway.awaitListening(START_PATIENCE);
    recordConsentForTheGp();

    List<byte[]> referrals = new ArrayList<>();
    for (int i = 0; i < REFERRALS; i++) {
      referrals.add(Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    }
    AtomicInteger next = new AtomicInteger();
    senders = Executors.newFixedThreadPool(SENDERS);
    List<Future<?>> sending = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      sending.add(senders.submit(() -> {
        for (int n = next.getAndIncrement(); n < referrals.size(); n = next.getAndIncrement()) {
          send(referrals.get(n));
        }
      }));
    }

    // once a quarter of the referrals are answered, the next delivery hangs at the GP while the stop runs
    await("a quarter of the referrals answered").atMost(START_PATIENCE)
        .until(taskOfAccepted::size, n -> n >= REFERRALS / 4);
    GatewayProcess first = gateway;
    AtomicReference<String> heldMessage = new AtomicReference<>();
    AtomicReference<Duration> stopTook = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    recipient.beforeNextAnswer((Delivery held) -> {
      heldMessage.set(held.messageId());
      long sigterm = System.nanoTime();
      first.terminate();
      if (first.awaitExit(Duration.ofMinutes(2))) {
        stopTook.set(Duration.ofNanos(System.nanoTime() - sigterm));
      }
      stopped.countDown();
    });
    assertThat(stopped.await(3, TimeUnit.MINUTES)).as("a delivery arrived and the gateway stopped").isTrue();
    for (Future<?> s : sending) {
      s.get(5, TimeUnit.MINUTES);
    }

    // the process has ended; its last lines may still be on their way through the pipe into the log
    assertThat(first.awaitOutput(Duration.ofSeconds(30))).as("the gateway's output reached its end").isTrue();
    assertThat(stopTook.get()).as("the stop ended by itself").isNotNull()
        .isLessThan(STOP_BOUND.plusSeconds(10)); // the bound, plus a loaded machine's JVM exit
    assertThat(first.exitValue()).as("not cut short by the bound (status 1)").isNotEqualTo(1);
    List<String> steps = stopSteps(log);
    assertThat(steps).as("the stop's steps, in order").extracting(m -> m.replaceAll("^shutdown: (\\w+ \\w+).*", "$1"))
        .containsSubsequence("readiness is", "refusing new", "requests drained", "stopping delivery", "delivery stopped",
            "final checkpoint", "database closed");
    assertThat(steps).filteredOn(m -> m.startsWith("shutdown: delivery stopped")).singleElement().satisfies(m ->
        assertThat(m).as("the hanging attempt's lease went back").containsPattern("; [1-9]\\d* unfinished lease"));
    int deliveredBeforeRestart = recipient.deliveries().size();

    gateway = GatewayProcess.start(args, log);
    baseUrl = gateway.awaitListening(START_PATIENCE);
    for (byte[] referral : referrals) {
      String id = JSON.readTree(referral).path("entry").path(0).path("resource").path("id").asText();
      if (unanswered.contains(id)) {
        send(referral);
      }
    }

    Set<String> accepted = Set.copyOf(taskOfAccepted.keySet());
    assertThat(accepted).hasSize(REFERRALS - otherAnswers.values().stream().mapToInt(AtomicInteger::get).sum());
    await("every referral answered 202 at the GP").atMost(DELIVERY_PATIENCE).until(this::delivered,
        delivered -> delivered.containsAll(accepted));
    assertThat(recipient.deliveries().subList(deliveredBeforeRestart, recipient.deliveries().size()))
        .as("the delivery cut off by the stop, again after the restart, with its idempotency key")
        .anySatisfy(d -> {
          assertThat(d.messageId()).isEqualTo(heldMessage.get());
          assertThat(d.idempotencyKey()).isEqualTo(heldMessage.get());
        });
    for (String id : accepted) {
      await("Task of " + id + " completed").atMost(DELIVERY_PATIENCE).until(() -> taskStatus(taskOfAccepted.get(id)),
          "completed"::equals);
    }
    assertThat(otherAnswers).as("answers other than 202, 503 or a lost connection").isEmpty();

    assertThat(gateway.stop(Duration.ofMinutes(1))).as("a quiet stop, within its bound").isNotEqualTo(1);
    deleteRecursively(dataDirectory);
  }

  /** Posts one referral; a 202 is remembered, a lost or 503 answer (stopping) means send it again later. */
  private void send(byte[] referral) {
    String id;
    try {
      id = JSON.readTree(referral).path("entry").path(0).path("resource").path("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int busy = 0; busy < 60; busy++) {
      HttpResponse<String> answer;
      try {
        answer = asOutreach.send(HttpRequest.newBuilder(URI.create(baseUrl + "/fhir/$process-message"))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(referral)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        unanswered.add(id);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (answer.statusCode() == 202) {
        taskOfAccepted.put(id, Fixtures.taskOf(answer).getIdElement().getIdPart());
        unanswered.remove(id);
        return;
      }
      if (answer.statusCode() != 503) {
        otherAnswers.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        return;
      }
      if (!gateway.isAlive() || answer.headers().firstValue("Retry-After").isEmpty()) {
        unanswered.add(id); // not ready: the stop has begun
        return;
      }
      // the validator is still warming up: honour Retry-After, as a client must
      long seconds = answer.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(Math.max(1, Math.min(seconds, 5))).toNanos());
    }
    unanswered.add(id);
  }

  private static List<String> stopSteps(Path log) {
    try {
      return Files.readAllLines(log).stream().map(GracefulStopIT::formattedMessage)
          .filter(m -> m.startsWith("shutdown: ")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Set<String> delivered() {
    return recipient.deliveries().stream().map(Delivery::messageId).collect(Collectors.toSet());
  }

  private void recordConsentForTheGp() throws IOException, InterruptedException {
    HttpResponse<String> created = asOutreach.send(HttpRequest.newBuilder(URI.create(baseUrl + "/fhir/Consent"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR)))))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  private String taskStatus(String taskId) {
    try {
      HttpResponse<String> task = asOutreach.send(HttpRequest.newBuilder(URI.create(baseUrl + "/fhir/Task/" + taskId))
          .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return task.statusCode() == 200 ? JSON.readTree(task.body()).path("status").asText() : "HTTP " + task.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The message of a JSON log line (the gateway logs JSON outside demo mode); other lines as they are. */
  private static String formattedMessage(String line) {
    if (!line.startsWith("{")) {
      return line;
    }
    try {
      return Optional.ofNullable(JSON.readTree(line).get("formattedMessage")).map(n -> n.asText()).orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (var paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
