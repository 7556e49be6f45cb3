package dk.brobygger.auditproof.note;

import java.util.HexFormat;
import java.util.List;

/**
 * One trusted Ed25519 note key (signature type 0x01): its name, key ID and public key. Written and
 * read as a verifier key, {@code <name>+<key ID as 8 hex digits>+<base64(0x01 || public key)>}, the
 * form Go's golang.org/x/mod/sumdb/note reads. Stateless and thread-safe.
 */
public final class NoteVerifier {

  private final VerifierKey key;

  private NoteVerifier(VerifierKey key) {
    this.key = key;
  }

  /** The key named {@code name} with this raw 32-byte Ed25519 public key. */
  public static NoteVerifier of(String name, byte[] publicKey) {
    return new NoteVerifier(VerifierKey.of(name, Ed25519.SIGNATURE_TYPE, publicKey));
  }

  /** Reads a verifier key {@code name+hash+base64(0x01 || key)}, checking that the hash matches. */
  public static NoteVerifier parse(String verifierKey) {
    return new NoteVerifier(VerifierKey.parse(verifierKey, Ed25519.SIGNATURE_TYPE, "a note verifier key"));
  }

  public String name() {
    return key.name();
  }

  public int keyId() {
    return key.keyId();
  }

  /** The verifier key line (no newline). */
  public String verifierKey() {
    return key.text();
  }

  /** Whether a signature line names this key (both name and key ID). */
  public boolean names(NoteSignature signature) {
    return key.names(signature);
  }

  /** Whether {@code signature} is this key's valid signature of {@code text}. */
  public boolean verifies(String text, byte[] signature) {
    return key.verifies(text, signature);
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
      throw new InvalidNote("the note carries no signature of key " + name() + " (" + HexFormat.of().toHexDigits(keyId()) + ")");
    }
    for (NoteSignature signature : mine) {
      if (!verifies(note.text(), signature.signature())) {
        throw new InvalidNote("the signature of key " + name() + " does not verify: the note was changed or forged");
      }
    }
  }

  @Override
  public String toString() {
    return verifierKey();
  }
}
