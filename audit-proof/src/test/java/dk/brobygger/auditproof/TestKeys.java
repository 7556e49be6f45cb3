package dk.brobygger.auditproof;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** Throw-away P-256 keys generated per test run. */
final class TestKeys {

  /** The log's key; its public half is the trusted set. */
  static final ECKey LOG_KEY = generate("audit-log-1");
  /** A key the verifier has never heard of. */
  static final ECKey FOREIGN_KEY = generate("someone-else");
  /** A different key that claims the log key's kid. */
  static final ECKey IMPOSTOR_KEY = generate("audit-log-1");

  static final JWKSet TRUSTED = new JWKSet(LOG_KEY.toPublicJWK());

  private TestKeys() {}

  static ECKey generate(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("P-256 key generation failed", e);
    }
  }
}
