package dk.brobygger.fhir.consent;

/**
 * The sentence parts of decision reasons. Reasons go to the audit log and to the calling system, so
 * they name consents by id and items by the caller's own references, never clinical content.
 */
final class Phrases {

  private Phrases() {}

  /** "to Svendborg Sygehus (hospital) for TREAT". */
  static String toWhomAndWhy(DisclosureRequest request) {
    return "to " + request.recipient().name() + " (" + request.recipient().kind() + ") for "
        + request.purpose().code();
  }

  /** "Condition urn:uuid:... is withheld: consent c1 denies it". */
  static String withheld(ItemRuling ruling) {
    String why = ruling.newestDeny()
        .map(deny -> "consent " + deny.consent().id() + " denies it")
        .orElse("no consent permits it");
    return ruling.item().resourceType() + " " + ruling.item().reference() + " is withheld: " + why;
  }
}
