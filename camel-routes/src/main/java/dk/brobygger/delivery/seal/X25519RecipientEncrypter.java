package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.X25519Encrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;

/** ECDH-ES+A256KW on X25519 (RFC 8037); Nimbus computes the key agreement with Tink. */
public final class X25519RecipientEncrypter implements RecipientEncrypter {

  @Override
  public String encrypt(String jws, JWK recipientPublicKey) {
    OctetKeyPair key = CompactJwe.requireEncryptionKey(recipientPublicKey, OctetKeyPair.class, "an X25519 key");
    if (!Curve.X25519.equals(key.getCurve())) {
      throw new SealingFailed("Recipient key " + key.getKeyID() + " is on " + key.getCurve() + ", not X25519");
    }
    X25519Encrypter encrypter;
    try {
      encrypter = new X25519Encrypter(key);
    } catch (JOSEException e) {
      throw new SealingFailed("Recipient key " + key.getKeyID() + " is not usable for ECDH-ES", e);
    }
    return CompactJwe.encrypt(encrypter, key.getKeyID(), jws);
  }
}
