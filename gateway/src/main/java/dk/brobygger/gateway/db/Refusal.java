package dk.brobygger.gateway.db;

/**
 * A store's domain outcome for a request that the stored state does not allow: the caller's fault,
 * never ours. Each domain names its own ({@code ConsentRefusal.StaleVersion},
 * {@code MessageRefusal.MessageIdReused}, ...) and knows nothing of HTTP; {@code http/DomainOutcomes}
 * maps every one to a status and an OperationOutcome. Thrown, so that the transaction rolls back.
 */
public abstract class Refusal extends RuntimeException {

  protected Refusal(String diagnostics) {
    super(diagnostics, null, false, false);
  }

  /** What the caller is told: which rule the request broke, naming nothing the caller may not see. */
  public String diagnostics() {
    return getMessage();
  }
}
