package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dk.brobygger.delivery.seal.BouncyCastle;

/**
 * Verifiers with the gateway's one Bouncy Castle provider for EC and RSA. Ed25519 goes through
 * Nimbus's Tink-based classes, which use no JCA provider. Signers come from the key handle
 * ({@code keys/GatewayKeys}).
 */
final class BouncyCastleJws {

  private BouncyCastleJws() {}

  static JWSVerifier verifier(JWSHeader header, JWK key) throws JOSEException {
    if (key instanceof ECKey ec) {
      ECDSAVerifier verifier = new ECDSAVerifier(ec.toPublicJWK());
      verifier.getJCAContext().setProvider(BouncyCastle.PROVIDER);
      return verifier;
    }
    if (key instanceof RSAKey rsa) {
      RSASSAVerifier verifier = new RSASSAVerifier(rsa.toPublicJWK());
      verifier.getJCAContext().setProvider(BouncyCastle.PROVIDER);
      return verifier;
    }
    if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      return new Ed25519Verifier(okp.toPublicJWK());
    }
    throw new JOSEException("no verifier for a " + key.getKeyType() + " key and alg " + header.getAlgorithm());
  }
}
