package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Signers and verifiers with Bouncy Castle as the JCA provider for EC and RSA. Ed25519 goes
 * through Nimbus's Tink-based classes, which use no JCA provider. The provider is passed to each
 * object, never registered in {@link java.security.Security}, so the JVM's provider order stays.
 */
final class BouncyCastleJws {

  private static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastleJws() {}

  static JWSVerifier verifier(JWSHeader header, JWK key) throws JOSEException {
    if (key instanceof ECKey ec) {
      ECDSAVerifier verifier = new ECDSAVerifier(ec.toPublicJWK());
      verifier.getJCAContext().setProvider(PROVIDER);
      return verifier;
    }
    if (key instanceof RSAKey rsa) {
      RSASSAVerifier verifier = new RSASSAVerifier(rsa.toPublicJWK());
      verifier.getJCAContext().setProvider(PROVIDER);
      return verifier;
    }
    if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      return new Ed25519Verifier(okp.toPublicJWK());
    }
    throw new JOSEException("no verifier for a " + key.getKeyType() + " key and alg " + header.getAlgorithm());
  }

  /** The signer for a private key, and the algorithm it signs with: ES256 for P-256, EdDSA for Ed25519. */
  static Signing signer(JWK key) throws JOSEException {
    if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) && ec.isPrivate()) {
      ECDSASigner signer = new ECDSASigner(ec);
      signer.getJCAContext().setProvider(PROVIDER);
      return new Signing(JWSAlgorithm.ES256, signer);
    }
    if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve()) && okp.isPrivate()) {
      return new Signing(JWSAlgorithm.EdDSA, new Ed25519Signer(okp));
    }
    throw new JOSEException("the signing key must be a private P-256 (ES256) or Ed25519 (EdDSA) key");
  }

  record Signing(JWSAlgorithm algorithm, JWSSigner signer) {}
}
