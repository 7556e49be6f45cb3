package dk.brobygger.auditproof.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Ed25519 public key as signed notes name it: key name, signature type (0x01 for a note
 * signature, 0x04 for a witness cosignature), key ID {@code SHA-256(name || 0x0A || type || key)[:4]},
 * written as {@code <name>+<key ID as 8 hex digits>+<base64(type || key)>}. The one place that reads,
 * writes and verifies with such a key; {@link NoteVerifier} and the witness's cosignature verifier
 * differ only in the type and in what they sign. Immutable and thread-safe.
 */
public final class VerifierKey {

  private final String name;
  private final byte type;
  private final int keyId;
  private final byte[] publicKeyBytes;
  private final PublicKey publicKey;

  private VerifierKey(String name, byte type, byte[] publicKey) {
    this.name = NoteSignature.requireKeyName(name);
    this.type = type;
    this.publicKeyBytes = publicKey.clone();
    this.publicKey = Ed25519.publicKey(publicKey);
    this.keyId = Ed25519.keyId(name, type, publicKey);
  }

  /** The key named {@code name} of this signature type, with this raw 32-byte Ed25519 public key. */
  public static VerifierKey of(String name, byte type, byte[] publicKey) {
    return new VerifierKey(name, type, publicKey);
  }

  /**
   * Reads {@code name+hash+base64(type || key)}, checking the type and that the hash matches.
   *
   * @param what how error messages name the key, e.g. "a note verifier key"
   */
  public static VerifierKey parse(String verifierKey, byte type, String what) {
    // name and hash hold no "+", the base64 key may
    String[] parts = Objects.requireNonNull(verifierKey, "verifierKey").trim().split("\\+", 3);
    String shape = what + " is <name>+<8 hex digits>+<base64 key>";
    if (parts.length != 3 || parts[1].length() != 8) {
      throw new InvalidNote(shape);
    }
    byte[] key;
    int claimedId;
    try {
      key = Base64.getDecoder().decode(parts[2]);
      claimedId = (int) Long.parseLong(parts[1], 16);
    } catch (IllegalArgumentException e) {
      throw new InvalidNote(shape, e);
    }
    if (key.length != 1 + Ed25519.KEY_SIZE || key[0] != type) {
      throw new InvalidNote("only Ed25519 keys of type 0x" + HexFormat.of().toHexDigits(type)
          + " (32 bytes) are supported for " + what);
    }
    VerifierKey parsed = new VerifierKey(parts[0], type, Arrays.copyOfRange(key, 1, key.length));
    if (parsed.keyId != claimedId) {
      throw new InvalidNote(what + "'s hash does not match its name and key");
    }
    return parsed;
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return keyId;
  }

  /** The verifier key line (no newline). */
  public String text() {
    byte[] typed = new byte[1 + Ed25519.KEY_SIZE];
    typed[0] = type;
    System.arraycopy(publicKeyBytes, 0, typed, 1, Ed25519.KEY_SIZE);
    return name + "+" + HexFormat.of().toHexDigits(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /** Whether a signature line names this key (both name and key ID). */
  public boolean names(NoteSignature signature) {
    return signature.keyName().equals(name) && signature.keyId() == keyId;
  }

  /** Whether {@code signature} is this key's valid Ed25519 signature of {@code message} (UTF-8). */
  public boolean verifies(String message, byte[] signature) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(publicKey);
      ed25519.update(message.getBytes(StandardCharsets.UTF_8));
      return ed25519.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return text();
  }
}
