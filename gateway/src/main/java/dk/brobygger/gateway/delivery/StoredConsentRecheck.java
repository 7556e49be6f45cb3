package dk.brobygger.gateway.delivery;

import dk.brobygger.delivery.ConsentRecheck;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.gateway.consent.DisclosurePolicy;
import java.util.List;
import java.util.Optional;

/**
 * Decides consent again right before an attempt, against the current consents in the store, for
 * the same citizen, recipient, purpose and data as at acceptance (the same {@link DisclosurePolicy}).
 * A withdrawal committed before the attempt therefore stops it. A store error propagates: the route
 * does not send (fail closed).
 */
public final class StoredConsentRecheck implements ConsentRecheck {

  private final DisclosurePolicy policy;
  private final MessageReader reader;

  public StoredConsentRecheck(DisclosurePolicy policy, MessageReader reader) {
    this.policy = policy;
    this.reader = reader;
  }

  @Override
  public Decision recheck(Disclosure disclosure) {
    // the stored body is the accepted message: reading it again yields the same data items
    try {
      return policy.decide(disclosure.citizen(), disclosure.recipient(), disclosure.purpose(),
          reader.read(disclosure.body(), FhirFormat.JSON));
    } catch (Rejected notOneCitizen) {
      // e.g. accepted before identifiers had to be linked: nothing is sent
      return Decision.deny(Optional.empty(), List.of(notOneCitizen.diagnostics()));
    }
  }
}
