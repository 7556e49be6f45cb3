package dk.brobygger.gateway.console;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.util.List;

/**
 * What the nurse sees of a citizen: the identifier asked for, every identifier linked to it, and
 * the team's consents in plain Danish.
 */
public record CitizenOverview(CitizenIdentifier citizen, String token, List<CitizenIdentifier> linked, String kind,
    List<ConsentLine> consents) {

  public CitizenOverview {
    linked = List.copyOf(linked);
    consents = List.copyOf(consents);
  }

  public record ConsentLine(String id, long version, String status, String recordedAt, List<String> sentences) {
    public ConsentLine {
      sentences = List.copyOf(sentences);
    }

    public boolean active() {
      return "active".equals(status);
    }
  }

  /** e.g. "CPR-nummer 0101801234" */
  public static String describe(CitizenIdentifier id) {
    String kind = switch (id.system()) {
      case CitizenIdentifier.CPR -> "CPR-nummer";
      case CitizenIdentifier.REPLACEMENT_CPR -> "Erstatnings-CPR";
      case CitizenIdentifier.LOCAL_OUTREACH -> "Lokalt id";
      default -> id.system();
    };
    return kind + " " + id.value();
  }
}
