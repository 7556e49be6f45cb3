package dk.brobygger.bench.e2e;

import com.nimbusds.jose.jwk.Curve;
import dk.brobygger.keys.SampleParty;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end benchmark (bench/e2e/run.sh runs it; bench/README.md says what it measures): the
 * packaged gateway as its own process, a recipient stub, and an open-loop load of distinct consented
 * referrals, half over mutual TLS and half with a bearer token. Settings are system properties
 * (run.sh maps its environment onto them); the report is Markdown on the file {@code bench.out}.
 */
public final class EndToEndBenchmark {

  private static final String GP = SampleParty.GP.id();

  private final Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath();
  private final Path work = Path.of(System.getProperty("bench.work", "/tmp/brobygger-e2e"));
  private final Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmup", 30));
  private final Duration window = Duration.ofSeconds(Long.getLong("bench.window", 60));
  private final List<String> rates = List.of(System.getProperty("bench.rates", "10 20 50 100 200 500 1000").trim()
      .split("\\s+"));
  private final List<String> keyVariants = List.of(System.getProperty("bench.keys", "p256 x25519").trim().split("\\s+"));
  private final int maxInFlight = Integer.getInteger("bench.in-flight", 32);
  private final Duration drainPatience = Duration.ofSeconds(Long.getLong("bench.drain", 60));
  private final List<String> jvmOptions = List.of(System.getProperty("bench.gateway-jvm", "-Xmx768m").trim().split("\\s+"));
  private final String dbUrl = System.getProperty("bench.db.url", "");
  private final String dbUser = System.getProperty("bench.db.user", "");
  private final long dbPostmasterPid = Long.getLong("bench.db.pid", 0);
  private final double twoInstanceRate = Double.parseDouble(System.getProperty("bench.two.rate", "0"));
  private final String classPath;
  private final StringBuilder report = new StringBuilder();
  private final byte[] referralTemplate;
  private final String headerId;
  private final String bundleId;

  private EndToEndBenchmark() throws Exception {
    Path jar = repo.resolve("gateway/target/brobygger-gateway.jar");
    Path lib = repo.resolve("gateway/target/lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException("no packaged gateway: run `mvn -B -q -o package -DskipTests` first");
    }
    try (var jars = Files.list(lib)) {
      classPath = jar + ":" + jars.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted()
          .collect(Collectors.joining(":"));
    }
    referralTemplate = Files.readAllBytes(repo.resolve("docs/examples/referral-to-gp.json"));
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(referralTemplate);
    headerId = tree.get("entry").get(0).get("resource").get("id").asText();
    bundleId = tree.get("id").asText();
    Files.createDirectories(work);
  }

  public static void main(String[] args) throws Exception {
    new EndToEndBenchmark().run();
    System.exit(0);
  }

  /** A distinct referral: fresh MessageHeader and Bundle ids in the sample referral to the GP. */
  private OpenLoopLoad.Referral nextReferral() {
    String id = UUID.randomUUID().toString();
    String body = new String(referralTemplate, StandardCharsets.UTF_8)
        .replace(headerId, id).replace(bundleId, UUID.randomUUID().toString());
    return new OpenLoopLoad.Referral(id, body.getBytes(StandardCharsets.UTF_8));
  }

