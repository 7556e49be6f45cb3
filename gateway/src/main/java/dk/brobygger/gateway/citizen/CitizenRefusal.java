package dk.brobygger.gateway.citizen;

import dk.brobygger.gateway.db.Refusal;

/** What the citizen links refuse. */
public abstract sealed class CitizenRefusal extends Refusal {

  CitizenRefusal(String diagnostics) {
    super(diagnostics);
  }

  /** A link needs at least one identifier. */
  public static final class NoIdentifierGiven extends CitizenRefusal {
    NoIdentifierGiven() {
      super("Link rejected: no citizen identifier given");
    }
  }
}
