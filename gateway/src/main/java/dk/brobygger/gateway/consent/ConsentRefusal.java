package dk.brobygger.gateway.consent;

import dk.brobygger.gateway.db.Refusal;

/** What the consent registry refuses. */
public abstract sealed class ConsentRefusal extends Refusal {

  ConsentRefusal(String diagnostics) {
    super(diagnostics);
  }

  /** No consent with this id, or one the caller's party may not see. */
  public static final class UnknownConsent extends ConsentRefusal {
    UnknownConsent(String id) {
      super("Consent/" + id + " is not known");
    }
  }

  /** The change names a version that is no longer the current one. */
  public static final class StaleVersion extends ConsentRefusal {
    StaleVersion(String id, long expected) {
      super("Consent rejected: version " + expected + " of Consent/" + id + " is not the current version");
    }
  }

  /** The Consent breaks a rule of the registry (its citizen, its status, its id). */
  public static final class InvalidConsent extends ConsentRefusal {
    InvalidConsent(String diagnostics) {
      super(diagnostics);
    }
  }

  /** A conditional create's condition (If-None-Exist) matches more than one consent. */
  public static final class SeveralMatch extends ConsentRefusal {
    SeveralMatch() {
      super("Consent rejected: If-None-Exist matches more than one consent; make the condition more selective");
    }
  }
}
