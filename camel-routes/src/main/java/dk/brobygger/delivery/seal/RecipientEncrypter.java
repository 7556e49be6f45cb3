package dk.brobygger.delivery.seal;

import com.nimbusds.jose.jwk.JWK;

/**
 * Encrypts the gateway's signed message to one recipient: a compact JWE, ECDH-ES+A256KW with
 * A256GCM, whose {@code kid} names the recipient's key and whose {@code cty} is {@code JWT}, the
 * RFC 7519 marker for "signed, then encrypted", which tells the recipient to verify what it decrypts.
 */
public interface RecipientEncrypter {

  /** cty of the JWE: its plaintext is itself a JOSE object (RFC 7519 5.2). */
  String NESTED_CONTENT_TYPE = "JWT";

  /**
   * @param jws the compact JWS to encrypt
   * @param recipientPublicKey the recipient's public encryption key ({@code use: enc}) with a kid
   * @return the compact JWE
   * @throws SealingFailed if the key is unusable for this encrypter or the crypto provider fails
   */
  String encrypt(String jws, JWK recipientPublicKey);

  /** Encrypts to EC P-256 keys (with Bouncy Castle) and X25519 keys, whichever the recipient has. */
  static RecipientEncrypter forAnyCurve() {
    return new AnyCurveEncrypter(new P256RecipientEncrypter(), new X25519RecipientEncrypter());
  }
}
