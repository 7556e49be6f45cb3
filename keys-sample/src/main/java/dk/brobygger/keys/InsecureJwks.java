package dk.brobygger.keys;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import java.security.SecureRandom;
import java.util.List;

/**
 * Fresh JWK sets for one trust set. Every key carries {@code use}, {@code alg} and a kid that reads
 * as owner, purpose and key type followed by the start of its RFC 7638 thumbprint, so a kid is
 * readable in logs and still differs between two generated sets.
 */
final class InsecureJwks {

  /** Ed25519 signing; "EdDSA" (RFC 8037) rather than "Ed25519" (RFC 9864) since more peers know it. */
  static final JWSAlgorithm ED25519_SIGNING = JWSAlgorithm.EdDSA;
  static final JWEAlgorithm KEY_AGREEMENT = JWEAlgorithm.ECDH_ES_A256KW;

  private static final int THUMBPRINT_CHARS = 10;

  private final SecureRandom random;

  InsecureJwks(SecureRandom random) {
    this.random = random;
  }

  /** The gateway signs what it seals: ES256 for every peer, Ed25519 for peers that prefer it. */
  JWKSet gatewaySigning() throws JOSEException {
    return new JWKSet(List.of(
        ec("gateway-sig-es256", KeyUse.SIGNATURE, JWSAlgorithm.ES256),
        okp("gateway-sig-ed25519", Curve.Ed25519, KeyUse.SIGNATURE, ED25519_SIGNING)));
  }

  /** The audit log signs its checkpoints (C2SP signed notes) with this Ed25519 key alone. */
  JWKSet auditCheckpoint() throws JOSEException {
    return new JWKSet(okp("audit-checkpoint-ed25519", Curve.Ed25519, KeyUse.SIGNATURE, ED25519_SIGNING));
  }

  /** A party signs the JWTs it authenticates to the gateway with. */
  JWKSet clientAuth(String partyId) throws JOSEException {
    return new JWKSet(ec(partyId + "-client-auth-es256", KeyUse.SIGNATURE, JWSAlgorithm.ES256));
  }

  /** A recipient decrypts sealed referrals with one of these; the gateway picks by what it supports. */
  JWKSet encryption(String partyId) throws JOSEException {
    return new JWKSet(List.of(
        ec(partyId + "-enc-p256", KeyUse.ENCRYPTION, KEY_AGREEMENT),
        okp(partyId + "-enc-x25519", Curve.X25519, KeyUse.ENCRYPTION, KEY_AGREEMENT)));
  }

  private ECKey ec(String kidPrefix, KeyUse use, Algorithm algorithm) throws JOSEException {
    ECKey key = new ECKeyGenerator(Curve.P_256)
        .keyUse(use)
        .algorithm(algorithm)
        .secureRandom(random)
        .generate();
    return new ECKey.Builder(key).keyID(kid(kidPrefix, key)).build();
  }

  // Nimbus generates OKP keys with Tink's primitives, which draw on their own secure random.
  private static OctetKeyPair okp(String kidPrefix, Curve curve, KeyUse use, Algorithm algorithm)
      throws JOSEException {
    OctetKeyPair key = new OctetKeyPairGenerator(curve).keyUse(use).algorithm(algorithm).generate();
    return new OctetKeyPair.Builder(key).keyID(kid(kidPrefix, key)).build();
  }

  private static String kid(String prefix, JWK key) throws JOSEException {
    return prefix + "-" + key.computeThumbprint().toString().substring(0, THUMBPRINT_CHARS);
  }
}