  private void run() throws Exception {
    line("- warm-up %d s, window %d s per step; offered rates %s per second (the sweep stops after a step whose queue overflowed or two steps not sustained), at most %d requests in flight "
        + "(a due referral waits for a slot; its latency counts from when it was due)", warmUp.toSeconds(),
        window.toSeconds(), String.join(", ", rates), maxInFlight);
    line("- referral: `docs/examples/referral-to-gp.json` (%d bytes) with fresh MessageHeader and Bundle ids, one "
        + "consented citizen; every second request over mutual TLS (outreach client certificate), the others with "
        + "a bearer token (SMART Backend Services, outreach client assertion)", referralTemplate.length);
    line("- gateway JVM: `%s`, %s; delivery options at their defaults", String.join(" ", jvmOptions),
        System.getProperty("java.version"));
    line("");
    try (RecipientStub stub = RecipientStub.start()) {
      double highestP256 = 0;
      for (String variant : keyVariants) {
        double highest = sweep(stub, KeyVariant.of(variant));
        if (variant.equals("p256")) {
          highestP256 = highest;
        }
      }
      if (!dbUrl.isEmpty()) {
        double rate = twoInstanceRate > 0 ? twoInstanceRate : Math.max(5, 2 * highestP256);
        twoInstances(stub, rate);
      }
      line("## Every delivery of the run");
      line("");
      line("- deliveries %d, distinct Idempotency-Keys %d, without a key %d: %s", stub.deliveries(), stub.distinctKeys(),
          stub.deliveriesWithoutKey(), stub.deliveries() == stub.distinctKeys() ? "no message was delivered twice"
              : (stub.deliveries() - stub.distinctKeys()) + " deliveries were copies");
    } finally {
      Files.writeString(Path.of(System.getProperty("bench.out", work.resolve("report.md").toString())), report);
    }
  }

  /**
   * What the gateway signs with and what the GP's key is: {@code p256} (ES256, JWE to P-256), {@code x25519}
   * (ES256, JWE to X25519), {@code ed25519} (EdDSA, JWE to X25519; the gateway options that make it sign
   * with Ed25519 come from {@code bench.ed25519-args}, ED25519_ARGS in run.sh).
   */
  private record KeyVariant(String name, Curve signing, Curve recipient, List<String> gatewayArgs) {
    static KeyVariant of(String variant) {
      return switch (variant) {
        case "p256" -> new KeyVariant("ES256 + P-256", Curve.P_256, Curve.P_256, List.of());
        case "x25519" -> new KeyVariant("ES256 + X25519", Curve.P_256, Curve.X25519, List.of());
        case "ed25519" -> new KeyVariant("Ed25519 + X25519", Curve.Ed25519, Curve.X25519,
            List.of(System.getProperty("bench.ed25519-args", "").trim().split("\\s+")).stream()
                .filter(a -> !a.isEmpty()).toList());
        default -> throw new IllegalArgumentException("unknown key variant " + variant + "; use p256, x25519, ed25519");
      };
    }
  }

