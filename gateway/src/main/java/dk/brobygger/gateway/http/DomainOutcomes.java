package dk.brobygger.gateway.http;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.citizen.CitizenRefusal;
import dk.brobygger.gateway.consent.ConsentRefusal;
import dk.brobygger.gateway.db.Refusal;
import dk.brobygger.gateway.inbox.InboxRefusal;
import dk.brobygger.gateway.messages.MessageRefusal;
import dk.brobygger.gateway.outbox.RerunRefusal;
import java.util.Map;
import java.util.Optional;

/**
 * Every domain outcome a store refuses with, as the API's refusal: the one place that gives each a
 * status (through {@link FhirResponses#status}) and an OperationOutcome. A test checks that every
 * {@link Refusal} in the gateway is listed here.
 */
public final class DomainOutcomes {

  static final Map<Class<? extends Refusal>, Rejected.Kind> KINDS = Map.ofEntries(
      Map.entry(ConsentRefusal.UnknownConsent.class, Rejected.Kind.NOT_FOUND),
      Map.entry(ConsentRefusal.StaleVersion.class, Rejected.Kind.CONFLICT),
      Map.entry(ConsentRefusal.InvalidConsent.class, Rejected.Kind.INVALID),
      Map.entry(ConsentRefusal.SeveralMatch.class, Rejected.Kind.PRECONDITION_FAILED),
      Map.entry(CitizenRefusal.NoIdentifierGiven.class, Rejected.Kind.INVALID),
      Map.entry(MessageRefusal.MessageIdReused.class, Rejected.Kind.CONFLICT),
      Map.entry(MessageRefusal.NotDeliveredHere.class, Rejected.Kind.INVALID),
      Map.entry(MessageRefusal.UnknownAcknowledgementCode.class, Rejected.Kind.INVALID),
      Map.entry(InboxRefusal.UnknownInboxItem.class, Rejected.Kind.NOT_FOUND),
      Map.entry(InboxRefusal.StaleVersion.class, Rejected.Kind.CONFLICT),
      Map.entry(RerunRefusal.UnknownTask.class, Rejected.Kind.NOT_FOUND),
      Map.entry(RerunRefusal.NotRerunnable.class, Rejected.Kind.CONFLICT),
      Map.entry(RerunRefusal.RecipientGone.class, Rejected.Kind.CONFLICT),
      Map.entry(RerunRefusal.ConsentNoLongerPermits.class, Rejected.Kind.CONSENT_DENIED),
      Map.entry(RerunRefusal.ChangedMeanwhile.class, Rejected.Kind.CONFLICT));

  private DomainOutcomes() {}

  /** The refusal as the API answers it; empty for a refusal nobody listed (then it is our fault). */
  public static Optional<Rejected> rejected(Refusal refusal) {
    return Optional.ofNullable(KINDS.get(refusal.getClass()))
        .map(kind -> new Rejected(kind, refusal.diagnostics()));
  }
}
