package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;

/**
 * Makes the verifier for one signature check from a public JWK. Nimbus's own
 * {@code JWSVerifierFactory} takes a {@code java.security.Key} and so cannot make EdDSA verifiers;
 * this one takes the JWK. It is also where tests count how often a signature is really checked.
 */
@FunctionalInterface
public interface JwsVerifiers {

  /**
   * @throws JOSEException when the key does not fit the header's algorithm
   */
  JWSVerifier create(JWSHeader header, JWK publicKey) throws JOSEException;

  /** EC and RSA through the Bouncy Castle provider (ES256 verifies about 4x faster than on the JDK's). */
  static JwsVerifiers bouncyCastle() {
    return BouncyCastleJws::verifier;
  }
}
