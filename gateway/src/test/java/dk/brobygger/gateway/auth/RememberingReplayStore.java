package dk.brobygger.gateway.auth;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory replay store for verifier tests that are not about the database. */
final class RememberingReplayStore implements ReplayStore {

  private final Set<String> used = ConcurrentHashMap.newKeySet();

  @Override
  public boolean recordFirstUse(String clientId, String jti, Instant usableUntil) {
    return used.add(clientId + " " + jti);
  }

  int size() {
    return used.size();
  }
}
