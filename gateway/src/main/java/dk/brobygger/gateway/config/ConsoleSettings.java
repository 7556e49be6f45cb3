package dk.brobygger.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The people's console (/console).
 *
 * @param idleTimeout a session unused this long is signed out
 * @param oidc the municipality's OpenID Connect provider people sign in with, when configured
 */
public record ConsoleSettings(Duration idleTimeout, Optional<Oidc> oidc) {

  public ConsoleSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(oidc, "oidc");
  }

  /**
   * @param issuer the issuer URL (discovery document at issuer/.well-known/openid-configuration)
   * @param clientId the console's client id there
   * @param clientSecret its secret; empty for a public client (PKCE alone)
   * @param roleClaim the ID token claim holding the console role
   * @param partyClaim the ID token claim holding the directory id of the person's team
   */
  public record Oidc(String issuer, String clientId, Optional<String> clientSecret, String roleClaim, String partyClaim) {
    public Oidc {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(roleClaim, "roleClaim");
      Objects.requireNonNull(partyClaim, "partyClaim");
    }

    /** The secret is never printed. */
    @Override
    public String toString() {
      return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", roleClaim=" + roleClaim + ", partyClaim=" + partyClaim + "]";
    }
  }
}
