package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.HOSPITAL_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The crash test: the real gateway as a separate process, consented referrals from several threads,
 * SIGKILL at random moments (during start-up, while referrals are being accepted, while one is being
 * delivered), restart on the same data, and at the end, from what the recipients logged: nothing
 * answered 202 is lost, copies carry one Idempotency-Key, nothing unanswered-202 leaves, used client
 * assertions stay used, and the audit log keeps what it had and still verifies.
 *
 * <p>Sizes and the database are system properties, so that {@code bench/crash/run.sh} runs a long
 * version of the same test: {@code crash.referrals} (200), {@code crash.kills} (5), {@code
 * crash.senders} (4), {@code crash.seed}, {@code crash.db.url} / {@code crash.db.user} / {@code
 * crash.db.password} (default: none, the gateway's own default database under data.dir), {@code
 * crash.figures} (where the figures are written, default target/crash/figures.md).
 */
@EndToEndTest
@Tag("crash")
class CrashRecoveryIT {

  private static final int REFERRALS = Integer.getInteger("crash.referrals", 200);
  private static final int KILLS = Integer.getInteger("crash.kills", 5);
  private static final int SENDERS = Integer.getInteger("crash.senders", 4);
  private static final long SEED = Long.getLong("crash.seed", System.nanoTime());
  private static final Optional<String> DB_URL = property("crash.db.url");
  /** Every tenth referral goes to the hospital, which the citizen never consented to: a refusal (403). */
  private static final int REFUSED_EVERY = 10;
  /** Issuer and token audience that do not change when a restart binds another port. */
  private static final String PUBLIC_BASE_URL = "https://brobygger-crash-test.invalid";
  /** A hang detector, not a budget: with 8 builds sharing 2 cores a start took 150 s. */
  private static final Duration START_PATIENCE = Duration.ofMinutes(6);
  private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Moment { START_UP, ACCEPTANCE, DELIVERY }

  /** A referral as sent: its message id, its bytes, and whether consent permits it. */
  private record Referral(String messageId, byte[] body, boolean consented) {}

  /** The last answer the sender got for a message; taskId only for 202. */
  private record Answer(int status, Optional<String> taskId) {}

  /** One kill: when in the gateway's life it happened, and after how long. */
  private record Kill(Moment moment, Duration after) {}

  /** A running gateway generation that listens. */
  private record Up(int generation, String baseUrl) {}

