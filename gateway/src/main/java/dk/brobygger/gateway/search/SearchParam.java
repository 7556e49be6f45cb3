package dk.brobygger.gateway.search;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * One search parameter a resource type supports, as its route declares it and the
 * CapabilityStatement publishes it.
 *
 * @param name the parameter name, e.g. {@code patient}
 * @param type FHIR search parameter type
 * @param definition the SearchParameter's canonical URL (FHIR's own when the parameter is FHIR's)
 * @param documentation what it matches here, for the CapabilityStatement
 * @param modifiers the modifiers accepted after a colon (e.g. {@code identifier} for
 *     {@code patient:identifier})
 * @param chains the parameters of the referenced resource accepted after a dot (e.g.
 *     {@code identifier} for {@code patient.identifier})
 */
public record SearchParam(
    String name, SearchParamType type, Optional<String> definition, String documentation, Set<String> modifiers,
    Set<String> chains) {

  /** The canonical URL of a search parameter FHIR R4 defines, e.g. Consent-patient. */
  public static String fhir(String id) {
    return "http://hl7.org/fhir/SearchParameter/" + id;
  }

  public SearchParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(documentation, "documentation");
    modifiers = Set.copyOf(modifiers);
    chains = Set.copyOf(chains);
  }

  public static SearchParam of(String name, SearchParamType type, String definition, String documentation) {
    return new SearchParam(name, type, Optional.of(definition), documentation, Set.of(), Set.of());
  }

  /** A reference to the citizen (Patient) with FHIR's {@code :identifier} modifier and {@code .identifier} chain. */
  public static SearchParam patient(String name, String definition, String documentation) {
    return new SearchParam(name, SearchParamType.REFERENCE, Optional.of(definition), documentation,
        Set.of("identifier"), Set.of("identifier"));
  }
}
