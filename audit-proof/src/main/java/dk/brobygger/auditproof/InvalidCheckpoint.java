package dk.brobygger.auditproof;

/**
 * A checkpoint was refused: not a compact JWS, an algorithm other than ES256 (including "none"), a key
 * id not in the trusted key set, a signature that does not verify, or a payload that is not a
 * well-formed checkpoint. Unchecked; {@link CheckpointVerifier} returns only checkpoints it verified.
 */
public final class InvalidCheckpoint extends RuntimeException {

  public InvalidCheckpoint(String message) {
    super(message, null, false, false);
  }

  public InvalidCheckpoint(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
