package dk.brobygger.keys;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.List;

/**
 * The committed sample trust set, shipped in this jar under {@code dk/brobygger/keys/insecure-sample/}.
 * Its private keys are public: they are in the source repository. It lets the gateway, its demo
 * recipients and every test run with TLS, signatures and encryption switched on and nothing to set
 * up. The layout is {@link TrustSetLayout}'s; {@link InsecureSampleTrustSet} made it.
 */
public final class InsecureSampleKeys {

  private static final String RESOURCE_DIR = "insecure-sample/";

  private InsecureSampleKeys() {}

  /** Opens one file of the set; the caller closes the stream. */
  public static InputStream open(String fileName) {
    if (!fileNames().contains(fileName)) {
      throw new IllegalArgumentException("Not a file of the sample trust set: " + fileName);
    }
    return resource(fileName);
  }

  /** Every file of the set, the manifest included. */
  public static List<String> fileNames() {
    return Manifest.INSTANCE.fileNames();
  }

  public static TrustSetManifest manifest() {
    return Manifest.INSTANCE;
  }

  /**
   * Materialises the set in {@code dir} (created if needed), e.g. for loaders that want file paths.
   * Files of the same name are replaced; files holding private keys are made owner-only.
   */
  public static void copyTo(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String name : fileNames()) {
        boolean secret = manifest().file(name).map(file -> file.kind().isSecret()).orElse(false);
        try (InputStream in = resource(name)) {
          TrustSetFiles.write(dir, name, in.readAllBytes(), secret);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static X509Certificate caCertificate() {
    return certificate(TrustSetLayout.CA_CERTIFICATE);
  }

  public static X509Certificate serverCertificate() {
    return certificate(TrustSetLayout.SERVER_CERTIFICATE);
  }

  public static X509Certificate clientCertificate(SampleParty party) {
    return certificate(TrustSetLayout.clientCertificate(party.id()));
  }

  /** The TLS server key and chain [server, CA]; password {@link TrustSetLayout#INSECURE_KEYSTORE_PASSWORD}. */
  public static KeyStore serverKeyStore() {
    try (InputStream in = open(TrustSetLayout.SERVER_KEYSTORE)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, TrustSetLayout.INSECURE_KEYSTORE_PASSWORD.toCharArray());
      return keyStore;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("The committed sample keystore does not load", e);
    }
  }

  /** The gateway's signing keys with their private parts: ES256 and EdDSA (Ed25519). */
  public static JWKSet gatewaySigningKeys() {
    return jwks(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS);
  }

  /** What recipients verify the gateway's signatures with. */
  public static JWKSet gatewaySigningPublicKeys() {
    return jwks(TrustSetLayout.GATEWAY_SIGNING_PUBLIC_JWKS);
  }

  /** The audit log's checkpoint key (Ed25519), private part included. */
  public static JWKSet auditCheckpointKeys() {
    return jwks(TrustSetLayout.AUDIT_CHECKPOINT_PRIVATE_JWKS);
  }

  /** The key a party signs its client-authentication JWTs with (ES256), private part included. */
  public static JWKSet clientAuthKeys(SampleParty party) {
    return jwks(TrustSetLayout.clientAuthPrivateJwks(party.id()));
  }

  /** What the gateway verifies a party's client-authentication JWTs with. */
  public static JWKSet clientAuthPublicKeys(SampleParty party) {
    return jwks(TrustSetLayout.clientAuthPublicJwks(party.id()));
  }

  /** A recipient's decryption keys (P-256 and X25519), private parts included. */
  public static JWKSet encryptionKeys(SampleParty recipient) {
    return jwks(TrustSetLayout.encryptionPrivateJwks(requireRecipient(recipient).id()));
  }

  /** What the gateway seals referrals for this recipient with. */
  public static JWKSet encryptionPublicKeys(SampleParty recipient) {
    return jwks(TrustSetLayout.encryptionPublicJwks(requireRecipient(recipient).id()));
  }

  private static SampleParty requireRecipient(SampleParty party) {
    if (!party.isRecipient()) {
      throw new IllegalArgumentException(party.id() + " receives no sealed data and has no encryption keys");
    }
    return party;
  }

  private static X509Certificate certificate(String fileName) {
    try (InputStream in = open(fileName)) {
      return Pem.readCertificates(in).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JWKSet jwks(String fileName) {
    try (InputStream in = open(fileName)) {
      return JWKSet.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new IllegalStateException("The committed " + fileName + " is not a JWK set", e);
    }
  }

  private static InputStream resource(String fileName) {
    InputStream in = InsecureSampleKeys.class.getResourceAsStream(RESOURCE_DIR + fileName);
    if (in == null) {
      // The manifest names it but the jar lacks it: a broken build, not a caller's mistake.
      throw new IllegalStateException("The sample trust set in this jar lacks " + fileName);
    }
    return in;
  }

  /** Read once, on first use: the class path does not change while the JVM runs. */
  private static final class Manifest {
    static final TrustSetManifest INSTANCE = load();

    private static TrustSetManifest load() {
      try (InputStream in = resource(TrustSetLayout.MANIFEST)) {
        return TrustSetManifest.read(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
