package dk.brobygger.fhir.consent;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.Consent.provisionDataComponent;

/**
 * Evaluates a consent's provision tree for one item. A provision applies when all its criteria
 * match; its type then holds unless an applicable nested provision says otherwise (nested
 * provisions are exceptions to their parent, recursively). Among applicable siblings a deny wins.
 */
final class ProvisionTree {

  /** Deeper trees are not written by people; refusing them bounds the recursion. */
  static final int MAX_DEPTH = 16;

  private ProvisionTree() {}

  /** What the consent says about the item, empty when its base provision does not apply. */
  static Optional<Ruling> rule(ApplicableConsent consent, DataItem item, DisclosureRequest request) {
    return rule(consent.provision(), consent.id(), item, request);
  }

  private static Optional<Ruling> rule(
      ProvisionComponent provision, String consentId, DataItem item, DisclosureRequest request) {
    Effect effect = Effect.of(provision, consentId);
    if (!ProvisionCriteria.match(provision, effect, item, request)) {
      return Optional.empty();
    }
    Optional<Ruling> exception = Optional.empty();
    for (ProvisionComponent nested : provision.getProvision()) {
      Optional<Ruling> ruling = rule(nested, consentId, item, request);
      if (ruling.isPresent() && ruling.get().effect() == Effect.DENY) {
        return ruling;
      }
      if (exception.isEmpty()) {
        exception = ruling;
      }
    }
    return Optional.of(exception.orElseGet(() -> new Ruling(effect, provision)));
  }

  /**
   * Throws unless every provision has a type, the tree is at most {@link #MAX_DEPTH} deep, and no
   * modifier extension (which could change what a provision means) is present.
   */
  static void requireReadable(ProvisionComponent root, String consentId) {
    requireReadable(root, consentId, 1);
  }

  private static void requireReadable(ProvisionComponent provision, String consentId, int depth) {
    if (depth > MAX_DEPTH) {
      throw new EvaluationError("consent " + consentId + " nests provisions deeper than " + MAX_DEPTH + " levels");
    }
    Effect.of(provision, consentId);
    if (provision.hasModifierExtension()
        || provision.getActor().stream().anyMatch(provisionActorComponent::hasModifierExtension)
        || provision.getData().stream().anyMatch(provisionDataComponent::hasModifierExtension)) {
      throw new EvaluationError("consent " + consentId + " has a provision with a modifier extension");
    }
    List<ProvisionComponent> nested = provision.getProvision();
    for (ProvisionComponent child : nested) {
      requireReadable(child, consentId, depth + 1);
    }
  }
}
