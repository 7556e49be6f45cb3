package dk.brobygger.gateway.auth;

import dk.brobygger.gateway.db.Visibility;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: the authenticated system, or nobody yet, and from where. Recorded as the actor of
 * every audit entry.
 *
 * @param client the system an access token or client certificate identified
 * @param address the remote network address, for the audit trail of refusals
 */
public record Caller(Optional<AuthenticatedClient> client, String address) {

  public Caller {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(address, "address");
  }

  public static Caller anonymous(String address) {
    return new Caller(Optional.empty(), address);
  }

  /** The directory id of the calling system, or "unauthenticated". */
  public String id() {
    return client.map(AuthenticatedClient::partyId).orElse("unauthenticated");
  }

  /** The actor recorded in the audit log. */
  public String actor() {
    return id() + "@" + address;
  }

  /**
   * What the caller may see of stored records: the privacy officer everything, any other party
   * only what it recorded, sent or received, and nobody without credentials anything.
   */
  public Visibility visibility() {
    boolean officer = client.map(c -> c.role() == Role.PRIVACY_OFFICER).orElse(false);
    return officer ? Visibility.everything() : Visibility.of(id());
  }

  public boolean may(String resourceType, Interaction interaction) {
    return client.map(c -> c.permits(resourceType, interaction)).orElse(false);
  }
}
