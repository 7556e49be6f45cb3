package dk.brobygger.auditproof.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One trusted Ed25519 note key (signature type 0x01): its name, key ID and public key. Written and
 * read as a verifier key, {@code <name>+<key ID as 8 hex digits>+<base64(0x01 || public key)>}, the
 * form Go's golang.org/x/mod/sumdb/note reads. Stateless and thread-safe.
 */
public final class NoteVerifier {

  private final String name;
  private final int keyId;
  private final byte[] publicKeyBytes;
  private final PublicKey publicKey;

  private NoteVerifier(String name, byte[] publicKey) {
    this.name = NoteSignature.requireKeyName(name);
    this.publicKeyBytes = publicKey.clone();
    this.publicKey = Ed25519.publicKey(publicKey);
    this.keyId = Ed25519.keyId(name, Ed25519.SIGNATURE_TYPE, publicKey);
  }

  /** The key named {@code name} with this raw 32-byte Ed25519 public key. */
  public static NoteVerifier of(String name, byte[] publicKey) {
    return new NoteVerifier(name, publicKey);
  }

  /** Reads a verifier key {@code name+hash+base64(0x01 || key)}, checking that the hash matches. */
  public static NoteVerifier parse(String verifierKey) {
    // name and hash hold no "+", the base64 key may
    String[] parts = Objects.requireNonNull(verifierKey, "verifierKey").trim().split("\\+", 3);
    if (parts.length != 3 || parts[1].length() != 8) {
      throw new InvalidNote("a note verifier key is <name>+<8 hex digits>+<base64 key>");
    }
    byte[] key;
    int claimedId;
    try {
      key = Base64.getDecoder().decode(parts[2]);
      claimedId = (int) Long.parseLong(parts[1], 16);
    } catch (IllegalArgumentException e) {
      throw new InvalidNote("a note verifier key is <name>+<8 hex digits>+<base64 key>", e);
    }
    if (key.length != 1 + Ed25519.KEY_SIZE || key[0] != Ed25519.SIGNATURE_TYPE) {
      throw new InvalidNote("only Ed25519 note keys (type 0x01, 32 bytes) are supported");
    }
    NoteVerifier verifier = new NoteVerifier(parts[0], Arrays.copyOfRange(key, 1, key.length));
    if (verifier.keyId != claimedId) {
      throw new InvalidNote("the verifier key's hash does not match its name and key");
    }
    return verifier;
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return keyId;
  }

  /** The verifier key line (no newline). */
  public String verifierKey() {
    byte[] typed = new byte[1 + Ed25519.KEY_SIZE];
    typed[0] = Ed25519.SIGNATURE_TYPE;
    System.arraycopy(publicKeyBytes, 0, typed, 1, Ed25519.KEY_SIZE);
    return name + "+" + HexFormat.of().toHexDigits(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /** Whether a signature line names this key (both name and key ID). */
  public boolean names(NoteSignature signature) {
    return signature.keyName().equals(name) && signature.keyId() == keyId;
  }

  /** Whether {@code signature} is this key's valid signature of {@code text}. */
  public boolean verifies(String text, byte[] signature) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(publicKey);
      ed25519.update(text.getBytes(StandardCharsets.UTF_8));
      return ed25519.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Checks {@code note} as the spec says: signatures of other keys are ignored; a signature that
   * names this key must verify, else the whole note is refused; and at least one must be there.
   *
   * @throws InvalidNote when this key did not sign the note, or its signature does not verify
   */
  public void requireSigned(SignedNote note) {
    List<NoteSignature> mine = note.signatures().stream().filter(this::names).toList();
    if (mine.isEmpty()) {
      throw new InvalidNote("the note carries no signature of key " + name + " (" + HexFormat.of().toHexDigits(keyId) + ")");
    }
    for (NoteSignature signature : mine) {
      if (!verifies(note.text(), signature.signature())) {
        throw new InvalidNote("the signature of key " + name + " does not verify: the note was changed or forged");
      }
    }
  }

  @Override
  public String toString() {
    return verifierKey();
  }
}
