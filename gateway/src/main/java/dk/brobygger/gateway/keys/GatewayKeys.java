package dk.brobygger.gateway.keys;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.delivery.seal.MessageSigner;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.Pem;
import dk.brobygger.keys.TrustSetLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's one key handle (Tink's {@code KeysetHandle} as the model): it loads the gateway's
 * own key material once and hands each purpose its key, with the algorithm the key carries, never
 * the private key set itself:
 *
 * <ul>
 *   <li>message signing: {@link #messageSigner()}, ES256 or EdDSA as {@code keys.algorithm} says;
 *   <li>access-token signing: {@link #accessTokenKey()}, ES256;
 *   <li>audit checkpoints: {@link #checkpointJwsKey()} (ES256, the JWS form older verifiers know) and
 *       {@link #checkpointNoteSigner(String)} (Ed25519, C2SP signed notes, a key used for nothing else);
 *   <li>TLS: {@link #serverCertificatePem()}, {@link #serverKeyPem()} and the client CA.
 * </ul>
 *
 * The P-256 key's signer is made once and shared by messages and tokens. Loaded from a directory in
 * the layout {@code keys generate} writes; without one, the insecure sample set from the class
 * path, which only demo and development mode may use.
 */
public final class GatewayKeys {

  /**
   * What a key set holds, as read.
   *
   * @param signingKeys private signing keys (a P-256 and an Ed25519 key), never served
   * @param checkpointKey the audit log's private Ed25519 checkpoint key, used for nothing else
   * @param serverCertificatePem the TLS server certificate chain, PEM
   * @param serverKeyPem the TLS server private key, PKCS#8 PEM
   * @param clientCertificateAuthority the CA that client certificates must chain to
   * @param insecureSample whether these are the public sample keys
   */
  private record KeySet(
      JWKSet signingKeys,
      OctetKeyPair checkpointKey,
      byte[] serverCertificatePem,
      byte[] serverKeyPem,
      X509Certificate clientCertificateAuthority,
      boolean insecureSample) {

    KeySet {
      Objects.requireNonNull(signingKeys, "signingKeys");
      if (checkpointKey == null || !checkpointKey.isPrivate() || !Curve.Ed25519.equals(checkpointKey.getCurve())) {
        throw new ConfigurationError("the audit checkpoint key must be a private Ed25519 key");
      }
      Objects.requireNonNull(serverCertificatePem, "serverCertificatePem");
      Objects.requireNonNull(serverKeyPem, "serverKeyPem");
      Objects.requireNonNull(clientCertificateAuthority, "clientCertificateAuthority");
    }
  }

  private final KeySet keys;
  private final ECKey p256Key;
  private final SigningKey p256;
  private final MessageSigner messageSigner;

  private GatewayKeys(KeySet keys, SealingSuite suite) {
    this.keys = keys;
    this.p256Key = (ECKey) signingKey(keys.signingKeys(), SealingSuite.P256);
    this.p256 = signer(p256Key);
    this.messageSigner = MessageSigner.of(suite == SealingSuite.P256 ? p256 : signer(signingKey(keys.signingKeys(), suite)));
  }

  /**
   * @param directory a trust set written by {@code keys generate}; empty = the insecure sample set
   * @param sampleAllowed whether demo or development mode allows the sample keys
   * @param suite how sealed messages are signed ({@code keys.algorithm})
   */
  public static GatewayKeys load(Optional<Path> directory, boolean sampleAllowed, SealingSuite suite) {
    KeySet keys = directory.map(GatewayKeys::fromDirectory).orElseGet(GatewayKeys::insecureSampleSet);
    if (keys.insecureSample() && !sampleAllowed) {
      throw new ConfigurationError(
          "refusing to start with the INSECURE sample keys outside demo or development mode: they are public. "
              + "Generate a key set with `java -jar brobygger-gateway.jar keys generate --out DIR` (or install keys "
              + "from your PKI in that layout) and start with --keys.dir DIR; for a demo, start with --demo.");
    }
    return new GatewayKeys(keys, suite);
  }

  /** What signs sealed messages: the key set's P-256 key (ES256) or its Ed25519 key (EdDSA). */
  public MessageSigner messageSigner() {
    return messageSigner;
  }

  /** What signs access tokens: the key set's P-256 key, ES256, whatever {@code keys.algorithm} says. */
  public SigningKey accessTokenKey() {
    return p256;
  }

  /** The key of the checkpoints' JWS form (ES256), which the audit log signs with. */
  public ECKey checkpointJwsKey() {
    return p256Key;
  }

  /** What signs the audit log's checkpoints as C2SP signed notes, under the log's origin. */
  public NoteSigner checkpointNoteSigner(String origin) {
    return new NoteSigner(origin, keys.checkpointKey().getDecodedD(), keys.checkpointKey().getDecodedX());
  }

  /** The public half of the signing keys, as published at /.well-known/jwks.json. */
  public JWKSet publicSigningKeys() {
    return keys.signingKeys().toPublicJWKSet();
  }

  /** The TLS server certificate chain, PEM. */
  public byte[] serverCertificatePem() {
    return keys.serverCertificatePem().clone();
  }

  /** The TLS server private key, PKCS#8 PEM. */
  public byte[] serverKeyPem() {
    return keys.serverKeyPem().clone();
  }

  /** The CA that client certificates must chain to. */
  public X509Certificate clientCertificateAuthority() {
    return keys.clientCertificateAuthority();
  }

  /** Whether these are the public sample keys. */
  public boolean insecureSample() {
    return keys.insecureSample();
  }

  private static JWK signingKey(JWKSet set, SealingSuite suite) {
    try {
      return suite.signingKey(set);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError("keys.algorithm " + suite.optionValue() + ": " + e.getMessage()
          + "; a key set from `keys generate` holds both kinds", e);
    }
  }

  private static SigningKey signer(JWK key) {
    try {
      return SigningKey.of(key);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError("the gateway signing key: " + e.getMessage(), e);
    }
  }

  private static KeySet insecureSampleSet() {
    return new KeySet(
        InsecureSampleKeys.gatewaySigningKeys(),
        checkpointKey(InsecureSampleKeys.auditCheckpointKeys(), "the sample " + TrustSetLayout.AUDIT_CHECKPOINT_PRIVATE_JWKS),
        read(InsecureSampleKeys.open(TrustSetLayout.SERVER_CERTIFICATE), "sample " + TrustSetLayout.SERVER_CERTIFICATE),
        read(InsecureSampleKeys.open(TrustSetLayout.SERVER_PRIVATE_KEY), "sample " + TrustSetLayout.SERVER_PRIVATE_KEY),
        InsecureSampleKeys.caCertificate(),
        true);
  }

  private static KeySet fromDirectory(Path directory) {
    JWKSet signing;
    Path signingFile = directory.resolve(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS);
    try {
      signing = JWKSet.parse(Files.readString(file(signingFile), StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      throw new ConfigurationError("cannot read the signing keys " + signingFile + ": " + e.getMessage(), e);
    }
    if (signing.getKeys().stream().noneMatch(JWK::isPrivate)) {
      throw new ConfigurationError(signingFile + " holds no private signing key");
    }
    Path checkpointFile = directory.resolve(TrustSetLayout.AUDIT_CHECKPOINT_PRIVATE_JWKS);
    JWKSet checkpoint;
    try {
      checkpoint = JWKSet.parse(Files.readString(file(checkpointFile), StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      throw new ConfigurationError("cannot read the audit checkpoint key " + checkpointFile + ": " + e.getMessage(), e);
    }
    byte[] caPem = read(directory.resolve(TrustSetLayout.CA_CERTIFICATE));
    List<X509Certificate> ca = Pem.readCertificates(new ByteArrayInputStream(caPem));
    if (ca.isEmpty()) {
      throw new ConfigurationError(directory.resolve(TrustSetLayout.CA_CERTIFICATE) + " holds no certificate");
    }
    // the sample CA's client certificates and keys are published: trusting it lets anyone in by a directory id
    boolean sample = sameKeys(signing, InsecureSampleKeys.gatewaySigningKeys())
        || ca.get(0).equals(InsecureSampleKeys.caCertificate());
    return new KeySet(
        signing,
        checkpointKey(checkpoint, checkpointFile.toString()),
        read(directory.resolve(TrustSetLayout.SERVER_CERTIFICATE)),
        read(directory.resolve(TrustSetLayout.SERVER_PRIVATE_KEY)),
        ca.get(0),
        sample);
  }

  private static OctetKeyPair checkpointKey(JWKSet set, String where) {
    return set.getKeys().stream()
        .filter(key -> key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve()) && key.isPrivate())
        .map(OctetKeyPair.class::cast)
        .findFirst()
        .orElseThrow(() -> new ConfigurationError(where + " holds no private Ed25519 key; a key set from an older "
            + "`keys generate` lacks it: generate a new set, or add an Ed25519 JWK there"));
  }

  /** A copy of the sample set on disk is still the sample set. */
  private static boolean sameKeys(JWKSet a, JWKSet b) {
    return a.getKeys().stream().anyMatch(key -> b.getKeys().stream().anyMatch(other -> other.getKeyID() != null
        && other.getKeyID().equals(key.getKeyID())));
  }

  private static Path file(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigurationError("key file " + path + " is missing");
    }
    return path;
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(file(path));
    } catch (IOException e) {
      throw new ConfigurationError("cannot read key file " + path + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(InputStream in, String what) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ConfigurationError("cannot read " + what + ": " + e.getMessage(), e);
    }
  }
}
