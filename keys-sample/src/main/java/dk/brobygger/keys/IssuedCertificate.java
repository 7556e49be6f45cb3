package dk.brobygger.keys;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate together with the key pair it certifies. */
record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {

  IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(keyPair, "keyPair");
  }
}