  /** Steps up the offered rate on one fresh gateway until a step is not sustained; returns the highest sustained. */
  private double sweep(RecipientStub stub, KeyVariant keys) throws Exception {
    String name = keys.name();
    Curve curve = keys.recipient();
    line("## %s, embedded PostgreSQL (the default)", name);
    line("");
    if (keys.signing().equals(Curve.Ed25519) && keys.gatewayArgs().isEmpty()) {
      line("Not run: ED25519_ARGS (the gateway options that make it sign with Ed25519) is not set.");
      line("");
      return 0;
    }
    line("The gateway signs %s (%s), then JWE ECDH-ES+A256KW / A256GCM to the GP's %s key.",
        keys.signing().equals(Curve.Ed25519) ? "EdDSA" : "ES256",
        keys.gatewayArgs().isEmpty() ? "its default" : "`" + String.join(" ", keys.gatewayArgs()) + "`", curve);
    line("");
    StageFloor.Figures floor = StageFloor.measure(nextReferral().body(), keys.signing(), curve, 60, 5, 30);
    line("Floor, one thread in the driver's JVM before the gateway starts (CPU, median of 5 x 30 after 60):");
    line("");
    line("| stage | CPU ms per message |");
    line("|---|---|");
    floor.stageMs().forEach((stage, ms) -> line("| %s | %.3f |", stage, ms));
    line("| **sum (the floor)** | **%.3f** |", floor.sumMs());
    line("");
    String file = name.replaceAll("[^A-Za-z0-9]+", "-");
    Path directory = work.resolve("directory-" + file + ".json");
    SampleSystems.writeDirectory(directory, Map.of(GP, stub.endpoint(GP)), curve);
    List<String> args = new ArrayList<>(gatewayArgs(directory, work.resolve("data-" + file + "-" + System.nanoTime()), ""));
    args.addAll(keys.gatewayArgs());
    double highest = 0;
    try (GatewayUnderTest gateway = GatewayUnderTest.start(classPath, jvmOptions, args, work, "gateway-" + file)) {
      String base = gateway.awaitListening(Duration.ofMinutes(5));
      Duration ready = readyAfter(gateway, base);
      line("- start-up: launch to \"listening\" %.1f s; to the first `202` (validator warm, consent stored) %.1f s; "
          + "first start on a fresh data directory (the embedded PostgreSQL's initdb included)",
          gateway.startUp().toMillis() / 1000.0, ready.toMillis() / 1000.0);
      line("");
      stepHeader();
      int unsustained = 0;
      for (String offered : rates) {
        double rate = Double.parseDouble(offered);
        Step step = step(stub, List.of(base), List.of(gateway), rate, floor);
        line(step.row());
        if (step.sustained()) {
          highest = rate;
          unsustained = 0;
        } else if (step.saturated() || ++unsustained == 2) {
          break; // higher rates would only overflow the driver's queue sooner
        }
      }
      line("");
      line("Highest sustained offered rate (all `202`, backlog not growing, delivery keeping up): **%s per second**",
          highest == 0 ? "none of those offered" : fmt(highest));
      line("");
    }
    return highest;
  }

  /** One instance, then two, on the external PostgreSQL, at the same offered rate. */
  private void twoInstances(RecipientStub stub, double rate) throws Exception {
    line("## One vs two gateway instances on one external PostgreSQL (P-256)");
    line("");
    line("Offered %s per second (twice the highest sustained single-instance rate on the embedded default, at least "
        + "5, unless TWO_RATE says), split evenly between the instances; the same 2 cores for everything.", fmt(rate));
    line("");
    StageFloor.Figures floor = StageFloor.measure(nextReferral().body(), Curve.P_256, Curve.P_256, 30, 3, 20);
    external = true;
    Path directory = work.resolve("directory-external.json");
    SampleSystems.writeDirectory(directory, Map.of(GP, stub.endpoint(GP)), Curve.P_256);
    stepHeader();
    Step one;
    try (GatewayUnderTest a = GatewayUnderTest.start(classPath, jvmOptions,
        gatewayArgs(directory, work.resolve("data-ext-a-" + System.nanoTime()), dbUrl), work, "gateway-ext-1")) {
      String base = a.awaitListening(Duration.ofMinutes(5));
      readyAfter(a, base);
      one = step(stub, List.of(base), List.of(a), rate, floor);
      line(one.row().replaceFirst("\\| ", "| 1 instance: "));
    }
    Step two;
    try (GatewayUnderTest a = GatewayUnderTest.start(classPath, jvmOptions,
            gatewayArgs(directory, work.resolve("data-ext-a-" + System.nanoTime()), dbUrl), work, "gateway-ext-2a");
        GatewayUnderTest b = GatewayUnderTest.start(classPath, jvmOptions,
            gatewayArgs(directory, work.resolve("data-ext-b-" + System.nanoTime()), dbUrl), work, "gateway-ext-2b")) {
      String baseA = a.awaitListening(Duration.ofMinutes(5));
      String baseB = b.awaitListening(Duration.ofMinutes(5));
      readyAfter(a, baseA);
      readyAfter(b, baseB);
      two = step(stub, List.of(baseA, baseB), List.of(a, b), rate, floor);
      line(two.row().replaceFirst("\\| ", "| 2 instances: "));
    }
    line("");
    line("- delivered per second in the window: 1 instance %.1f, 2 instances %.1f: ratio **%.2f**",
        one.deliveredPerSecond(), two.deliveredPerSecond(),
        one.deliveredPerSecond() == 0 ? 0 : two.deliveredPerSecond() / one.deliveredPerSecond());
    line("- database server CPU (postmaster and its backends) is in the CPU column for these two rows");
    line("");
  }

