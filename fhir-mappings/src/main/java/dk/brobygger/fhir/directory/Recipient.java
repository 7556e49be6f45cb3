package dk.brobygger.fhir.directory;

import dk.brobygger.fhir.Code;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An organisation in the directory: who it is, what kind of party it is, and where messages for it
 * are delivered. The outreach team itself is one too (kind {@code outreach}).
 *
 * @param id directory id, stable, used in storage and as Organization id
 * @param name display name, e.g. "Svendborg Sygehus"
 * @param kind outreach, gp, hospital, addiction-centre, home-care, ... (free list, no code change)
 * @param identifiers SOR / GLN / local identifiers; a message addresses the recipient by any
 * @param endpoint where messages are POSTed; empty for parties that only call us
 */
public record Recipient(
    String id, String name, String kind, List<OrganisationIdentifier> identifiers, Optional<URI> endpoint) {

  public Recipient {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    identifiers = List.copyOf(identifiers);
    Objects.requireNonNull(endpoint, "endpoint");
  }

  public Code kindCode() {
    return Code.recipientKind(kind);
  }

  public boolean isIdentifiedBy(OrganisationIdentifier identifier) {
    return identifiers.contains(identifier);
  }
}
