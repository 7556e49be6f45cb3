package dk.brobygger.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.Objects;

/**
 * A system the gateway knows: its OAuth client id, the directory party it acts for, its role, and
 * the public keys it signs client assertions with. Private parts, if a caller passes a set that
 * has them, are dropped here so the registry never holds a client's secret.
 */
public record RegisteredClient(String clientId, String partyId, Role role, JWKSet publicKeys) {

  public RegisteredClient {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(partyId, "partyId");
    Objects.requireNonNull(role, "role");
    publicKeys = Objects.requireNonNull(publicKeys, "publicKeys").toPublicJWKSet();
    if (clientId.isBlank() || publicKeys.isEmpty()) {
      throw new IllegalArgumentException("a registered client needs an id and at least one public key: " + clientId);
    }
  }
}
