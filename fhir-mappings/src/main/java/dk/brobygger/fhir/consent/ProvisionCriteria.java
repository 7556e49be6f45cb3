package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.Consent.provisionDataComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Whether one provision's criteria all match one data item going to one recipient. An empty
 * criterion list matches anything; within a list any element may match. Where the item cannot
 * tell (no data time), the answer never widens what is disclosed: a permit does not match, a deny
 * does.
 */
final class ProvisionCriteria {

  /** FHIR consent actions: collect, access, use, disclose, correct. */
  static final String CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";
  static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";

  /** A permit must grant disclosure itself; a deny of access or use also stops disclosure. */
  private static final Set<String> PERMIT_ACTIONS = Set.of("disclose");
  private static final Set<String> DENY_ACTIONS = Set.of("disclose", "access", "use");

  private ProvisionCriteria() {}

  static boolean match(ProvisionComponent provision, Effect effect, DataItem item, DisclosureRequest request) {
    return (!provision.hasPeriod() || FhirTime.covers(provision.getPeriod(), request.at()))
        && actorMatches(provision.getActor(), request.recipient())
        && actionMatches(provision.getAction(), effect)
        && anyOrEmpty(provision.getPurpose(), coding -> same(coding, request.purpose()))
        && anyOrEmpty(provision.getClass_(), coding -> same(coding, item.resourceClass()))
        && anyOrEmpty(provision.getSecurityLabel(), coding -> item.securityLabels().stream().anyMatch(l -> same(coding, l)))
        && anyOrEmpty(provision.getCode(), concept -> !matchingCodes(concept, item).isEmpty())
        && dataPeriodMatches(provision, effect, item)
        && anyOrEmpty(provision.getData(), data -> refersTo(data, item));
  }

  /** The classes, security labels and codes of a (deny) provision that this item matched. */
  static Set<Code> matchedDataClasses(ProvisionComponent provision, DataItem item) {
    Set<Code> matched = new LinkedHashSet<>();
    for (Coding coding : provision.getClass_()) {
      if (same(coding, item.resourceClass())) {
        matched.add(item.resourceClass());
      }
    }
    for (Coding coding : provision.getSecurityLabel()) {
      item.securityLabels().stream().filter(label -> same(coding, label)).forEach(matched::add);
    }
    for (CodeableConcept concept : provision.getCode()) {
      matched.addAll(matchingCodes(concept, item));
    }
    return matched;
  }

  private static boolean actorMatches(List<provisionActorComponent> actors, Recipient recipient) {
    return anyOrEmpty(actors, actor -> designates(actor.getReference(), recipient));
  }

  /** An actor names the recipient by identifier, by Organization/{id}, or by recipient kind. */
  static boolean designates(Reference reference, Recipient recipient) {
    Identifier identifier = reference.getIdentifier();
    if (identifier.hasSystem() && identifier.hasValue()) {
      boolean sameKind = Code.RECIPIENT_KIND.equals(identifier.getSystem()) && recipient.kind().equals(identifier.getValue());
      if (sameKind
          || recipient.isIdentifiedBy(new OrganisationIdentifier(identifier.getSystem(), identifier.getValue()))) {
        return true;
      }
    }
    if (reference.hasReference()) {
      IdType target = new IdType(reference.getReference());
      return !target.isAbsolute()
          && "Organization".equals(target.getResourceType())
          && recipient.id().equals(target.getIdPart());
    }
    return false;
  }

  private static boolean actionMatches(List<CodeableConcept> actions, Effect effect) {
    Set<String> relevant = effect == Effect.PERMIT ? PERMIT_ACTIONS : DENY_ACTIONS;
    return anyOrEmpty(
        actions,
        action -> action.getCoding().stream()
            .anyMatch(c -> CONSENT_ACTION.equals(c.getSystem()) && relevant.contains(c.getCode())));
  }

  private static boolean dataPeriodMatches(ProvisionComponent provision, Effect effect, DataItem item) {
    if (!provision.hasDataPeriod()) {
      return true;
    }
    return item.dataTime()
        .map(time -> FhirTime.covers(provision.getDataPeriod(), time))
        .orElse(effect == Effect.DENY);
  }

  /** provision.data names instances; the bundle only knows its own references, so match those. */
  private static boolean refersTo(provisionDataComponent data, DataItem item) {
    return data.hasReference() && item.reference().equals(data.getReference().getReference());
  }

  /** The consent codes of one concept that cover a code of the item (ICD-10 categories cover subcodes). */
  private static Set<Code> matchingCodes(CodeableConcept concept, DataItem item) {
    Set<Code> matched = new LinkedHashSet<>();
    for (Coding coding : concept.getCoding()) {
      if (coding.hasSystem() && coding.hasCode() && item.codes().stream().anyMatch(code -> covers(coding, code))) {
        matched.add(new Code(coding.getSystem(), coding.getCode()));
      }
    }
    return matched;
  }

  /**
   * An exact code, or for ICD-10 a category of at least three characters covering its subcodes
   * (F10 covers F10.2 and F102), so that "not about alcohol (F10)" also withholds F10.2.
   */
  static boolean covers(Coding consentCode, Code itemCode) {
    if (!itemCode.system().equals(consentCode.getSystem())) {
      return false;
    }
    if (itemCode.code().equals(consentCode.getCode())) {
      return true;
    }
    if (!ICD_10.equals(itemCode.system())) {
      return false;
    }
    String category = consentCode.getCode().replace(".", "").toUpperCase(Locale.ROOT);
    String code = itemCode.code().replace(".", "").toUpperCase(Locale.ROOT);
    return category.length() >= 3 && code.startsWith(category);
  }

  private static boolean same(Coding coding, Code code) {
    return code.system().equals(coding.getSystem()) && code.code().equals(coding.getCode());
  }

  private static <T> boolean anyOrEmpty(List<T> criteria, java.util.function.Predicate<T> matches) {
    return criteria.isEmpty() || criteria.stream().anyMatch(matches);
  }
}
