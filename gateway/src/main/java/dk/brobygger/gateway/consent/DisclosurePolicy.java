package dk.brobygger.gateway.consent;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.citizen.CitizenLinks;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place a disclosure is decided, at acceptance and again before every delivery attempt, so
 * the two can never differ: the citizen is every identifier linked to the ones the message uses,
 * their current consents are read from the store, and the gateway's one rule on top applies: a
 * message TO the outreach team discloses nothing outside its trust boundary (a GP's referral, a
 * hospital's answer), so it needs no consent. A message whose identifiers name more than one
 * citizen is refused before anything is decided. Store errors propagate: the caller fails closed.
 */
public final class DisclosurePolicy {

  /** The directory kind of the team whose trust boundary this gateway guards. */
  public static final String OUTREACH = "outreach";
  /** The refusal of a message whose identifiers are neither identical nor linked. */
  public static final String MORE_THAN_ONE_CITIZEN = "Message rejected: the message names more than one citizen"
      + " (its citizen identifiers are neither the same nor linked with Patient/$link-identifiers)";

  private final ConsentStore consents;
  private final CitizenLinks links;
  private final ConsentEvaluator evaluator;
  private final Clock clock;

  public DisclosurePolicy(ConsentStore consents, CitizenLinks links, ConsentEvaluator evaluator, Clock clock) {
    this.consents = consents;
    this.links = links;
    this.evaluator = evaluator;
    this.clock = clock;
  }

  /**
   * @param citizen the identifiers the message or disclosure names
   * @param message the accepted message, for its data items and focus
   */
  public Decision decide(List<CitizenIdentifier> citizen, Recipient recipient, Code purpose, ReceivedMessage message) {
    List<CitizenIdentifier> linked = oneCitizen(citizen);
    if (isInbound(recipient.kind())) {
      return new Decision(Decision.Verdict.PERMIT, Optional.empty(),
          List.of("addressed to the outreach team itself: nothing leaves its trust boundary, no consent is needed"),
          Set.of(), Set.of());
    }
    DisclosureRequest request = new DisclosureRequest(
        linked, recipient, purpose, message.items(), message.focusReference(), clock.instant());
    return evaluator.decide(consents.currentFor(linked), request);
  }

  /**
   * Every identifier of the citizen the message names. All the identifiers it carries must name one
   * person, identical or linked with Patient/$link-identifiers: otherwise one person's consent could
   * carry another person's data, and a withdrawal under the second identifier would go unseen.
   *
   * @throws Rejected INVALID when they name more than one citizen
   */
  public List<CitizenIdentifier> oneCitizen(List<CitizenIdentifier> citizen) {
    if (citizen.isEmpty()) {
      return List.of();
    }
    List<CitizenIdentifier> linked = links.expand(List.of(citizen.get(0)));
    if (!linked.containsAll(citizen)) {
      throw new Rejected(Rejected.Kind.INVALID, MORE_THAN_ONE_CITIZEN);
    }
    return linked;
  }

  public static boolean isInbound(String recipientKind) {
    return OUTREACH.equals(recipientKind);
  }
}
