package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;

/**
 * ECDH-ES+A256KW on P-256. The ephemeral key, the key agreement and the key wrap run in Bouncy
 * Castle (2.5x faster than the JDK 17 provider); AES-GCM over the content and the Concat KDF's
 * hashing stay with the JDK, whose AES and SHA-256 use CPU instructions.
 */
public final class P256RecipientEncrypter implements RecipientEncrypter {

  @Override
  public String encrypt(String jws, JWK recipientPublicKey) {
    ECKey key = CompactJwe.requireEncryptionKey(recipientPublicKey, ECKey.class, "an EC P-256 key");
    if (!Curve.P_256.equals(key.getCurve())) {
      throw new SealingFailed("Recipient key " + key.getKeyID() + " is on " + key.getCurve() + ", not P-256");
    }
    ECDHEncrypter encrypter;
    try {
      encrypter = new ECDHEncrypter(key);
    } catch (JOSEException e) {
      throw new SealingFailed("Recipient key " + key.getKeyID() + " is not usable for ECDH-ES", e);
    }
    encrypter.getJCAContext().setKeyEncryptionProvider(BouncyCastle.PROVIDER);
    return CompactJwe.encrypt(encrypter, key.getKeyID(), jws);
  }
}
