package dk.brobygger.keys;

import java.util.regex.Pattern;

/**
 * File names inside a trust set directory. The generator writes them, {@link InsecureSampleKeys}
 * reads them from the class path, and the gateway finds them in a directory made by
 * {@code keys generate --out DIR}: one layout for all three.
 */
public final class TrustSetLayout {

  public static final String README = "README.md";
  public static final String MANIFEST = "manifest.json";

  public static final String CA_CERTIFICATE = "ca.cert.pem";
  /** The TLS server certificate alone (no chain: the CA issues it directly). */
  public static final String SERVER_CERTIFICATE = "server.cert.pem";
  /** The TLS server key, PKCS#8 PEM, unencrypted. */
  public static final String SERVER_PRIVATE_KEY = "server.key.pem";
  /** The TLS server key with its chain [server, CA] as PKCS#12, for loaders that prefer a keystore. */
  public static final String SERVER_KEYSTORE = "server.p12";
  public static final String SERVER_KEYSTORE_ALIAS = "server";
  /** Password of {@link #SERVER_KEYSTORE}; published, like everything a generated set holds. */
  public static final String INSECURE_KEYSTORE_PASSWORD = "insecure-sample";

  public static final String GATEWAY_SIGNING_PRIVATE_JWKS = "gateway-signing.private.jwks.json";
  public static final String GATEWAY_SIGNING_PUBLIC_JWKS = "gateway-signing.public.jwks.json";

  /**
   * The audit log's checkpoint key (Ed25519), used for nothing else: checkpoints are C2SP signed notes
   * under the log's origin as key name, which verifiers pin separately from the JWS keys.
   */
  public static final String AUDIT_CHECKPOINT_PRIVATE_JWKS = "audit-checkpoint.private.jwks.json";
  public static final String AUDIT_CHECKPOINT_PUBLIC_JWKS = "audit-checkpoint.public.jwks.json";

  // Party ids become file names; keep them to a set that is safe on every file system and in URLs.
  private static final Pattern PARTY_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private TrustSetLayout() {}

  /** The party's TLS client certificate (EKU clientAuth, CN = party id). */
  public static String clientCertificate(String partyId) {
    return checked(partyId) + ".client.cert.pem";
  }

  /** The party's TLS client key, PKCS#8 PEM. */
  public static String clientPrivateKey(String partyId) {
    return checked(partyId) + ".client.key.pem";
  }

  /** The key the party signs its client-authentication JWTs with (ES256). */
  public static String clientAuthPrivateJwks(String partyId) {
    return checked(partyId) + ".client-auth.private.jwks.json";
  }

  public static String clientAuthPublicJwks(String partyId) {
    return checked(partyId) + ".client-auth.public.jwks.json";
  }

  /** The keys a recipient decrypts sealed referrals with (P-256 and X25519, ECDH-ES+A256KW). */
  public static String encryptionPrivateJwks(String partyId) {
    return checked(partyId) + ".encryption.private.jwks.json";
  }

  public static String encryptionPublicJwks(String partyId) {
    return checked(partyId) + ".encryption.public.jwks.json";
  }

  private static String checked(String partyId) {
    if (partyId == null || !PARTY_ID.matcher(partyId).matches()) {
      throw new IllegalArgumentException(
          "Party id must be lower-case letters, digits and single hyphens: " + partyId);
    }
    return partyId;
  }
}
