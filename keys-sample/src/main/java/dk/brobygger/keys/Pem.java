package dk.brobygger.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM text for certificates and unencrypted PKCS#8 private keys, the forms Vert.x and OpenSSL load. */
public final class Pem {

  private Pem() {}

  public static String encode(X509Certificate certificate) {
    return write(certificate);
  }

  /** "-----BEGIN PRIVATE KEY-----": PKCS#8, not the legacy "EC PRIVATE KEY" form. */
  public static String encode(PrivateKey privateKey) {
    try {
      return write(new JcaPKCS8Generator(privateKey, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalArgumentException("Cannot encode this private key as PKCS#8", e);
    }
  }

  /** Every certificate in the stream, in order (a chain file holds several). */
  public static List<X509Certificate> readCertificates(InputStream pem) {
    try {
      return CertificateFactory.getInstance("X.509").generateCertificates(pem).stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (CertificateException e) {
      throw new IllegalArgumentException("Not a PEM certificate", e);
    }
  }

  /** The one PKCS#8 private key in the stream, as a key of the JDK's own provider. */
  public static PrivateKey readPrivateKey(InputStream pem) {
    try (PEMParser parser = new PEMParser(new InputStreamReader(pem, StandardCharsets.US_ASCII))) {
      Object parsed = parser.readObject();
      if (!(parsed instanceof PrivateKeyInfo keyInfo)) {
        throw new IllegalArgumentException("Not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
      }
      return new JcaPEMKeyConverter().getPrivateKey(keyInfo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      // a StringWriter does not fail; an unencodable object does
      throw new IllegalArgumentException("Cannot encode as PEM: " + object.getClass().getName(), e);
    }
    return text.toString();
  }
}
