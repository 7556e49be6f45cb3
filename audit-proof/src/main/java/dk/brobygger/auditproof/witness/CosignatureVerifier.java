package dk.brobygger.auditproof.witness;

import dk.brobygger.auditproof.note.Ed25519;
import dk.brobygger.auditproof.note.NoteSignature;
import dk.brobygger.auditproof.note.VerifierKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * One witness's public cosigning key: name, key ID ({@code SHA-256(name || 0x0A || 0x04 || key)[:4]})
 * and Ed25519 public key; read from and written as a verifier key {@code name+id+base64(0x04 || key)}.
 */
public final class CosignatureVerifier {

  private final VerifierKey key;

  private CosignatureVerifier(VerifierKey key) {
    this.key = key;
  }

  public static CosignatureVerifier of(String name, byte[] publicKey) {
    return new CosignatureVerifier(VerifierKey.of(name, Ed25519.COSIGNATURE_TYPE, publicKey));
  }

  /** Reads {@code name+<8 hex>+base64(0x04 || 32-byte key)}, checking the key ID. */
  public static CosignatureVerifier parse(String verifierKey) {
    return new CosignatureVerifier(VerifierKey.parse(verifierKey, Ed25519.COSIGNATURE_TYPE, "a witness verifier key"));
  }

  public String name() {
    return key.name();
  }

  public int keyId() {
    return key.keyId();
  }

  public String verifierKey() {
    return key.text();
  }

  public boolean names(NoteSignature signature) {
    return key.names(signature);
  }

  /** The cosignature's timestamp if it names this key and verifies over {@code checkpointText}. */
  public OptionalLong timestamp(String checkpointText, NoteSignature cosignature) {
    byte[] bytes = cosignature.signature();
    if (!names(cosignature) || bytes.length != 8 + 64) {
      return OptionalLong.empty();
    }
    long timestamp = ByteBuffer.wrap(bytes, 0, 8).getLong();
    if (timestamp < 0) {
      return OptionalLong.empty();
    }
    return key.verifies(signedMessage(checkpointText, timestamp), Arrays.copyOfRange(bytes, 8, bytes.length))
        ? OptionalLong.of(timestamp) : OptionalLong.empty();
  }

  static String signedMessage(String checkpointText, long timestamp) {
    return "cosignature/v1\ntime " + timestamp + "\n" + checkpointText;
  }

  @Override
  public String toString() {
    return verifierKey();
  }
}
