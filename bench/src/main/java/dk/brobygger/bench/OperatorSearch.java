package dk.brobygger.bench;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.inbox.InboxState;
import dk.brobygger.gateway.messages.TaskStore;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.search.TaskQuery;
import dk.brobygger.gateway.search.TaskSearch;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's Task search ({@code GET /fhir/Task}) on a large store: bulk-inserts N messages with
 * their delivery Tasks and inbox items into a throwaway PostgreSQL (schema by the gateway's own
 * migrations), then times the gateway's own queries ({@link TaskSearch}) for one page of 50 and for
 * the accurate total, by citizen, recipient, status, event, time range and message id.
 *
 * <p>Usage: {@code OperatorSearch <jdbc url> <messages> [runs]}; prints a Markdown table.
 */
public final class OperatorSearch {

  private static final int PAGE = 50;
  private static final String TEAM = "svendborg-gadesygepleje";
  private static final String OTHER_TEAM = "koebenhavn-sundhedsteamet";

  private OperatorSearch() {}

  record Scenario(String name, Builder query, Visibility visibility) {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int messages = Integer.parseInt(args[1]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    try (Database db = Database.open(new StorageSettings(url, "brobygger", "", 2))) {
      long loading = System.nanoTime();
      load(db, messages);
      System.err.printf("loaded %,d messages in %d s%n", messages, (System.nanoTime() - loading) / 1_000_000_000);
      TaskSearch search = new TaskSearch(db);
      TaskStore tasks = new TaskStore(db);
      Instant newest = Instant.parse("2026-11-30T00:00:00Z");
      String someMessage = "m" + (messages / 2);
      List<Scenario> scenarios = List.of(
          new Scenario("all Tasks, newest first (privacy officer)", query(), Visibility.everything()),
          new Scenario("citizen (patient:identifier), one of 200,000", query().citizen(citizen(4242)), Visibility.everything()),
          new Scenario("recipient (owner), one of 20", query().owner("gp-07"), Visibility.everything()),
          new Scenario("status=failed (3 %)", query().states(EnumSet.of(TaskState.FAILED), Set.of()), Visibility.everything()),
          new Scenario("status=failed,cancelled + owner", query().states(EnumSet.of(TaskState.FAILED, TaskState.CANCELLED), Set.of())
              .owner("gp-07"), Visibility.everything()),
          new Scenario("code=appointment-request (10 %)", query().event("appointment-request"), Visibility.everything()),
          new Scenario("authored-on: one day", query().authored(newest.minus(10, ChronoUnit.DAYS), newest.minus(9, ChronoUnit.DAYS)),
              Visibility.everything()),
          new Scenario("_lastUpdated: one hour", query().updated(newest.minus(Duration.ofHours(50)), newest.minus(Duration.ofHours(49))),
              Visibility.everything()),
          new Scenario("identifier (message id)", query().message(someMessage), Visibility.everything()),
          new Scenario("one team's Tasks (its visibility), newest first", query(), Visibility.of(TEAM)),
          new Scenario("one team: status=requested", query().states(EnumSet.of(TaskState.REQUESTED), EnumSet.of(InboxState.NEW)),
              Visibility.of(TEAM)),
          new Scenario("one team: citizen", query().citizen(citizen(4242)), Visibility.of(TEAM)),
          new Scenario("smaller team: newest first", query(), Visibility.of(OTHER_TEAM)));

      System.out.println("| search | matches | page of " + PAGE + ": median | p95 | total (count): median | p95 |");
      System.out.println("|---|---|---|---|---|---|");
      for (Scenario s : scenarios) {
        TaskQuery q = s.query().build();
        long matches = search.count(q, s.visibility());
        double[] page = time(runs, () -> search.search(q, s.visibility(), 0, PAGE + 1));
        double[] count = time(runs, () -> search.count(q, s.visibility()));
        System.out.printf("| %s | %,d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n", s.name(), matches, page[0], page[1],
            count[0], count[1]);
      }
      // what the API adds per page: reading each Task of it whole (delivery Tasks, with their answers)
      List<TaskSearch.Found> firstPage = search.search(query().build(), Visibility.everything(), 0, PAGE);
      double[] load = time(runs, () -> firstPage.stream()
          .filter(f -> f.kind() == TaskQuery.Kind.DELIVERY).forEach(f -> tasks.find(f.id())));
      System.out.printf("%nReading the %d Tasks of one page whole: median %.1f ms, p95 %.1f ms.%n", firstPage.size(), load[0], load[1]);
    }
  }

  /** median and 95th percentile in ms, after two warm-up runs. */
  private static double[] time(int runs, Runnable work) {
    work.run();
    work.run();
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[runs / 2], ms[Math.min(runs - 1, (int) Math.ceil(runs * 0.95) - 1)]};
  }

  private static CitizenIdentifier citizen(int n) {
    return new CitizenIdentifier(CitizenIdentifier.CPR, String.format("0101%06d", n));
  }

