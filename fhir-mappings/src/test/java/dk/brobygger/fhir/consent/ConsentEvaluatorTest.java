package dk.brobygger.fhir.consent;

import static dk.brobygger.fhir.consent.ConsentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.Decision.Verdict;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConsentEvaluatorTest {

  private final ConsentEvaluator evaluator = new ConsentEvaluator();

  /** One row of the table: the consents in the store, the question, and the expected decision. */
  record Case(List<Consent> consents, DisclosureRequest request, Expect expect) {}

  /** The expected decision; excluded references and classes default to none. */
  record Expect(Verdict verdict, Optional<ConsentVersion> basis, Set<String> excluded, Set<Code> classes, String reason) {

    static Expect permitOn(String consentId) {
      return new Expect(Verdict.PERMIT, Optional.of(new ConsentVersion(consentId, 1)), Set.of(), Set.of(),
          "consent " + consentId + " permits disclosure to");
    }

    static Expect deniedBy(String consentId) {
      return new Expect(Verdict.DENY, Optional.of(new ConsentVersion(consentId, 1)), Set.of(), Set.of(),
          "consent " + consentId + " denies disclosure of the ServiceRequest to");
    }

    static Expect withdrawn(String consentId) {
      return new Expect(Verdict.DENY, Optional.of(new ConsentVersion(consentId, 1)), Set.of(), Set.of(),
          "consent " + consentId + ", which permitted disclosure to");
    }

    static Expect defaultDeny(String reason) {
      return new Expect(Verdict.DENY, Optional.empty(), Set.of(), Set.of(), reason);
    }

    Expect excluding(DataItem... items) {
      return new Expect(verdict, basis, Set.copyOf(Arrays.stream(items).map(DataItem::reference).toList()), classes, reason);
    }

    Expect withClasses(Code... excludedClasses) {
      return new Expect(verdict, basis, excluded, Set.of(excludedClasses), reason);
    }

    Expect because(String fragment) {
      return new Expect(verdict, basis, excluded, classes, fragment);
    }
  }

  private static Named<Case> row(String name, DisclosureRequest request, Expect expect, Consent... consents) {
    return Named.of(name, new Case(List.of(consents), request, expect));
  }

  private static final String NOTHING_FOR_GP = "no active consent of the citizen permits disclosure to Lægerne Lindegården (gp) for TREAT";

  static Stream<Named<Case>> table() {
    Instant secondEnd = Instant.parse("2025-03-10T09:59:59Z");
    DateTimeType dayEnd = new DateTimeType(
        Date.from(Instant.parse("2025-03-10T00:00:00Z")), TemporalPrecisionEnum.DAY, TimeZone.getTimeZone("UTC"));
    return Stream.of(
        row("no consent at all is a default deny", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP)),
        row("a consent for another recipient does not permit disclosure to the GP", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP),
            consent("c1").provision(permit().actorIdentifier(HOSPITAL_SOR)).build()),
        row("a consent naming the recipient by SOR identifier permits", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorIdentifier(GP_SOR)).build()),
        row("a consent naming the recipient by its second identifier (GLN) permits", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorIdentifier(GP_GLN)).build()),
        row("a consent naming the recipient by Organization/id permits", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorReference("Organization/gp-lindegaarden")).build()),
        row("a consent naming another Organization/id does not permit", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP),
            consent("c1").provision(permit().actorReference("Organization/svendborg-sygehus")).build()),
        row("a consent naming the recipient kind permits any recipient of that kind", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorKind("gp")).build()),
        row("a consent naming another recipient kind does not permit", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 does not cover this recipient, purpose or data"),
            consent("c1").provision(permit().actorKind("hospital")).build()),
        row("a consent for another purpose does not permit treatment", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP),
            consent("c1").provision(permit().actorKind("gp").purpose(RESEARCH)).build()),
        row("a consent for the purpose of treatment permits a referral", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorKind("gp").purpose(Code.TREATMENT)).build()),
        row("a permit limited to the action access does not permit disclosure", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP),
            consent("c1").provision(permit().actorKind("gp").action("access")).build()),
        row("a permit for the action disclose permits", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorKind("gp").action("disclose")).build()),
        row("an expired consent does not permit", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 expired at"),
            consent("c1").provision(permit().period(AT.minusSeconds(86_400 * 10), AT.minusSeconds(86_400))).build()),
        row("a consent whose period ends exactly at the decision time is still valid", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().period(AT.minusSeconds(86_400), AT)).build()),
        row("a consent whose period ended one millisecond before the decision time has expired", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 expired at 2025-03-10T09:59:59.999Z"),
            consent("c1").provision(permit().period(AT.minusSeconds(86_400), AT.minusMillis(1))).build()),
        row("a consent not valid until after the decision time does not permit", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 is not valid until 2025-03-10T10:00:00.001Z"),
            consent("c1").provision(permit().period(AT.plusMillis(1), null)).build()),
        row("a consent whose period starts exactly at the decision time is valid", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().period(AT, null)).build()),
        row("a period end given to the second covers the whole of that second", 
            request(List.of(CPR), GP, Code.TREATMENT, secondEnd.plusMillis(999), REFERRAL), Expect.permitOn("c1"),
            consent("c1").provision(permit().period(null, new DateTimeType("2025-03-10T09:59:59Z"))).build()),
        row("a period end given to the second is over at the next second",
            request(List.of(CPR), GP, Code.TREATMENT, secondEnd.plusSeconds(1), REFERRAL),
            Expect.defaultDeny(NOTHING_FOR_GP).because("expired"),
            consent("c1").provision(permit().period(null, new DateTimeType("2025-03-10T09:59:59Z"))).build()),
        row("a period end given as a day covers the last millisecond of that day",
            request(List.of(CPR), GP, Code.TREATMENT, Instant.parse("2025-03-10T23:59:59.999Z"), REFERRAL), Expect.permitOn("c1"),
            consent("c1").provision(permit().period(null, dayEnd)).build()),
        row("a period end given as a day is over at midnight",
            request(List.of(CPR), GP, Code.TREATMENT, Instant.parse("2025-03-11T00:00:00Z"), REFERRAL),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 expired at 2025-03-10T23:59:59.999Z"),
            consent("c1").provision(permit().period(null, dayEnd)).build()),
        row("a consent dated after the decision time does not permit", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 is dated after the time of the decision"),
            consent("c1").recordedAt(AT.plusMillis(1)).provision(permit()).build()),
        row("a consent dated exactly at the decision time permits", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").recordedAt(AT).provision(permit()).build()),
        row("a withdrawn (inactive) consent does not permit, and the denial rests on the withdrawal", referralTo(GP),
            Expect.withdrawn("c1").because("consent c1 is not active (status inactive)"),
            consent("c1").status(ConsentState.INACTIVE).provision(permit()).build()),
        row("a withdrawal under one identifier wins over an older permit under a linked one",
            request(List.of(CPR, LOCAL), GP, Code.TREATMENT, AT, REFERRAL),
            Expect.withdrawn("c2").because("consent c1 was recorded before consent c2, which permitted this disclosure,"
                + " was withdrawn; a withdrawal wins"),
            consent("c1").patient(LOCAL).stored(AT.minusSeconds(7200)).provision(permit()).build(),
            consent("c2").status(ConsentState.INACTIVE).stored(AT.minusSeconds(3600)).provision(permit()).build()),
        row("a withdrawal without a stored time wins over every older permit (fail closed)",
            request(List.of(CPR, LOCAL), GP, Code.TREATMENT, AT, REFERRAL), Expect.withdrawn("c2"),
            consent("c1").patient(LOCAL).stored(AT.minusSeconds(60)).provision(permit()).build(),
            consent("c2").status(ConsentState.INACTIVE).provision(permit()).build()),
        row("a consent stored after the withdrawal permits again",
            request(List.of(CPR, LOCAL), GP, Code.TREATMENT, AT, REFERRAL), Expect.permitOn("c1"),
            consent("c1").patient(LOCAL).stored(AT.minusSeconds(60)).provision(permit()).build(),
            consent("c2").status(ConsentState.INACTIVE).stored(AT.minusSeconds(3600)).provision(permit()).build()),
        row("the withdrawal of a consent that only covered the hospital does not stop disclosure to the GP",
            request(List.of(CPR, LOCAL), GP, Code.TREATMENT, AT, REFERRAL), Expect.permitOn("c1"),
            consent("c1").patient(LOCAL).stored(AT.minusSeconds(7200)).provision(permit().actorKind("gp")).build(),
            consent("c2").status(ConsentState.INACTIVE).stored(AT.minusSeconds(3600))
                .provision(permit().actorKind("hospital")).build()),
        row("a draft consent does not permit", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP).because("(status draft)"),
            consent("c1").status(ConsentState.DRAFT).provision(permit()).build()),
        row("a proposed consent does not permit", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP).because("(status proposed)"),
            consent("c1").status(ConsentState.PROPOSED).provision(permit()).build()),
        row("a rejected consent does not permit", referralTo(GP), Expect.defaultDeny(NOTHING_FOR_GP).because("(status rejected)"),
            consent("c1").status(ConsentState.REJECTED).provision(permit()).build()),
        row("an entered-in-error consent does not permit", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("(status entered-in-error)"),
            consent("c1").status(ConsentState.ENTEREDINERROR).provision(permit()).build()),
        row("a withdrawn deny no longer blocks an active permit", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().actorKind("gp")).build(),
            consent("c2").status(ConsentState.INACTIVE).provision(deny()).build()),
        row("a base deny consent denies with itself as basis", referralTo(GP), Expect.deniedBy("c1"),
            consent("c1").provision(deny()).build()),
        row("a base permit with a nested deny for addiction centres still permits the GP", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit().nested(deny().actorKind("addiction-centre"))).build()),
        row("a base permit with a nested deny for addiction centres denies the addiction centre", referralTo(ADDICTION_CENTRE),
            Expect.deniedBy("c1").because("consent c1 denies disclosure of the ServiceRequest to Misbrugscenter Ringsted (addiction-centre) for TREAT"),
            consent("c1").provision(permit().nested(deny().actorKind("addiction-centre"))).build()),
        row("a base deny with a nested permit for the GP permits the GP", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(deny().nested(permit().actorKind("gp"))).build()),
        row("a base deny with a nested permit for the GP denies the hospital", referralTo(HOSPITAL),
            Expect.deniedBy("c1").because("to Svendborg Sygehus (hospital) for TREAT"),
            consent("c1").provision(deny().nested(permit().actorKind("gp"))).build()),
        row("a deny nested inside a nested permit carves out again", referralTo(GP, PSYCHIATRIC_CONDITION),
            Expect.permitOn("c1").excluding(PSYCHIATRIC_CONDITION).withClasses(PSY),
            consent("c1").provision(deny().nested(permit().actorKind("gp").nested(deny().label(PSY)))).build()),
        row("two conflicting consents deny, and the deny is the basis", referralTo(GP), Expect.deniedBy("c2"),
            consent("c1").recordedAt(AT.minusSeconds(60)).provision(permit().actorKind("gp")).build(),
            consent("c2").recordedAt(AT.minusSeconds(3600)).provision(deny().actorKind("gp")).build()),
        row("a deny for another recipient in a second consent does not block the GP", referralTo(GP), Expect.permitOn("c1"),
            consent("c1").provision(permit()).build(),
            consent("c2").provision(deny().actorKind("addiction-centre")).build()),
        row("two permits rest on the newest consent", referralTo(GP), Expect.permitOn("c2"),
            consent("c1").recordedAt(AT.minusSeconds(7200)).provision(permit().actorKind("gp")).build(),
            consent("c2").recordedAt(AT.minusSeconds(60)).provision(permit().actorIdentifier(GP_SOR)).build()),
        row("a deny on security label PSY withholds a psychiatric Condition and permits the rest",
            referralTo(GP, PSYCHIATRIC_CONDITION, BLOOD_PRESSURE),
            Expect.permitOn("c1").excluding(PSYCHIATRIC_CONDITION).withClasses(PSY)
                .because("Condition urn:uuid:condition-psy is withheld: consent c1 denies it"),
            consent("c1").provision(permit().nested(deny().label(PSY))).build()),
        row("a deny on security label PSY on the focus itself denies the disclosure",
            request(List.of(CPR), GP, Code.TREATMENT, AT,
                item("urn:uuid:psy-referral", "ServiceRequest", Set.of(PSY), Set.of(), Optional.empty())),
            Expect.deniedBy("c1").withClasses(PSY),
            consent("c1").provision(permit().nested(deny().label(PSY))).build()),
        row("a class exclusion of Observation withholds the blood pressure", referralTo(GP, BLOOD_PRESSURE),
            Expect.permitOn("c1").excluding(BLOOD_PRESSURE).withClasses(Code.resourceType("Observation")),
            consent("c1").provision(permit().nested(deny().resourceClass("Observation"))).build()),
        row("a code exclusion of ICD-10 F10 withholds a Condition coded F10.2", referralTo(GP, ALCOHOL_CONDITION, OPIOID_CONDITION),
            Expect.permitOn("c1").excluding(ALCOHOL_CONDITION).withClasses(F10),
            consent("c1").provision(permit().nested(deny().code(F10))).build()),
        row("an item no permit covers is withheld without an excluded class", referralTo(GP, BLOOD_PRESSURE),
            Expect.permitOn("c1").excluding(BLOOD_PRESSURE).because("Observation urn:uuid:observation-bp is withheld: no consent permits it"),
            consent("c1").provision(permit().resourceClass("ServiceRequest")).build()),
        row("a deny of data from before 2020 withholds the old result and keeps the recent one",
            referralTo(GP, OLD_BLOOD_SUGAR, BLOOD_PRESSURE),
            Expect.permitOn("c1").excluding(OLD_BLOOD_SUGAR).withClasses(Code.resourceType("Observation")),
            consent("c1").provision(permit().nested(
                deny().resourceClass("Observation").dataPeriod(null, Instant.parse("2019-12-31T23:59:59.999Z")))).build()),
        row("a dataPeriod-restricted deny also catches an item of unknown time", referralTo(GP, UNDATED_NOTE, BLOOD_PRESSURE),
            Expect.permitOn("c1").excluding(UNDATED_NOTE).withClasses(Code.resourceType("Observation")),
            consent("c1").provision(permit().nested(
                deny().resourceClass("Observation").dataPeriod(null, Instant.parse("2019-12-31T23:59:59.999Z")))).build()),
        row("a dataPeriod-restricted permit does not cover an item of unknown time",
            request(List.of(CPR), GP, Code.TREATMENT, AT, DATED_REFERRAL, UNDATED_NOTE, BLOOD_PRESSURE),
            Expect.permitOn("c1").excluding(UNDATED_NOTE),
            consent("c1").provision(deny().nested(permit().dataPeriod(Instant.parse("2025-01-01T00:00:00Z"), null))).build()),
        row("a consent about another citizen does not permit", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 is about another citizen"),
            consent("c1").patient(OTHER_CITIZEN).provision(permit()).build()),
        row("a consent on the citizen's second identifier counts",
            request(List.of(CPR, LOCAL), GP, Code.TREATMENT, AT, REFERRAL), Expect.permitOn("c1"),
            consent("c1").patient(LOCAL).provision(permit()).build()),
        row("a consent with another scope does not count", referralTo(GP),
            Expect.defaultDeny(NOTHING_FOR_GP).because("consent c1 is not a patient-privacy consent"),
            consent("c1").scope(ConsentRules.CONSENT_SCOPE, "research").provision(permit()).build()),
        row("a consent with a malformed version makes the decision fail closed", referralTo(GP),
            Expect.defaultDeny("error while deciding: consent c1 has a malformed version"),
            consent("c1").version("seven").provision(permit()).build()),
        row("a consent with a nested provision without type makes the decision fail closed", referralTo(GP),
            Expect.defaultDeny("error while deciding: consent c1 has a provision without a permit or deny type"),
            consent("c1").provision(permit().nested(deny().untyped().label(PSY))).build()),
        row("a consent with a modifier extension makes the decision fail closed", referralTo(GP),
            Expect.defaultDeny("error while deciding: consent c1 has a modifier extension"),
            withModifierExtension(consent("c1").provision(permit()).build())),
        row("a focus that is not among the items makes the decision fail closed",
            new DisclosureRequest(List.of(CPR), GP, Code.TREATMENT, List.of(BLOOD_PRESSURE), REFERRAL.reference(), AT),
            Expect.defaultDeny("error while deciding: the message focus is not among the items to disclose"),
            consent("c1").provision(permit()).build()));
  }

  private static Consent withModifierExtension(Consent consent) {
    consent.addModifierExtension(new Extension("https://example.invalid/only-on-sundays", new StringType("yes")));
    return consent;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decidesEachCaseAsTheTableSays(Case row) {
    Decision decision = evaluator.decide(row.consents(), row.request());

    assertThat(decision.verdict()).as("verdict").isEqualTo(row.expect().verdict());
    assertThat(decision.basis()).as("basis").isEqualTo(row.expect().basis());
    assertThat(decision.excludedReferences()).as("excluded references").isEqualTo(row.expect().excluded());
    assertThat(decision.excludedClasses()).as("excluded classes").isEqualTo(row.expect().classes());
    assertThat(decision.reasons()).as("reasons").anySatisfy(reason -> assertThat(reason).contains(row.expect().reason()));
  }

  @Test
  void theTableHoldsAtLeastThirtyFiveCases() {
    assertThat(table().count()).isGreaterThanOrEqualTo(35);
  }

  @Test
  void aNullInTheConsentListIsADenyNotAnException() {
    Decision decision = evaluator.decide(Arrays.asList(consent("c1").provision(permit()).build(), null), referralTo(GP));

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.basis()).isEmpty();
    assertThat(decision.reasons()).containsExactly("error while deciding: unexpected NullPointerException");
  }

  @Test
  void aDenyDecisionListsWhyEachStoredConsentDidNotApply() {
    Decision decision = evaluator.decide(
        List.of(
            consent("c1").status(ConsentState.INACTIVE).provision(permit()).build(),
            consent("c2").patient(OTHER_CITIZEN).provision(permit()).build()),
        referralTo(GP));

    assertThat(decision.reasons()).containsExactly(
        "consent c1, which permitted disclosure to Lægerne Lindegården (gp) for TREAT, was withdrawn, and no consent"
            + " recorded since permits it",
        "consent c1 is not active (status inactive)", "consent c2 is about another citizen");
  }

  @Test
  void theBasisCarriesTheStoredVersionNumber() {
    Decision decision = evaluator.decide(List.of(consent("c1").version("42").provision(permit()).build()), referralTo(GP));

    assertThat(decision.basis()).contains(new ConsentVersion("c1", 42));
    assertThat(decision.basis().orElseThrow().reference()).isEqualTo("Consent/c1/_history/42");
  }

  @Test
  void theSameInputsGiveTheSameDecisionWhateverTheOrderOfTheConsents() {
    Consent older = consent("c1").recordedAt(AT.minusSeconds(7200)).provision(permit()).build();
    Consent newer = consent("c2").recordedAt(AT.minusSeconds(60)).provision(permit().nested(deny().label(PSY))).build();
    DisclosureRequest request = referralTo(GP, PSYCHIATRIC_CONDITION);

    assertThat(evaluator.decide(List.of(older, newer), request))
        .isEqualTo(evaluator.decide(List.of(newer, older), request));
  }
}
