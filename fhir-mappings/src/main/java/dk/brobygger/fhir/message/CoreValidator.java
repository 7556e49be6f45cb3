package dk.brobygger.fhir.message;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.utilities.validation.ValidationMessage.IssueSeverity;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FHIR validation with HAPI's instance validator: FHIR R4 itself (cardinalities, invariants,
 * bindings of the core specification) and, for a message, the gateway's published profile of its
 * event ({@link MessageProfiles}).
 *
 * <p>Everything is configured once per process: one support chain (core definitions, our profiles
 * with their snapshots, terminology), one worker context over it, and a small pool of
 * {@link InstanceValidator}s, one per thread validating at a time. HAPI's {@code FhirValidator}
 * builds a new InstanceValidator for every resource, and each one rereads the OID registry CSV;
 * that was most of the cost per message (issue 15). An InstanceValidator is not thread-safe, so a
 * thread takes one from the pool and gives it back. It is replaced once it has validated
 * {@value #BYTES_PER_VALIDATOR} bytes of JSON: it keeps what it saw and never lets go of it (its
 * codings observer holds every coding's node stack, and so the whole element tree of every message,
 * about 0.3 MB per 3.6 KB referral; also a map of narrative elements). Replaced after 1,000 messages,
 * as until issue 15, two pooled validators held about 600 MB and ran a 512 MB heap out of memory.
 *
 * <p>It validates the canonical JSON the reader already produced rather than encoding the model
 * again: that is also what is stored and delivered.
 */
final class CoreValidator {

  private static final Logger LOG = LoggerFactory.getLogger(CoreValidator.class);
  private static final int REPORTED_ISSUES = 3;
  /**
   * JSON validated by one InstanceValidator before it is dropped: what it retains grows with the
   * elements it has seen, so this bounds it (a few tens of MB) whatever the size of the messages;
   * about 70 of the README's referrals, so building a new one (a few ms) costs little per message.
   */
  private static final long BYTES_PER_VALIDATOR = 256 * 1024;
  /** HAPI decorates locations with the resource, e.g. {@code .resource/*Patient/1*}{@code /.gender}. */
  private static final Pattern RESOURCE_COMMENT = Pattern.compile("/\\*[^*]*\\*/");
  private static final Pattern FROM_PROFILE = Pattern.compile(" \\(from http[^)]*\\)");

  private static final class Shared {
    static final CoreValidator INSTANCE = new CoreValidator(FhirContext.forR4Cached(), MessageProfiles.bundled());
  }

  /** One InstanceValidator and how much JSON it has validated. */
  private static final class Pooled {
    final InstanceValidator validator;
    long bytes;

    Pooled(InstanceValidator validator) {
      this.validator = validator;
    }
  }

  private final FhirContext context;
  private final IWorkerContext worker;
  private final Map<MessageEvent, StructureDefinition> byEvent = new EnumMap<>(MessageEvent.class);
  private final Queue<Pooled> idle = new ConcurrentLinkedQueue<>();

