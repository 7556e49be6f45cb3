package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The pair of algorithms a sealed message is made with: the gateway's signature and the key
 * agreement to the recipient. P-256 throughout is the default; Ed25519 + X25519 costs about half the
 * CPU (bench/results/sealing.txt). The option {@code keys.algorithm} names one by {@link #optionValue()}.
 */
public enum SealingSuite {

  /** ES256 signature, ECDH-ES+A256KW on P-256. */
  P256("p256", JWSAlgorithm.ES256, Curve.P_256, Curve.P_256),
  /** EdDSA (Ed25519) signature, ECDH-ES+A256KW on X25519 (RFC 8037). */
  ED25519("ed25519", JWSAlgorithm.EdDSA, Curve.Ed25519, Curve.X25519);

  private final String optionValue;
  private final JWSAlgorithm signature;
  private final Curve signingCurve;
  private final Curve encryptionCurve;

  SealingSuite(String optionValue, JWSAlgorithm signature, Curve signingCurve, Curve encryptionCurve) {
    this.optionValue = optionValue;
    this.signature = signature;
    this.signingCurve = signingCurve;
    this.encryptionCurve = encryptionCurve;
  }

  public String optionValue() {
    return optionValue;
  }

  public JWSAlgorithm signature() {
    return signature;
  }

  public Curve signingCurve() {
    return signingCurve;
  }

  public Curve encryptionCurve() {
    return encryptionCurve;
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static SealingSuite byOptionValue(String value) {
    return Arrays.stream(values()).filter(suite -> suite.optionValue.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("must be one of " + Arrays.stream(values())
            .map(SealingSuite::optionValue).toList()));
  }

  /** The suite whose signature is {@code algorithm}. */
  public static Optional<SealingSuite> signingWith(JWSAlgorithm algorithm) {
    return Arrays.stream(values()).filter(suite -> suite.signature.equals(algorithm)).findFirst();
  }

  /**
   * The first private key of {@code keys} on this suite's signing curve: a key set may hold both
   * kinds, and its first key of a kind is the current one.
   *
   * @throws IllegalArgumentException if there is none
   */
  public JWK signingKey(JWKSet keys) {
    return keys.getKeys().stream()
        .filter(key -> key.isPrivate() && signingCurve.equals(curve(key)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the key set holds no private " + signingCurve
            + " key, which " + this + " signs with (" + signature + ")"));
  }

  /**
   * The recipient key to encrypt to: the recipient's first key on this suite's curve, else its first
   * key of any curve, so that a recipient with only the other kind still gets an encrypted message.
   *
   * @param recipientKeys the recipient's public encryption keys, current first
   */
  public Optional<JWK> recipientKey(List<JWK> recipientKeys) {
    return recipientKeys.stream().filter(key -> encryptionCurve.equals(curve(key))).findFirst()
        .or(() -> recipientKeys.stream().findFirst());
  }

  private static Curve curve(JWK key) {
    if (key instanceof ECKey ec) {
      return ec.getCurve();
    }
    if (key instanceof OctetKeyPair okp) {
      return okp.getCurve();
    }
    return null;
  }
}
