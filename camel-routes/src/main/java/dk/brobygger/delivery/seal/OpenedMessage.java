package dk.brobygger.delivery.seal;

import java.util.Objects;
import java.util.Optional;

/**
 * A sealed message after decryption and verification.
 *
 * @param payload exactly the bytes the gateway signed
 * @param signingKeyId the gateway key whose signature verified
 * @param encryptionKeyId the recipient key it was encrypted to; empty if it arrived signed only
 */
public record OpenedMessage(byte[] payload, String signingKeyId, Optional<String> encryptionKeyId) {

  public OpenedMessage {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signingKeyId, "signingKeyId");
    Objects.requireNonNull(encryptionKeyId, "encryptionKeyId");
  }

  public boolean wasEncrypted() {
    return encryptionKeyId.isPresent();
  }
}
