package dk.brobygger.gateway.consent;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A search of current consent versions; every part given must hold.
 *
 * @param citizen consents about any of these identifiers (one citizen, linked identifiers
 *     included); an empty list matches nothing; empty = any citizen
 * @param statuses Consent.status, any of them; empty = any
 * @param id the consent id ({@code _id})
 * @param identifierSystem with {@link #identifierValue}: a Consent.identifier ({@code identifier}
 *     search); empty system = any system
 * @param identifierValue the Consent.identifier value
 */
public record ConsentQuery(
    Optional<List<CitizenIdentifier>> citizen,
    List<String> statuses,
    Optional<String> id,
    Optional<String> identifierSystem,
    Optional<String> identifierValue) {

  public ConsentQuery {
    Objects.requireNonNull(citizen, "citizen");
    citizen = citizen.map(List::copyOf);
    statuses = List.copyOf(statuses);
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(identifierSystem, "identifierSystem");
    Objects.requireNonNull(identifierValue, "identifierValue");
  }

  /** Whether nothing can match (a citizen the gateway does not know). */
  public boolean matchesNothing() {
    return citizen.map(List::isEmpty).orElse(false);
  }
}
