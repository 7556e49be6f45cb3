package dk.brobygger.delivery;

import com.nimbusds.jose.jwk.JWK;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.delivery.seal.MessageSigner;
import dk.brobygger.delivery.seal.RecipientEncrypter;
import dk.brobygger.delivery.seal.RecipientKeys;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.delivery.seal.SealingFailed;
import dk.brobygger.delivery.seal.SealingRefused;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Seals a disclosure with JOSE: signs the minimised payload as the gateway (JWS), then encrypts that
 * to the recipient's key (JWE). A recipient without a key gets the bare JWS only if its directory
 * entry says so explicitly; otherwise sealing is refused and nothing is sent.
 */
public final class JoseSealing implements Sealing {

  /** Media type of a compact JWS or JWE (RFC 7515 9.2.1, RFC 7516 9.2.1). */
  public static final String CONTENT_TYPE = "application/jose";

  private final MessageSigner signer;
  private final RecipientEncrypter encrypter;
  private final RecipientKeys keys;
  private final SealingSuite suite;

  /**
   * @throws IllegalArgumentException if the signer's algorithm belongs to no {@link SealingSuite}
   */
  public JoseSealing(MessageSigner signer, RecipientEncrypter encrypter, RecipientKeys keys) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.encrypter = Objects.requireNonNull(encrypter, "encrypter");
    this.keys = Objects.requireNonNull(keys, "keys");
    // the signing key decides the pairing, so the signature and the encryption never disagree
    this.suite = SealingSuite.signingWith(signer.algorithm())
        .orElseThrow(() -> new IllegalArgumentException("no sealing suite signs " + signer.algorithm()));
  }

  /**
   * Signs with {@code signer} and encrypts to the recipient's key on the signer's suite's curve
   * (P-256 for ES256, X25519 for EdDSA), or else to its first key of either curve.
   */
  public static JoseSealing create(MessageSigner signer, RecipientKeys keys) {
    return new JoseSealing(signer, RecipientEncrypter.forAnyCurve(), keys);
  }

  /**
   * @throws SealingRefused if the recipient has no encryption key and may not receive signed-only data
   * @throws SealingFailed if signing or encryption fails (nothing is returned, so nothing is sent)
   */
  @Override
  public SealedPayload seal(Disclosure disclosure, byte[] payload) {
    Recipient recipient = disclosure.recipient();
    Optional<JWK> key = suite.recipientKey(keys.encryptionKeys(recipient));
    // Decided before signing: a refused recipient costs no signature.
    if (key.isEmpty() && !keys.allowsSignedOnly(recipient)) {
      throw new SealingRefused(recipient.id(),
          "it has no encryption key and its directory entry does not allow signed-only delivery");
    }
    String jws = signer.sign(payload);
    String sealed = key.isPresent() ? encrypter.encrypt(jws, key.get()) : jws;
    return new SealedPayload(sealed.getBytes(StandardCharsets.US_ASCII), CONTENT_TYPE);
  }
}
