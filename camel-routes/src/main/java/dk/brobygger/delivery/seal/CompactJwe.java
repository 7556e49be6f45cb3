package dk.brobygger.delivery.seal;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;

/** What the encrypters share: the checks on a recipient's key, the JWE header, the encryption call. */
final class CompactJwe {

  static final JWEAlgorithm ALGORITHM = JWEAlgorithm.ECDH_ES_A256KW;
  static final EncryptionMethod ENCRYPTION = EncryptionMethod.A256GCM;

  private CompactJwe() {}

  /**
   * A directory entry is configuration, so a key that does not fit is our fault. A private part is
   * refused too: the directory must never hold a recipient's private key, and we would rather
   * stop than leave such a leak unnoticed.
   */
  static <K extends JWK> K requireEncryptionKey(JWK key, Class<K> type, String what) {
    if (key == null) {
      throw new SealingFailed("No recipient key given");
    }
    String kid = key.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new SealingFailed("Recipient key has no kid; the recipient selects its decryption key by it");
    }
    if (!type.isInstance(key)) {
      throw new SealingFailed("Recipient key " + kid + " is " + key.getKeyType() + ", not " + what);
    }
    if (key.isPrivate()) {
      throw new SealingFailed("Recipient key " + kid + " holds a private part; the directory must only hold public keys");
    }
    if (key.getKeyUse() != null && !KeyUse.ENCRYPTION.equals(key.getKeyUse())) {
      throw new SealingFailed("Recipient key " + kid + " is for " + key.getKeyUse().identifier() + ", not enc");
    }
    if (key.getAlgorithm() != null && !ALGORITHM.equals(key.getAlgorithm())) {
      throw new SealingFailed("Recipient key " + kid + " is meant for " + key.getAlgorithm() + ", not " + ALGORITHM);
    }
    return type.cast(key);
  }

  static JWEHeader header(String recipientKeyId) {
    return new JWEHeader.Builder(ALGORITHM, ENCRYPTION)
        .keyID(recipientKeyId)
        .type(JOSEObjectType.JOSE)
        .contentType(RecipientEncrypter.NESTED_CONTENT_TYPE)
        .build();
  }

  static String encrypt(JWEEncrypter encrypter, String recipientKeyId, String jws) {
    JWEObject jwe = new JWEObject(header(recipientKeyId), new Payload(jws));
    try {
      jwe.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new SealingFailed("Encrypting to recipient key " + recipientKeyId + " failed", e);
    }
    return jwe.serialize();
  }
}
