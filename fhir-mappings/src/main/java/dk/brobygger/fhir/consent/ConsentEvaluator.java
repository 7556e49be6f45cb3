package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.Decision.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentState;

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
 *
 * <p>A withdrawal wins: when a withdrawn (inactive) consent would, while active, have permitted the
 * focus, consents stored (meta.lastUpdated) before that withdrawal do not count, whichever of the
 * citizen's identifiers they are under; a denial then names the withdrawn consent as its basis.
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
    DataItem focus = request.items().stream()
        .filter(item -> item.reference().equals(request.focusReference()))
        .findFirst()
        .orElseThrow(() -> new EvaluationError("the message focus is not among the items to disclose"));
    Optional<Withdrawal> withdrawal = latestWithdrawalCovering(focus, consents, request);
    List<ApplicableConsent> applicable = new ArrayList<>();
    List<String> notApplicable = new ArrayList<>();
    for (Consent consent : consents) {
      ConsentVersion version = ConsentApplicability.versionOf(consent);
      Optional<String> whyNot = ConsentApplicability.whyNotApplicable(consent, version.consentId(), request);
      if (whyNot.isEmpty() && withdrawal.isPresent() && !storedAt(consent, Instant.MIN).isAfter(withdrawal.get().at())) {
        // the citizen's latest word on this disclosure is the withdrawal, under whichever identifier
        whyNot = Optional.of("was recorded before consent " + withdrawal.get().version().consentId()
            + ", which permitted this disclosure, was withdrawn; a withdrawal wins");
      }
      if (whyNot.isPresent()) {
        notApplicable.add("consent " + version.consentId() + " " + whyNot.get());
      } else {
        applicable.add(new ApplicableConsent(
            version, FhirTime.firstInstantOf(consent.getDateTimeElement()), consent.getProvision()));
      }
    }

    ItemRuling focusRuling = ItemRuling.of(focus, applicable, request);
    if (!focusRuling.permitted()) {
      return denyFocus(focusRuling, applicable, notApplicable, request, withdrawal);
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

  /** A withdrawn consent that, while active, would have permitted the focus, and when it was withdrawn. */
  private record Withdrawal(ConsentVersion version, Instant at) {}

  /**
   * The most recent withdrawal of a consent that would have permitted this disclosure. A withdrawal
   * is the citizen saying no: consents recorded before it no longer permit what it covered, whatever
   * identifier they are under; a consent recorded after it does.
   */
  private static Optional<Withdrawal> latestWithdrawalCovering(
      DataItem focus, List<Consent> consents, DisclosureRequest request) {
    Optional<Withdrawal> latest = Optional.empty();
    for (Consent consent : consents) {
      if (consent.getStatus() != ConsentState.INACTIVE) {
        continue;
      }
      ConsentVersion version = ConsentApplicability.versionOf(consent);
      Consent whileActive = consent.copy().setStatus(ConsentState.ACTIVE);
      if (ConsentApplicability.whyNotApplicable(whileActive, version.consentId(), request).isPresent()) {
        continue;
      }
      ApplicableConsent was = new ApplicableConsent(
          version, FhirTime.firstInstantOf(consent.getDateTimeElement()), whileActive.getProvision());
      if (!ItemRuling.of(focus, List.of(was), request).permitted()) {
        continue;
      }
      // when the store did not say when, the withdrawal is taken as the newest word (fail closed)
      Withdrawal withdrawal = new Withdrawal(version, storedAt(consent, Instant.MAX));
      if (latest.isEmpty() || withdrawal.at().isAfter(latest.get().at())) {
        latest = Optional.of(withdrawal);
      }
    }
    return latest;
  }

  /** meta.lastUpdated: when the store recorded this version of the consent. */
  private static Instant storedAt(Consent consent, Instant unknown) {
    return consent.getMeta().hasLastUpdated() ? consent.getMeta().getLastUpdated().toInstant() : unknown;
  }

  private static Decision denyFocus(ItemRuling focus, List<ApplicableConsent> applicable, List<String> notApplicable,
      DisclosureRequest request, Optional<Withdrawal> withdrawal) {
    List<String> reasons = new ArrayList<>();
    Optional<Finding> deny = focus.newestDeny();
    Set<Code> blocking = new LinkedHashSet<>();
    if (deny.isPresent()) {
      blocking.addAll(ProvisionCriteria.matchedDataClasses(deny.get().ruling().decidedBy(), focus.item()));
      reasons.add("consent " + deny.get().consent().id() + " denies disclosure of the "
          + focus.item().resourceType() + " " + Phrases.toWhomAndWhy(request)
          + (blocking.isEmpty() ? "" : "; the data class that blocks it: "
              + blocking.stream().map(Code::code).collect(java.util.stream.Collectors.joining(", "))));
    } else if (withdrawal.isPresent()) {
      reasons.add("consent " + withdrawal.get().version().consentId() + ", which permitted disclosure "
          + Phrases.toWhomAndWhy(request) + ", was withdrawn, and no consent recorded since permits it");
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
    Optional<ConsentVersion> basis = deny.map(finding -> finding.consent().version())
        .or(() -> withdrawal.map(Withdrawal::version));
    return new Decision(Verdict.DENY, basis, reasons, Set.of(), blocking);
  }
}
