package dk.brobygger.fhir.consent;

/**
 * A consent the evaluator cannot read with certainty (malformed version, unknown modifier, missing
 * type). The message is safe to show to the caller; the decision becomes a deny.
 */
final class EvaluationError extends RuntimeException {

  EvaluationError(String message) {
    super(message, null, false, false);
  }
}
