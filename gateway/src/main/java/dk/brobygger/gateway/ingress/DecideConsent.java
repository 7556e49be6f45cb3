package dk.brobygger.gateway.ingress;

import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.message.ReceivedMessage;

/**
 * Stage 3: decide the citizen's consent for this recipient, purpose and data (under the
 * {@link DisclosurePolicy}). If the consent store cannot be read nothing is accepted (fail closed).
 */
public final class DecideConsent {

  /** A message with the decision about it. */
  public record DecidedMessage(Validate.AddressedMessage addressed, Decision decision) {}

  private final DisclosurePolicy policy;

  public DecideConsent(DisclosurePolicy policy) {
    this.policy = policy;
  }

  public DecidedMessage apply(Validate.AddressedMessage addressed) {
    ReceivedMessage message = addressed.message();
    try {
      return new DecidedMessage(addressed,
          policy.decide(message.citizen(), addressed.recipient(), message.purpose(), message));
    } catch (Rejected moreThanOneCitizen) {
      throw moreThanOneCitizen;
    } catch (RuntimeException e) {
      throw new Failed("the consent store is unavailable; nothing was accepted", e, true);
    }
  }
}
