package dk.brobygger.gateway.auditlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.ConsentChanged;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.ConsentDecided;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.ConsentRecorded;
import dk.brobygger.gateway.auditlog.entries.RecordedAuditEntry;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.ConsentWithdrawn;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.DisclosureSettled;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.SentClasses;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.Settlement;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.AuditOutcome;
import dk.brobygger.gateway.auditlog.entries.AuditQuery;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A citizen's disclosure report, from the audit log: who received what about the citizen, when and
 * under which consent version; what was not sent and why; and the changes to the citizen's consents.
 * The citizen is found by any identifier (see {@link AuditQuery#citizen()}). As JSON for systems, and
 * as a plain-language Danish HTML document a privacy officer can hand to the citizen. Neither shows
 * clinical content: only the kinds of data (resource types), never values.
 *
 * <p>It reads only what the Merkle leaves cover, the typed events of the log: what it says was sent
 * is what the delivered attempt's entry recorded after minimisation, never the message as accepted.
 */
public final class DisclosureReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The report's one stylesheet: inlined into the self-contained page the API serves, linked by the console. */
  public static final String STYLESHEET = "dk/brobygger/gateway/auditlog/disclosure-report.css";
  private static final String STYLE = stylesheet();
  private static final int PAGE = 1_000;
  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");
  private static final DateTimeFormatter DANISH_DATE =
      DateTimeFormatter.ofPattern("d. MMMM yyyy 'kl.' HH:mm", Locale.forLanguageTag("da-DK")).withZone(DANISH_TIME);

  /** Plain Danish for the kinds of data a message may hold; unknown kinds are shown as they are. */
  private static final Map<String, String> DANISH_KINDS = Map.ofEntries(
      Map.entry("Patient", "dine personoplysninger (navn og identifikation)"),
      Map.entry("ServiceRequest", "henvisningen"),
      Map.entry("Appointment", "en aftale om tid"),
      Map.entry("Observation", "målinger og undersøgelsesresultater"),
      Map.entry("Condition", "helbredsforhold"),
      Map.entry("MedicationStatement", "oplysninger om medicin"),
      Map.entry("Organization", "oplysninger om afsender og modtager"),
      Map.entry("Practitioner", "oplysninger om den fagperson, der sendte"),
      Map.entry("PractitionerRole", "oplysninger om den fagperson, der sendte"),
      Map.entry("Consent", "dit samtykke"),
      Map.entry("Encounter", "oplysninger om et besøg eller en kontakt"),
      Map.entry("PSY", "oplysninger om psykisk sygdom"),
      Map.entry("ETH", "oplysninger om misbrug og misbrugsbehandling"),
      Map.entry("SUD", "oplysninger om misbrug og misbrugsbehandling"),
      Map.entry("R", "særligt fortrolige oplysninger"),
      Map.entry("V", "meget fortrolige oplysninger"));

  private final AuditLog log;
  private final Function<String, Optional<Recipient>> recipients;
  private final Clock clock;

  /** {@code recipients}: the directory's look-up by recipient id, for the recipients' names. */
  public DisclosureReport(AuditLog log, Function<String, Optional<Recipient>> recipients, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.recipients = Objects.requireNonNull(recipients, "recipients");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The report's content. {@code unreadableEntries}: the log positions of entries about the citizen
   * whose stored text no longer reads as a log entry (the log was altered): the report says so
   * instead of failing, as it may then be incomplete.
   */
  public record Report(CitizenIdentifier citizen, Instant generatedAt, List<Disclosure> disclosures,
      List<NotSent> notSent, List<ConsentChange> consentChanges, List<Long> unreadableEntries) {
    public Report {
      disclosures = List.copyOf(disclosures);
      notSent = List.copyOf(notSent);
      consentChanges = List.copyOf(consentChanges);
      unreadableEntries = List.copyOf(unreadableEntries);
    }
  }

  /**
   * One delivery of data about the citizen to a recipient.
   *
   * @param kindsSent the kinds of data sent (resource types), after minimisation; empty when the log
   *     does not say (entries written before the sending event recorded them)
   * @param removed the data classes the consent excluded and that were removed before sending
   * @param sentSha256 SHA-256 of the exact bytes sent, to match against the recipient's copy
   */
  public record Disclosure(String messageId, String recipientId, String recipientName, Instant at,
      Optional<ConsentVersion> consent, List<String> kindsSent, List<String> removed, String sentSha256) {}

  /**
   * A message about the citizen that was not sent: refused by the consent decision ("deny"), stopped
   * before sending because consent no longer permitted it ("cancelled"), or never delivered
   * ("failed").
   */
  public record NotSent(String messageId, String recipientId, String recipientName, Instant at,
      Optional<ConsentVersion> consent, AuditOutcome outcome, List<String> reasons) {}

  /** A consent of the citizen was created, changed or withdrawn. */
  public record ConsentChange(String consentId, long version, AuditOutcome change, Instant at) {}

  /** The report about the citizen with this identifier (or any identifier linked to it). */
  public Report about(CitizenIdentifier citizen) {
    List<Disclosure> disclosures = new ArrayList<>();
    List<NotSent> notSent = new ArrayList<>();
    List<ConsentChange> consentChanges = new ArrayList<>();
    AuditQuery query = AuditQuery.aboutCitizen(citizen);
    List<Long> unreadable = new ArrayList<>();
    for (long offset = 0; ; offset += PAGE) {
      List<RecordedAuditEntry> page = log.searchRecorded(query, offset, PAGE);
      for (RecordedAuditEntry recorded : page) {
        StoredAuditEntry stored;
        try {
          stored = recorded.read();
        } catch (IllegalStateException notAnEntry) {
          unreadable.add(recorded.sequence());
          continue;
        }
        AuditEvent event = stored.event();
        if (event instanceof DisclosureSettled s) {
          if (s.settlement() == Settlement.DELIVERED) {
            disclosures.add(disclosure(s));
          } else if (s.settlement() == Settlement.CANCELLED || s.settlement() == Settlement.FAILED) {
            notSent.add(new NotSent(s.messageId(), s.recipientId(), recipientName(s.recipientId()), s.at(), s.basis(),
                s.settlement().outcome(), s.reasons()));
          }
        } else if (event instanceof ConsentDecided d && !d.permitted()) {
          notSent.add(new NotSent(d.messageId(), d.recipientId(), recipientName(d.recipientId()), d.at(), d.basis(),
              AuditOutcome.DENY, d.reasons()));
        } else if (event instanceof ConsentRecorded c) {
          consentChanges.add(new ConsentChange(c.consent().consentId(), c.consent().version(), AuditOutcome.CREATED, c.at()));
        } else if (event instanceof ConsentChanged c) {
          consentChanges.add(new ConsentChange(c.consent().consentId(), c.consent().version(), AuditOutcome.CHANGED, c.at()));
        } else if (event instanceof ConsentWithdrawn c) {
          consentChanges.add(new ConsentChange(c.consent().consentId(), c.consent().version(), AuditOutcome.WITHDRAWN, c.at()));
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    return new Report(citizen, clock.instant(), disclosures, notSent, consentChanges, unreadable);
  }

  /** What was sent is what the delivered entry says was sent, after minimisation. */
  private Disclosure disclosure(DisclosureSettled delivered) {
    Optional<SentClasses> classes = delivered.classes();
    return new Disclosure(delivered.messageId(), delivered.recipientId(), recipientName(delivered.recipientId()),
        delivered.at(), delivered.basis(), classes.map(SentClasses::sent).orElse(List.of()),
        classes.map(SentClasses::withheld).orElse(List.of()), delivered.sentSha256().orElse(""));
  }

  private String recipientName(String recipientId) {
    return recipients.apply(recipientId).map(Recipient::name).orElse(recipientId);
  }

  /** The report as JSON. */
  public String json(Report report) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("citizen").put("system", report.citizen().system()).put("value", report.citizen().value());
    root.put("generatedAt", report.generatedAt().toString());
    ArrayNode disclosures = root.putArray("disclosures");
    for (Disclosure d : report.disclosures()) {
      ObjectNode node = disclosures.addObject()
          .put("messageId", d.messageId())
          .put("recipientId", d.recipientId())
          .put("recipientName", d.recipientName())
          .put("at", d.at().toString());
      consent(node, d.consent());
      d.kindsSent().forEach(node.putArray("dataSent")::add);
      d.removed().forEach(node.putArray("dataRemoved")::add);
      node.put("sentSha256", d.sentSha256());
      node.put("receipt", DisclosureReceipts.link(d.messageId()));
    }
    ArrayNode notSent = root.putArray("notSent");
    for (NotSent n : report.notSent()) {
      ObjectNode node = notSent.addObject()
          .put("messageId", n.messageId())
          .put("recipientId", n.recipientId())
          .put("recipientName", n.recipientName())
          .put("at", n.at().toString())
          .put("outcome", n.outcome().code());
      consent(node, n.consent());
      n.reasons().forEach(node.putArray("reasons")::add);
    }
    report.unreadableEntries().forEach(root.putArray("unreadableEntries")::add);
    ArrayNode consents = root.putArray("consentChanges");
    for (ConsentChange c : report.consentChanges()) {
      consents.addObject().put("consent", "Consent/" + c.consentId() + "/_history/" + c.version())
          .put("change", c.change().code()).put("at", c.at().toString());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings always serialises", e);
    }
  }

  private static void consent(ObjectNode node, Optional<ConsentVersion> consent) {
    if (consent.isPresent()) {
      node.put("consent", "Consent/" + consent.get().consentId() + "/_history/" + consent.get().version());
    } else {
      node.putNull("consent");
    }
  }

  /** The report as a Danish HTML document in plain language, to hand to the citizen. */
  public String html(Report report) {
    return html(report, "<style>\n" + STYLE + "</style>\n", DisclosureReceipts::link);
  }

  /**
   * The report as HTML that links its stylesheet at {@code stylesheetUrl} instead of carrying it, for
   * pages whose Content Security Policy refuses inline style (the console's), and each receipt where
   * {@code receiptLink} says (by message id), for readers who reach receipts elsewhere than the API.
   */
  public String htmlLinkingStyle(Report report, String stylesheetUrl, Function<String, String> receiptLink) {
    return html(report, "<link rel=\"stylesheet\" href=\"" + escape(stylesheetUrl) + "\">\n", receiptLink);
  }

  private String html(Report report, String style, Function<String, String> receiptLink) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Oversigt over videregivelse af dine oplysninger</title>\n")
        .append(style)
        .append("</head>\n<body>\n")
        .append("<h1>Oversigt over videregivelse af dine oplysninger</h1>\n")
        .append("<p>Denne oversigt viser, hvem der har fået oplysninger om dig gennem Brobygger, hvornår, og hvilket samtykke"
            + " fra dig det skete efter. Den viser også, hvad der <strong>ikke</strong> blev sendt. Oversigten gælder dig med")
        .append(" identifikationen ").append(escape(report.citizen().value()))
        .append(" og er lavet ").append(escape(DANISH_DATE.format(report.generatedAt()))).append(".</p>\n");

    if (!report.unreadableEntries().isEmpty()) {
      // an altered log is shown as such, never as a failed page: the citizen must learn the report may be incomplete
      h.append("<p class=\"warning\"><strong>Loggen er ikke i orden.</strong> ").append(report.unreadableEntries().size())
          .append(report.unreadableEntries().size() == 1 ? " post" : " poster")
          .append(" om dig i loggen kan ikke længere læses (nummer ")
          .append(escape(report.unreadableEntries().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))))
          .append("), så oversigten kan være ufuldstændig. Kommunens databeskyttelsesrådgiver er den, der kan undersøge det.</p>\n");
    }
    h.append("<h2>Hvem har fået oplysninger om dig</h2>\n");
    if (report.disclosures().isEmpty()) {
      h.append("<p>Ingen har fået oplysninger om dig gennem Brobygger.</p>\n");
    } else {
      h.append("<table>\n<tr><th>Hvornår</th><th>Hvem fik dem</th><th>Hvilke slags oplysninger</th>"
          + "<th>Fjernet før afsendelse</th><th>Dit samtykke</th><th>Kvittering</th></tr>\n");
      for (Disclosure d : report.disclosures()) {
        h.append("<tr><td>").append(escape(DANISH_DATE.format(d.at()))).append("</td><td>")
            .append(escape(d.recipientName())).append("</td><td>").append(escape(kinds(d.kindsSent())))
            // an entry from before the kinds were recorded says neither what was sent nor what was removed
            .append("</td><td>").append(d.kindsSent().isEmpty() ? "ikke oplyst"
                : d.removed().isEmpty() ? "intet" : escape(kinds(d.removed())))
            .append("</td><td>").append(escape(consent(d.consent()))).append("</td><td>")
            // the receipt proves the log holds this disclosure; checked offline with brobygger audit receipt
            .append("<a href=\"").append(escape(receiptLink.apply(d.messageId()))).append("\">bevis</a>")
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
      h.append("<p>Hver kvittering er et bevis for, at udleveringen står i den offentligt kontrollerbare log."
          + " Den kan kontrolleres uden for Brobygger.</p>\n");
    }

    h.append("<h2>Det blev ikke sendt</h2>\n");
    if (report.notSent().isEmpty()) {
      h.append("<p>Der er ingen henvendelser om dig, som blev stoppet.</p>\n");
    } else {
      h.append("<table>\n<tr><th>Hvornår</th><th>Til hvem</th><th>Hvorfor blev det ikke sendt</th></tr>\n");
      for (NotSent n : report.notSent()) {
        h.append("<tr><td>").append(escape(DANISH_DATE.format(n.at()))).append("</td><td>")
            .append(escape(n.recipientName())).append("</td><td>").append(escape(whyNotSent(n.outcome())))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }

    h.append("<h2>Dit samtykke</h2>\n");
    if (report.consentChanges().isEmpty()) {
      h.append("<p>Der er ikke registreret et samtykke fra dig.</p>\n");
    } else {
      h.append("<ul>\n");
      for (ConsentChange c : report.consentChanges()) {
        h.append("<li>").append(escape(DANISH_DATE.format(c.at()))).append(": ").append(escape(change(c.change())))
            .append(" (samtykke ").append(escape(c.consentId())).append(", version ").append(c.version())
            .append(")</li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("<p>Du kan altid trække dit samtykke tilbage eller ændre det. Spørg den medarbejder, du har kontakt med,"
        + " eller kommunens databeskyttelsesrådgiver, hvis du har spørgsmål til oversigten.</p>\n")
        .append("</body>\n</html>\n");
    return h.toString();
  }

  private static String stylesheet() {
    try (java.io.InputStream in = DisclosureReport.class.getClassLoader().getResourceAsStream(STYLESHEET)) {
      if (in == null) {
        throw new IllegalStateException(STYLESHEET + " is missing from the class path");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String kinds(List<String> kinds) {
    if (kinds.isEmpty()) {
      return "ikke oplyst";
    }
    return String.join(", ", kinds.stream().map(kind -> DANISH_KINDS.getOrDefault(kind, kind)).distinct().toList());
  }

  private static String consent(Optional<ConsentVersion> consent) {
    return consent.map(v -> "samtykke " + v.consentId() + ", version " + v.version()).orElse("intet samtykke");
  }

  private static String whyNotSent(AuditOutcome outcome) {
    return switch (outcome) {
      case DENY -> "Dit samtykke gav ikke lov til at sende det til denne modtager.";
      case CANCELLED -> "Det blev stoppet før afsendelse, fordi dit samtykke ikke længere gav lov.";
      case FAILED -> "Det kunne ikke leveres til modtageren og blev opgivet.";
      default -> "Det blev ikke sendt.";
    };
  }

  private static String change(AuditOutcome change) {
    return switch (change) {
      case CREATED -> "Du gav samtykke";
      case CHANGED -> "Dit samtykke blev ændret";
      case WITHDRAWN -> "Du trak dit samtykke tilbage";
      default -> change.code();
    };
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
