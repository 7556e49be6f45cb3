package dk.brobygger.bench;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.gateway.consent.StoredConsent;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.EmbeddedPostgresServer;
import dk.brobygger.gateway.db.StorageSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.hl7.fhir.r4.model.Consent;

/**
 * Consent decision time against a growing consent store (issue 15): fills PostgreSQL with 1,000,
 * then 10,000, ... stored consents (one citizen each, the README's sample consent with the citizen
 * replaced: {@code docs/examples/consent-yes-gp-no-addiction-centre.json}), then times
 * {@link DisclosurePolicy#decide} (link expansion, the current consents of the
 * citizen, the evaluator) for the sample referral to the GP, for citizens drawn at random from those
 * stored. Flat times, and no sequential scan of the consent tables during the timed decisions
 * (from {@code pg_stat_user_tables}), mean the lookups are indexed.
 *
 * <p>Not JMH: filling a million rows belongs outside a fork. Run by {@code bench/consent-decision.sh},
 * which prints a Markdown table; arguments: decisions per size, then the sizes.
 */
public final class ConsentDecisionBenchmark {

  /** Flyway needs two connections; {@link #sequentialScans} flushes the statistics of both. */
  private static final int POOL = 2;
  private static final String TEMPLATE_CPR = "0101801234";
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Recipient GP = new Recipient("gp-svendborg", "Lægerne i Svendborg", "gp", List.of(),
      Optional.of(URI.create("https://gp.example/fhir")));

