package dk.brobygger.auditproof;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.text.ParseException;

/**
 * Verifies checkpoint JWS against a set of trusted public keys and returns the checkpoint only if all
 * holds: compact JWS, {@code alg} ES256 (so never "none" nor an HMAC keyed with a public key), {@code
 * typ} {@value CheckpointSigner#TYPE_NAME}, a {@code kid} found in the key set naming a P-256 key, a
 * signature that verifies, and a payload that is a well-formed {@link Checkpoint}. Stateless and
 * thread-safe.
 */
public final class CheckpointVerifier {

  private final JWKSet keys;

  /** {@code keys}: the log's public keys (private parts, if present, are dropped). */
  public CheckpointVerifier(JWKSet keys) {
    if (keys == null) {
      throw new IllegalArgumentException("a checkpoint verifier needs the log's public keys");
    }
    this.keys = keys.toPublicJWKSet();
  }

  /** The verified checkpoint, or {@link InvalidCheckpoint} saying why not. */
  public Checkpoint verify(String compactJws) {
    if (compactJws == null || compactJws.isBlank()) {
      throw new InvalidCheckpoint("checkpoint is missing");
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(compactJws);
    } catch (ParseException e) {
      throw new InvalidCheckpoint("checkpoint is not a signed compact JWS: " + e.getMessage(), e);
    }
    JWSHeader header = jws.getHeader();
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new InvalidCheckpoint("checkpoint algorithm " + header.getAlgorithm() + " is not accepted, only ES256");
    }
    if (!CheckpointSigner.TYPE.equals(header.getType())) {
      throw new InvalidCheckpoint("JWS type " + header.getType() + " is not a checkpoint");
    }
    String kid = header.getKeyID();
    if (kid == null) {
      throw new InvalidCheckpoint("checkpoint names no signing key (kid)");
    }
    JWK key = keys.getKeyByKeyId(kid);
    if (key == null) {
      throw new InvalidCheckpoint("checkpoint is signed with unknown key " + kid);
    }
    if (!(key instanceof ECKey ecKey) || !Curve.P_256.equals(ecKey.getCurve())) {
      throw new InvalidCheckpoint("key " + kid + " is not a P-256 key");
    }
    if (KeyUse.ENCRYPTION.equals(ecKey.getKeyUse())) {
      throw new InvalidCheckpoint("key " + kid + " is an encryption key, not a signing key");
    }
    boolean verified;
    try {
      verified = jws.verify(new ECDSAVerifier(ecKey));
    } catch (JOSEException e) {
      throw new InvalidCheckpoint("checkpoint signature cannot be checked with key " + kid + ": " + e.getMessage(), e);
    }
    if (!verified) {
      throw new InvalidCheckpoint("checkpoint signature does not verify with key " + kid);
    }
    return Checkpoint.fromJson(jws.getPayload().toString());
  }
}
