package dk.brobygger.gateway.auth;

import java.time.Instant;

/**
 * Remembers which client assertions have been used, so that a captured assertion cannot buy a
 * second token. An assertion is identified by its issuer (the client) and its {@code jti}.
 */
public interface ReplayStore {

  /**
   * Records the first use of an assertion, atomically: of two concurrent calls with the same
   * client and jti exactly one returns true.
   *
   * @param usableUntil when the assertion stops being acceptable; it must be remembered until then
   * @return true on first use, false when this assertion was seen before (a replay)
   * @throws dk.brobygger.fhir.Failed when the store cannot say
   */
  boolean recordFirstUse(String clientId, String jti, Instant usableUntil);
}
