package dk.brobygger.auditproof.witness;

import dk.brobygger.auditproof.note.Ed25519;
import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteSignature;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One witness's public cosigning key: name, key ID ({@code SHA-256(name || 0x0A || 0x04 || key)[:4]})
 * and Ed25519 public key; read from and written as a verifier key {@code name+id+base64(0x04 || key)}.
 */
public final class CosignatureVerifier {

  private final String name;
  private final int keyId;
  private final byte[] publicKeyBytes;
  private final PublicKey publicKey;

  private CosignatureVerifier(String name, byte[] publicKey) {
    this.name = NoteSignature.requireKeyName(name);
    this.publicKeyBytes = publicKey.clone();
    this.publicKey = Ed25519.publicKey(publicKey);
    this.keyId = Ed25519.keyId(name, Ed25519.COSIGNATURE_TYPE, publicKey);
  }

  public static CosignatureVerifier of(String name, byte[] publicKey) {
    return new CosignatureVerifier(name, publicKey);
  }

  /** Reads {@code name+<8 hex>+base64(0x04 || 32-byte key)}, checking the key ID. */
  public static CosignatureVerifier parse(String verifierKey) {
    String[] parts = Objects.requireNonNull(verifierKey, "verifierKey").trim().split("\\+", 3);
    if (parts.length != 3 || parts[1].length() != 8) {
      throw new InvalidNote("a witness verifier key is <name>+<8 hex digits>+<base64 key>");
    }
    byte[] key;
    int claimedId;
    try {
      key = Base64.getDecoder().decode(parts[2]);
      claimedId = (int) Long.parseLong(parts[1], 16);
    } catch (IllegalArgumentException e) {
      throw new InvalidNote("a witness verifier key is <name>+<8 hex digits>+<base64 key>", e);
    }
    if (key.length != 1 + Ed25519.KEY_SIZE || key[0] != Ed25519.COSIGNATURE_TYPE) {
      throw new InvalidNote("only Ed25519 cosignature keys (type 0x04, 32 bytes) are supported");
    }
    CosignatureVerifier verifier = new CosignatureVerifier(parts[0], Arrays.copyOfRange(key, 1, key.length));
    if (verifier.keyId != claimedId) {
      throw new InvalidNote("the witness verifier key's hash does not match its name and key");
    }
    return verifier;
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return keyId;
  }

  public String verifierKey() {
    byte[] typed = new byte[1 + Ed25519.KEY_SIZE];
    typed[0] = Ed25519.COSIGNATURE_TYPE;
    System.arraycopy(publicKeyBytes, 0, typed, 1, Ed25519.KEY_SIZE);
    return name + "+" + HexFormat.of().toHexDigits(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  public boolean names(NoteSignature signature) {
    return signature.keyName().equals(name) && signature.keyId() == keyId;
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
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(publicKey);
      ed25519.update(signedMessage(checkpointText, timestamp).getBytes(StandardCharsets.UTF_8));
      return ed25519.verify(Arrays.copyOfRange(bytes, 8, bytes.length)) ? OptionalLong.of(timestamp) : OptionalLong.empty();
    } catch (GeneralSecurityException e) {
      return OptionalLong.empty();
    }
  }

  static String signedMessage(String checkpointText, long timestamp) {
    return "cosignature/v1\ntime " + timestamp + "\n" + checkpointText;
  }

  @Override
  public String toString() {
    return verifierKey();
  }
}
