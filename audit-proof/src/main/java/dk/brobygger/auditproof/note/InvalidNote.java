package dk.brobygger.auditproof.note;

/** A signed note that is malformed, or whose signatures do not verify. */
public final class InvalidNote extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidNote(String message) {
    super(message);
  }

  public InvalidNote(String message, Throwable cause) {
    super(message, cause);
  }
}
