package dk.brobygger.auditproof;

import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.auditproof.note.NoteVerifier;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier trusts to have signed the log's checkpoints: the log's Ed25519 note key (C2SP
 * checkpoints) and, for checkpoints issued before those, its JWK set (JWS checkpoints). A checkpoint
 * of a form for which no key is given is refused.
 */
public record TrustedLogKeys(Optional<NoteVerifier> noteKey, Optional<JWKSet> jwks) {

  public TrustedLogKeys {
    Objects.requireNonNull(noteKey, "noteKey");
    Objects.requireNonNull(jwks, "jwks");
    if (noteKey.isEmpty() && jwks.isEmpty()) {
      throw new IllegalArgumentException("a verifier needs the log's note key or its JWK set");
    }
  }

  public static TrustedLogKeys of(NoteVerifier noteKey) {
    return new TrustedLogKeys(Optional.of(noteKey), Optional.empty());
  }

  public static TrustedLogKeys of(JWKSet jwks) {
    return new TrustedLogKeys(Optional.empty(), Optional.of(jwks));
  }

  /**
   * The checkpoint in {@code signed}, a signed note or a compact JWS.
   *
   * @throws InvalidCheckpoint when it does not verify, or no trusted key is of its form
   */
  public Checkpoint verify(String signed) {
    if (signed == null || signed.isBlank()) {
      throw new InvalidCheckpoint("checkpoint is missing");
    }
    if (CheckpointNote.isNote(signed)) {
      NoteVerifier key = noteKey.orElseThrow(() -> new InvalidCheckpoint(
          "the checkpoint is a signed note, but no note key of the log was given"));
      return CheckpointNote.verify(signed, key);
    }
    JWKSet keys = jwks.orElseThrow(() -> new InvalidCheckpoint(
        "the checkpoint is a JWS, but no JWK set of the log was given"));
    return new CheckpointVerifier(keys).verify(signed);
  }
}
