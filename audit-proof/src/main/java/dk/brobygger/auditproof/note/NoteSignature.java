package dk.brobygger.auditproof.note;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note: the key's name, its 32-bit key ID and the signature bytes.
 * The pair (name, key ID) identifies the key and its algorithm.
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {

  public NoteSignature {
    requireKeyName(keyName);
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** {@code — <name> base64(key ID || signature)}, without the newline. */
  public String line() {
    byte[] bytes = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
    return SignedNote.SIGNATURE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(bytes);
  }

  /** Key names are non-empty, without Unicode spaces or plus signs. */
  public static String requireKeyName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidNote("a note key name must not be empty");
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20) {
        throw new InvalidNote("a note key name must contain no spaces or plus signs: " + name);
      }
      i += Character.charCount(c);
    }
    return name;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteSignature that
        && keyName.equals(that.keyName) && keyId == that.keyId && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyName, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return line();
  }
}
