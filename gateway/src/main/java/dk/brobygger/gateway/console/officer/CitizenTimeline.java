package dk.brobygger.gateway.console.officer;

import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.DisclosureReport;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.AuditQuery;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One citizen's history as the privacy officer reads it, a page at a time: every entry of the audit
 * log about the citizen (under any linked identifier) in log order, each with its canonical text, so
 * that the page's script can check it against the signed checkpoint. What a disclosure sent and kept
 * back comes from the citizen's {@link DisclosureReport}, not from reading the entry's text again.
 */
public final class CitizenTimeline {

  public static final int PAGE_SIZE = 25;

  private final AuditLog log;
  private final DisclosureReport reports;
  private final Function<String, Optional<Recipient>> recipients;

  public CitizenTimeline(AuditLog log, DisclosureReport reports, Function<String, Optional<Recipient>> recipients) {
    this.log = Objects.requireNonNull(log, "log");
    this.reports = Objects.requireNonNull(reports, "reports");
    this.recipients = Objects.requireNonNull(recipients, "recipients");
  }

  /**
   * One page of the timeline.
   *
   * @param page 1-based
   * @param pages how many pages there are (at least 1)
   * @param total how many entries there are about the citizen
   */
  public record Page(CitizenIdentifier citizen, int page, int pages, long total, List<Entry> entries) {
    public Page {
      entries = List.copyOf(entries);
    }

    public long lastSequence() {
      return entries.stream().mapToLong(Entry::sequence).max().orElse(0);
    }
  }

  /**
   * One entry of the timeline.
   *
   * @param sequence the entry's number in the log (its leaf index is sequence - 1)
   * @param canonicalJson the entry exactly as the log hashes it
   * @param what the kind of event, in Danish
   * @param recipient the recipient's name, for entries about a recipient
   * @param sent for a delivery: the kinds of data sent, in plain Danish
   * @param keptBack for a delivery: the kinds of data removed before sending, in plain Danish
   */
  public record Entry(long sequence, String canonicalJson, AuditEntry entry, String what, Optional<String> recipient,
      List<String> sent, List<String> keptBack) {
    public Entry {
      sent = List.copyOf(sent);
      keptBack = List.copyOf(keptBack);
    }

    public String when() {
      return DanishEvents.when(entry.at());
    }

    public long leafIndex() {
      return sequence - 1;
    }

    public Optional<String> consent() {
      return entry.consent().map(v -> v.consentId() + " version " + v.version());
    }
  }

  public Page page(CitizenIdentifier citizen, int page) {
    AuditQuery query = AuditQuery.aboutCitizen(citizen);
    long total = log.count(query);
    int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
    int shown = Math.min(Math.max(page, 1), pages);
    List<StoredAuditEntry> stored = log.search(query, (long) (shown - 1) * PAGE_SIZE, PAGE_SIZE);
    Map<String, DisclosureReport.Disclosure> disclosures = stored.stream()
        .anyMatch(e -> e.entry().action() == AuditAction.DISCLOSURE_ATTEMPT)
        ? reports.about(citizen).disclosures().stream()
            .collect(Collectors.toMap(d -> key(d.messageId(), d.at()), d -> d, (a, b) -> a))
        : Map.of();
    List<Entry> entries = stored.stream().map(s -> entry(s, disclosures)).toList();
    return new Page(citizen, shown, pages, total, entries);
  }

  private Entry entry(StoredAuditEntry stored, Map<String, DisclosureReport.Disclosure> disclosures) {
    AuditEntry e = stored.entry();
    Optional<String> recipient = e.recipientId().map(id -> recipients.apply(id).map(Recipient::name).orElse(id));
    Optional<DisclosureReport.Disclosure> disclosure = e.action() == AuditAction.DISCLOSURE_ATTEMPT
        ? Optional.ofNullable(disclosures.get(key(e.messageId().orElse(""), e.at())))
        : Optional.empty();
    return new Entry(stored.sequence(), stored.canonicalJson(), e, DanishEvents.what(e), recipient,
        disclosure.map(d -> DanishEvents.kinds(d.kindsSent())).orElse(List.of()),
        disclosure.map(d -> DanishEvents.kinds(d.removed())).orElse(List.of()));
  }

  private static String key(String messageId, Instant at) {
    return messageId + "@" + at;
  }
}
