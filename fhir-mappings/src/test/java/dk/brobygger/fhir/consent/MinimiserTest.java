package dk.brobygger.fhir.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.Decision.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

class MinimiserTest {

  private static final String REFERRAL = "urn:uuid:referral";
  private static final String PATIENT = "urn:uuid:patient";
  private static final String ALCOHOL = "urn:uuid:condition-f10";
  private static final String PSYCHIATRIC = "https://brobygger.dk/fhir/Condition/psy-1";
  private static final String BLOOD_PRESSURE = "urn:uuid:observation-bp";
  private static final String ENCOUNTER = "urn:uuid:encounter";
  private static final String EXTENSION_URL = "https://brobygger.dk/fhir/StructureDefinition/related-condition";

  private static final Decision WITHHOLD_CONDITIONS = permitExcluding(ALCOHOL, PSYCHIATRIC);

  private static Decision permitExcluding(String... references) {
    return new Decision(Verdict.PERMIT, Optional.of(new ConsentVersion("c1", 3)), List.of("consent c1 permits"),
        Set.of(references), Set.of(new Code(Code.ACT_CODE, "PSY")));
  }

  /**
   * A referral message whose ServiceRequest points at two Conditions in every way a reference can
   * appear: in lists, in an extension, with a display text, from a contained resource, by fullUrl
   * and by Type/id, and from a single-valued element of another resource.
   */
  private static Bundle referralMessage() {
    Bundle bundle = new Bundle().setType(BundleType.MESSAGE);
    MessageHeader header = new MessageHeader()
        .setEvent(new Coding(Code.MESSAGE_EVENTS, "referral", null))
        .addFocus(new Reference(REFERRAL));
    Observation containedNote = new Observation();
    containedNote.setId("note");
    containedNote.addFocus(new Reference(ALCOHOL));
    ServiceRequest referral = new ServiceRequest();
    referral.getContained().add(containedNote);
    referral.setSubject(new Reference(PATIENT))
        .addSupportingInfo(new Reference(ALCOHOL))
        .addSupportingInfo(new Reference(BLOOD_PRESSURE))
        .addSupportingInfo(new Reference("Condition/psy-1"))
        .addSupportingInfo(new Reference("#note"))
        .addReasonReference(new Reference(ALCOHOL).setDisplay("Alkoholafhængighed"));
    referral.addExtension(new Extension(EXTENSION_URL, new Reference(ALCOHOL)));
    Condition alcohol = new Condition().setCode(new CodeableConcept(new Coding(ProvisionCriteria.ICD_10, "F10.2", null)));
    Condition psychiatric = new Condition();
    psychiatric.setId("psy-1");
    Observation bloodPressure = new Observation();
    bloodPressure.addFocus(new Reference(ALCOHOL));
    bloodPressure.addFocus(new Reference(PATIENT));
    Encounter encounter = new Encounter();
    encounter.addDiagnosis().setCondition(new Reference("Condition/psy-1/_history/2").setDisplay("Skizofreni"));
    add(bundle, "urn:uuid:header", header);
    add(bundle, REFERRAL, referral);
    add(bundle, PATIENT, new Patient());
    add(bundle, ALCOHOL, alcohol);
    add(bundle, PSYCHIATRIC, psychiatric);
    add(bundle, BLOOD_PRESSURE, bloodPressure);
    add(bundle, ENCOUNTER, encounter);
    return bundle;
  }

  private static void add(Bundle bundle, String fullUrl, Resource resource) {
    bundle.addEntry(new BundleEntryComponent().setFullUrl(fullUrl).setResource(resource));
  }

  private static String json(Bundle bundle) {
    return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
  }

