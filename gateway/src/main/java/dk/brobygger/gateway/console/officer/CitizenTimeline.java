package dk.brobygger.gateway.console.officer;

import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.DisclosureSettled;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.SentClasses;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.Settlement;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.AuditQuery;
import dk.brobygger.gateway.auditlog.entries.RecordedAuditEntry;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One citizen's history as the privacy officer reads it, a page at a time: every entry of the audit
 * log about the citizen (under any linked identifier) in log order, each with its canonical text, so
 * that the page's script can check it against the signed checkpoint. What a disclosure sent and kept
 * back is what its own entry records. An entry whose text no longer reads (edited behind the
 * gateway's back) is still shown, as text, for the script to find it not verified.
 */
public final class CitizenTimeline {

  public static final int PAGE_SIZE = 25;

  private final AuditLog log;
  private final Function<String, Optional<Recipient>> recipients;

  public CitizenTimeline(AuditLog log, Function<String, Optional<Recipient>> recipients) {
    this.log = Objects.requireNonNull(log, "log");
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
   * @param canonicalJson the entry exactly as stored, which the log hashes
   * @param entry what the text records; empty when it no longer reads as an audit entry
   * @param what the kind of event, in Danish
   * @param recipient the recipient's name, for entries about a recipient
   * @param sent for a delivery: the kinds of data sent, in plain Danish
   * @param keptBack for a delivery: the kinds of data removed before sending, in plain Danish
   * @param receipt for a delivery: where its receipt (a c2sp.org/tlog-proof) is, in the console
   */
  public record Entry(long sequence, String canonicalJson, Optional<AuditEntry> entry, String what,
      Optional<String> recipient, List<String> sent, List<String> keptBack, Optional<String> receipt) {
    public Entry {
      sent = List.copyOf(sent);
      keptBack = List.copyOf(keptBack);
    }

    /** An entry whose stored text no longer reads: only its place in the log and its text are known. */
    static Entry unreadable(RecordedAuditEntry recorded) {
      return new Entry(recorded.sequence(), recorded.canonicalJson(), Optional.empty(),
          "Posten kan ikke læses som en logpost", Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    public String when() {
      return entry.map(e -> DanishEvents.when(e.at())).orElse("");
    }

    public long leafIndex() {
      return sequence - 1;
    }

    public Optional<String> consent() {
      return entry.flatMap(AuditEntry::consent).map(v -> v.consentId() + " version " + v.version());
    }
  }

  public Page page(CitizenIdentifier citizen, int page) {
    AuditQuery query = AuditQuery.aboutCitizen(citizen);
    long total = log.count(query);
    int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
    int shown = Math.min(Math.max(page, 1), pages);
    List<Entry> entries = log.searchRecorded(query, (long) (shown - 1) * PAGE_SIZE, PAGE_SIZE).stream()
        .map(this::entry).toList();
    return new Page(citizen, shown, pages, total, entries);
  }

  private Entry entry(RecordedAuditEntry recorded) {
    StoredAuditEntry stored;
    try {
      stored = recorded.read();
    } catch (IllegalStateException unreadable) {
      return Entry.unreadable(recorded);
    }
    AuditEntry e = stored.entry();
    Optional<String> recipient = e.recipientId().map(id -> recipients.apply(id).map(Recipient::name).orElse(id));
    // what was sent and kept back, and the receipt, exist for a delivered disclosure only
    Optional<DisclosureSettled> delivered = stored.event() instanceof DisclosureSettled s
        && s.settlement() == Settlement.DELIVERED ? Optional.of(s) : Optional.empty();
    Optional<SentClasses> classes = delivered.flatMap(DisclosureSettled::classes);
    Optional<String> receipt = delivered.map(s -> OfficerPages.receipt(s.messageId()));
    return new Entry(recorded.sequence(), recorded.canonicalJson(), Optional.of(e), DanishEvents.what(e), recipient,
        classes.map(c -> DanishEvents.kinds(c.sent())).orElse(List.of()),
        classes.map(c -> DanishEvents.kinds(c.withheld())).orElse(List.of()), receipt);
  }
}
