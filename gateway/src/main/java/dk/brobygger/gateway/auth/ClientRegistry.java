package dk.brobygger.gateway.auth;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks up the systems allowed to ask for tokens. Unknown means not allowed. */
public interface ClientRegistry {

  Optional<RegisteredClient> byClientId(String id);

  /** A fixed registry, e.g. read from configuration at start-up. Client ids must be unique. */
  static ClientRegistry of(Collection<RegisteredClient> clients) {
    Map<String, RegisteredClient> byId = clients.stream()
        .collect(Collectors.toUnmodifiableMap(RegisteredClient::clientId, Function.identity()));
    return id -> Optional.ofNullable(byId.get(id));
  }
}
