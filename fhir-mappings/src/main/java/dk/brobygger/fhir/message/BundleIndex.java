package dk.brobygger.fhir.message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * Finds the entry of a Bundle a reference points to, as a recipient would: by fullUrl, and a
 * relative reference (Type/id) also by the type and id of an entry or the tail of its fullUrl.
 */
final class BundleIndex {

  static final Pattern RELATIVE_REFERENCE =
      Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history/[A-Za-z0-9\\-.]{1,64})?");

  private final List<BundleEntryComponent> entries;
  private final Map<String, Integer> byFullUrl = new HashMap<>();

  /** Entries without fullUrl cannot be referenced; of two with one fullUrl, the first counts. */
  BundleIndex(List<BundleEntryComponent> entries) {
    this.entries = entries;
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).hasFullUrl()) {
        byFullUrl.putIfAbsent(entries.get(i).getFullUrl(), i);
      }
    }
  }

  Optional<BundleEntryComponent> resolve(String reference) {
    Integer index = byFullUrl.get(reference);
    if (index != null) {
      return Optional.of(entries.get(index));
    }
    if (!RELATIVE_REFERENCE.matcher(reference).matches()) {
      return Optional.empty();
    }
    int history = reference.indexOf("/_history/");
    String typeAndId = history < 0 ? reference : reference.substring(0, history);
    return entries.stream()
        .filter(e -> e.hasFullUrl() && e.hasResource())
        .filter(e -> e.getFullUrl().endsWith("/" + typeAndId)
            || typeAndId.equals(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()))
        .findFirst();
  }
}
