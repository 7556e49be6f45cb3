package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.X25519Decrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dk.brobygger.fhir.Rejected;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The recipient's side of {@link JoseSealing}, for sample recipients only: the simulated recipient
 * systems of demo mode and the tests open what the gateway sent with it (decrypt with the
 * recipient's private keys, verify the gateway's signature, return the payload). The gateway's own
 * flow never uses it; a real recipient system does the same with its own JOSE library.
 *
 * <p>Only the algorithms the gateway uses are accepted, so a sender cannot pick a weaker one. Every
 * refusal is a {@link Rejected}: the sender's fault, from the recipient's point of view.
 */
public final class SampleRecipientOpener {

  private static final Set<JWSAlgorithm> SIGNATURE_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);

  private final JWKSet decryptionKeys;
  private final JWKSet senderKeys;

  /**
   * @param decryptionKeys the recipient's private encryption keys (may be empty for a recipient that
   *     only receives signed data)
   * @param senderKeys the gateway's public signing keys
   */
  public SampleRecipientOpener(JWKSet decryptionKeys, JWKSet senderKeys) {
    this.decryptionKeys = Objects.requireNonNull(decryptionKeys, "decryptionKeys");
    this.senderKeys = Objects.requireNonNull(senderKeys, "senderKeys").toPublicJWKSet();
  }

  /** Opens a compact JWE (signed, then encrypted) or a compact JWS (signed only). */
  public OpenedMessage open(byte[] body) {
    JOSEObject sealed = parse(new String(body, StandardCharsets.US_ASCII));
    if (sealed instanceof JWEObject jwe) {
      String kid = decrypt(jwe);
      if (!RecipientEncrypter.NESTED_CONTENT_TYPE.equals(jwe.getHeader().getContentType())) {
        throw rejected("the encrypted content is not a signed JOSE object (cty is not JWT)");
      }
      return verify(parse(jwe.getPayload().toString()), Optional.of(kid));
    }
    return verify(sealed, Optional.empty());
  }

  private String decrypt(JWEObject jwe) {
    JWEHeader header = jwe.getHeader();
    if (!CompactJwe.ALGORITHM.equals(header.getAlgorithm()) || !CompactJwe.ENCRYPTION.equals(header.getEncryptionMethod())) {
      throw rejected("encryption " + header.getAlgorithm() + "/" + header.getEncryptionMethod() + " is not accepted");
    }
    String kid = header.getKeyID();
    JWK key = kid == null ? null : decryptionKeys.getKeyByKeyId(kid);
    if (key == null) {
      throw rejected("not encrypted to a key of this recipient");
    }
    try {
      jwe.decrypt(decrypterFor(key));
    } catch (JOSEException | IllegalStateException e) {
      throw rejected("the encrypted message does not decrypt");
    }
    return kid;
  }

  private static JWEDecrypter decrypterFor(JWK key) throws JOSEException {
    if (key instanceof ECKey ec) {
      ECDHDecrypter decrypter = new ECDHDecrypter(ec);
      decrypter.getJCAContext().setKeyEncryptionProvider(BouncyCastle.PROVIDER);
      return decrypter;
    }
    if (key instanceof OctetKeyPair okp) {
      return new X25519Decrypter(okp);
    }
    throw new JOSEException("no decrypter for key type " + key.getKeyType());
  }

  private OpenedMessage verify(JOSEObject signed, Optional<String> encryptionKeyId) {
    if (!(signed instanceof JWSObject jws)) {
      throw rejected("the message is not signed");
    }
    JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
    if (!SIGNATURE_ALGORITHMS.contains(algorithm)) {
      throw rejected("signature algorithm " + algorithm + " is not accepted");
    }
    String kid = jws.getHeader().getKeyID();
    JWK key = kid == null ? null : senderKeys.getKeyByKeyId(kid);
    if (key == null) {
      throw rejected("signed with a key the recipient does not know");
    }
    boolean valid;
    try {
      valid = jws.verify(verifierFor(key, algorithm));
    } catch (JOSEException | IllegalStateException e) {
      valid = false;
    }
    if (!valid) {
      throw rejected("the signature does not verify");
    }
    return new OpenedMessage(jws.getPayload().toBytes(), kid, encryptionKeyId);
  }

  private static JWSVerifier verifierFor(JWK key, JWSAlgorithm algorithm) throws JOSEException {
    if (algorithm.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec) {
      ECDSAVerifier verifier = new ECDSAVerifier(ec);
      verifier.getJCAContext().setProvider(BouncyCastle.PROVIDER);
      return verifier;
    }
    if (algorithm.equals(JWSAlgorithm.EdDSA) && key instanceof OctetKeyPair okp) {
      return new Ed25519Verifier(okp);
    }
    throw new JOSEException("key " + key.getKeyID() + " does not fit " + algorithm);
  }

  private static JOSEObject parse(String compact) {
    try {
      return JOSEObject.parse(compact);
    } catch (ParseException e) {
      throw new Rejected(Rejected.Kind.MALFORMED, "Sealed message rejected: not a compact JWS or JWE");
    }
  }

  private static Rejected rejected(String reason) {
    return new Rejected(Rejected.Kind.UNAUTHENTICATED, "Sealed message rejected: " + reason);
  }
}
