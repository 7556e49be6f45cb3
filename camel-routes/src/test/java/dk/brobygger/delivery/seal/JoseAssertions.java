package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.X25519Decrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.text.ParseException;

/**
 * Plain Nimbus, with the JDK's providers: the tests check what the sealing classes produce the way a
 * recipient's own JOSE library would, not with the code under test.
 */
final class JoseAssertions {

  private JoseAssertions() {}

  static JWEObject decrypt(String compactJwe, JWK recipientPrivateKey) throws ParseException, JOSEException {
    JWEObject jwe = JWEObject.parse(compactJwe);
    jwe.decrypt(decrypter(recipientPrivateKey));
    return jwe;
  }

  static JWSObject verified(String compactJws, JWK signerPublicKey) throws ParseException, JOSEException {
    JWSObject jws = JWSObject.parse(compactJws);
    if (!jws.verify(verifier(signerPublicKey))) {
      throw new AssertionError("the signature does not verify with " + signerPublicKey.getKeyID());
    }
    return jws;
  }

  private static JWEDecrypter decrypter(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDHDecrypter(ec) : new X25519Decrypter((OctetKeyPair) key);
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new Ed25519Verifier((OctetKeyPair) key);
  }
}
