package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The production verifiers, counting how many signatures they are asked to check. */
final class CountingVerifiers implements JwsVerifiers {

  private final JwsVerifiers real = JwsVerifiers.bouncyCastle();
  private final AtomicInteger checks = new AtomicInteger();

  @Override
  public JWSVerifier create(JWSHeader header, JWK publicKey) throws JOSEException {
    JWSVerifier verifier = real.create(header, publicKey);
    return new JWSVerifier() {
      @Override
      public boolean verify(JWSHeader h, byte[] signingInput, Base64URL signature)
          throws JOSEException {
        checks.incrementAndGet();
        return verifier.verify(h, signingInput, signature);
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return verifier.supportedJWSAlgorithms();
      }

      @Override
      public JCAContext getJCAContext() {
        return verifier.getJCAContext();
      }
    };
  }

  int checks() {
    return checks.get();
  }
}
