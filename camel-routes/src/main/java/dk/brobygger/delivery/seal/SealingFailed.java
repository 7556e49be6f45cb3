package dk.brobygger.delivery.seal;

/**
 * Our fault while sealing: the signing key or a recipient key is unusable, or the crypto provider
 * failed. Sealing fails closed: nothing half-sealed is ever returned, so nothing is sent.
 */
public final class SealingFailed extends RuntimeException {

  public SealingFailed(String diagnostics, Throwable cause) {
    super(diagnostics, cause);
  }

  public SealingFailed(String diagnostics) {
    super(diagnostics);
  }
}