  private final Path runDirectory = Path.of("target", "crash");
  private final Random random = new Random(SEED);
  private final ObservedGateway gateway = new ObservedGateway();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Set<String> answersLost = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());
  private final List<ProcessHandle> childrenOfKilled = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> replayedAssertionAnswers = new ArrayList<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private Path dataDirectory;
  private RecordingRecipient recipient;
  private ExecutorService senders;

  private final HttpClient asOutreach = client(SampleParty.OUTREACH);
  private final HttpClient asOfficer = client(SampleParty.PRIVACY_OFFICER);
  private final HttpClient anonymous = client(null);

  @AfterEach
  void cleanUp() throws IOException {
    if (senders != null) {
      senders.shutdownNow();
    }
    gateway.killIfRunning();
    childrenOfKilled.forEach(ProcessHandle::destroyForcibly);
    if (dataDirectory != null) {
      processesUsingTheDataDirectory().forEach(ProcessHandle::destroyForcibly);
    }
    if (recipient != null) {
      recipient.close();
    }
    writeFigures();
  }

  @Test
  void everyReferralAnswered202ReachesItsRecipientOnceKeyedAndTheAuditLogSurvivesSigkills() throws Exception {
    Files.createDirectories(runDirectory);
    Files.deleteIfExists(runDirectory.resolve("gateway.log"));
    dataDirectory = Files.createTempDirectory("brobygger-crash-data");
    // a database server the gateway starts may run as another user: let it reach the data directory
    Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
    recipient = new RecordingRecipient(runDirectory.resolve("recipient.log"));
    Path directoryFile = runDirectory.resolve("directory.json");
    TestGateway.writeDirectory(directoryFile, recipient.endpoints());
    List<String> args = gatewayArguments(directoryFile);
    figures.put("seed", SEED);
    figures.put("database", DB_URL.orElse("the gateway's default under data.dir"));

    List<Referral> referrals = referrals();
    List<Moment> plan = plan();
    Semaphore permits = new Semaphore(0);
    int runningPhases = (int) plan.stream().filter(m -> m != Moment.START_UP).count() + 1;
    int perPhase = REFERRALS / runningPhases;

    gateway.launch(args);
    Duration lastStart = gateway.awaitListening();
    String consentId = recordConsentForTheGp();
    senders = Executors.newFixedThreadPool(SENDERS);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> sending = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      sending.add(senders.submit(() -> send(referrals, next, permits)));
    }

    List<String> assertionsUsedBeforeKill = new ArrayList<>();
    for (Moment moment : plan) {
      if (moment == Moment.START_UP) {
        // the run launched after the previous kill is still starting: kill it before it listens
        Duration delay = Duration.ofMillis((long) (random.nextDouble() * 0.9 * lastStart.toMillis()));
        gateway.killAfter(delay, moment);
        gateway.launch(args);
        continue;
      }
      lastStart = gateway.awaitListening();
      replay(assertionsUsedBeforeKill);
      assertionsUsedBeforeKill.add(useAssertion());
      int phaseStart = answered.get();
      permits.release(perPhase);
      if (moment == Moment.ACCEPTANCE) {
        // while referrals are in flight: somewhere in the first three quarters of this phase's share
        int target = phaseStart + 1 + random.nextInt(Math.max(1, perPhase * 3 / 4));
        waitFor("answers before the kill", Duration.ofMinutes(5), () -> answered.get() >= target);
        // a used client assertion is worth most to an attacker right before a crash
        assertionsUsedBeforeKill.add(useAssertion());
        gateway.kill(moment);
      } else {
        CountDownLatch killed = new CountDownLatch(1);
        recipient.beforeNextAnswer(() -> {
          gateway.kill(moment);
          killed.countDown();
        });
        if (!killed.await(2, TimeUnit.MINUTES)) {
          throw new AssertionError("no delivery arrived to kill the gateway during");
        }
      }
      gateway.launch(args);
    }
    gateway.awaitListening();
    replay(assertionsUsedBeforeKill);
    permits.release(REFERRALS);
    for (Future<?> s : sending) {
      s.get(10, TimeUnit.MINUTES);
    }

    Map<String, Referral> byId = referrals.stream().collect(Collectors.toMap(Referral::messageId, r -> r));
    Set<String> accepted = idsAnswered(status -> status == 202);
    Set<String> refused = idsAnswered(status -> status != 202);
    Set<String> unknown = referrals.stream().map(Referral::messageId).filter(id -> !answers.containsKey(id))
        .collect(Collectors.toSet());
    figures.put("referrals sent", REFERRALS);
    figures.put("requests (with resends after a lost answer)", requests.get());
    figures.put("answered 202", accepted.size());
    figures.put("answered otherwise", refused.size() + " " + statusCounts(refused));
    figures.put("answers lost in a kill (then resent)", answersLost.size());
    figures.put("never answered", unknown.size());
    figures.put("kills", kills.size() + " " + kills.stream().collect(Collectors.groupingBy(Kill::moment, TreeMap::new, Collectors.counting())));

    // drain: every accepted referral arrives at the GP (bounded wait, then count what is missing)
    Set<String> lost = awaitDelivered(accepted);
    List<Delivery> deliveries = recipient.deliveries();
    Map<String, Long> copies = deliveries.stream().collect(Collectors.groupingBy(Delivery::messageId, Collectors.counting()));
    figures.put("deliveries on the wire", deliveries.size());
    figures.put("duplicates on the wire (at-least-once)", deliveries.size() - copies.size());
    figures.put("lost (answered 202, never delivered)", lost.size());

    assertThat(lost).as("referrals answered 202 that never reached the GP (seed %d)", SEED).isEmpty();
    Map<String, String> taskStates = taskStates(accepted);
    figures.put("Tasks completed", taskStates.values().stream().filter("completed"::equals).count() + " of " + accepted.size());
    assertThat(taskStates).as("the Task of every referral answered 202").allSatisfy((id, state) -> assertThat(state).isEqualTo("completed"));

    assertThat(deliveries).as("every copy opens with the GP's key and carries its message id as Idempotency-Key")
        .allSatisfy(d -> {
          assertThat(d.messageId()).isNotEqualTo("unreadable");
          assertThat(d.idempotencyKey()).isEqualTo(d.messageId());
          assertThat(d.party()).isEqualTo(SampleParty.GP.id());
        });
    assertThat(copies.keySet()).as("delivered without a 202: only those whose answer was lost may be there")
        .allSatisfy(id -> assertThat(accepted.contains(id) || unknown.contains(id)).as(id).isTrue())
        .doesNotContainAnyElementsOf(refused);
    assertThat(refused).as("refused referrals are the unconsented ones (answers by status: " + statusCounts(refused) + ")")
        .allSatisfy(id -> assertThat(byId.get(id).consented()).as(id).isFalse());

    figures.put("client assertions replayed after a restart", replayedAssertionAnswers.size() + " answered " + replayedAssertionAnswers);
    assertThat(replayedAssertionAnswers).as("a client assertion used before a kill, presented again after the restart")
        .hasSize(assertionsUsedBeforeKill.size()).allSatisfy(status -> assertThat(status).isBetween(400, 401));
    assertThat(get(asOutreach, "/fhir/Consent/" + consentId).statusCode()).as("the consent recorded before the kills").isEqualTo(200);

    assertAuditLogKeptEveryDecisionAndVerifies(accepted, refused);

    gateway.stop();
    waitFor("no process of a killed gateway left running", Duration.ofSeconds(30),
        () -> childrenOfKilled.stream().noneMatch(ProcessHandle::isAlive) && processesUsingTheDataDirectory().isEmpty());
    deleteRecursively(dataDirectory);
  }

  // ---- the workload ----

  private List<Referral> referrals() {
    List<Referral> referrals = new ArrayList<>(REFERRALS);
    for (int i = 0; i < REFERRALS; i++) {
      boolean consented = i % REFUSED_EVERY != REFUSED_EVERY - 1;
      var message = Fixtures.referralTo(consented ? GP_SOR : HOSPITAL_SOR);
      referrals.add(new Referral(Fixtures.messageId(message), Fixtures.bytes(message), consented));
    }
    return referrals;
  }

  /**
   * Which moment each kill hits: every moment at least once (when there are kills enough), in random
   * order, but not start-up first: the first run must listen to record the consent.
   */
  private List<Moment> plan() {
    List<Moment> plan = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      plan.add(Moment.values()[i % Moment.values().length]);
    }
    Collections.shuffle(plan, random);
    for (int i = 0; i < plan.size() && plan.get(0) == Moment.START_UP; i++) {
      if (plan.get(i) != Moment.START_UP) {
        Collections.swap(plan, 0, i);
      }
    }
    figures.put("plan", plan);
    return plan;
  }

  private String recordConsentForTheGp() throws IOException {
    HttpResponse<String> created = post(asOutreach, "/fhir/Consent",
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asText();
  }

  /**
   * One sender thread: takes the next referral once a permit allows it, posts it, and when the answer
   * is lost (the gateway was killed) posts the same message again to the next gateway run, as a
   * careful client would; the gateway answers a repeated message id with its first answer.
   */
  /** How often one referral may be answered 503 (busy, validator warming up) before that answer counts. */
  private static final int MAX_BUSY_ANSWERS = 60;

  /** Waits as the gateway's Retry-After asks (seconds; 1 when absent), as a well-behaved client does. */
  private static void retryAfter(HttpResponse<String> answer) throws InterruptedException {
    long seconds = answer.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
    TimeUnit.SECONDS.sleep(Math.max(1, Math.min(seconds, 10)));
  }

  private void send(List<Referral> referrals, AtomicInteger next, Semaphore permits) {
    for (int i = next.getAndIncrement(); i < referrals.size(); i = next.getAndIncrement()) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Referral referral = referrals.get(i);
      int seen = 0;
      int busyAnswers = 0;
      for (int attempt = 1; attempt <= 3; attempt++) {
        Up up = gateway.awaitUp(seen);
        requests.incrementAndGet();
        try {
          HttpResponse<String> answer = asOutreach.send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/fhir/$process-message"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/fhir+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(referral.body())).build(), HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() == 503 && busyAnswers++ < MAX_BUSY_ANSWERS) {
            // busy or still warming its validator: a client honours Retry-After and sends again
            retryAfter(answer);
            attempt--;
            continue;
          }
          Optional<String> task = answer.statusCode() == 202
              ? Optional.of(Fixtures.taskOf(answer).getIdElement().getIdPart()) : Optional.empty();
          answers.put(referral.messageId(), new Answer(answer.statusCode(), task));
          answered.incrementAndGet();
          break;
        } catch (IOException e) {
          answersLost.add(referral.messageId());
          seen = up.generation();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private String useAssertion() throws IOException {
    String assertion = SampleClients.assertion(SampleParty.OUTREACH, PUBLIC_BASE_URL + "/auth/token", Duration.ofMinutes(4));
    HttpResponse<String> token = postToken(assertion);
    assertThat(token.statusCode()).as("a fresh client assertion: " + token.body()).isEqualTo(200);
    return assertion;
  }

  private void replay(List<String> usedBeforeKill) {
    for (String assertion : usedBeforeKill.subList(replayedAssertionAnswers.size(), usedBeforeKill.size())) {
      replayedAssertionAnswers.add(postToken(assertion).statusCode());
    }
  }

  private HttpResponse<String> postToken(String assertion) {
    return send(anonymous, HttpRequest.newBuilder(URI.create(gateway.up().baseUrl() + "/auth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(TestGateway.tokenForm(assertion, "system/*.cruds"))));
  }

  // ---- what is checked at the end ----

  private Set<String> awaitDelivered(Set<String> accepted) {
    long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
    Set<String> missing = missing(accepted);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      park(Duration.ofMillis(200));
      missing = missing(accepted);
    }
    return missing;
  }

  private Set<String> missing(Set<String> accepted) {
    Set<String> delivered = recipient.deliveries().stream().map(Delivery::messageId).collect(Collectors.toSet());
    return accepted.stream().filter(id -> !delivered.contains(id)).collect(Collectors.toSet());
  }

  /** Task status per accepted message, waiting a little for the recording after the last delivery. */
  private Map<String, String> taskStates(Set<String> accepted) {
    Map<String, String> states = new TreeMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (String id : accepted) {
      String taskId = answers.get(id).taskId().orElseThrow();
      String state = taskState(taskId);
      while (!state.equals("completed") && System.nanoTime() < deadline) {
        park(Duration.ofMillis(200));
        state = taskState(taskId);
      }
      states.put(id, state);
    }
    return states;
  }

  private String taskState(String taskId) {
    HttpResponse<String> task = get(asOutreach, "/fhir/Task/" + taskId);
    if (task.statusCode() != 200) {
      return "HTTP " + task.statusCode();
    }
    try {
      return JSON.readTree(task.body()).path("status").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The privacy officer's export verifies with the gateway CLI, and has the decision on every answered referral. */
  private void assertAuditLogKeptEveryDecisionAndVerifies(Set<String> accepted, Set<String> refused) throws Exception {
    get(asOfficer, "/audit/checkpoint?fresh=true");
    HttpResponse<String> export = get(asOfficer, "/audit/export");
    assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
    Path exportFile = runDirectory.resolve("audit.ndjson");
    Path jwksFile = runDirectory.resolve("gateway.jwks.json");
    Files.writeString(exportFile, export.body());
    Files.writeString(jwksFile, get(anonymous, "/.well-known/jwks.json").body());
    // the checkpoint is a C2SP signed note: its verifier key, as the privacy officer pins it
    Path logKeyFile = runDirectory.resolve("audit-log.vkey");
    HttpResponse<String> logKey = get(asOfficer, "/audit/key");
    assertThat(logKey.statusCode()).as(logKey.body()).isEqualTo(200);
    Files.writeString(logKeyFile, logKey.body());
    Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", GatewayProcess.runtimeClassPath(), "dk.brobygger.gateway.Main",
        "audit", "verify", "--export", exportFile.toString(), "--jwks", jwksFile.toString(),
        "--log-key", logKeyFile.toString())
        .redirectErrorStream(true).redirectOutput(runDirectory.resolve("audit-verify.txt").toFile()).start();
    assertThat(verify.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(verify.exitValue()).as(Files.readString(runDirectory.resolve("audit-verify.txt"))).isZero();

    Map<String, Set<String>> decisions = new ConcurrentHashMap<>();
    long entries = 0;
    for (String line : export.body().split("\n")) {
      JsonNode node = JSON.readTree(line);
      if (!node.has("entry")) {
        continue;
      }
      entries++;
      JsonNode entry = JSON.readTree(node.get("entry").asText());
      if (entry.path("action").asText().equals("CONSENT_DECISION") && entry.hasNonNull("messageId")) {
        decisions.computeIfAbsent(entry.get("messageId").asText(), k -> ConcurrentHashMap.newKeySet()).add(entry.get("outcome").asText());
      }
    }
    figures.put("audit entries (export verifies)", entries);
    assertThat(accepted).as("a permit decision in the log for every referral answered 202")
        .allSatisfy(id -> assertThat(decisions.getOrDefault(id, Set.of())).as(id).contains("permit"));
    assertThat(refused).as("a deny decision in the log for every referral refused")
        .allSatisfy(id -> assertThat(decisions.getOrDefault(id, Set.of())).as(id).contains("deny"));
  }

  private Set<String> idsAnswered(java.util.function.IntPredicate status) {
    return answers.entrySet().stream().filter(e -> status.test(e.getValue().status())).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private Map<Integer, Long> statusCounts(Set<String> ids) {
    return ids.stream().collect(Collectors.groupingBy(id -> answers.get(id).status(), TreeMap::new, Collectors.counting()));
  }

  private void writeFigures() throws IOException {
    StringBuilder text = new StringBuilder("| figure | value |\n|---|---|\n");
    figures.forEach((k, v) -> text.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    text.append("\nKills (moment, after):\n\n");
    kills.forEach(k -> text.append("- ").append(k.moment()).append(", ").append(k.after().toMillis()).append(" ms after its start\n"));
    Path file = Path.of(System.getProperty("crash.figures", runDirectory.resolve("figures.md").toString()));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text.toString());
  }

  // ---- the gateway process, its restarts and kills ----

  private List<String> gatewayArguments(Path directoryFile) {
    List<String> args = new ArrayList<>(List.of(
        "--development",
        "--http.port", "0",
        "--http.public-base-url", PUBLIC_BASE_URL,
        "--data.dir", dataDirectory.toString(),
        "--directory.file", directoryFile.toString()));
    // fast retries, but a patient response timeout: on a loaded machine a short one adds duplicates
    // that are not the kills' doing (the lease stays longer than connect + response timeout)
    args.addAll(List.of(
        "--delivery.initial-backoff", "PT0.2S",
        "--delivery.max-backoff", "PT0.4S",
        "--delivery.jitter", "0",
        "--delivery.poll-interval", "PT0.05S",
        "--delivery.connect-timeout", "PT2S",
        "--delivery.response-timeout", "PT10S",
        "--delivery.lease", "PT15S"));
    DB_URL.ifPresent(url -> args.addAll(List.of("--db.url", url)));
    property("crash.db.user").ifPresent(user -> args.addAll(List.of("--db.user", user)));
    property("crash.db.password").ifPresent(password -> args.addAll(List.of("--db.password", password)));
    return args;
  }

  /** The current gateway process, and whether (and as which generation) it listens. */
  private final class ObservedGateway {
    private GatewayProcess process;
    /** The run that {@link #up} describes. */
    private GatewayProcess listening;
    private Up up;
    private int generation;

    /** Starts a new run on the same data, without waiting for it. */
    synchronized void launch(List<String> args) {
      process = GatewayProcess.start(args, runDirectory.resolve("gateway.log"));
    }

    /** Waits until the run launched last listens; returns how long its start took. */
    Duration awaitListening() {
      GatewayProcess started;
      synchronized (this) {
        started = process;
      }
      String baseUrl = started.awaitListening(START_PATIENCE);
      Duration took = started.startUp();
      synchronized (this) {
        if (process == started && started.isAlive() && listening != started) {
          listening = started;
          up = new Up(++generation, baseUrl);
          notifyAll();
        }
      }
      figures.merge("slowest start to listening (ms)", took.toMillis(), (a, b) -> Math.max((Long) a, (Long) b));
      return took;
    }

    /** SIGKILL now. */
    void kill(Moment moment) {
      GatewayProcess victim;
      synchronized (this) {
        victim = process;
        up = null;
      }
      childrenOfKilled.addAll(victim.children());
      Duration after = victim.sinceStart();
      victim.kill();
      kills.add(new Kill(moment, after));
    }

    /** SIGKILL after a delay, while it starts: if it listens first, the kill counts as one during acceptance. */
    void killAfter(Duration delay, Moment moment) {
      GatewayProcess victim;
      synchronized (this) {
        victim = process;
      }
      long deadline = System.nanoTime() + delay.toNanos();
      while (System.nanoTime() < deadline && victim.baseUrl().isEmpty() && victim.isAlive()) {
        park(Duration.ofMillis(5));
      }
      kill(victim.baseUrl().isPresent() ? Moment.ACCEPTANCE : moment);
    }

    synchronized Up up() {
      return Optional.ofNullable(up).orElseThrow(() -> new IllegalStateException("the gateway is not listening"));
    }

    /** Waits until a run newer than {@code seenGeneration} listens; after 10 s, any that listens. */
    synchronized Up awaitUp(int seenGeneration) {
      long deadline = System.nanoTime() + START_PATIENCE.multipliedBy(2).toNanos();
      long preferNewer = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (up == null || (up.generation() <= seenGeneration && System.nanoTime() < preferNewer)) {
        long left = (up == null ? deadline : preferNewer) - System.nanoTime();
        if (up == null && left <= 0) {
          throw new IllegalStateException("no gateway listening for " + START_PATIENCE.multipliedBy(2));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, Math.max(left, 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return up;
    }

    void stop() {
      GatewayProcess stopping;
      synchronized (this) {
        stopping = process;
        up = null;
      }
      stopping.stop(Duration.ofSeconds(60));
    }

    void killIfRunning() {
      GatewayProcess running;
      synchronized (this) {
        running = process;
      }
      if (running != null && running.isAlive()) {
        childrenOfKilled.addAll(running.children());
        running.kill();
      }
    }
  }

  // ---- plumbing ----

  /**
   * Processes whose command line names this run's (unique) data directory, e.g. a database server a
   * killed gateway left behind after it was reparented, so not a descendant of any gateway run.
   */
  private List<ProcessHandle> processesUsingTheDataDirectory() {
    String path = dataDirectory.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().commandLine().map(line -> line.contains(path)).orElse(false))
        .collect(Collectors.toList());
  }

  private static Optional<String> property(String name) {
    return Optional.ofNullable(System.getProperty(name)).filter(v -> !v.isBlank());
  }

  private static HttpClient client(SampleParty party) {
    return HttpClient.newBuilder().sslContext(SampleClients.tls(party)).connectTimeout(Duration.ofSeconds(30)).build();
  }

  private HttpResponse<String> get(HttpClient client, String path) {
    return send(client, HttpRequest.newBuilder(URI.create(gateway.up().baseUrl() + path)).GET());
  }

  private HttpResponse<String> post(HttpClient client, String path, String fhirJson) {
    return send(client, HttpRequest.newBuilder(URI.create(gateway.up().baseUrl() + path))
        .header("Content-Type", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(fhirJson)));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(String what, Duration patience, Supplier<Boolean> condition) {
    await(what).atMost(patience).until(condition::get);
  }

  private static void park(Duration duration) {
    java.util.concurrent.locks.LockSupport.parkNanos(duration.toNanos());
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (var paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