  private ConsentDecisionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int decisions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    long[] sizes = args.length > 1
        ? Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray()
        : new long[] {1_000, 10_000, 100_000, 1_000_000};
    String url = System.getProperty("bench.db.url", "");
    Path directory = null;
    EmbeddedPostgresServer server = null;
    StorageSettings settings;
    if (url.isBlank()) {
      directory = Files.createTempDirectory("brobygger-consent-bench");
      server = EmbeddedPostgresServer.start(directory, POOL);
      settings = server.settings();
    } else {
      settings = new StorageSettings(url, System.getProperty("bench.db.user", ""), "", POOL);
    }
    try (Database db = Database.open(settings)) {
      run(db, decisions, sizes, url.isBlank() ? "embedded PostgreSQL (the default)" : "external PostgreSQL");
    } finally {
      if (server != null) {
        server.close();
        deleteTree(directory);
      }
    }
  }

  private static void run(Database db, int decisions, long[] sizes, String where) throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    AuditLog audit = new AuditLog(db);
    ConsentStore consents = new ConsentStore(db, audit, clock);
    DisclosurePolicy policy = new DisclosurePolicy(consents, new CitizenLinks(db, audit, clock), new ConsentEvaluator(),
        clock);
    ReceivedMessage referral = new MessageReader(new FhirCodec(), MessageReader.BaseValidation.DISABLED)
        .read(resource("referral-to-gp.json"), FhirFormat.JSON);
    Consent sample = ConsentStore.parse(new StoredConsent("template", 1, NOW, "bench", citizen(TEMPLATE_CPR), "active",
        Files.readAllBytes(Path.of(System.getProperty("bench.consent", "docs/examples/consent-yes-gp-no-addiction-centre.json")))));
    StoredConsent template = consents.create(sample, "svendborg-nurse");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    SplittableRandom random = new SplittableRandom(15);

    System.out.printf("%s, %,d decisions per size, one thread, after %,d warm-up decisions%n%n",
        where, decisions, decisions);
    System.out.println("| stored consents | fill s | decision p50 ms | p90 ms | p99 ms | max ms | CPU per decision ms"
        + " (this JVM) | permits | sequential scans of consent tables while timing |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    long stored = 0;
    for (long size : sizes) {
      long fillStarted = System.nanoTime();
      fill(db, template.id(), stored + 1, size);
      stored = size;
      double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
      for (int i = 0; i < decisions; i++) { // warm: JIT and the index pages this size needs
        policy.decide(List.of(citizen(cpr(1 + random.nextLong(size)))), GP, Code.TREATMENT, referral);
      }
      long scansBefore = sequentialScans(db);
      long[] nanos = new long[decisions];
      int permits = 0;
      long cpuStarted = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < decisions; i++) {
        List<CitizenIdentifier> someone = List.of(citizen(cpr(1 + random.nextLong(size))));
        long started = System.nanoTime();
        Decision decision = policy.decide(someone, GP, Code.TREATMENT, referral);
        nanos[i] = System.nanoTime() - started;
        permits += decision.permits() ? 1 : 0;
      }
      double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e6 / decisions;
      long scansAfter = sequentialScans(db);
      String scans = statisticsSeen(db, scansAfter) ? Long.toString(scansAfter - scansBefore) : "not seen";
      Arrays.sort(nanos);
      System.out.printf(Locale.ROOT, "| %,d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %d of %d | %s |%n",
          size, fillSeconds, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6, cpuMs,
          permits, decisions, scans);
    }
  }

  /**
   * Stored consents {@code from..to} (1-based): copies of the template's head and version rows,
   * each about its own citizen, in one statement per 100,000 so that a million rows take seconds.
   */
  private static void fill(Database db, String templateId, long from, long to) {
    for (long start = from; start <= to; start += 100_000) {
      long end = Math.min(to, start + 99_999);
      long first = start;
      db.inTransaction(c -> {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO consent_version (consent_id, version, recorded_at, recorded_by, citizen_system, citizen_value,"
                + " status, resource_json)"
                + " SELECT 'bench-' || i, 1, v.recorded_at, v.recorded_by, v.citizen_system, " + CPR_SQL + ", v.status,"
                + " convert_to(replace(convert_from(v.resource_json, 'UTF8'), ?, " + CPR_SQL + "), 'UTF8')"
                + " FROM consent_version v, generate_series(?::bigint, ?::bigint) i WHERE v.consent_id = ?")) {
          s.setString(1, TEMPLATE_CPR);
          s.setLong(2, first);
          s.setLong(3, end);
          s.setString(4, templateId);
          s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO consent (consent_id, current_version, citizen_system, citizen_value, status, recorded_by_party)"
                + " SELECT 'bench-' || i, 1, h.citizen_system, " + CPR_SQL + ", h.status, h.recorded_by_party"
                + " FROM consent h, generate_series(?::bigint, ?::bigint) i WHERE h.consent_id = ?")) {
          s.setLong(1, first);
          s.setLong(2, end);
          s.setString(3, templateId);
          s.executeUpdate();
        }
        return null;
      });
    }
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("ANALYZE consent, consent_version")) {
        s.execute();
      }
      return null;
    });
  }

  /** {@link #cpr} in SQL, for the series value {@code i}. */
  private static final String CPR_SQL = "lpad((1 + i % 28)::text, 2, '0') || lpad((1 + (i / 28) % 12)::text, 2, '0')"
      + " || lpad(((i / 336) % 100)::text, 2, '0') || lpad((i / 33600)::text, 4, '0')";

  /** A distinct well-formed CPR number for each i below 336,000,000: DDMMYY from i, serial 0SSS. */
  static String cpr(long i) {
    return String.format(Locale.ROOT, "%02d%02d%02d%04d", 1 + i % 28, 1 + (i / 28) % 12, (i / 336) % 100, i / 33600);
  }

  private static CitizenIdentifier citizen(String cpr) {
    return new CitizenIdentifier(CitizenIdentifier.CPR, cpr);
  }

  /** Sequential scans so far of the tables a decision reads (every pooled connection's flushed first). */
  private static long sequentialScans(Database db) throws SQLException {
    List<Connection> all = new ArrayList<>();
    try {
      for (int i = 0; i < POOL; i++) {
        all.add(db.dataSource().getConnection());
      }
      for (Connection c : all) {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_stat_force_next_flush()")) {
          s.execute();
        }
        c.commit(); // the backend flushes its statistics when it goes idle
      }
    } finally {
      for (Connection c : all) {
        c.close();
      }
    }
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables"
          + " WHERE relname IN ('consent', 'consent_version', 'citizen_link')");
          ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  /** A control: one deliberate sequential scan must show in the counter, or the column would prove nothing. */
  private static boolean statisticsSeen(Database db, long scansSoFar) throws SQLException {
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM citizen_link")) { // empty: a seq scan
        s.execute();
      }
      return null;
    });
    return sequentialScans(db) > scansSoFar;
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))] / 1e6;
  }

  private static byte[] resource(String name) throws IOException {
    String path = "/dk/brobygger/bench/" + name;
    try (InputStream in = ConsentDecisionBenchmark.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException(path + " is not on the class path");
      }
      return in.readAllBytes();
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(directory)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