  private CoreValidator(FhirContext context, MessageProfiles profiles) {
    this.context = context;
    ValidationSupportChain support = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        profiles.validationSupport(context),
        new SnapshotGeneratingValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    worker = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support);
    for (MessageEvent event : MessageEvent.values()) {
      StructureDefinition profile = worker.fetchResource(StructureDefinition.class, MessageProfiles.profileUrl(event));
      if (profile == null || !profile.hasSnapshot()) {
        throw new IllegalStateException("the profile of the event " + event + " did not load");
      }
      byEvent.put(event, profile);
    }
  }

  static CoreValidator shared() {
    return Shared.INSTANCE;
  }

  /**
   * The first few errors of a message (canonical JSON) against FHIR R4 and the profile of its event,
   * and any profile the Bundle declares in meta.profile; each as "location: message", empty when valid.
   */
  List<String> errors(byte[] json, MessageEvent event, List<String> declaredProfiles) {
    return errors(json, Optional.of(event), declaredProfiles, "message");
  }

  /** The first few errors of any resource against FHIR R4 and the profiles it declares. */
  List<String> errors(IBaseResource resource) {
    return errors(resource, List.of());
  }

  /**
   * The first few errors of any resource against FHIR R4, the profiles it declares and these
   * (canonical URLs of profiles the validator knows).
   */
  List<String> errors(IBaseResource resource, List<String> profiles) {
    List<String> all = new ArrayList<>(profiles);
    resource.getMeta().getProfile().stream().map(p -> p.getValueAsString()).filter(p -> !all.contains(p)).forEach(all::add);
    byte[] json = context.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
    return errors(json, Optional.empty(), all, resource.fhirType());
  }

  private List<String> errors(byte[] json, Optional<MessageEvent> event, List<String> declaredProfiles, String what) {
    List<StructureDefinition> profiles = new ArrayList<>();
    event.map(byEvent::get).ifPresent(profiles::add);
    List<String> unknown = new ArrayList<>();
    for (String url : declaredProfiles) {
      StructureDefinition declared = worker.fetchResource(StructureDefinition.class, url);
      if (declared == null) {
        // fail closed: a sender who claims a profile we do not know expects checks we cannot make
        unknown.add("meta.profile: the profile " + url + " is not known to the gateway");
      } else if (!profiles.contains(declared)) {
        profiles.add(declared);
      }
    }
    if (!unknown.isEmpty()) {
      return firstFew(unknown);
    }
    List<ValidationMessage> messages = new ArrayList<>();
    Pooled pooled = take();
    try {
      pooled.validator.validate(null, messages, new ByteArrayInputStream(json), Manager.FhirFormat.JSON, profiles);
    } catch (RuntimeException | StackOverflowError e) {
      // The validator worked before (warm-up) and the message's own limits held, so it is this
      // message that the validator cannot check: refuse it (fail closed), never accept it unchecked.
      // The validator's state after a throw is unknown: it is not given back to the pool.
      LOG.warn("FHIR validation could not check a {}: {}", what, e.toString());
      return List.of("FHIR validation could not check this message (" + e.getClass().getSimpleName() + ")");
    }
    giveBack(pooled, json.length);
    return firstFew(messages.stream().filter(CoreValidator::refuses).map(CoreValidator::describe).toList());
  }

  private Pooled take() {
    Pooled pooled = idle.poll();
    return pooled != null ? pooled : new Pooled(newValidator());
  }

  private void giveBack(Pooled pooled, int validated) {
    pooled.bytes += validated;
    if (pooled.bytes < BYTES_PER_VALIDATOR) {
      idle.offer(pooled);
    }
  }

  /** Configured as HAPI's FhirInstanceValidator configures its per-call validator, with best practice off. */
  private InstanceValidator newValidator() {
    InstanceValidator validator = new InstanceValidator(worker, new FhirInstanceValidator.NullEvaluationContext(),
        new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
    validator.setAssumeValidRestReferences(false);
    // Only errors refuse a message; skipping best-practice checks saves work nobody reads.
    validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
    validator.setAnyExtensionsAllowed(true);
    validator.setResourceIdRule(IdStatus.OPTIONAL);
    validator.setNoTerminologyChecks(false);
    validator.setErrorForUnknownProfiles(true);
    validator.setUnknownCodeSystemsCauseErrors(true);
    validator.setPolicyAdvisor(new FhirDefaultPolicyAdvisor());
    validator.setNoExtensibleWarnings(false);
    validator.setNoBindingMsgSuppressed(false);
    validator.setAllowExamples(false);
    validator.setAllowXsiLocation(true);
    return validator;
  }

  /**
   * Errors and fatal issues refuse; so does an unknown profile (a warning by default). The two
   * terminology notes HAPI's own wrapper drops are dropped here too.
   */
  private static boolean refuses(ValidationMessage message) {
    String id = message.getMessageId();
    if (I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE.equals(id)
        || ("Terminology_TX_ValueSet_NotFound".equals(id) && message.getMessage() != null
            && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"))) {
      return false;
    }
    if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(id) || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(id)) {
      return true;
    }
    return message.getLevel() == IssueSeverity.ERROR || message.getLevel() == IssueSeverity.FATAL;
  }

  private static List<String> firstFew(List<String> errors) {
    if (errors.size() <= REPORTED_ISSUES) {
      return errors;
    }
    List<String> first = new ArrayList<>(errors.subList(0, REPORTED_ISSUES));
    first.add("and " + (errors.size() - REPORTED_ISSUES) + " more");
    return first;
  }

  private static String describe(ValidationMessage message) {
    String location = message.getLocation() == null ? "" : RESOURCE_COMMENT.matcher(message.getLocation()).replaceAll("");
    String text = FROM_PROFILE.matcher(message.getMessage() == null ? "" : message.getMessage()).replaceAll("");
    return location.isEmpty() ? text : location + ": " + text;
  }
}
