package dk.brobygger.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority (EC P-256) that issues the sample TLS certificates. Its private
 * key lives only in memory while one set is generated and is never written out, so a sample set
 * cannot be extended with more certificates; a new party means a new set.
 */
final class InsecureSampleCa {

  static final String CA_COMMON_NAME = "Brobygger INSECURE Sample CA";
  static final String ORGANISATION = "Brobygger sample";

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final IssuedCertificate self;
  private final Validity validity;
  private final SecureRandom random;

  private InsecureSampleCa(IssuedCertificate self, Validity validity, SecureRandom random) {
    this.self = self;
    this.validity = validity;
    this.random = random;
  }

  /** A new self-signed CA; the leaves it issues share its validity. */
  static InsecureSampleCa create(Validity validity, SecureRandom random) {
    Objects.requireNonNull(validity, "validity");
    KeyPair keyPair = newP256KeyPair(random);
    X500Name name = name(CA_COMMON_NAME);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(name, name, keyPair.getPublic(), validity, random)
          // pathLen 0: this CA issues leaves only, never another CA
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
      X509Certificate certificate = sign(builder, keyPair);
      return new InsecureSampleCa(new IssuedCertificate(certificate, keyPair), validity, random);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("Could not create the sample CA", e);
    }
  }

  X509Certificate certificate() {
    return self.certificate();
  }

  /** A TLS server certificate for this machine: localhost over IPv4 and IPv6. */
  IssuedCertificate issueTlsServer() {
    GeneralNames localhost = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.iPAddress, "::1")
    });
    return issueLeaf("localhost", KeyPurposeId.id_kp_serverAuth, localhost);
  }

  /** A TLS client certificate whose CN is the party's directory id. */
  IssuedCertificate issueTlsClient(String partyId) {
    return issueLeaf(partyId, KeyPurposeId.id_kp_clientAuth, null);
  }

  private IssuedCertificate issueLeaf(String commonName, KeyPurposeId purpose, GeneralNames altNames) {
    KeyPair keyPair = newP256KeyPair(random);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          builder(name(CA_COMMON_NAME), name(commonName), keyPair.getPublic(), validity, random)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(Extension.subjectKeyIdentifier, false,
                  extensions.createSubjectKeyIdentifier(keyPair.getPublic()))
              .addExtension(Extension.authorityKeyIdentifier, false,
                  extensions.createAuthorityKeyIdentifier(self.keyPair().getPublic()));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      return new IssuedCertificate(sign(builder, self.keyPair()), keyPair);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("Could not issue a sample certificate for " + commonName, e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, commonName)
        .addRDN(BCStyle.O, ORGANISATION)
        .build();
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key, Validity validity, SecureRandom random) {
    // Random positive serials of 159 bits: unique across regenerations without keeping state.
    BigInteger serial = new BigInteger(159, random).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(issuer, serial,
        Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      // the JDK's providers: a generator needs no speed, and the gateway keeps its one BC provider
      ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer.getPrivate());
      // Converted with the JDK's default provider: callers get plain JDK certificates.
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  static KeyPair newP256KeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not generate an EC P-256 key pair", e);
    }
  }
}
