package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.HeaderParties;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.auth.Caller;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Stage 2b: the message names who really sends it. Every party its header names (sender, enterer,
 * author, responsible, source) must be the authenticated caller, else it is refused with 403: the
 * message itself may be well-formed, but the caller is not allowed to speak in another party's name
 * (the same answer as a scope it lacks). A claim that cannot be checked at all (an organisation
 * without any identifier) is 422. When the header names no sender, the gateway writes the caller
 * into MessageHeader.sender as the directory knows it, so what is stored, signed by the gateway and
 * delivered tells the recipient who sent it.
 */
public final class NameSender {

  /** Directory matching prefers SOR, then GLN, then our local ids, as the message reader does. */
  private static final List<String> PREFERRED =
      List.of(OrganisationIdentifier.SOR, OrganisationIdentifier.GLN, OrganisationIdentifier.LOCAL);

  private final Directory directory;
  private final FhirCodec codec;

  public NameSender(Directory directory, FhirCodec codec) {
    this.directory = directory;
    this.codec = codec;
  }

  public Validate.AddressedMessage apply(Validate.AddressedMessage addressed) {
    Caller caller = addressed.caller();
    Recipient sender = caller.client().flatMap(client -> directory.byId(client.partyId()))
        .orElseThrow(() -> new Rejected(Rejected.Kind.FORBIDDEN,
            "Message rejected: the caller " + caller.id() + " is not a party in the directory"));
    ReceivedMessage message = addressed.message();
    for (HeaderParties.Claim claim : HeaderParties.of(message)) {
      check(claim, sender);
    }
    if (message.sender().isPresent()) {
      return addressed; // it names the caller: checked above
    }
    return new Validate.AddressedMessage(caller,
        HeaderParties.withSender(message, preferredIdentifier(sender), sender.name(), codec), addressed.recipient());
  }

  private void check(HeaderParties.Claim claim, Recipient sender) {
    Set<Recipient> named = new LinkedHashSet<>();
    claim.identifiers().forEach(identifier -> directory.byIdentifier(identifier).ifPresent(named::add));
    claim.name().ifPresent(name -> named.addAll(byName(name)));
    claim.endpoint().ifPresent(endpoint -> named.addAll(byEndpoint(endpoint)));
    for (Recipient party : named) {
      if (!party.id().equals(sender.id())) {
        throw new Rejected(Rejected.Kind.FORBIDDEN, "Message rejected: " + claim.path() + " names " + party.id()
            + " (" + party.name() + "), but the message is sent by " + sender.id() + "; nobody sends in another party's name");
      }
    }
    if (claim.kind() == HeaderParties.Kind.ORGANISATION && named.isEmpty()) {
      if (claim.identifiers().isEmpty()) {
        throw new Rejected(Rejected.Kind.INVALID, "Message rejected: " + claim.path()
            + " names an organisation without an identifier (system and value), so it cannot be checked against the sender");
      }
      throw new Rejected(Rejected.Kind.FORBIDDEN, "Message rejected: " + claim.path() + " names "
          + claim.identifiers().get(0).token() + ", which is not " + sender.id() + ", the sender of the message");
    }
  }

  private List<Recipient> byName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return directory.all().stream().filter(party -> party.name().trim().toLowerCase(Locale.ROOT).equals(wanted)).toList();
  }

  /**
   * The parties a source endpoint names: one whose directory endpoint it is, or one whose identifier
   * it ends with (the ".../recipients/{SOR code}" form of MedCom-style addressing).
   */
  private List<Recipient> byEndpoint(String endpoint) {
    String tail = endpoint.replaceAll("[/#?]+$", "");
    tail = tail.substring(Math.max(tail.lastIndexOf('/'), tail.lastIndexOf(':')) + 1);
    String last = tail;
    return directory.all().stream()
        .filter(party -> party.endpoint().map(uri -> uri.toString().equals(endpoint)).orElse(false)
            || (!last.isEmpty() && party.identifiers().stream().anyMatch(id -> id.value().equals(last))))
        .toList();
  }

  private static OrganisationIdentifier preferredIdentifier(Recipient party) {
    for (String system : PREFERRED) {
      Optional<OrganisationIdentifier> found =
          party.identifiers().stream().filter(id -> id.system().equals(system)).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    return party.identifiers().get(0);
  }
}
