package dk.brobygger.gateway.console.officer;

import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The privacy officer's words for what the audit log records, in Danish. */
final class DanishEvents {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d. MMM yyyy HH:mm:ss",
      Locale.forLanguageTag("da-DK")).withZone(ZoneId.of("Europe/Copenhagen"));

  /** Kinds of data as a citizen would say them; unknown kinds stay as they are. */
  private static final Map<String, String> KINDS = Map.ofEntries(
      Map.entry("Patient", "personoplysninger"),
      Map.entry("ServiceRequest", "henvisning"),
      Map.entry("Appointment", "aftale om tid"),
      Map.entry("Observation", "målinger"),
      Map.entry("Condition", "helbredsforhold"),
      Map.entry("MedicationStatement", "medicin"),
      Map.entry("Organization", "afsender og modtager"),
      Map.entry("Practitioner", "fagperson"),
      Map.entry("PractitionerRole", "fagperson"),
      Map.entry("Encounter", "kontakt"),
      Map.entry("PSY", "psykiatri"),
      Map.entry("ETH", "alkohol og stoffer"),
      Map.entry("SUD", "alkohol og stoffer"),
      Map.entry("HIV", "hiv"),
      Map.entry("R", "særligt fortroligt"),
      Map.entry("V", "meget fortroligt"));

  private DanishEvents() {}

  static String when(Instant at) {
    return WHEN.format(at);
  }

  static List<String> kinds(List<String> kinds) {
    return kinds.stream().map(kind -> KINDS.getOrDefault(kind, kind)).distinct().toList();
  }

  static String what(AuditEntry e) {
    String outcome = e.outcome().code();
    return switch (e.action()) {
      case CONSENT_CREATED -> "Samtykke registreret";
      case CONSENT_CHANGED -> "Samtykke ændret";
      case CONSENT_WITHDRAWN -> "Samtykke trukket tilbage";
      case CONSENT_DECISION -> switch (outcome) {
        case "permit" -> "Afgørelse: samtykket tillader afsendelse";
        case "deny" -> "Afgørelse: afvist, samtykket tillader det ikke";
        default -> "Afgørelse: " + outcome;
      };
      case DISCLOSURE_ATTEMPT -> switch (outcome) {
        case "delivered" -> "Videregivet til modtageren";
        case "sending" -> "Afsendelse begyndt";
        case "retry" -> "Ikke leveret, prøves igen";
        case "failed" -> "Opgivet, ikke leveret";
        case "cancelled" -> "Stoppet før afsendelse";
        default -> "Afsendelse: " + outcome;
      };
      case REQUEST_REFUSED -> "Anmodning afvist";
      case CONSENT_READ, AUDIT_READ -> "Oplysninger læst";
      case CITIZEN_LINKED -> "Identifikationer sammenkædet";
      case MESSAGE_RECEIVED -> "Besked modtaget";
      case INBOX_HANDLED -> "Besked markeret som behandlet";
      case ACKNOWLEDGEMENT_RECEIVED -> "Kvittering fra modtageren (" + outcome + ")";
      case WITHDRAWAL_FENCED -> "Tilbagetrækning ventede på igangværende afsendelser";
      case DELIVERY_RERUN -> outcome.equals("requested") ? "Afsendelse sat i gang igen af driften"
          : "Genafsendelse afvist: samtykket tillader det ikke længere";
      case DELIVERY_PAUSE -> outcome.equals("paused") ? "Levering til modtageren sat på pause"
          : "Levering til modtageren genoptaget";
    };
  }
}
