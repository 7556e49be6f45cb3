package dk.brobygger.gateway.delivery;

import dk.brobygger.delivery.ConsentRecheck;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.ingress.DisclosurePolicy;
import dk.brobygger.gateway.storage.CitizenLinks;
import dk.brobygger.gateway.storage.ConsentStore;
import java.util.List;
import java.time.Clock;

/**
 * Decides consent again right before an attempt, against the current consents in the store, for
 * the same citizen, recipient, purpose and data as at acceptance. A withdrawal committed before the
 * attempt therefore stops it. A store error propagates: the route does not send (fail closed).
 */
public final class StoredConsentRecheck implements ConsentRecheck {

  private final ConsentStore consents;
  private final CitizenLinks links;
  private final DisclosurePolicy policy;
  private final MessageReader reader;
  private final Clock clock;

  public StoredConsentRecheck(
      ConsentStore consents, CitizenLinks links, DisclosurePolicy policy, MessageReader reader, Clock clock) {
    this.consents = consents;
    this.links = links;
    this.policy = policy;
    this.reader = reader;
    this.clock = clock;
  }

  @Override
  public Decision recheck(Disclosure disclosure) {
    // the stored body is the accepted message: reading it again yields the same data items
    ReceivedMessage message = reader.read(disclosure.body(), FhirFormat.JSON);
    List<CitizenIdentifier> citizen = links.expand(disclosure.citizen());
    DisclosureRequest request = new DisclosureRequest(
        citizen, disclosure.recipient(), disclosure.purpose(), message.items(), message.focusReference(), clock.instant());
    return policy.decide(consents.currentFor(citizen), request);
  }
}
