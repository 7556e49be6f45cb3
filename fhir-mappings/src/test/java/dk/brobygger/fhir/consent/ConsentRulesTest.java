package dk.brobygger.fhir.consent;

import static dk.brobygger.fhir.consent.ConsentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsentRulesTest {

  private static Consent valid() {
    return consent("c1").provision(permit().actorKind("gp").nested(deny().label(PSY))).build();
  }

  private static Arguments broken(String name, Consumer<Consent> breakIt, String message) {
    Consent consent = valid();
    breakIt.accept(consent);
    return Arguments.of(Named.of(name, consent), message);
  }

  private static Consumer<Consent> patientIdentifier(String system, String value) {
    return consent -> consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value)));
  }

  static Stream<Arguments> brokenConsents() {
    return Stream.of(
        broken("a consent without status", c -> c.setStatusElement(null), "Consent rejected: Consent.status is missing"),
        broken("a consent with the placeholder status NULL", c -> c.setStatus(Consent.ConsentState.NULL),
            "Consent rejected: Consent.status is missing"),
        broken("a consent with a research scope", c -> c.getScope().getCodingFirstRep().setCode("research"),
            "Consent rejected: Consent.scope must be http://terminology.hl7.org/CodeSystem/consentscope|patient-privacy"),
        broken("a consent without scope", c -> c.setScope(null),
            "Consent rejected: Consent.scope must be http://terminology.hl7.org/CodeSystem/consentscope|patient-privacy"),
        broken("a consent without category", c -> c.getCategory().clear(),
            "Consent rejected: Consent.category is missing (at least one is required)"),
        broken("a consent without patient", c -> c.setPatient(null), "Consent rejected: Consent.patient is missing"),
        broken("a consent whose patient is a plain reference", c -> c.setPatient(new Reference("Patient/123")),
            "Consent rejected: Consent.patient.identifier needs both a system and a value"),
        broken("a consent whose patient identifier has no system", patientIdentifier(null, "0101701234"),
            "Consent rejected: Consent.patient.identifier needs both a system and a value"),
        broken("a consent whose patient identifier has no value", patientIdentifier(CitizenIdentifier.CPR, null),
            "Consent rejected: Consent.patient.identifier needs both a system and a value"),
        broken("a consent whose patient identifier system is not a citizen register", patientIdentifier("urn:oid:1.2.3", "42"),
            "Consent rejected: Consent.patient.identifier: identifier system 'urn:oid:1.2.3' is not a citizen identifier"
                + " system; use urn:oid:1.2.208.176.1.2 (CPR), urn:oid:1.2.208.176.1.6.1.1 (replacement CPR) or"
                + " https://brobygger.dk/sid/outreach-citizen (local outreach)"),
        broken("a consent with a CPR number of nine digits", patientIdentifier(CitizenIdentifier.CPR, "010170123"),
            "Consent rejected: Consent.patient.identifier: CPR number must be exactly 10 digits (DDMMYYSSSS, no dash)"),
        broken("a consent with a CPR number written with a dash", patientIdentifier(CitizenIdentifier.CPR, "010170-1234"),
            "Consent rejected: Consent.patient.identifier: CPR number must be exactly 10 digits (DDMMYYSSSS, no dash)"),
        broken("a consent with the CPR number 0000000000", patientIdentifier(CitizenIdentifier.CPR, "0000000000"),
            "Consent rejected: Consent.patient.identifier: CPR number does not begin with a valid date (DDMMYY)"),
        broken("a consent with a CPR number dated the 32nd", patientIdentifier(CitizenIdentifier.CPR, "3201801234"),
            "Consent rejected: Consent.patient.identifier: CPR number does not begin with a valid date (DDMMYY)"),
        broken("a consent with a CPR number dated month 13", patientIdentifier(CitizenIdentifier.CPR, "0113801234"),
            "Consent rejected: Consent.patient.identifier: CPR number does not begin with a valid date (DDMMYY)"),
        broken("a consent with a replacement CPR written with a dash",
            patientIdentifier(CitizenIdentifier.REPLACEMENT_CPR, "010170-AB12"),
            "Consent rejected: Consent.patient.identifier: replacement CPR number must be 1 to 10 letters or digits,"
                + " without spaces or dashes"),
        broken("a consent with a local outreach identifier containing a space",
            patientIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "street 42"),
            "Consent rejected: Consent.patient.identifier: local outreach identifier must be 1 to 64 characters of"
                + " A-Z, a-z, 0-9 and '-'"),
        broken("a consent without provision", c -> c.setProvision(null), "Consent rejected: Consent.provision is missing"),
        broken("a consent whose provision has no type", c -> c.getProvision().setType(null),
            "Consent rejected: Consent.provision.type is missing (permit or deny)"),
        broken("a consent whose second nested provision has no type",
            c -> c.getProvision().addProvision(deny().untyped().actorKind("hospital").build()),
            "Consent rejected: Consent.provision.provision[1].type is missing (permit or deny)"),
        broken("a consent with a modifier extension",
            c -> c.addModifierExtension(new Extension("https://example.invalid/x", new StringType("y"))),
            "Consent rejected: Consent.modifierExtension is not supported"),
        broken("a consent nesting provisions seventeen levels deep", ConsentRulesTest::nestSeventeenDeep,
            "Consent rejected: Consent.provision" + ".provision[0]".repeat(16) + " nests provisions deeper than 16 levels"));
  }

  private static void nestSeventeenDeep(Consent consent) {
    ConsentFixtures.ProvisionBuilder innermost = permit();
    for (int level = 0; level < 16; level++) {
      innermost = (level % 2 == 0 ? deny() : permit()).nested(innermost);
    }
    consent.setProvision(innermost.build());
  }

  @ParameterizedTest(name = "{0} is rejected")
  @MethodSource("brokenConsents")
  void rejectsABrokenConsentNamingTheProblem(Consent consent, String message) {
    assertThatThrownBy(() -> ConsentRules.validate(consent))
        .isInstanceOfSatisfying(Rejected.class, rejected -> {
          assertThat(rejected.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(rejected.diagnostics()).isEqualTo(message);
        });
  }

  @Test
  void acceptsAWellFormedConsent() {
    Consent consent = valid();

    ConsentRules.validate(consent);

    assertThat(ConsentRules.citizenOf(consent)).isEqualTo(CPR);
  }

  @Test
  void acceptsAReplacementCprThatIsNotTenDigits() {
    Consent consent = valid();
    patientIdentifier(CitizenIdentifier.REPLACEMENT_CPR, "010170AB12").accept(consent);

    ConsentRules.validate(consent);

    assertThat(ConsentRules.citizenOf(consent))
        .isEqualTo(new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, "010170AB12"));
  }

  @Test
  void findsTheCitizenOfAConsentByLocalOutreachIdentifier() {
    Consent consent = consent("c1").patient(LOCAL).provision(permit()).build();

    assertThat(ConsentRules.citizenOf(consent)).isEqualTo(LOCAL);
  }

  @Test
  void rejectsAStatusThatIsNotAConsentStateWhenParsedLeniently() {
    Consent consent = FhirContext.forR4Cached().newJsonParser()
        .setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(false))
        .parseResource(Consent.class, "{\"resourceType\":\"Consent\",\"status\":\"withdrawn\"}");

    assertThatThrownBy(() -> ConsentRules.validate(consent))
        .isInstanceOf(Rejected.class)
        .hasMessage("Consent rejected: Consent.status 'withdrawn' is not a known consent state");
  }

  @Test
  void citizenOfRejectsAConsentWithoutPatient() {
    Consent consent = valid().setPatient(null);

    assertThatThrownBy(() -> ConsentRules.citizenOf(consent))
        .isInstanceOf(Rejected.class)
        .hasMessage("Consent rejected: Consent.patient is missing");
  }
}
