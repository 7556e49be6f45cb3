package dk.brobygger.fhir.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Failed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SensitivityLabelsTest {

  static final Code ETH = new Code(Code.ACT_CODE, "ETH");
  static final Code SUD = new Code(Code.ACT_CODE, "SUD");
  static final Code PSY = new Code(Code.ACT_CODE, "PSY");
  static final Code HIV = new Code(Code.ACT_CODE, "HIV");
  static final Code N = new Code(Code.CONFIDENTIALITY, "N");
  static final Code R = new Code(Code.CONFIDENTIALITY, "R");
  static final Code V = new Code(Code.CONFIDENTIALITY, "V");
  static final String LOINC = "http://loinc.org";

  private final SensitivityLabels table = SensitivityLabels.defaults();

  private static Code icd10(String code) {
    return new Code(SensitivityLabels.ICD_10, code);
  }

  private static Code sks(String code) {
    return new Code(SensitivityLabels.SKS, code);
  }

  private static Code atc(String code) {
    return new Code(SensitivityLabels.ATC, code);
  }

  private Set<Code> labelsOf(Code code) {
    return table.labelsFor(Set.of(code));
  }

  @Test
  void alcoholDependenceIsSubstanceUseInformationAndRestricted() {
    assertThat(labelsOf(icd10("F10.2"))).containsExactlyInAnyOrder(ETH, SUD, R);
  }

  @Test
  void paranoidSchizophreniaIsPsychiatricInformationButNotSubstanceUse() {
    assertThat(labelsOf(icd10("F20.0"))).containsExactlyInAnyOrder(PSY, R);
  }

  @Test
  void hivDiseaseIsHivInformation() {
    assertThat(labelsOf(icd10("B20"))).containsExactlyInAnyOrder(HIV, R);
    assertThat(labelsOf(icd10("Z21"))).containsExactlyInAnyOrder(HIV, R);
  }

  @Test
  void copdAndTheStreetHealthDayMeasurementsCarryNoLabel() {
    assertThat(table.labelsFor(Set.of(
        icd10("J44"),
        new Code(LOINC, "85354-9"),
        new Code(LOINC, "2339-0"),
        new Code(LOINC, "20150-9")))).isEmpty();
  }

  @ParameterizedTest(name = "ICD-10 {0} is {1}")
  @CsvSource({
      "F00.1, psychiatric", "F03, psychiatric", "F09, psychiatric",
      "F10, substance use", "F11.2, substance use", "F19.9, substance use",
      "F20, psychiatric", "F32.1, psychiatric", "F99, psychiatric",
      "B19.2, not labelled", "B20, hiv", "B24, hiv", "B25.0, not labelled",
      "Z50.2, substance use", "Z71.5, substance use", "Z71.6, not labelled",
      "G30.1, not labelled", "F1, not labelled"})
  void rangesIncludeBothBoundsAndEverySubcodeAndNothingBeyond(String code, String expected) {
    Set<Code> expectedLabels = switch (expected) {
      case "psychiatric" -> Set.of(PSY, R);
      case "substance use" -> Set.of(ETH, SUD, R);
      case "hiv" -> Set.of(HIV, R);
      default -> Set.of();
    };
    assertThat(labelsOf(icd10(code))).isEqualTo(expectedLabels);
  }

  @ParameterizedTest
  @ValueSource(strings = {"F102", "f10.2", " F10.2 "})
  void icd10CodesCompareWithoutDotsCaseOrSurroundingSpace(String written) {
    assertThat(labelsOf(icd10(written))).containsExactlyInAnyOrder(ETH, SUD, R);
  }

  @Test
  void danishSksDiagnosisCodesAreLabelledLikeTheIcd10CodeAfterTheirD() {
    assertThat(labelsOf(sks("DF102"))).containsExactlyInAnyOrder(ETH, SUD, R);
    assertThat(labelsOf(sks("DF20.0"))).containsExactlyInAnyOrder(PSY, R);
    assertThat(labelsOf(sks("DB20"))).containsExactlyInAnyOrder(HIV, R);
    assertThat(labelsOf(sks("DJ44"))).isEmpty();
  }

  @Test
  void theSksFormIsNotReadAsPlainIcd10OrTheOtherWayRound() {
    assertThat(labelsOf(icd10("DF102"))).isEmpty();
    assertThat(labelsOf(sks("F102"))).isEmpty();
  }

  @Test
  void opioidSubstitutionAndAlcoholDependenceMedicinesAreSubstanceUseInformation() {
    assertThat(labelsOf(atc("N07BC02"))).as("methadone").containsExactlyInAnyOrder(ETH, SUD, R);
    assertThat(labelsOf(atc("N07BC01"))).as("buprenorphine").containsExactlyInAnyOrder(ETH, SUD, R);
    assertThat(labelsOf(atc("N07BB01"))).as("disulfiram").containsExactlyInAnyOrder(ETH, SUD, R);
    assertThat(labelsOf(sks("MN07BC02"))).as("methadone, SKS").containsExactlyInAnyOrder(ETH, SUD, R);
  }

  @Test
  void otherOpioidsAndNicotineReplacementAreNotLabelled() {
    assertThat(labelsOf(atc("N02AA01"))).as("morphine").isEmpty();
    assertThat(labelsOf(atc("N07BA01"))).as("nicotine").isEmpty();
  }

  @Test
  void theSameCodeTextInAnotherSystemIsNotLabelled() {
    assertThat(labelsOf(new Code("http://snomed.info/sct", "F10.2"))).isEmpty();
  }

  @Test
  void severalSensitiveCodesGiveEveryLabelAndOneConfidentialityLevel() {
    assertThat(table.labelsFor(Set.of(icd10("F10.2"), icd10("F20.0"), icd10("J44"))))
        .containsExactlyInAnyOrder(ETH, SUD, PSY, R);
  }

  @Test
  void labelsTheSenderGaveAreKeptAndInferredOnesAdded() {
    Code taboo = new Code(Code.ACT_CODE, "TBOO");

    assertThat(table.withInferred(Set.of(taboo, SUD), Set.of(icd10("F10.2"))))
        .containsExactlyInAnyOrder(taboo, SUD, ETH, R);
    assertThat(table.withInferred(Set.of(PSY), Set.of(icd10("J44")))).containsExactly(PSY);
  }

  @Test
  void inferenceRaisesConfidentialityToRestrictedButNeverBelowWhatTheSenderGave() {
    assertThat(table.withInferred(Set.of(N), Set.of(icd10("F10.2")))).containsExactlyInAnyOrder(N, R, ETH, SUD);
    assertThat(table.withInferred(Set.of(V), Set.of(icd10("F10.2")))).containsExactlyInAnyOrder(V, ETH, SUD);
    assertThat(table.withInferred(Set.of(R), Set.of(icd10("F10.2")))).containsExactlyInAnyOrder(R, ETH, SUD);
  }

  @Test
  void aTableOfTheOperatorsReplacesTheDefault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("labels.json");
    Files.writeString(file, """
        {
          "categories": {
            "tobacco": {"about": "smoking", "labels": [{"system": "https://example.org/labels", "code": "TOBACCO"}]}
          },
          "rules": [
            {"category": "tobacco", "system": "http://hl7.org/fhir/sid/icd-10", "prefix": "Z72.0", "about": "Tobacco use"}
          ]
        }
        """, StandardCharsets.UTF_8);

    SensitivityLabels own = SensitivityLabels.load(file);

    assertThat(own.labelsFor(Set.of(icd10("Z72.0")))).containsExactly(new Code("https://example.org/labels", "TOBACCO"));
    assertThat(own.labelsFor(Set.of(icd10("F10.2")))).isEmpty();
  }

  @Test
  void aMissingTableFileFailsNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-table.json");

    assertThatThrownBy(() -> SensitivityLabels.load(missing))
        .isInstanceOfSatisfying(Failed.class, failed -> {
          assertThat(failed.getMessage()).contains("no-such-table.json");
          assertThat(failed.isTransient()).isFalse();
        });
  }

  private static final String LABELS = """
      "categories": {"sud": {"about": "x", "labels": [
        {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "SUD"}]}}""";

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {LABELS, "rules": [{"category": "psy", "system": "s", "prefix": "F2", "about": "a"}]}                        | category 'psy' is not among
      {LABELS, "rules": [{"category": "sud", "system": "s", "prefix": "F1", "from": "F10", "to": "F19", "about": "a"}]} | give either "prefix" or both "from" and "to"
      {LABELS, "rules": [{"category": "sud", "system": "s", "from": "F19", "to": "F10", "about": "a"}]}           | 'F19' comes after 'F10'
      {LABELS, "rules": [{"category": "sud", "system": "s", "from": "F10", "to": "F199", "about": "a"}]}          | must have the same length
      {LABELS, "rules": [{"category": "sud", "system": "s", "from": "F10", "about": "a"}]}                        | "to" is missing
      {LABELS, "rules": [{"category": "sud", "prefix": "F10", "about": "a"}]}                                    | "system" is missing
      {LABELS, "rules": [{"category": "sud", "system": "s", "prefix": "F10"}]}                                   | "about" is missing
      {LABELS, "rules": [{"category": "sud", "system": "s", "prefix": "F10", "about": "a", "labels": []}]}       | is not a valid table
      {LABELS, "rules": [], "rules": []}                                                                         | is not a valid table
      {LABELS}                                                                                                   | needs both "categories" and "rules"
      {"categories": {"c": {"about": "x", "labels": []}}, "rules": [{"category": "c", "system": "s", "prefix": "F", "about": "a"}]} | category 'c' has no labels
      {"categories": {"c": {"about": "x", "labels": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "X"}]}}, "rules": [{"category": "c", "system": "s", "prefix": "F", "about": "a"}]} | confidentiality 'X', which is not one of
      not json                                                                                                   | is not a valid table
      """)
  void aDoubtfulTableIsRefusedWholeNamingTheProblem(String json, String problem) {
    byte[] table = json.replace("LABELS", LABELS).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SensitivityLabels.fromJson(table, "test-table"))
        .isInstanceOf(Failed.class)
        .hasMessageStartingWith("sensitivity label table test-table ")
        .hasMessageContaining(problem);
  }

  @Test
  void theDefaultTableIsReadOnceAndShared() {
    assertThat(SensitivityLabels.defaults()).isSameAs(SensitivityLabels.defaults());
  }
}
