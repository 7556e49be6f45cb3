package dk.brobygger.auditproof.witness;

import dk.brobygger.auditproof.note.Ed25519;
import dk.brobygger.auditproof.note.NoteSignature;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * A witness's Ed25519 cosigning key (c2sp.org/tlog-cosignature, signature type 0x04): signs
 * {@code "cosignature/v1\ntime <t>\n" || checkpoint text} and writes the signature as
 * {@code timestamp (u64, big-endian) || Ed25519 signature}.
 */
public final class Cosigner {

  private final PrivateKey privateKey;
  private final CosignatureVerifier verifier;

  public Cosigner(String name, byte[] seed, byte[] publicKey) {
    this.privateKey = Ed25519.privateKey(seed);
    this.verifier = CosignatureVerifier.of(name, publicKey);
    NoteSignature probe = cosign("key.check\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 1);
    if (verifier.timestamp("key.check\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", probe).isEmpty()) {
      throw new IllegalArgumentException("the Ed25519 private and public keys given for " + name + " do not belong together");
    }
  }

  public CosignatureVerifier verifier() {
    return verifier;
  }

  /** The cosignature line over a checkpoint's note text at POSIX time {@code timestamp}. */
  public NoteSignature cosign(String checkpointText, long timestamp) {
    if (timestamp < 0) {
      throw new IllegalArgumentException("a cosignature timestamp is not negative");
    }
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initSign(privateKey);
      ed25519.update(CosignatureVerifier.signedMessage(checkpointText, timestamp).getBytes(StandardCharsets.UTF_8));
      byte[] signature = ByteBuffer.allocate(8 + 64).putLong(timestamp).put(ed25519.sign()).array();
      return new NoteSignature(verifier.name(), verifier.keyId(), signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
