package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;

/** What the two signers share: the header they put on every JWS and the signing call itself. */
final class CompactJws {

  private CompactJws() {}

  /** Checks a configured signing key once, at start-up, so that a bad one stops the gateway early. */
  static void requireSigningKey(JWK key, JWSAlgorithm algorithm) {
    if (!key.isPrivate()) {
      throw new IllegalArgumentException("Signing key " + key.getKeyID() + " has no private part");
    }
    if (key.getKeyID() == null || key.getKeyID().isBlank()) {
      throw new IllegalArgumentException("Signing key has no kid; recipients select the verification key by it");
    }
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      throw new IllegalArgumentException("Key " + key.getKeyID() + " is for " + key.getKeyUse().identifier()
          + ", not for signing");
    }
    if (key.getAlgorithm() != null && !algorithm.equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("Key " + key.getKeyID() + " is meant for " + key.getAlgorithm()
          + ", not " + algorithm);
    }
  }

  /** typ JOSE: a compact serialisation (RFC 7515 4.1.9); cty: what the payload is. */
  static JWSHeader header(JWSAlgorithm algorithm, String keyId) {
    return new JWSHeader.Builder(algorithm)
        .keyID(keyId)
        .type(JOSEObjectType.JOSE)
        .contentType(MessageSigner.PAYLOAD_CONTENT_TYPE)
        .build();
  }

  static String sign(JWSHeader header, JWSSigner signer, byte[] payload) {
    JWSObject jws = new JWSObject(header, new Payload(payload));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new SealingFailed("Signing with " + header.getAlgorithm() + " key " + header.getKeyID() + " failed", e);
    }
    return jws.serialize();
  }
}
