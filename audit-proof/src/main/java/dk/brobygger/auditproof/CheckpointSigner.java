package dk.brobygger.auditproof;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * Signs {@link Checkpoint}s as compact JWS (ES256) with the log's P-256 key; the header carries the
 * key's {@code kid} and the type {@value #TYPE_NAME}, so a checkpoint cannot be confused with any other
 * JWS the gateway signs with a key from the same set. Signing uses the JDK provider: checkpoints are
 * signed once per batch of appends, not per entry, so its speed does not matter.
 */
public final class CheckpointSigner {

  /** The JWS {@code typ} of every checkpoint. */
  public static final String TYPE_NAME = "brobygger-checkpoint+jws";

  static final JOSEObjectType TYPE = new JOSEObjectType(TYPE_NAME);

  private final JWSSigner signer;
  private final String keyId;

  /** {@code signingKey}: a private P-256 key with a {@code kid}, not marked for encryption. */
  public CheckpointSigner(ECKey signingKey) {
    if (signingKey == null || !signingKey.isPrivate()) {
      throw new IllegalArgumentException("a checkpoint signer needs a private EC key");
    }
    if (!Curve.P_256.equals(signingKey.getCurve())) {
      throw new IllegalArgumentException("checkpoint keys are P-256 (ES256), got " + signingKey.getCurve());
    }
    if (signingKey.getKeyID() == null || signingKey.getKeyID().isBlank()) {
      throw new IllegalArgumentException("a checkpoint signing key needs a kid, so verifiers can pick its public key");
    }
    if (KeyUse.ENCRYPTION.equals(signingKey.getKeyUse())) {
      throw new IllegalArgumentException("key " + signingKey.getKeyID() + " is marked for encryption, not signing");
    }
    try {
      this.signer = new ECDSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key " + signingKey.getKeyID() + " cannot sign ES256", e);
    }
    this.keyId = signingKey.getKeyID();
  }

  /** The compact JWS of {@code checkpoint}. */
  public String sign(Checkpoint checkpoint) {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).type(TYPE).build();
    JWSObject jws = new JWSObject(header, new Payload(checkpoint.toJson()));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing checkpoint of tree size " + checkpoint.treeSize() + " failed", e);
    }
    return jws.serialize();
  }

  /** The {@code kid} this signer puts in every header. */
  public String keyId() {
    return keyId;
  }
}
