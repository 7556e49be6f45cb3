package dk.brobygger.auditproof.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.List;

/**
 * Signs note texts with one Ed25519 key (signature type 0x01) under one key name. Uses the JDK's
 * Ed25519; thread-safe (a new {@link Signature} per call).
 */
public final class NoteSigner {

  private final PrivateKey privateKey;
  private final NoteVerifier verifier;

  /**
   * @param name the key name, for a log its origin
   * @param seed the raw 32-byte Ed25519 private key (RFC 8032), e.g. a JWK's {@code d}
   * @param publicKey the raw 32-byte public key belonging to it, e.g. a JWK's {@code x}
   */
  public NoteSigner(String name, byte[] seed, byte[] publicKey) {
    this.privateKey = Ed25519.privateKey(seed);
    this.verifier = NoteVerifier.of(name, publicKey);
    byte[] probe = signature("key check\n");
    if (!verifier.verifies("key check\n", probe)) {
      throw new IllegalArgumentException("the Ed25519 private and public keys given for " + name + " do not belong together");
    }
  }

  /** The public half, to give to whoever verifies. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /** The signature line of {@code text} by this key. */
  public NoteSignature signatureOf(String text) {
    SignedNote.requireText(text);
    return new NoteSignature(verifier.name(), verifier.keyId(), signature(text));
  }

  /** {@code text} as a note signed by this key alone. */
  public SignedNote sign(String text) {
    return new SignedNote(text, List.of(signatureOf(text)));
  }

  private byte[] signature(String text) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initSign(privateKey);
      ed25519.update(text.getBytes(StandardCharsets.UTF_8));
      return ed25519.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
