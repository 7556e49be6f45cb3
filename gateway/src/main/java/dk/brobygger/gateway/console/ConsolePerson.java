package dk.brobygger.gateway.console;

import dk.brobygger.gateway.auth.AuthenticatedClient;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.auth.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The person signed in to the console, on every request.
 *
 * @param subject the identity provider's stable id of the person
 * @param name the person's name, as shown and audited
 * @param role what the person may do here
 * @param party the directory id of the team (or office) the person works for
 */
public record ConsolePerson(String subject, String name, ConsoleRole role, String party) {

  public ConsolePerson {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(party, "party");
    if (subject.isBlank() || party.isBlank()) {
      throw new IllegalArgumentException("a console person needs a subject and a party");
    }
  }

  /**
   * The audit actor of everything this person does: {@code party@console subject (name) address}.
   * The party comes first, as in every actor, so the stores file the record under the person's team
   * and the audit log names the person too.
   */
  public String actor(String address) {
    return party + "@console " + subject + " (" + name + ") " + address;
  }

  /**
   * The person as a caller of the gateway's own stores and ingress: the team's role and scopes,
   * so the console can do nothing the team's system could not do through the API.
   */
  public Caller caller(String address, Instant until) {
    Role apiRole = role == ConsoleRole.NURSE ? Role.OUTREACH : Role.PRIVACY_OFFICER;
    return new Caller(Optional.of(new AuthenticatedClient("console:" + subject, party, apiRole,
        apiRole.allowedScopes().stream().map(Object::toString).collect(Collectors.toSet()), until)),
        "console " + subject + " (" + name + ") " + address);
  }
}
