package dk.brobygger.gateway.auth;

import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.util.Arrays;
import java.util.List;

/**
 * The sample parties as registered clients, each with its committed (public, hence insecure)
 * client-authentication key; client id = party id. For demo mode and tests only.
 */
public final class InsecureSampleClients {

  private InsecureSampleClients() {}

  public static RegisteredClient of(SampleParty party) {
    return new RegisteredClient(party.id(), party.id(), Role.ofPartyKind(party.kind()),
        InsecureSampleKeys.clientAuthPublicKeys(party));
  }

  public static List<RegisteredClient> all() {
    return Arrays.stream(SampleParty.values()).map(InsecureSampleClients::of).toList();
  }

  public static ClientRegistry registry() {
    return ClientRegistry.of(all());
  }
}
