package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Code;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One resource a message would disclose, as the consent decision sees it.
 *
 * @param reference how the bundle refers to it (the entry's fullUrl, e.g. "urn:uuid:..." or
 *     "ServiceRequest/123"); minimisation removes by this
 * @param resourceType e.g. "ServiceRequest", "Condition"; matched against provision.class
 * @param securityLabels meta.security plus labels inferred from content; matched against
 *     provision.securityLabel
 * @param codes the resource's clinical codes (e.g. ICD-10); matched against provision.code
 * @param dataTime when the data is about (effective/recorded); matched against provision.dataPeriod
 */
public record DataItem(
    String reference, String resourceType, Set<Code> securityLabels, Set<Code> codes, Optional<Instant> dataTime) {

  public DataItem {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(resourceType, "resourceType");
    securityLabels = Set.copyOf(securityLabels);
    codes = Set.copyOf(codes);
    Objects.requireNonNull(dataTime, "dataTime");
  }

  public Code resourceClass() {
    return Code.resourceType(resourceType);
  }
}
