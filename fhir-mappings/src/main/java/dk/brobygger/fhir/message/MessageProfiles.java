package dk.brobygger.fhir.message;

import ca.uhn.fhir.context.FhirContext;
import dk.brobygger.fhir.Failed;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.r4.model.MessageDefinition;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The conformance resources the gateway publishes and validates with: a StructureDefinition of the
 * message Bundle per {@link MessageEvent}, one of the Consent the registry accepts, and a
 * MessageDefinition per event. They are FHIR JSON under {@code dk/brobygger/fhir/profiles/},
 * written by hand; the same files are served at {@code /fhir/StructureDefinition} and
 * {@code /fhir/MessageDefinition} and loaded into the validator, so what a vendor reads is what the
 * gateway applies. Immutable; read once.
 */
public final class MessageProfiles {

  public static final String BASE = "https://brobygger.dk/fhir/";
  /** The Consent shape the registry accepts. */
  public static final String CONSENT = BASE + "StructureDefinition/brobygger-consent";

  private static final String FOLDER = "/dk/brobygger/fhir/profiles/";
  private static final List<String> STRUCTURE_DEFINITIONS = List.of("brobygger-referral",
      "brobygger-appointment-request", "brobygger-appointment-response", "brobygger-acknowledgement", "brobygger-consent");

  private static final class Bundled {
    static final MessageProfiles INSTANCE = read(new FhirCodec());
  }

  private final List<StructureDefinition> structureDefinitions;
  private final List<MessageDefinition> messageDefinitions;

  private MessageProfiles(List<StructureDefinition> structureDefinitions, List<MessageDefinition> messageDefinitions) {
    this.structureDefinitions = List.copyOf(structureDefinitions);
    this.messageDefinitions = List.copyOf(messageDefinitions);
  }

  /** The profiles shipped with the gateway. */
  public static MessageProfiles bundled() {
    return Bundled.INSTANCE;
  }

  /** The canonical URL of the message Bundle profile of an event. */
  public static String profileUrl(MessageEvent event) {
    return BASE + "StructureDefinition/brobygger-" + event.code().code();
  }

  /** The canonical URL of the MessageDefinition of an event. */
  public static String definitionUrl(MessageEvent event) {
    return BASE + "MessageDefinition/" + event.code().code();
  }

  /** As written (differential only); callers get copies, so nothing shared can change. */
  public List<StructureDefinition> structureDefinitions() {
    return structureDefinitions.stream().map(StructureDefinition::copy).toList();
  }

  public List<MessageDefinition> messageDefinitions() {
    return messageDefinitions.stream().map(MessageDefinition::copy).toList();
  }

  public Optional<StructureDefinition> structureDefinition(String id) {
    return structureDefinitions().stream().filter(s -> s.getIdElement().getIdPart().equals(id)).findFirst();
  }

  public Optional<MessageDefinition> messageDefinition(String id) {
    return messageDefinitions().stream().filter(m -> m.getIdElement().getIdPart().equals(id)).findFirst();
  }

  /** Our StructureDefinitions for a validator's support chain (snapshots are generated there). */
  PrePopulatedValidationSupport validationSupport(FhirContext context) {
    PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(context);
    structureDefinitions().forEach(support::addStructureDefinition);
    return support;
  }

  private static MessageProfiles read(FhirCodec codec) {
    List<StructureDefinition> structures = STRUCTURE_DEFINITIONS.stream()
        .map(name -> parse(codec, name, StructureDefinition.class)).toList();
    List<MessageDefinition> messages = java.util.Arrays.stream(MessageEvent.values())
        .map(event -> parse(codec, "messagedefinition-" + event.code().code(), MessageDefinition.class)).toList();
    return new MessageProfiles(structures, messages);
  }

  private static <T extends Resource> T parse(FhirCodec codec, String name, Class<T> type) {
    try (InputStream in = MessageProfiles.class.getResourceAsStream(FOLDER + name + ".json")) {
      if (in == null) {
        throw new Failed("the profile " + name + " is missing from the class path", null, false);
      }
      return codec.parse(in.readAllBytes(), FhirFormat.JSON, type);
    } catch (IOException e) {
      throw new Failed("the profile " + name + " could not be read", e, false);
    }
  }
}