  private List<String> gatewayArgs(Path directory, Path dataDir, String externalDb) {
    List<String> args = new ArrayList<>(List.of("--development", "--http.port", "0",
        "--data.dir", dataDir.toString(), "--directory.file", directory.toString(),
        // the driver holds up to bench.in-flight connections from one address
        "--http.max-connections-per-address", Integer.toString(Math.max(64, 2 * maxInFlight))));
    if (!externalDb.isEmpty()) {
      args.addAll(List.of("--db.url", externalDb));
      if (!dbUser.isEmpty()) {
        args.addAll(List.of("--db.user", dbUser));
      }
    }
    String extra = System.getProperty("bench.gateway-args", "").trim();
    if (!extra.isEmpty()) {
      args.addAll(List.of(extra.split("\\s+")));
    }
    return args;
  }

  /** Stores the citizen's consent and sends referrals until one is accepted (the validator warms up in the background). */
  private Duration readyAfter(GatewayUnderTest gateway, String base) throws Exception {
    HttpClient mtls = HttpClient.newBuilder().sslContext(SampleSystems.tls(SampleParty.OUTREACH)).build();
    Instant now = Instant.now();
    String consent = Files.readString(repo.resolve("docs/examples/consent-yes-gp-no-addiction-centre.json"))
        .replace("2026-11-01T09:00:00+01:00", now.minus(1, ChronoUnit.DAYS).toString())
        .replace("2026-11-01T00:00:00+01:00", now.minus(1, ChronoUnit.DAYS).toString())
        .replace("2027-11-01T00:00:00+01:00", now.plus(365, ChronoUnit.DAYS).toString());
    HttpResponse<String> stored = mtls.send(HttpRequest.newBuilder(URI.create(base + "/fhir/Consent"))
        .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(consent)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (stored.statusCode() != 201) {
      throw new IllegalStateException("the consent was not stored: " + stored.statusCode() + " " + stored.body());
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = mtls.send(HttpRequest.newBuilder(URI.create(base + "/fhir/$process-message"))
          .header("Content-Type", "application/fhir+json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(nextReferral().body())).build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 202) {
        return Duration.ofNanos(System.nanoTime() - gateway.launchedNanos());
      }
      if (answer.statusCode() != 503) {
        throw new IllegalStateException("the first referral was answered " + answer.statusCode() + ": " + answer.body());
      }
    }
    throw new IllegalStateException("no referral accepted within 5 minutes of start");
  }

  private record Step(String row, boolean sustained, boolean saturated, double deliveredPerSecond) {}

  private void stepHeader() {
    line("| offered /s | `202` /s in window | other answers | delivered /s | backlog start -> end | sustained | "
        + "`202` latency p50 / p99 / max ms (mTLS p99, bearer p99) | `202` -> delivery p50 / p99 / max ms | "
        + "CPU ms per message: gateway JVM (+ database) | ratio to floor | RSS max MiB | heap max before / after GC "
        + "(committed) MiB | GC pauses: n, total ms, longest ms |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  }

  /** One measured step at a constant offered rate, spread over the given instances; then waits for the backlog to drain. */
  private Step step(RecipientStub stub, List<String> bases, List<GatewayUnderTest> gateways, double rate,
      StageFloor.Figures floor) throws Exception {
    List<OpenLoopLoad.Transport> transports = new ArrayList<>();
    for (String base : bases) {
      HttpClient mtls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(SampleSystems.tls(SampleParty.OUTREACH)).build();
      HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(SampleSystems.tls(null)).build();
      transports.add(new OpenLoopLoad.Transport("mTLS", mtls, base, null));
      transports.add(new OpenLoopLoad.Transport("bearer", plain, base,
          "Bearer " + SampleSystems.accessToken(plain, base, SampleParty.OUTREACH)));
    }
    OpenLoopLoad load = new OpenLoopLoad(transports, this::nextReferral, maxInFlight);

    double[] cpuAtStart = new double[2];
    double[] cpuAtEnd = new double[2];
    int[] gcMarks = new int[gateways.size()];
    AtomicReference<Double> rssMax = new AtomicReference<>(0.0);
    boolean[] measuring = {false};
    Thread rssSampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        if (measuring[0]) {
          double rss = gateways.stream().mapToDouble(GatewayUnderTest::rssMiB).max().orElse(0);
          rssMax.accumulateAndGet(rss, Math::max);
        }
        try {
          Thread.sleep(1000); // a sampling period, not a wait for a condition
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    rssSampler.setDaemon(true);
    rssSampler.start();
    OpenLoopLoad.Outcome outcome = load.run(rate, warmUp, window, new OpenLoopLoad.Window() {
      @Override
      public void started() {
        cpuAtStart[0] = gateways.stream().mapToDouble(GatewayUnderTest::jvmCpuSeconds).sum();
        cpuAtStart[1] = databaseCpu(gateways);
        for (int i = 0; i < gateways.size(); i++) {
          gcMarks[i] = gateways.get(i).gcMark();
        }
        measuring[0] = true;
      }

      @Override
      public void ended() {
        cpuAtEnd[0] = gateways.stream().mapToDouble(GatewayUnderTest::jvmCpuSeconds).sum();
        cpuAtEnd[1] = databaseCpu(gateways);
        measuring[0] = false;
      }
    });
    rssSampler.interrupt();
    double windowSeconds = (outcome.windowEndNanos() - outcome.windowStartNanos()) / 1e9;

    // backlog = accepted so far - delivered so far, among this step's referrals
    long backlogStart = backlogAt(stub, outcome, outcome.windowStartNanos());
    long backlogEnd = backlogAt(stub, outcome, outcome.windowEndNanos());
    long acceptedInWindow = outcome.measuredIds().size();
    long deliveredInWindow = outcome.acceptedAtNanos().keySet().stream().map(stub::arrivalOf)
        .filter(t -> t != null && t >= outcome.windowStartNanos() && t < outcome.windowEndNanos()).count();
    long refusedOrFailed = outcome.otherStatuses().values().stream().mapToLong(Long::longValue).sum() + outcome.failures();

    // wait for the backlog to drain, so that the next step starts clean and 202 -> delivery is complete
    long drainDeadline = System.nanoTime() + drainPatience.toNanos();
    while (System.nanoTime() < drainDeadline && backlogAt(stub, outcome, Long.MAX_VALUE) > 0) {
      Thread.sleep(200); // polling the stub's counts; nothing to wait on
    }
    long undelivered = backlogAt(stub, outcome, Long.MAX_VALUE);
    Histogram toDelivery = new Histogram(3);
    for (String id : outcome.measuredIds()) {
      Long arrived = stub.arrivalOf(id);
      if (arrived != null) {
        toDelivery.recordValue(Math.max(1, (arrived - outcome.acceptedAtNanos().get(id)) / 1000));
      }
    }
    GatewayUnderTest.GcFigures gc = null;
    for (int i = 0; i < gateways.size(); i++) {
      GatewayUnderTest.GcFigures g = gateways.get(i).gcSince(gcMarks[i]);
      gc = gc == null ? g : new GatewayUnderTest.GcFigures(gc.pauses() + g.pauses(), gc.totalMs() + g.totalMs(),
          Math.max(gc.longestMs(), g.longestMs()), Math.max(gc.heapBeforeMaxMiB(), g.heapBeforeMaxMiB()),
          Math.max(gc.heapAfterMaxMiB(), g.heapAfterMaxMiB()), Math.max(gc.committedMaxMiB(), g.committedMaxMiB()));
    }

    boolean sustained = !outcome.saturated()
        && refusedOrFailed <= 0.005 * outcome.sent()
        && backlogEnd - backlogStart <= Math.max(5, rate)
        && deliveredInWindow >= 0.95 * acceptedInWindow
        && acceptedInWindow >= 0.95 * rate * windowSeconds;
    double perMessage = Math.max(1, Math.min(acceptedInWindow, deliveredInWindow));
    double jvmMs = (cpuAtEnd[0] - cpuAtStart[0]) * 1000 / perMessage;
    double dbMs = (cpuAtEnd[1] - cpuAtStart[1]) * 1000 / perMessage;
    Histogram latency = outcome.latency();
    String others = outcome.otherStatuses().isEmpty() && outcome.failures() == 0 ? "none"
        : outcome.otherStatuses().entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
            .collect(Collectors.joining(", ")) + (outcome.failures() > 0 ? ", " + outcome.failures() + " failed" : "");
    String row = String.format(Locale.ROOT,
        "| %s | %.1f | %s | %.1f | %d -> %d%s | %s | %s / %s / %s (%s, %s) | %s / %s / %s | %.1f (+ %.1f) | %.0fx%s | %.0f | %d / %d (%d) | %d, %.0f, %.0f |",
        fmt(rate), acceptedInWindow / windowSeconds, others, deliveredInWindow / windowSeconds, backlogStart, backlogEnd,
        undelivered > 0 ? " (" + undelivered + " undelivered " + drainPatience.toSeconds() + " s later)" : "",
        sustained ? "yes" : outcome.saturated() ? "**no** (driver queue overflowed after " + String.format(Locale.ROOT, "%.0f", windowSeconds) + " s of window)" : "**no**",
        ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()),
        ms(outcome.latencyByTransport().get("mTLS").getValueAtPercentile(99)),
        ms(outcome.latencyByTransport().get("bearer").getValueAtPercentile(99)),
        ms(toDelivery.getValueAtPercentile(50)), ms(toDelivery.getValueAtPercentile(99)), ms(toDelivery.getMaxValue()),
        jvmMs, dbMs, (jvmMs + dbMs) / floor.sumMs(), " (JVM alone " + String.format(Locale.ROOT, "%.0fx", jvmMs / floor.sumMs()) + ")",
        rssMax.get(), gc.heapBeforeMaxMiB(), gc.heapAfterMaxMiB(), gc.committedMaxMiB(), gc.pauses(), gc.totalMs(),
        gc.longestMs());
    return new Step(row, sustained, outcome.saturated(), deliveredInWindow / windowSeconds);
  }

  /** CPU of the database server: the embedded one is among the gateway's descendants; an external one is named by pid. */
  private double databaseCpu(List<GatewayUnderTest> gateways) {
    if (external && dbPostmasterPid > 0) {
      return GatewayUnderTest.treeCpuSeconds(dbPostmasterPid);
    }
    return gateways.stream().mapToDouble(GatewayUnderTest::embeddedDatabaseCpuSeconds).sum();
  }

  /** True while the instances use the external PostgreSQL (whose postmaster is not their child). */
  private boolean external;

  private static long backlogAt(RecipientStub stub, OpenLoopLoad.Outcome outcome, long nanos) {
    long backlog = 0;
    for (Map.Entry<String, Long> accepted : outcome.acceptedAtNanos().entrySet()) {
      if (accepted.getValue() <= nanos) {
        Long arrived = stub.arrivalOf(accepted.getKey());
        if (arrived == null || arrived > nanos) {
          backlog++;
        }
      }
    }
    return backlog;
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, micros >= 10_000 ? "%.0f" : "%.1f", micros / 1000.0);
  }

  private static String fmt(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  private void line(String format, Object... args) {
    String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
    report.append(text).append('\n');
    System.out.println(text);
  }
}
