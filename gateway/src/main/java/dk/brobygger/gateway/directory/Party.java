package dk.brobygger.gateway.directory;

import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.fhir.directory.Recipient;
import java.util.Objects;

/**
 * A directory entry with what the gateway needs to trust and protect it, beyond the Recipient
 * itself: the public keys it authenticates with, the public keys its data is encrypted to, and
 * whether it may explicitly receive signed but unencrypted payloads.
 *
 * @param recipient who it is and where its messages go
 * @param clientKeys public keys of its client assertions (SMART Backend Services); empty = none
 * @param encryptionKeys public keys sealed payloads are encrypted to; empty = none
 * @param allowSignedOnly whether payloads may go to it signed but not encrypted
 */
public record Party(Recipient recipient, JWKSet clientKeys, JWKSet encryptionKeys, boolean allowSignedOnly) {

  public Party {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(clientKeys, "clientKeys");
    Objects.requireNonNull(encryptionKeys, "encryptionKeys");
  }

  public static Party of(Recipient recipient) {
    return new Party(recipient, new JWKSet(), new JWKSet(), false);
  }

  public String id() {
    return recipient.id();
  }
}
