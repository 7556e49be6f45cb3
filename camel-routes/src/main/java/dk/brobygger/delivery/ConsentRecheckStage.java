package dk.brobygger.delivery;

import dk.brobygger.fhir.consent.Decision;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides consent again right before sending, on every attempt: a withdrawal that committed since
 * acceptance cancels the disclosure with nothing sent. When the consent store cannot answer, the
 * attempt is not made (fail closed) and is tried again later.
 */
final class ConsentRecheckStage implements AttemptStage {

  private static final Logger LOG = LoggerFactory.getLogger(ConsentRecheckStage.class);

  private final ConsentRecheck consent;
  private final Retries retries;

  ConsentRecheckStage(ConsentRecheck consent, Retries retries) {
    this.consent = consent;
    this.retries = retries;
  }

  @Override
  public AttemptState apply(AttemptState state) {
    Decision decision;
    try {
      decision = Objects.requireNonNull(consent.recheck(state.disclosure()), "consent re-check returned no decision");
    } catch (RuntimeException e) {
      LOG.warn("consent re-check failed for outbox row {}, nothing sent", state.disclosure().outboxId(), e);
      return retries.afterTransientFailure(state, "consent store unavailable", Optional.empty(), false);
    }
    AttemptState rechecked = state.withRecheck(decision);
    if (!decision.permits()) {
      String reasons = decision.reasons().isEmpty() ? "no consent applies" : String.join("; ", decision.reasons());
      return rechecked.cancelled("consent no longer permits this disclosure: " + reasons);
    }
    return rechecked;
  }
}
