package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.Decision.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;

/**
 * Decides whether a disclosure may happen, from the citizen's stored consents (FHIR R4 Consent
 * semantics, default deny, deny wins, fail closed). Stateless and thread-safe.
 *
 * <p>A consent counts when it is active, has scope patient-privacy, is about one of the citizen's
 * identifiers, is not dated after the decision time, and its base provision.period (both ends
 * inclusive, at the precision given) covers the decision time. Its provision tree then rules on
 * each item; see {@link ProvisionTree} and {@link ProvisionCriteria}.
 *
 * <p>The result is about the focus item: if it is not permitted the whole disclosure is denied,
 * with the newest consent that explicitly denied it as basis, or no basis when no consent said
 * anything about it (a default deny rests on no consent, so none is named). Otherwise the newest
 * consent that permitted the focus is the basis and other items that are not permitted are
 * excluded by reference.
 */
public final class ConsentEvaluator {

  private static final String ERROR = "error while deciding: ";

  /** Never throws: any failure while deciding is a deny whose reason starts "error while deciding". */
  public Decision decide(List<Consent> consents, DisclosureRequest request) {
    try {
      return decideOrThrow(consents, request);
    } catch (EvaluationError e) {
      return Decision.deny(Optional.empty(), List.of(ERROR + e.getMessage()));
    } catch (RuntimeException e) {
      // The exception text may quote consent or message content; the type is enough to be safe.
      return Decision.deny(Optional.empty(), List.of(ERROR + "unexpected " + e.getClass().getSimpleName()));
    }
  }

  private Decision decideOrThrow(List<Consent> consents, DisclosureRequest request) {
    List<ApplicableConsent> applicable = new ArrayList<>();
    List<String> notApplicable = new ArrayList<>();
    for (Consent consent : consents) {
      ConsentVersion version = ConsentApplicability.versionOf(consent);
      Optional<String> whyNot = ConsentApplicability.whyNotApplicable(consent, version.consentId(), request);
      if (whyNot.isPresent()) {
        notApplicable.add("consent " + version.consentId() + " " + whyNot.get());
      } else {
        applicable.add(new ApplicableConsent(
            version, FhirTime.firstInstantOf(consent.getDateTimeElement()), consent.getProvision()));
      }
    }

    DataItem focus = request.items().stream()
        .filter(item -> item.reference().equals(request.focusReference()))
        .findFirst()
        .orElseThrow(() -> new EvaluationError("the message focus is not among the items to disclose"));
    ItemRuling focusRuling = ItemRuling.of(focus, applicable, request);
    if (!focusRuling.permitted()) {
      return denyFocus(focusRuling, applicable, notApplicable, request);
    }

    Finding basis = focusRuling.newestPermit().orElseThrow();
    List<String> reasons = new ArrayList<>();
    reasons.add("consent " + basis.consent().id() + " permits disclosure " + Phrases.toWhomAndWhy(request));
    Set<String> excludedReferences = new LinkedHashSet<>();
    Set<Code> excludedClasses = new LinkedHashSet<>();
    for (DataItem item : request.items()) {
      if (item == focus) {
        continue;
      }
      ItemRuling ruling = ItemRuling.of(item, applicable, request);
      if (ruling.permitted()) {
        continue;
      }
      excludedReferences.add(item.reference());
      for (Finding deny : ruling.denies()) {
        excludedClasses.addAll(ProvisionCriteria.matchedDataClasses(deny.ruling().decidedBy(), item));
      }
      reasons.add(Phrases.withheld(ruling));
    }
    return new Decision(
        Verdict.PERMIT, Optional.of(basis.consent().version()), reasons, excludedReferences, excludedClasses);
  }

  private static Decision denyFocus(
      ItemRuling focus, List<ApplicableConsent> applicable, List<String> notApplicable, DisclosureRequest request) {
    List<String> reasons = new ArrayList<>();
    Optional<Finding> deny = focus.newestDeny();
    Set<Code> blocking = new LinkedHashSet<>();
    if (deny.isPresent()) {
      blocking.addAll(ProvisionCriteria.matchedDataClasses(deny.get().ruling().decidedBy(), focus.item()));
      reasons.add("consent " + deny.get().consent().id() + " denies disclosure of the "
          + focus.item().resourceType() + " " + Phrases.toWhomAndWhy(request)
          + (blocking.isEmpty() ? "" : "; the data class that blocks it: "
              + blocking.stream().map(Code::code).collect(java.util.stream.Collectors.joining(", "))));
    } else {
      reasons.add("no active consent of the citizen permits disclosure " + Phrases.toWhomAndWhy(request));
    }
    for (ApplicableConsent consent : applicable) {
      if (focus.permits().stream().noneMatch(f -> f.consent() == consent)
          && focus.denies().stream().noneMatch(f -> f.consent() == consent)) {
        reasons.add("consent " + consent.id() + " does not cover this recipient, purpose or data");
      }
    }
    reasons.addAll(notApplicable);
    // a deny names the classes that blocked the focus, so the refusal can say which one
    return new Decision(Verdict.DENY, deny.map(finding -> finding.consent().version()), reasons, Set.of(), blocking);
  }
}
