package dk.brobygger.gateway.search;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.citizen.PatientIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a search parameter that names the citizen, as FHIR R4 defines a reference to a Patient:
 * {@code patient=Patient/{id}} (also a bare id or an absolute URL), {@code patient:identifier=system|value}
 * and the chain {@code patient.identifier=system|value}. All three mean the citizen the gateway
 * knows: the identifier and every identifier linked to it.
 */
public final class CitizenCriterion {

  private final PatientIds patientIds;
  private final CitizenLinks links;

  public CitizenCriterion(PatientIds patientIds, CitizenLinks links) {
    this.patientIds = Objects.requireNonNull(patientIds, "patientIds");
    this.links = Objects.requireNonNull(links, "links");
  }

  /**
   * The citizen's identifiers, the named one first; empty when the parameter is not given; an empty
   * list when it names a Patient id the gateway never served (nothing matches).
   *
   * @param name the parameter, e.g. {@code patient} or {@code subject}
   */
  public Optional<List<CitizenIdentifier>> of(SearchRequest request, String name) {
    List<String> given = new ArrayList<>();
    for (String form : List.of(name, name + ":identifier", name + ".identifier")) {
      if (request.has(form)) {
        given.add(form);
      }
    }
    if (given.isEmpty()) {
      return Optional.empty();
    }
    if (given.size() > 1 || request.values(given.get(0)).size() > 1) {
      throw new Rejected(Rejected.Kind.INVALID, request.what() + " rejected: name the citizen once (" + name + ", "
          + name + ":identifier or " + name + ".identifier)");
    }
    String form = given.get(0);
    String value = request.single(form).orElseThrow(() ->
        new Rejected(Rejected.Kind.INVALID, request.what() + " rejected: " + form + " is empty"));
    Optional<CitizenIdentifier> named = form.equals(name) ? byReference(request, name, value) : Optional.of(identifier(request, form, value));
    return Optional.of(named.map(id -> links.expand(List.of(id))).orElse(List.of()));
  }

  /** The citizen identifier a Patient id stands for; empty for an id never served. */
  public Optional<CitizenIdentifier> patient(String id) {
    return patientIds.identifierOf(id);
  }

  /** The Patient id of an identifier (assigned on first use). */
  public String patientId(CitizenIdentifier identifier) {
    return patientIds.idOf(identifier);
  }

  private Optional<CitizenIdentifier> byReference(SearchRequest request, String name, String value) {
    if (value.contains("|")) {
      // the token form this parameter had before it was a reference: say how to write it now
      throw new Rejected(Rejected.Kind.INVALID, request.what() + " rejected: " + name
          + " is a reference (Patient/{id}); search by identifier with " + name + ":identifier=system|value");
    }
    String reference = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    int slash = reference.lastIndexOf('/');
    String id = slash < 0 ? reference : reference.substring(slash + 1);
    if (slash >= 0) {
      String head = reference.substring(0, slash);
      String type = head.substring(head.lastIndexOf('/') + 1);
      if (!type.equals("Patient")) {
        throw new Rejected(Rejected.Kind.INVALID, request.what() + " rejected: " + name
            + " must reference a Patient (Patient/{id}), got '" + value + "'");
      }
    }
    if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new Rejected(Rejected.Kind.INVALID, request.what() + " rejected: '" + id + "' is not a Patient id");
    }
    return patientIds.identifierOf(id);
  }

  private static CitizenIdentifier identifier(SearchRequest request, String form, String value) {
    return CitizenIdentifier.parseToken(value).orElseThrow(() -> new Rejected(Rejected.Kind.INVALID,
        request.what() + " rejected: " + form + " must be an identifier token system|value, e.g. "
            + CitizenIdentifier.CPR + "|0101801234"));
  }
}