  /**
   * N messages over 30 days: 95 % outbound (80 % from one team, 20 % from another) to 20 recipients,
   * 85 % referrals and 10 % appointment requests, each with a delivery Task (93 % completed, 3 %
   * failed, 1 % cancelled, 2 % requested, 1 % in progress); 5 % inbound referrals in the first
   * team's inbox (80 % handled). 200,000 citizens, about 5 messages each.
   */
  private static void load(Database db, int n) {
    db.inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO message (message_id, received_at, received_from, event_system, event_code, sender_token,"
            + " destination_token, recipient_id, purpose_system, purpose_code, body, sent_by_party)"
            + " SELECT 'm' || i, TIMESTAMPTZ '2026-11-30 00:00:00+00' - (" + n + " - i) * INTERVAL '30 days' / " + n + ","
            + "  CASE WHEN i % 20 = 0 THEN 'gp-' || lpad((i % 19 + 1)::text, 2, '0') WHEN i % 5 = 0 THEN '" + OTHER_TEAM
            + "' ELSE '" + TEAM + "' END || '@127.0.0.1',"
            + "  'https://brobygger.dk/fhir/CodeSystem/message-events',"
            + "  CASE WHEN i % 20 <> 0 AND i % 10 = 3 THEN 'appointment-request' ELSE 'referral' END, NULL,"
            + "  'urn:oid:1.2.208.176.1.1|' || i % 20,"
            + "  CASE WHEN i % 20 = 0 THEN '" + TEAM + "' ELSE 'gp-' || lpad((i % 20 + 1)::text, 2, '0') END,"
            + "  'http://terminology.hl7.org/CodeSystem/v3-ActReason', 'TREAT', '\\x7b7d'::bytea,"
            + "  CASE WHEN i % 20 = 0 THEN 'gp-' || lpad((i % 19 + 1)::text, 2, '0') WHEN i % 5 = 0 THEN '" + OTHER_TEAM
            + "' ELSE '" + TEAM + "' END"
            + " FROM generate_series(1, " + n + ") i");
        s.execute("INSERT INTO message_citizen (message_id, ordinal, citizen_system, citizen_value)"
            + " SELECT 'm' || i, 0, '" + CitizenIdentifier.CPR + "', '0101' || lpad((i % 200000)::text, 6, '0')"
            + " FROM generate_series(1, " + n + ") i");
        s.execute("INSERT INTO delivery_task (task_id, message_id, recipient_id, state, reason, attempts, created_at,"
            + " last_modified, basis_consent_id, basis_consent_version, version, business_status)"
            + " SELECT 't' || m.i, 'm' || m.i, 'gp-' || lpad((m.i % 20 + 1)::text, 2, '0'),"
            + "  CASE WHEN m.i % 100 < 93 THEN 'COMPLETED' WHEN m.i % 100 < 96 THEN 'FAILED' WHEN m.i % 100 < 97 THEN 'CANCELLED'"
            + "   WHEN m.i % 100 < 99 THEN 'REQUESTED' ELSE 'IN_PROGRESS' END, NULL, 1, x.at, x.at + INTERVAL '3 seconds',"
            + "  NULL, NULL, 2, NULL"
            + " FROM generate_series(1, " + n + ") m(i)"
            + " CROSS JOIN LATERAL (SELECT TIMESTAMPTZ '2026-11-30 00:00:00+00' - (" + n + " - m.i) * INTERVAL '30 days' / " + n
            + " AS at) x WHERE m.i % 20 <> 0");
        s.execute("INSERT INTO inbox_item (item_id, message_id, owner_id, answers_message_id, state, received_at, handled_at,"
            + " handled_by, version)"
            + " SELECT 'i' || m.i, 'm' || m.i, '" + TEAM + "', NULL, CASE WHEN m.i % 100 < 80 THEN 'HANDLED' ELSE 'NEW' END, x.at,"
            + "  CASE WHEN m.i % 100 < 80 THEN x.at + INTERVAL '1 hour' END, CASE WHEN m.i % 100 < 80 THEN 'nurse' END, 1"
            + " FROM generate_series(20, " + n + ", 20) m(i)"
            + " CROSS JOIN LATERAL (SELECT TIMESTAMPTZ '2026-11-30 00:00:00+00' - (" + n + " - m.i) * INTERVAL '30 days' / " + n
            + " AS at) x");
      }
      return null;
    });
    db.inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
      return null;
    });
  }

  private static Builder query() {
    return new Builder();
  }

  /** A TaskQuery under construction, as the Task search parameters build one. */
  private static final class Builder {
    private Optional<List<CitizenIdentifier>> citizen = Optional.empty();
    private Optional<String> owner = Optional.empty();
    private Set<TaskState> deliveryStates = Set.of();
    private Set<InboxState> inboxStates = Set.of();
    private Set<TaskQuery.Kind> kinds = EnumSet.allOf(TaskQuery.Kind.class);
    private Set<String> events = Set.of();
    private Optional<Instant> authoredFrom = Optional.empty();
    private Optional<Instant> authoredUntil = Optional.empty();
    private Optional<Instant> updatedFrom = Optional.empty();
    private Optional<Instant> updatedUntil = Optional.empty();
    private Optional<String> messageId = Optional.empty();

    Builder citizen(CitizenIdentifier id) {
      citizen = Optional.of(List.of(id));
      return this;
    }

    Builder owner(String id) {
      owner = Optional.of(id);
      return this;
    }

    Builder states(Set<TaskState> delivery, Set<InboxState> inbox) {
      deliveryStates = delivery;
      inboxStates = inbox;
      kinds = EnumSet.noneOf(TaskQuery.Kind.class);
      if (!delivery.isEmpty()) {
        kinds.add(TaskQuery.Kind.DELIVERY);
      }
      if (!inbox.isEmpty()) {
        kinds.add(TaskQuery.Kind.INBOX);
      }
      return this;
    }

    Builder event(String code) {
      events = Set.of(code);
      return this;
    }

    Builder authored(Instant from, Instant until) {
      authoredFrom = Optional.of(from);
      authoredUntil = Optional.of(until);
      return this;
    }

    Builder updated(Instant from, Instant until) {
      updatedFrom = Optional.of(from);
      updatedUntil = Optional.of(until);
      return this;
    }

    Builder message(String id) {
      messageId = Optional.of(id);
      return this;
    }

    TaskQuery build() {
      return new TaskQuery(citizen, owner, deliveryStates, inboxStates, kinds, events, authoredFrom, authoredUntil,
          updatedFrom, updatedUntil, messageId);
    }
  }
}
