package dk.brobygger.gateway.console.officer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.gateway.auditlog.Checkpointer;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The privacy officer's overview: per week (Monday to Sunday, Danish time) and recipient, how many
 * disclosures were delivered and how many messages the consent decision refused, and how many
 * consents were withdrawn; and the state of the log. Counted in SQL over the log's columns.
 */
public final class LogOverview {

  /** How many weeks back the overview reaches, this week included. */
  public static final int WEEKS = 12;
  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final AuditLog log;
  private final Checkpointer checkpointer;
  private final Function<String, Optional<Recipient>> recipients;
  private final Clock clock;

  public LogOverview(Database db, AuditLog log, Checkpointer checkpointer,
      Function<String, Optional<Recipient>> recipients, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.log = Objects.requireNonNull(log, "log");
    this.checkpointer = Objects.requireNonNull(checkpointer, "checkpointer");
    this.recipients = Objects.requireNonNull(recipients, "recipients");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One week's counts for one recipient. */
  public record Count(LocalDate week, String recipient, long disclosures, long refusals) {}

  /**
   * @param weeks the Mondays of the weeks shown, oldest first
   * @param recipients the recipients' names that have counts, sorted
   * @param counts the non-zero counts
   * @param withdrawals withdrawn consents per week, in the order of {@code weeks}
   */
  public record Now(long logSize, Optional<StoredCheckpoint> newestCheckpoint, List<LocalDate> weeks,
      List<String> recipients, List<Count> counts, List<Long> withdrawals) {
    public Now {
      weeks = List.copyOf(weeks);
      recipients = List.copyOf(recipients);
      counts = List.copyOf(counts);
      withdrawals = List.copyOf(withdrawals);
    }

    public long count(LocalDate week, String recipient, boolean disclosures) {
      return counts.stream().filter(c -> c.week().equals(week) && c.recipient().equals(recipient))
          .mapToLong(c -> disclosures ? c.disclosures() : c.refusals()).sum();
    }

    /** For the charts: the weeks' Mondays as Unix seconds (Danish midnight), a JSON array. */
    public String weeksJson() {
      return json(weeks.stream().map(w -> w.atStartOfDay(DANISH_TIME).toEpochSecond()).toList());
    }

    /** For the charts: one series per recipient ({@code label}, {@code values} per week), a JSON array. */
    public String seriesJson(boolean disclosures) {
      return json(recipients.stream().map(r -> Map.of("label", r,
          "values", weeks.stream().map(w -> count(w, r, disclosures)).toList())).toList());
    }

    public String withdrawalsJson() {
      return json(List.of(Map.of("label", "Tilbagetrukne samtykker", "values", withdrawals)));
    }

    private static String json(Object value) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("lists of numbers and strings always serialise", e);
      }
    }

    public String checkpointTime() {
      return newestCheckpoint.map(c -> DanishEvents.when(c.issuedAt())).orElse("ingen endnu");
    }
  }

  public Now now() {
    LocalDate thisWeek = LocalDate.ofInstant(clock.instant(), DANISH_TIME).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    List<LocalDate> weeks = new ArrayList<>();
    for (int back = WEEKS - 1; back >= 0; back--) {
      weeks.add(thisWeek.minusWeeks(back));
    }
    Instant from = weeks.get(0).atStartOfDay(DANISH_TIME).toInstant();
    TreeMap<String, Count> counts = new TreeMap<>();
    long[] withdrawals = new long[WEEKS];
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT recorded_at, action, recipient_id FROM audit_log WHERE recorded_at >= ? AND ("
              + "(action = 'DISCLOSURE_ATTEMPT' AND outcome = 'delivered')"
              + " OR (action = 'CONSENT_DECISION' AND outcome = 'deny') OR action = 'CONSENT_WITHDRAWN')")) {
        s.setObject(1, Sql.timestamp(from));
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            Instant at = r.getObject(1, java.time.OffsetDateTime.class).toInstant();
            LocalDate week = at.atZone(DANISH_TIME).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            int slot = weeks.indexOf(week);
            if (slot < 0) {
              continue;
            }
            String action = r.getString(2);
            if (action.equals("CONSENT_WITHDRAWN")) {
              withdrawals[slot]++;
              continue;
            }
            String recipient = Optional.ofNullable(r.getString(3))
                .map(id -> recipients.apply(id).map(Recipient::name).orElse(id)).orElse("(ingen modtager)");
            boolean delivered = action.equals("DISCLOSURE_ATTEMPT");
            counts.merge(week + "|" + recipient, new Count(week, recipient, delivered ? 1 : 0, delivered ? 0 : 1),
                (a, b) -> new Count(a.week(), a.recipient(), a.disclosures() + b.disclosures(), a.refusals() + b.refusals()));
          }
        }
      }
      return null;
    });
    TreeSet<String> names = new TreeSet<>();
    counts.values().forEach(count -> names.add(count.recipient()));
    List<Long> withdrawn = new ArrayList<>();
    for (long w : withdrawals) {
      withdrawn.add(w);
    }
    return new Now(log.lastSequence(), checkpointer.latest(), weeks, List.copyOf(names), List.copyOf(counts.values()),
        withdrawn);
  }
}
