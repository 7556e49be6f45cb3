package dk.brobygger.gateway.console;

import java.util.Objects;
import java.util.Optional;

/**
 * One browser's session with the console, as stored.
 *
 * @param cookie the random id the browser holds (never stored; its SHA-256 is the key)
 * @param csrfToken the token every state change must carry
 * @param person who signed in; empty while signing in
 * @param signIn the OpenID Connect state, PKCE verifier and nonce of a sign-in under way
 */
public record ConsoleSession(String cookie, String csrfToken, Optional<ConsolePerson> person, Optional<PendingSignIn> signIn) {

  public ConsoleSession {
    Objects.requireNonNull(cookie, "cookie");
    Objects.requireNonNull(csrfToken, "csrfToken");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(signIn, "signIn");
  }

  /**
   * A sign-in sent to the identity provider: what must come back (the state to the callback, the
   * nonce inside the ID token), and what proves we asked (the PKCE verifier).
   */
  public record PendingSignIn(String state, String pkceVerifier, String nonce) {
    public PendingSignIn {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(pkceVerifier, "pkceVerifier");
      Objects.requireNonNull(nonce, "nonce");
    }
  }
}
