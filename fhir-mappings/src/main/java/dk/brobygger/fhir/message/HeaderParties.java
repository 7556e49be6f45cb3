package dk.brobygger.fhir.message;

import dk.brobygger.fhir.directory.OrganisationIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Who a message says it comes from: every party its MessageHeader names besides the destination
 * ({@code sender}, {@code enterer}, {@code author}, {@code responsible}, {@code source}) and the
 * requester of the ServiceRequest it focuses, so that the gateway can hold each claim against the authenticated caller; and the
 * header with the gateway's own statement of the sender written into it. Pure FHIR, no directory.
 */
public final class HeaderParties {

  /** The kind of thing a claim points at. */
  public enum Kind {
    /** An organisation (directly, or as a PractitionerRole's organization): it must be the caller. */
    ORGANISATION,
    /** A person (Practitioner): not a party itself, but must not carry another party's identifier. */
    PERSON,
    /** MessageHeader.source: the sending application, by its endpoint and name. */
    SOURCE
  }

  /**
   * One party the header names.
   *
   * @param path where, e.g. "MessageHeader.author"
   * @param kind what it names
   * @param identifiers every complete identifier given for it (on the reference and on the entry)
   * @param name a name it is given (Organization.name, source.name), if any
   * @param endpoint source.endpoint, for a source claim
   */
  public record Claim(String path, Kind kind, List<OrganisationIdentifier> identifiers, Optional<String> name,
      Optional<String> endpoint) {

    public Claim {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
      identifiers = List.copyOf(identifiers);
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  private HeaderParties() {}

  /** The claims of a message that passed {@link MessageReader}: its references resolve in the Bundle. */
  public static List<Claim> of(ReceivedMessage message) {
    Bundle bundle = message.bundle();
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    BundleIndex index = new BundleIndex(bundle.getEntry());
    List<Claim> claims = new ArrayList<>();
    reference(index, "MessageHeader.sender", header.getSender(), claims);
    reference(index, "MessageHeader.enterer", header.getEnterer(), claims);
    reference(index, "MessageHeader.author", header.getAuthor(), claims);
    reference(index, "MessageHeader.responsible", header.getResponsible(), claims);
    // who asks for the service: the recipient reads it as the sender too
    if (header.hasFocus() && header.getFocusFirstRep().hasReference()) {
      index.resolve(header.getFocusFirstRep().getReference())
          .map(BundleEntryComponent::getResource)
          .filter(ServiceRequest.class::isInstance)
          .map(ServiceRequest.class::cast)
          .ifPresent(request -> reference(index, "ServiceRequest.requester", request.getRequester(), claims));
    }
    if (header.hasSource()) {
      MessageHeader.MessageSourceComponent source = header.getSource();
      claims.add(new Claim("MessageHeader.source", Kind.SOURCE, List.of(),
          Optional.ofNullable(source.getName()).filter(n -> !n.isBlank()),
          Optional.ofNullable(source.getEndpoint()).filter(e -> !e.isBlank())));
    }
    return claims;
  }

  /**
   * The message with MessageHeader.sender set to the given organisation (by identifier, as the
   * directory knows it), re-encoded so that what is stored, signed and delivered carries it. The
   * given message is not changed.
   */
  public static ReceivedMessage withSender(ReceivedMessage message, OrganisationIdentifier sender, String name,
      FhirCodec codec) {
    Bundle copy = message.bundle().copy();
    MessageHeader header = (MessageHeader) copy.getEntryFirstRep().getResource();
    header.setSender(new Reference()
        .setIdentifier(new Identifier().setSystem(sender.system()).setValue(sender.value()))
        .setDisplay(name));
    return message.withSender(sender, copy, codec.canonicalJson(copy));
  }

  private static void reference(BundleIndex index, String path, Reference reference, List<Claim> claims) {
    if (reference == null || reference.isEmpty()) {
      return;
    }
    List<OrganisationIdentifier> identifiers = new ArrayList<>(complete(List.of(reference.getIdentifier())));
    Optional<Resource> target = reference.hasReference()
        ? index.resolve(reference.getReference()).map(BundleEntryComponent::getResource)
        : Optional.empty();
    String type = target.map(Resource::fhirType).orElseGet(() -> typeOf(reference));
    Kind kind = Kind.PERSON;
    Optional<String> name = Optional.empty();
    switch (type) {
      case "Organization", "" -> {
        // an organisation, or a bare identifier that may name one: checked as a party
        kind = Kind.ORGANISATION;
        if (target.isPresent() && target.get() instanceof Organization organisation) {
          identifiers.addAll(complete(organisation.getIdentifier()));
          name = Optional.ofNullable(organisation.getName()).filter(n -> !n.isBlank());
        }
      }
      case "PractitionerRole" -> {
        // a person acting for an organisation: the organisation is claimed too
        if (target.isPresent() && target.get() instanceof PractitionerRole role) {
          identifiers.addAll(complete(role.getIdentifier()));
          reference(index, path + ".organization", role.getOrganization(), claims);
        }
      }
      default -> {
        // a person or a device: not a party, but it must not carry another party's identifier
        if (target.isPresent() && target.get() instanceof Practitioner practitioner) {
          identifiers.addAll(complete(practitioner.getIdentifier()));
        }
      }
    }
    claims.add(new Claim(path, kind, identifiers, name, Optional.empty()));
  }

  /** Reference.type, else the resource type in the reference's "Type/id" tail; "" when neither says. */
  private static String typeOf(Reference reference) {
    if (reference.hasType()) {
      return reference.getType();
    }
    String[] parts = Optional.ofNullable(reference.getReference()).orElse("").split("/");
    return parts.length >= 2 ? parts[parts.length - 2] : "";
  }

  private static List<OrganisationIdentifier> complete(List<Identifier> identifiers) {
    return identifiers.stream()
        .filter(i -> i.hasSystem() && i.hasValue())
        .map(i -> new OrganisationIdentifier(i.getSystem(), i.getValue()))
        .toList();
  }
}
