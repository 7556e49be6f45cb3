package dk.brobygger.gateway.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who presented a valid access token: the client, the directory party it acts for, its role, the
 * scopes the token grants, and when the token stops being valid.
 */
public record AuthenticatedClient(String clientId, String partyId, Role role, Set<String> scopes, Instant expiresAt) {

  public AuthenticatedClient {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(partyId, "partyId");
    Objects.requireNonNull(role, "role");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether one of the granted scopes lets this client do {@code interaction} on {@code resourceType}. */
  public boolean permits(String resourceType, Interaction interaction) {
    return scopes.stream()
        .map(SmartScope::parse)
        .flatMap(Optional::stream)
        .anyMatch(scope -> scope.permits(resourceType, interaction));
  }
}
