package dk.brobygger.fhir.consent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What all applicable consents together say about one item: it may be disclosed only if some
 * consent permits it and none denies it (deny wins, also across consents; silence is a deny).
 */
record ItemRuling(DataItem item, List<Finding> permits, List<Finding> denies) {

  private static final Comparator<Finding> NEWEST_FIRST =
      Comparator.comparing(Finding::consent, ApplicableConsent.NEWEST_FIRST);

  ItemRuling {
    Objects.requireNonNull(item, "item");
    permits = List.copyOf(permits);
    denies = List.copyOf(denies);
  }

  static ItemRuling of(DataItem item, List<ApplicableConsent> consents, DisclosureRequest request) {
    List<Finding> permits = new ArrayList<>();
    List<Finding> denies = new ArrayList<>();
    for (ApplicableConsent consent : consents) {
      ProvisionTree.rule(consent, item, request).ifPresent(ruling -> {
        Finding finding = new Finding(consent, ruling);
        (ruling.effect() == Effect.DENY ? denies : permits).add(finding);
      });
    }
    return new ItemRuling(item, permits, denies);
  }

  boolean permitted() {
    return denies.isEmpty() && !permits.isEmpty();
  }

  Optional<Finding> newestPermit() {
    return permits.stream().min(NEWEST_FIRST);
  }

  Optional<Finding> newestDeny() {
    return denies.stream().min(NEWEST_FIRST);
  }
}
