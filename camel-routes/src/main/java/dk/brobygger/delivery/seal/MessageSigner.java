package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

/**
 * Signs a payload as the gateway: the result is a compact JWS whose {@code kid} names the key, so a
 * recipient can pick the public key to verify with from the gateway's published set.
 */
public interface MessageSigner {

  /** Media type of what is signed: the minimised FHIR Bundle. */
  String PAYLOAD_CONTENT_TYPE = "application/fhir+json";

  /**
   * @return the compact JWS (header.payload.signature) over exactly {@code payload}
   * @throws SealingFailed if the crypto provider fails
   */
  String sign(byte[] payload);

  /** The {@code kid} every signature carries. */
  String keyId();

  /** The JWS {@code alg} every signature carries: ES256 or EdDSA. */
  JWSAlgorithm algorithm();

  /**
   * A signer for the gateway's private signing key: ES256 for an EC P-256 key, EdDSA for an Ed25519
   * key.
   *
   * @throws IllegalArgumentException for any other key, or one without a private part or kid
   */
  static MessageSigner forKey(JWK signingKey) {
    return of(SigningKey.of(signingKey));
  }

  /** A signer with a key already checked and made, e.g. one the gateway's key handle shares. */
  static MessageSigner of(SigningKey key) {
    return new CompactMessageSigner(key);
  }
}
