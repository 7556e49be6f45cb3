package dk.brobygger.delivery.seal;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;

/** Hands each recipient key to the encrypter for its curve, so the directory may hold either. */
final class AnyCurveEncrypter implements RecipientEncrypter {

  private final P256RecipientEncrypter p256;
  private final X25519RecipientEncrypter x25519;

  AnyCurveEncrypter(P256RecipientEncrypter p256, X25519RecipientEncrypter x25519) {
    this.p256 = p256;
    this.x25519 = x25519;
  }

  @Override
  public String encrypt(String jws, JWK recipientPublicKey) {
    if (recipientPublicKey instanceof OctetKeyPair okp && Curve.X25519.equals(okp.getCurve())) {
      return x25519.encrypt(jws, recipientPublicKey);
    }
    // Everything else goes to P-256, which names the key's defect if it is not a P-256 key either.
    return p256.encrypt(jws, recipientPublicKey);
  }
}
