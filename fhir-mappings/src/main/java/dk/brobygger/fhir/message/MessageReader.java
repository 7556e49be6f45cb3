package dk.brobygger.fhir.message;

import ca.uhn.fhir.util.FhirTerser;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifiers;
import dk.brobygger.fhir.sensitivity.SensitivityLabels;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.MessageHeader.MessageDestinationComponent;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ResourceType;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.UriType;

/**
 * Reads an incoming FHIR message Bundle: parses it, checks the rules a message must follow before
 * anything is decided about it, and pulls out what the later stages need. Thread-safe.
 *
 * <p>Our own checks run first because their diagnostics name the rule ("Referral rejected:
 * MessageHeader.destination is missing"); FHIR base validation, the expensive part, runs last.
 *
 * <p>Per event: a referral and an appointment request focus a ServiceRequest about the one Patient
 * (an appointment request also proposes one Appointment, see {@link AppointmentRules}); an
 * appointment response focuses the booked or declined Appointment and must answer the request
 * (MessageHeader.response and a Provenance, see {@link AnswerRules}); an acknowledgement must
 * answer a message and needs neither focus nor Patient. Any message that has a Provenance on its
 * subject must name the same answered message in it as in MessageHeader.response.
 */
public final class MessageReader {

  /**
   * Whether every message also gets FHIR validation: FHIR R4 itself and the published profile of its
   * event ({@link MessageProfiles}). It costs several seconds on first use (see {@link #warmUp()}),
   * then a few milliseconds per message (bench/results/validation.md).
   */
  public enum BaseValidation {
    ENABLED,
    DISABLED
  }

  private static final String EXAMPLE = "/dk/brobygger/fhir/examples/referral-to-gp.json";
  private static final Set<String> CITIZEN_SYSTEMS =
      Set.of(CitizenIdentifier.CPR, CitizenIdentifier.REPLACEMENT_CPR, CitizenIdentifier.LOCAL_OUTREACH);
  /** Directory matching works with any identifier; SOR is preferred because every party has one. */
  private static final List<String> ORGANISATION_SYSTEMS =
      List.of(OrganisationIdentifier.SOR, OrganisationIdentifier.GLN, OrganisationIdentifier.LOCAL);

  private final FhirCodec codec;
  private final Optional<CoreValidator> validator;
  private final SensitivityLabels sensitivity;

  /** A reader with FHIR base validation enabled and the default sensitivity label table. */
  public MessageReader(FhirCodec codec) {
    this(codec, BaseValidation.ENABLED);
  }

  /** A reader with the default sensitivity label table. */
  public MessageReader(FhirCodec codec, BaseValidation baseValidation) {
    this(codec, baseValidation, SensitivityLabels.defaults());
  }

