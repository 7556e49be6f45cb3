package dk.brobygger.gateway.auth;

import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.directory.Party;
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

  /**
   * The systems that may authenticate with client assertions: directory entries with client keys.
   * Built here so the directory needs to know nothing of authentication.
   */
  static ClientRegistry of(Directory directory) {
    return of(directory.all().stream()
        .flatMap(recipient -> directory.party(recipient.id()).stream())
        .filter(party -> !party.clientKeys().getKeys().isEmpty())
        .map(party -> new RegisteredClient(party.id(), party.id(), Role.ofPartyKind(party.recipient().kind()),
            party.clientKeys()))
        .toList());
  }
}
