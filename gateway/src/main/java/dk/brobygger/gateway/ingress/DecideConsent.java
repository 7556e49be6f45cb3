package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.storage.CitizenLinks;
import dk.brobygger.gateway.storage.ConsentStore;
import java.time.Clock;
import org.hl7.fhir.r4.model.Consent;
import java.util.List;

/**
 * Stage 3: decide the citizen's consent for this recipient, purpose and data (under the
 * {@link DisclosurePolicy}). The store is read here; if it cannot be read nothing is accepted
 * (fail closed).
 */
public final class DecideConsent {

  /** A message with the decision about it. */
  public record DecidedMessage(Validate.AddressedMessage addressed, Decision decision) {}

  private final ConsentStore consents;
  private final CitizenLinks links;
  private final DisclosurePolicy policy;
  private final Clock clock;

  public DecideConsent(ConsentStore consents, CitizenLinks links, DisclosurePolicy policy, Clock clock) {
    this.consents = consents;
    this.links = links;
    this.policy = policy;
    this.clock = clock;
  }

  public DecidedMessage apply(Validate.AddressedMessage addressed) {
    ReceivedMessage message = addressed.message();
    List<Consent> current;
    List<CitizenIdentifier> citizen;
    try {
      // consent applies to the citizen, whichever of the citizen's linked identifiers the message uses
      citizen = links.expand(message.citizen());
      current = consents.currentFor(citizen);
    } catch (RuntimeException e) {
      throw new Failed("the consent store is unavailable; nothing was accepted", e, true);
    }
    DisclosureRequest request = new DisclosureRequest(
        citizen, addressed.recipient(), message.purpose(), message.items(), message.focusReference(), clock.instant());
    return new DecidedMessage(addressed, policy.decide(current, request));
  }
}
