package dk.brobygger.fhir;

/**
 * Our fault (5xx): storage, key material or audit log unavailable, or a bug. The caller is told
 * only that processing failed; the cause stays in our logs.
 */
public final class Failed extends RuntimeException {

  /** Whether the caller may retry later with the same request (503) or not (500). */
  private final boolean transientFailure;

  public Failed(String diagnostics, Throwable cause, boolean transientFailure) {
    super(diagnostics, cause);
    this.transientFailure = transientFailure;
  }

  public Failed(String diagnostics, Throwable cause) {
    this(diagnostics, cause, true);
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
