package dk.brobygger.delivery;

import dk.brobygger.delivery.AttemptOutcome.Result;
import dk.brobygger.fhir.consent.Decision;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one delivery attempt has learnt so far. It travels through the routes as the one
 * exchange property {@link #PROPERTY}; each stage returns a new value instead of writing headers.
 * Once {@link #outcome} is present the attempt is settled and the remaining stages pass it through.
 *
 * @param disclosure the claimed disclosure
 * @param startedAt when the attempt began
 * @param recheck the consent decision taken for this attempt
 * @param minimised what minimisation left of the body
 * @param sealed the exact request body, once sealed
 * @param outcome how the attempt ended, once it has
 */
record AttemptState(
    Disclosure disclosure,
    Instant startedAt,
    Optional<Decision> recheck,
    Optional<byte[]> minimised,
    Optional<SealedPayload> sealed,
    Optional<AttemptOutcome> outcome) {

  /** The name of the single exchange property the delivery routes use. */
  static final String PROPERTY = "brobygger.attempt";

  AttemptState {
    Objects.requireNonNull(disclosure, "disclosure");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(recheck, "recheck");
    Objects.requireNonNull(minimised, "minimised");
    Objects.requireNonNull(sealed, "sealed");
    Objects.requireNonNull(outcome, "outcome");
  }

  static AttemptState begin(Disclosure disclosure, Instant now) {
    return new AttemptState(disclosure, now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  boolean settled() {
    return outcome.isPresent();
  }

  AttemptState withRecheck(Decision decision) {
    return new AttemptState(disclosure, startedAt, Optional.of(decision), minimised, sealed, outcome);
  }

  AttemptState withMinimised(byte[] payload) {
    return new AttemptState(disclosure, startedAt, recheck, Optional.of(payload), sealed, outcome);
  }

  AttemptState withSealed(SealedPayload payload) {
    return new AttemptState(disclosure, startedAt, recheck, minimised, Optional.of(payload), outcome);
  }

  /** Fingerprint of the sealed bytes; present once sealed, whether or not they went out. */
  Optional<String> sealedSha256() {
    return sealed.map(payload -> Sha256.hex(payload.body()));
  }

  AttemptState delivered(int httpStatus) {
    return settle(Result.DELIVERED, "recipient answered HTTP " + httpStatus, Optional.of(httpStatus), true, Optional.empty());
  }

  AttemptState retry(String reason, Optional<Integer> httpStatus, boolean sent, Instant nextAttemptAt) {
    return settle(Result.RETRY, reason, httpStatus, sent, Optional.of(nextAttemptAt));
  }

  AttemptState failed(String reason, Optional<Integer> httpStatus, boolean sent) {
    return settle(Result.FAILED, reason, httpStatus, sent, Optional.empty());
  }

  AttemptState cancelled(String reason) {
    return settle(Result.CANCELLED, reason, Optional.empty(), false, Optional.empty());
  }

  /**
   * @param sent whether the bytes may have reached the recipient; only then is their fingerprint
   *     recorded, so the audit trail never claims a disclosure that certainly did not happen
   */
  private AttemptState settle(
      Result result, String reason, Optional<Integer> httpStatus, boolean sent, Optional<Instant> nextAttemptAt) {
    if (settled()) {
      throw new IllegalStateException("attempt already settled as " + outcome.get().result());
    }
    Optional<String> sha = sent ? sealedSha256() : Optional.empty();
    AttemptOutcome settledAs =
        new AttemptOutcome(disclosure, result, reason, httpStatus, sha, nextAttemptAt, recheck, sealedSha256());
    return new AttemptState(disclosure, startedAt, recheck, minimised, sealed, Optional.of(settledAs));
  }
}
