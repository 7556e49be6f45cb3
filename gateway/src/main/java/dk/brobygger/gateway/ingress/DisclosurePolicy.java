package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;

/**
 * The gateway's one rule on top of the citizen's consent, used at acceptance and again before
 * every delivery attempt: a message TO the outreach team discloses nothing outside its trust
 * boundary (a GP's referral, a hospital's answer), so it needs no consent; everything else is
 * decided by the citizen's consents alone.
 */
public final class DisclosurePolicy {

  /** The directory kind of the team whose trust boundary this gateway guards. */
  public static final String OUTREACH = "outreach";

  private final ConsentEvaluator evaluator;

  public DisclosurePolicy(ConsentEvaluator evaluator) {
    this.evaluator = evaluator;
  }

  public Decision decide(List<Consent> consents, DisclosureRequest request) {
    if (isInbound(request.recipient().kind())) {
      return new Decision(Decision.Verdict.PERMIT, Optional.empty(),
          List.of("addressed to the outreach team itself: nothing leaves its trust boundary, no consent is needed"),
          Set.of(), Set.of());
    }
    return evaluator.decide(consents, request);
  }

  public static boolean isInbound(String recipientKind) {
    return OUTREACH.equals(recipientKind);
  }
}
