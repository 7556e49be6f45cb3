package dk.brobygger.fhir.message;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FHIR R4 base validation (cardinalities, invariants, bindings of the core specification) with
 * HAPI's instance validator. Loading the core definitions costs seconds, so there is one shared
 * instance for the process, built on first use; HAPI's validator is thread-safe.
 */
final class CoreValidator {

  private static final Logger LOG = LoggerFactory.getLogger(CoreValidator.class);
  private static final int REPORTED_ISSUES = 3;
  /** HAPI decorates locations with the resource, e.g. {@code .resource/*Patient/1*}{@code /.gender}. */
  private static final Pattern RESOURCE_COMMENT = Pattern.compile("/\\*[^*]*\\*/");
  private static final Pattern FROM_PROFILE = Pattern.compile(" \\(from http[^)]*\\)");

  private static final class Shared {
    static final CoreValidator INSTANCE = new CoreValidator(FhirContext.forR4Cached());
  }

  private final FhirValidator validator;

  private CoreValidator(FhirContext context) {
    ValidationSupportChain support = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    FhirInstanceValidator module = new FhirInstanceValidator(support);
    // Only errors refuse a message; skipping best-practice checks saves work nobody reads.
    module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
    validator = context.newValidator();
    validator.registerValidatorModule(module);
  }

  static CoreValidator shared() {
    return Shared.INSTANCE;
  }

  /** The first few errors, each as "location: message"; empty when the resource is valid. */
  List<String> errors(IBaseResource resource) {
    List<SingleValidationMessage> messages;
    try {
      messages = validator.validateWithResult(resource).getMessages();
    } catch (RuntimeException | StackOverflowError e) {
      // The validator worked before (warm-up) and the message's own limits held, so it is this
      // message that the validator cannot check: refuse it (fail closed), never accept it unchecked.
      LOG.warn("FHIR base validation could not check a {}: {}", resource.fhirType(), e.toString());
      return List.of("FHIR base validation could not check this message (" + e.getClass().getSimpleName() + ")");
    }
    List<String> errors = messages.stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(CoreValidator::describe)
        .toList();
    if (errors.size() <= REPORTED_ISSUES) {
      return errors;
    }
    List<String> first = new java.util.ArrayList<>(errors.subList(0, REPORTED_ISSUES));
    first.add("and " + (errors.size() - REPORTED_ISSUES) + " more");
    return first;
  }

  /** Validates a bundle once so that the definitions are loaded before the first request. */
  void warmUp(Bundle bundle) {
    errors(bundle);
  }

  private static String describe(SingleValidationMessage message) {
    String location = message.getLocationString() == null ? "" : RESOURCE_COMMENT.matcher(message.getLocationString()).replaceAll("");
    String text = FROM_PROFILE.matcher(message.getMessage() == null ? "" : message.getMessage()).replaceAll("");
    return location.isEmpty() ? text : location + ": " + text;
  }
}
