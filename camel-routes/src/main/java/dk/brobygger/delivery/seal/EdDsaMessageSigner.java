package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;

/** EdDSA with Ed25519 (RFC 8037); Nimbus computes it with Tink. */
public final class EdDsaMessageSigner implements MessageSigner {

  private final Ed25519Signer signer;
  private final JWSHeader header;

  /** @param signingKey the gateway's Ed25519 key, private part included */
  public EdDsaMessageSigner(OctetKeyPair signingKey) {
    CompactJws.requireSigningKey(signingKey, JWSAlgorithm.EdDSA);
    if (!Curve.Ed25519.equals(signingKey.getCurve())) {
      throw new IllegalArgumentException("EdDSA needs an Ed25519 key, " + signingKey.getKeyID() + " is on "
          + signingKey.getCurve());
    }
    try {
      this.signer = new Ed25519Signer(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Signing key " + signingKey.getKeyID() + " is not usable for EdDSA", e);
    }
    this.header = CompactJws.header(JWSAlgorithm.EdDSA, signingKey.getKeyID());
  }

  @Override
  public String sign(byte[] payload) {
    return CompactJws.sign(header, signer, payload);
  }

  @Override
  public String keyId() {
    return header.getKeyID();
  }

  @Override
  public JWSAlgorithm algorithm() {
    return header.getAlgorithm();
  }
}
