package dk.brobygger.fhir.consent;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Removes from a message what a permit decision excludes. It never decides: it applies the decision
 * it is given, to a copy, and refuses a decision that would leave no message to send.
 */
public final class Minimiser {

  private Minimiser() {}

  /**
   * A deep copy of the message without the excluded entries, and without any reference (in any
   * remaining resource, extensions and contained resources included) to a removed entry: a
   * reference in a list is removed from the list, a single reference is emptied, and an extension
   * left without a value is removed. References are matched by fullUrl and by "Type/id".
   *
   * @throws IllegalArgumentException for a deny decision, a message without MessageHeader, or a
   *     decision that excludes the MessageHeader or its focus
   */
  public static Bundle minimise(Bundle message, Decision decision) {
    if (!decision.permits()) {
      throw new IllegalArgumentException("a deny decision discloses nothing; there is nothing to minimise");
    }
    RemovedEntries removed = RemovedEntries.of(message, decision.excludedReferences());
    BundleEntryComponent headerEntry = message.getEntry().stream()
        .filter(entry -> entry.getResource() instanceof MessageHeader)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the bundle has no MessageHeader"));
    if (removed.isEntry(headerEntry)) {
      throw new IllegalArgumentException("the decision excludes the MessageHeader");
    }
    MessageHeader header = (MessageHeader) headerEntry.getResource();
    if (header.getFocus().stream().anyMatch(removed::isTargetOf)) {
      throw new IllegalArgumentException("the decision excludes the message focus");
    }

    Bundle copy = message.copy();
    copy.getEntry().removeIf(removed::isEntry);
    for (BundleEntryComponent entry : copy.getEntry()) {
      if (entry.hasResource()) {
        scrub(entry.getResource(), removed);
        if (!removed.fullUrls.isEmpty() && entry.getResource() instanceof org.hl7.fhir.r4.model.DomainResource domain) {
          // free text is not decided on: a narrative may still tell what was withheld
          domain.setText(null);
        }
      }
    }
    return copy;
  }

  /** Walks every child element, dropping or emptying references to removed entries. */
  private static void scrub(Base element, RemovedEntries removed) {
    for (Property property : element.children()) {
      for (Base value : List.copyOf(property.getValues())) {
        if (value instanceof Reference reference && removed.isTargetOf(reference)) {
          if (property.isList()) {
            element.removeChild(property.getName(), value);
          } else {
            empty(reference);
          }
        } else if (!value.isPrimitive()) {
          scrub(value, removed);
          if (value instanceof Extension extension && property.isList() && !extension.hasValue()
              && !extension.hasExtension()) {
            element.removeChild(property.getName(), value);
          }
        }
      }
    }
  }

  /** Clears a single-valued reference entirely: its display may describe the removed data. */
  private static void empty(Reference reference) {
    reference.setReference(null);
    reference.setType(null);
    reference.setIdentifier(null);
    reference.setDisplay(null);
    reference.getExtension().clear();
  }

  /** The ways a removed entry can be referred to: its fullUrl, and Type/id of its resource. */
  private record RemovedEntries(Set<String> fullUrls, Set<String> typeAndIds) {

    static RemovedEntries of(Bundle message, Set<String> excludedReferences) {
      Set<String> fullUrls = new HashSet<>();
      Set<String> typeAndIds = new HashSet<>();
      for (BundleEntryComponent entry : message.getEntry()) {
        // Immutable sets throw on contains(null); an entry without fullUrl is never excluded.
        if (!entry.hasFullUrl() || !excludedReferences.contains(entry.getFullUrl())) {
          continue;
        }
        fullUrls.add(entry.getFullUrl());
        typeAndId(new IdType(entry.getFullUrl())).ifPresent(typeAndIds::add);
        Resource resource = entry.getResource();
        if (resource != null && resource.getIdElement().hasIdPart()) {
          typeAndIds.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
      }
      return new RemovedEntries(Set.copyOf(fullUrls), Set.copyOf(typeAndIds));
    }

    boolean isEntry(BundleEntryComponent entry) {
      return entry.hasFullUrl() && fullUrls.contains(entry.getFullUrl());
    }

    boolean isTargetOf(Reference reference) {
      String target = reference.getReference();
      if (target == null || target.startsWith("#")) {
        return false;
      }
      return fullUrls.contains(target) || typeAndId(new IdType(target)).map(typeAndIds::contains).orElse(false);
    }

    private static Optional<String> typeAndId(IdType id) {
      if (id.hasResourceType() && id.hasIdPart()) {
        return Optional.of(id.getResourceType() + "/" + id.getIdPart());
      }
      return Optional.empty();
    }
  }
}
