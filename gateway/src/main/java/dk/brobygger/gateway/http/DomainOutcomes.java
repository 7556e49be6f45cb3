package dk.brobygger.gateway.http;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.citizen.CitizenRefusal;
import dk.brobygger.gateway.consent.ConsentRefusal;
import dk.brobygger.gateway.db.Refusal;
import dk.brobygger.gateway.inbox.InboxRefusal;
import dk.brobygger.gateway.messages.MessageRefusal;
import java.util.Map;
import java.util.Optional;

/**
 * Every domain outcome a store refuses with, as the API's refusal: the one place that gives each a
 * status (through {@link FhirResponses#status}) and an OperationOutcome. A test checks that every
 * {@link Refusal} in the gateway is listed here.
 */
public final class DomainOutcomes {

  static final Map<Class<? extends Refusal>, Rejected.Kind> KINDS = Map.of(
      ConsentRefusal.UnknownConsent.class, Rejected.Kind.NOT_FOUND,
      ConsentRefusal.StaleVersion.class, Rejected.Kind.CONFLICT,
      ConsentRefusal.InvalidConsent.class, Rejected.Kind.INVALID,
      CitizenRefusal.NoIdentifierGiven.class, Rejected.Kind.INVALID,
      MessageRefusal.MessageIdReused.class, Rejected.Kind.CONFLICT,
      MessageRefusal.NotDeliveredHere.class, Rejected.Kind.INVALID,
      MessageRefusal.UnknownAcknowledgementCode.class, Rejected.Kind.INVALID,
      InboxRefusal.UnknownInboxItem.class, Rejected.Kind.NOT_FOUND,
      InboxRefusal.StaleVersion.class, Rejected.Kind.CONFLICT);

  private DomainOutcomes() {}

  /** The refusal as the API answers it; empty for a refusal nobody listed (then it is our fault). */
  public static Optional<Rejected> rejected(Refusal refusal) {
    return Optional.ofNullable(KINDS.get(refusal.getClass()))
        .map(kind -> new Rejected(kind, refusal.diagnostics()));
  }
}