  private static <T extends Resource> T resource(Bundle bundle, String fullUrl, Class<T> type) {
    return bundle.getEntry().stream()
        .filter(entry -> fullUrl.equals(entry.getFullUrl()))
        .map(entry -> type.cast(entry.getResource()))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> references(List<Reference> references) {
    return references.stream().map(Reference::getReference).toList();
  }

  @Test
  void removesTheExcludedEntries() {
    Bundle minimised = Minimiser.minimise(referralMessage(), WITHHOLD_CONDITIONS);

    assertThat(minimised.getEntry()).extracting(BundleEntryComponent::getFullUrl)
        .containsExactly("urn:uuid:header", REFERRAL, PATIENT, BLOOD_PRESSURE, ENCOUNTER);
  }

  @Test
  void removesReferencesToRemovedEntriesFromListsAndKeepsTheOthers() {
    Bundle minimised = Minimiser.minimise(referralMessage(), WITHHOLD_CONDITIONS);

    ServiceRequest referral = resource(minimised, REFERRAL, ServiceRequest.class);
    assertThat(references(referral.getSupportingInfo())).containsExactly(BLOOD_PRESSURE, "#note");
    assertThat(referral.getReasonReference()).isEmpty();
    assertThat(referral.getSubject().getReference()).isEqualTo(PATIENT);
    assertThat(references(resource(minimised, BLOOD_PRESSURE, Observation.class).getFocus())).containsExactly(PATIENT);
  }

  @Test
  void removesAnExtensionWhoseOnlyValueWasAReferenceToARemovedEntry() {
    Bundle minimised = Minimiser.minimise(referralMessage(), WITHHOLD_CONDITIONS);

    assertThat(resource(minimised, REFERRAL, ServiceRequest.class).getExtensionByUrl(EXTENSION_URL)).isNull();
  }

  @Test
  void scrubsReferencesInsideContainedResources() {
    Bundle minimised = Minimiser.minimise(referralMessage(), WITHHOLD_CONDITIONS);

    Observation note = (Observation) resource(minimised, REFERRAL, ServiceRequest.class).getContained().get(0);
    assertThat(note.getFocus()).isEmpty();
  }

  @Test
  void emptiesASingleValuedReferenceByTypeAndVersionedIdIncludingItsDisplay() {
    Bundle minimised = Minimiser.minimise(referralMessage(), WITHHOLD_CONDITIONS);

    Reference condition = resource(minimised, ENCOUNTER, Encounter.class).getDiagnosisFirstRep().getCondition();
    assertThat(condition.isEmpty()).isTrue();
    assertThat(condition.getDisplay()).isNull();
  }

  @Test
  void leavesNoTraceOfTheRemovedEntriesInTheEncodedMessage() {
    String encoded = json(Minimiser.minimise(referralMessage(), WITHHOLD_CONDITIONS));

    assertThat(encoded).doesNotContain("condition-f10", "psy-1", "F10.2", "Alkoholafhængighed", "Skizofreni", EXTENSION_URL);
  }

  @Test
  void dropsTheNarrativeOfWhatRemainsWhenSomethingIsWithheldBecauseFreeTextIsNotDecidedOn() {
    Bundle message = referralMessage();
    message.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(org.hl7.fhir.r4.model.ServiceRequest.class::isInstance)
        .map(org.hl7.fhir.r4.model.ServiceRequest.class::cast)
        .forEach(request -> request.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
            .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Henvises pga. alkoholafhængighed</div>"));

    String withheld = json(Minimiser.minimise(message, WITHHOLD_CONDITIONS));
    String nothingWithheld = json(Minimiser.minimise(message, permitExcluding()));

    assertThat(withheld).doesNotContain("alkoholafhængighed").doesNotContain("\"text\"");
    assertThat(nothingWithheld).contains("alkoholafhængighed");
  }

  @Test
  void leavesTheOriginalMessageUntouched() {
    Bundle original = referralMessage();
    String before = json(original);

    Bundle minimised = Minimiser.minimise(original, WITHHOLD_CONDITIONS);

    assertThat(json(original)).isEqualTo(before);
    assertThat(original.getEntry()).hasSize(7);
    assertThat(minimised).isNotSameAs(original);
  }

  @Test
  void returnsAnEqualCopyWhenNothingIsExcluded() {
    Bundle original = referralMessage();

    Bundle minimised = Minimiser.minimise(original, permitExcluding());

    assertThat(minimised).isNotSameAs(original);
    assertThat(minimised.equalsDeep(original)).isTrue();
  }

  @Test
  void ignoresExcludedReferencesThatAreNotInTheMessage() {
    Bundle minimised = Minimiser.minimise(referralMessage(), permitExcluding("urn:uuid:not-in-this-message"));

    assertThat(minimised.getEntry()).hasSize(7);
  }

  @Test
  void refusesADenyDecision() {
    Decision deny = Decision.deny(Optional.empty(), List.of("no active consent of the citizen permits disclosure"));

    assertThatThrownBy(() -> Minimiser.minimise(referralMessage(), deny))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deny");
  }

  @Test
  void refusesADecisionThatExcludesTheMessageFocus() {
    Bundle original = referralMessage();
    String before = json(original);

    assertThatThrownBy(() -> Minimiser.minimise(original, permitExcluding(REFERRAL)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the decision excludes the message focus");
    assertThat(json(original)).isEqualTo(before);
  }

  @Test
  void refusesADecisionThatExcludesTheMessageHeader() {
    assertThatThrownBy(() -> Minimiser.minimise(referralMessage(), permitExcluding("urn:uuid:header")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the decision excludes the MessageHeader");
  }

  @Test
  void refusesADecisionThatExcludesTheFocusByTypeAndId() {
    Bundle message = referralMessage();
    message.getEntry().get(0).getResource().setId("header");
    ((MessageHeader) message.getEntry().get(0).getResource()).setFocus(List.of(new Reference("Condition/psy-1")));

    assertThatThrownBy(() -> Minimiser.minimise(message, permitExcluding(PSYCHIATRIC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the decision excludes the message focus");
  }

  @Test
  void refusesABundleWithoutMessageHeader() {
    Bundle notAMessage = new Bundle().setType(BundleType.COLLECTION);
    add(notAMessage, PATIENT, new Patient());

    assertThatThrownBy(() -> Minimiser.minimise(notAMessage, permitExcluding()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the bundle has no MessageHeader");
  }
}
