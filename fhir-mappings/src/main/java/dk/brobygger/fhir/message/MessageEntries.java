package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Rejected;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** The entries of a message Bundle being read, as the per-event rules see them. */
interface MessageEntries {

  List<BundleEntryComponent> entries();

  /** The entry a reference points to: by fullUrl, or a relative reference by type and id. */
  Optional<BundleEntryComponent> resolve(String reference);

  /** A refusal named after the event, e.g. "Appointment response rejected: ...". */
  Rejected reject(String what);

  default boolean refersTo(Reference reference, BundleEntryComponent entry) {
    return reference.hasReference() && resolve(reference.getReference()).filter(e -> e == entry).isPresent();
  }

  default <T extends Resource> List<BundleEntryComponent> ofType(Class<T> type) {
    return entries().stream().filter(e -> type.isInstance(e.getResource())).toList();
  }
}