  /**
   * A reader whose items carry the labels this table infers from their codes, besides the
   * sender's. Ingress and the send-time re-check must use the same table, or the re-check would
   * decide on other labels than the decision it re-checks.
   */
  public MessageReader(FhirCodec codec, BaseValidation baseValidation, SensitivityLabels sensitivity) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.validator = baseValidation == BaseValidation.ENABLED ? Optional.of(CoreValidator.shared()) : Optional.empty();
    this.sensitivity = Objects.requireNonNull(sensitivity, "sensitivity");
  }

  /**
   * Reads the bundled example referral once, so that parser and validator load their definitions
   * at start-up rather than on the first request (seconds, with base validation).
   */
  public void warmUp() {
    try (InputStream example = MessageReader.class.getResourceAsStream(EXAMPLE)) {
      if (example == null) {
        throw new Failed("the example referral is missing from the class path", null, false);
      }
      read(example.readAllBytes(), FhirFormat.JSON);
    } catch (IOException e) {
      throw new Failed("the example referral could not be read", e, false);
    }
  }

  /** Throws {@link Rejected} MALFORMED or INVALID, with diagnostics naming the broken rule. */
  public ReceivedMessage read(byte[] body, FhirFormat format) {
    Bundle bundle;
    try {
      bundle = codec.parse(body, format, Bundle.class);
    } catch (Rejected notABundle) {
      throw new Rejected(notABundle.kind(), "Message rejected: " + notABundle.diagnostics());
    }
    Reading reading = new Reading(bundle);
    ReceivedMessage message = reading.read();
    if (format == FhirFormat.JSON) {
      try {
        JsonTypes.check(body, message.canonicalJson());
      } catch (Rejected mistyped) {
        throw new Rejected(mistyped.kind(), "Message rejected: " + mistyped.diagnostics());
      }
    }
    validator.ifPresent(v -> {
      // the profile is picked by the event the rules above established; senders need not declare it
      MessageEvent event = MessageEvent.of(message.event()).orElseThrow();
      List<String> declared = bundle.getMeta().getProfile().stream().map(p -> p.getValue()).toList();
      List<String> errors = v.errors(message.canonicalJson(), event, declared);
      if (!errors.isEmpty()) {
        throw reading.reject(String.join("; ", errors));
      }
    });
    return message;
  }

  /** An organisation named in the MessageHeader, and the bundle entry that carries it, if any. */
  private record Party(OrganisationIdentifier identifier, Optional<String> entry) {}

  /** The checks of one bundle, in the order they are reported. */
  private final class Reading implements MessageEntries {
    private final Bundle bundle;
    private final List<BundleEntryComponent> entries;
    private final Map<String, Integer> byFullUrl = new HashMap<>();
    private final BundleIndex index;
    private String label = "Message";

    Reading(Bundle bundle) {
      this.bundle = bundle;
      this.entries = bundle.getEntry();
      this.index = new BundleIndex(entries);
    }

    ReceivedMessage read() {
      checkBounds();
      checkBundle();
      MessageHeader header = header();
      MessageEvent event = event(header);
      label = event.label();
      Party destination = destination(header);
      Optional<Party> sender = header.hasSender()
          ? Optional.of(party("MessageHeader.sender", header.getSender()))
          : Optional.empty();
      BundleEntryComponent focus = focus(header, event);
      Optional<BundleEntryComponent> patient = patient(focus, event);
      List<CitizenIdentifier> citizen = patient.map(p -> citizen((Patient) p.getResource(), focus)).orElse(List.of());
      Optional<MessageAnswer> answers = AnswerRules.answer(this, header, event);
      switch (event) {
        case APPOINTMENT_REQUEST -> AppointmentRules.checkRequest(this, focus, patient.orElseThrow());
        case APPOINTMENT_RESPONSE -> AppointmentRules.checkResponse(this, (Appointment) focus.getResource());
        case REFERRAL, ACKNOWLEDGEMENT -> { }
      }
      AnswerRules.checkProvenance(this, event, focus,
          header.hasFocus() ? "MessageHeader.focus" : "the MessageHeader", answers);
      checkSecurityLabels();
      checkReferences();
      Set<String> addressing = new HashSet<>();
      destination.entry().ifPresent(addressing::add);
      sender.flatMap(Party::entry).ifPresent(addressing::add);
      List<DataItem> items = new ArrayList<>();
      for (BundleEntryComponent entry : entries.subList(1, entries.size())) {
        if (!addressing.contains(entry.getFullUrl())) {
          items.add(DataItems.of(entry.getFullUrl(), entry.getResource(), sensitivity));
        }
      }
      return new ReceivedMessage(
          header.getIdElement().getIdPart(),
          event.code(),
          destination.identifier(),
          sender.map(Party::identifier),
          purpose(header),
          citizen,
          focus.getFullUrl(),
          items,
          bundle,
          codec.canonicalJson(bundle),
          answers);
    }

    @Override
    public List<BundleEntryComponent> entries() {
      return entries;
    }

    @Override
    public Rejected reject(String what) {
      return new Rejected(Rejected.Kind.INVALID, label + " rejected: " + what);
    }

    /**
     * The {@link InputLimits} that need the model: they bound what the later checks and HAPI's
     * validator do per message (an {@code urn:oid:} of a thousand arcs overflows the stack of
     * HAPI's OID pattern; a decimal of a thousand digits breaks its UCUM arithmetic).
     */
    private void checkBounds() {
      if (entries.size() > InputLimits.MAX_ENTRIES) {
        throw reject("the Bundle has " + entries.size() + " entries; the gateway takes at most "
            + InputLimits.MAX_ENTRIES + " per message");
      }
      FhirTerser terser = codec.context().newTerser();
      for (int i = 0; i < entries.size(); i++) {
        Resource resource = entries.get(i).getResource();
        if (resource == null) {
          continue;
        }
        int identifiers = terser.getAllPopulatedChildElementsOfType(resource, Identifier.class).size();
        if (identifiers > InputLimits.MAX_IDENTIFIERS) {
          throw reject("Bundle.entry[" + i + "].resource (" + resource.fhirType() + ") has " + identifiers
              + " identifiers; the gateway takes at most " + InputLimits.MAX_IDENTIFIERS + " per resource");
        }
        for (PrimitiveType<?> value : terser.getAllPopulatedChildElementsOfType(resource, PrimitiveType.class)) {
          checkBound(i, resource, value);
        }
      }
    }

    private void checkBound(int entry, Resource resource, PrimitiveType<?> value) {
      String text = value.getValueAsString();
      if (text == null) {
        return;
      }
      String where = "Bundle.entry[" + entry + "].resource (" + resource.fhirType() + ") has ";
      if (value instanceof UriType && text.length() > InputLimits.MAX_URI_CHARS) {
        throw reject(where + "a URI (e.g. an identifier system) of " + text.length() + " characters starting '"
            + text.substring(0, 40) + "...'; the gateway takes at most " + InputLimits.MAX_URI_CHARS);
      }
      if (value instanceof DecimalType && text.length() > InputLimits.MAX_NUMBER_CHARS) {
        throw reject(where + "a decimal of " + text.length() + " characters; the gateway takes at most "
            + InputLimits.MAX_NUMBER_CHARS);
      }
    }

    private void checkBundle() {
      if (!bundle.hasType()) {
        throw reject("Bundle.type is missing; it must be 'message'");
      }
      if (bundle.getType() != Bundle.BundleType.MESSAGE) {
        throw reject("Bundle.type must be 'message', got '" + bundle.getType().toCode() + "'");
      }
      for (int i = 0; i < entries.size(); i++) {
        BundleEntryComponent entry = entries.get(i);
        if (!entry.hasFullUrl()) {
          throw reject("Bundle.entry[" + i + "].fullUrl is missing");
        }
        if (!entry.hasResource()) {
          throw reject("Bundle.entry[" + i + "].resource is missing");
        }
        if (entry.getResource() instanceof org.hl7.fhir.r4.model.DomainResource domain && domain.hasContained()) {
          // consent is decided, and minimisation applied, per entry: data hidden in contained
          // resources would travel without either
          throw reject("Bundle.entry[" + i + "].resource has contained resources; every resource must be its own"
              + " Bundle entry so that consent can be decided for it");
        }
        Integer earlier = byFullUrl.putIfAbsent(entry.getFullUrl(), i);
        if (earlier != null) {
          throw reject("Bundle.entry[" + i + "].fullUrl repeats Bundle.entry[" + earlier + "].fullUrl");
        }
      }
    }

    private MessageHeader header() {
      if (entries.isEmpty() || !(entries.get(0).getResource() instanceof MessageHeader header)) {
        throw reject("MessageHeader missing or not first");
      }
      for (int i = 1; i < entries.size(); i++) {
        if (entries.get(i).getResource() instanceof MessageHeader) {
          throw reject("Bundle.entry[" + i + "] is a second MessageHeader; a message has exactly one, first");
        }
      }
      if (!header.getIdElement().hasIdPart()) {
        throw reject("MessageHeader.id is missing");
      }
      return header;
    }

    private MessageEvent event(MessageHeader header) {
      if (!header.hasEventCoding()) {
        throw reject(header.hasEventUriType()
            ? "MessageHeader.event must be an eventCoding, not an eventUri"
            : "MessageHeader.eventCoding is missing");
      }
      Coding coding = header.getEventCoding();
      if (!Code.MESSAGE_EVENTS.equals(coding.getSystem())) {
        throw reject("MessageHeader.eventCoding.system must be " + Code.MESSAGE_EVENTS);
      }
      return MessageEvent.ofCode(coding.getCode()).orElseThrow(() -> reject(
          "MessageHeader.eventCoding.code '" + coding.getCode() + "' is not one of "
              + Arrays.stream(MessageEvent.values()).map(e -> e.code().code()).collect(Collectors.joining(", "))));
    }

    private Party destination(MessageHeader header) {
      List<MessageDestinationComponent> destinations = header.getDestination();
      if (destinations.isEmpty()) {
        throw reject("MessageHeader.destination is missing");
      }
      if (destinations.size() > 1) {
        throw reject("MessageHeader.destination must name exactly one recipient, found " + destinations.size());
      }
      if (!destinations.get(0).hasReceiver()) {
        throw reject("MessageHeader.destination.receiver is missing");
      }
      return party("MessageHeader.destination.receiver", destinations.get(0).getReceiver());
    }

    /** The identifier on the reference itself, else the one of the Organization entry it points to. */
    private Party party(String path, Reference reference) {
      Optional<BundleEntryComponent> entry = reference.hasReference() ? resolve(reference.getReference()) : Optional.empty();
      if (reference.hasReference() && entry.isEmpty()) {
        throw reject(path + " " + reference.getReference() + " does not resolve to an entry of the Bundle");
      }
      Optional<OrganisationIdentifier> onReference = complete(List.of(reference.getIdentifier()));
      if (onReference.isPresent()) {
        return new Party(onReference.get(), entry.map(BundleEntryComponent::getFullUrl));
      }
      if (entry.isEmpty()) {
        throw reject(path + " has no identifier (system and value)");
      }
      if (!(entry.get().getResource() instanceof Organization organisation)) {
        throw reject(path + " must reference an Organization, got " + entry.get().getResource().fhirType());
      }
      OrganisationIdentifier identifier = complete(organisation.getIdentifier())
          .orElseThrow(() -> reject(path + " has no identifier (system and value)"));
      return new Party(identifier, Optional.of(entry.get().getFullUrl()));
    }

    /**
     * The focus entry. An event without a focus type (an acknowledgement) may still name one, of any
     * type; without one, the MessageHeader entry stands in as what the message is about.
     */
    private BundleEntryComponent focus(MessageHeader header, MessageEvent event) {
      List<Reference> focus = header.getFocus();
      if (focus.isEmpty() && event.focusType().isEmpty()) {
        return entries.get(0);
      }
      if (focus.isEmpty()) {
        throw reject("MessageHeader.focus is missing");
      }
      if (focus.size() > 1) {
        throw reject("MessageHeader.focus must reference exactly one resource, found " + focus.size());
      }
      String reference = focus.get(0).getReference();
      if (reference == null || reference.isBlank()) {
        throw reject("MessageHeader.focus has no reference");
      }
      BundleEntryComponent entry = resolve(reference)
          .orElseThrow(() -> reject("MessageHeader.focus " + reference + " does not resolve to an entry of the Bundle"));
      Optional<ResourceType> required = event.focusType();
      if (required.isPresent() && entry.getResource().getResourceType() != required.get()) {
        String type = required.get().name();
        throw reject("MessageHeader.focus must be " + ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type
            + ", got " + entry.getResource().fhirType());
      }
      return entry;
    }

    /** The one Patient entry; only an acknowledgement, which carries no data, may have none. */
    private Optional<BundleEntryComponent> patient(BundleEntryComponent focus, MessageEvent event) {
      List<BundleEntryComponent> patients = ofType(Patient.class);
      if (patients.isEmpty() && event == MessageEvent.ACKNOWLEDGEMENT) {
        return Optional.empty();
      }
      if (patients.isEmpty()) {
        throw reject("the Bundle has no Patient entry");
      }
      if (patients.size() > 1) {
        throw reject("the Bundle has " + patients.size() + " Patient entries; a message is about one citizen");
      }
      BundleEntryComponent patient = patients.get(0);
      if (focus.getResource() instanceof ServiceRequest request) {
        Optional<BundleEntryComponent> subject = request.getSubject().hasReference()
            ? resolve(request.getSubject().getReference())
            : Optional.empty();
        if (subject.isEmpty() || subject.get() != patient) {
          throw reject("ServiceRequest.subject must reference the Patient entry of the Bundle");
        }
      }
      return Optional.of(patient);
    }

    /**
     * Every citizen identifier the message names: each of the Patient's, then any on the focus
     * resource's subject or patient reference. They must all name one citizen (identical or
     * linked), which only the store can tell, so the gateway checks that before deciding: a message
     * may not borrow another person's consent through an extra identifier. Identifiers of other
     * systems (e.g. a municipality's case number) cannot match a consent and are skipped.
     */
    private List<CitizenIdentifier> citizen(Patient patient, BundleEntryComponent focus) {
      Set<CitizenIdentifier> citizen = new LinkedHashSet<>();
      List<Identifier> identifiers = patient.getIdentifier();
      for (int i = 0; i < identifiers.size(); i++) {
        citizenIdentifier(identifiers.get(i), "Patient.identifier[" + i + "]").ifPresent(citizen::add);
      }
      if (citizen.isEmpty()) {
        throw reject("Patient.identifier has no CPR, replacement CPR or local outreach identifier");
      }
      Resource about = focus.getResource();
      for (String name : List.of("subject", "patient")) {
        Property property = about.getNamedProperty(name);
        List<Base> values = property == null ? List.of() : property.getValues();
        for (Base value : values) {
          if (value instanceof Reference reference && reference.hasIdentifier()) {
            citizenIdentifier(reference.getIdentifier(), about.fhirType() + "." + name + ".identifier")
                .ifPresent(citizen::add);
          }
        }
      }
      return List.copyOf(citizen);
    }

    private Optional<CitizenIdentifier> citizenIdentifier(Identifier identifier, String path) {
      if (!identifier.hasSystem() || !CITIZEN_SYSTEMS.contains(identifier.getSystem())) {
        return Optional.empty();
      }
      if (!identifier.hasValue()) {
        throw reject(path + ".value is missing");
      }
      CitizenIdentifier id = new CitizenIdentifier(identifier.getSystem(), identifier.getValue());
      try {
        CitizenIdentifiers.validate(id);
      } catch (Rejected malformed) {
        throw reject(path + ": " + malformed.diagnostics());
      }
      return Optional.of(id);
    }

    /** A label a consent cannot match would let labelled data through: refuse incomplete ones. */
    private void checkSecurityLabels() {
      for (int i = 0; i < entries.size(); i++) {
        List<Coding> labels = entries.get(i).getResource().getMeta().getSecurity();
        for (int j = 0; j < labels.size(); j++) {
          if (!labels.get(j).hasSystem() || !labels.get(j).hasCode()) {
            throw reject("Bundle.entry[" + i + "].resource.meta.security[" + j + "] needs both system and code");
          }
        }
      }
    }

    /**
     * Every urn: or relative reference must point into the bundle: the recipient cannot resolve it
     * anywhere else. Absolute URLs may point to a server; contained (#) references stay inside.
     */
    private void checkReferences() {
      FhirTerser terser = codec.context().newTerser();
      for (int i = 0; i < entries.size(); i++) {
        Resource resource = entries.get(i).getResource();
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
          String target = reference.getReference();
          if (target == null || target.isBlank() || target.startsWith("#")) {
            continue;
          }
          boolean local = target.startsWith("urn:") || BundleIndex.RELATIVE_REFERENCE.matcher(target).matches();
          if (local && resolve(target).isEmpty()) {
            throw reject("Bundle.entry[" + i + "].resource (" + resource.fhirType() + ") refers to " + target
                + ", which is not an entry of the Bundle");
          }
        }
      }
    }

    private Code purpose(MessageHeader header) {
      return header.getReason().getCoding().stream()
          .filter(c -> Code.PURPOSE_OF_USE.equals(c.getSystem()) && c.hasCode())
          .findFirst()
          .map(c -> new Code(c.getSystem(), c.getCode()))
          .orElse(Code.TREATMENT);
    }

    @Override
    public Optional<BundleEntryComponent> resolve(String reference) {
      return index.resolve(reference);
    }
  }

  private static Optional<OrganisationIdentifier> complete(List<Identifier> identifiers) {
    List<OrganisationIdentifier> complete = identifiers.stream()
        .filter(i -> i.hasSystem() && i.hasValue())
        .map(i -> new OrganisationIdentifier(i.getSystem(), i.getValue()))
        .toList();
    for (String system : ORGANISATION_SYSTEMS) {
      Optional<OrganisationIdentifier> preferred = complete.stream().filter(i -> i.system().equals(system)).findFirst();
      if (preferred.isPresent()) {
        return preferred;
      }
    }
    return complete.stream().findFirst();
  }
}
