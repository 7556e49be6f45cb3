package dk.brobygger.fhir.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CitizenIdentifiersTest {

  private static CitizenIdentifier cpr(String value) {
    return new CitizenIdentifier(CitizenIdentifier.CPR, value);
  }

  private static void assertRejected(CitizenIdentifier id, String fragment) {
    assertThatThrownBy(() -> CitizenIdentifiers.validate(id))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).contains(fragment);
        });
  }

  @Test
  void aTenDigitCprWithAValidDateIsAccepted() {
    assertThatCode(() -> CitizenIdentifiers.validate(cpr("0101801234"))).doesNotThrowAnyException();
  }

  @Test
  void aCprFailingModulus11IsStillAccepted() {
    int[] weights = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
    String value = "0101801234";
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      sum += (value.charAt(i) - '0') * weights[i];
    }
    assertThat(sum % 11).as("the sample number fails modulus 11").isNotZero();
    assertThatCode(() -> CitizenIdentifiers.validate(cpr(value))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0101801234x", "010180-1234", "010180123", "01018012345", "", "O101801234"})
  void aCprThatIsNotExactlyTenDigitsIsRejected(String value) {
    assertRejected(cpr(value), "CPR number must be exactly 10 digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3201801234", "0013801234", "3002801234", "2902811234", "0000001234"})
  void aCprWhoseFirstSixDigitsAreNoDateIsRejected(String value) {
    assertRejected(cpr(value), "does not begin with a valid date");
  }

  @Test
  void rejectionsDoNotRepeatTheCprNumber() {
    assertThatThrownBy(() -> CitizenIdentifiers.validate(cpr("3201801234")))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.diagnostics()).doesNotContain("3201801234"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0101801234, 1980-01-01",
    "0101363234, 1936-01-01",
    "0101364234, 2036-01-01",
    "0101374234, 1937-01-01",
    "0101369234, 2036-01-01",
    "0101379234, 1937-01-01",
    "0101575234, 2057-01-01",
    "0101585234, 1858-01-01",
    "0101058234, 2005-01-01",
    "0101998234, 1899-01-01",
    "2902004234, 2000-02-29",
  })
  void theCenturyOfTheBirthDateFollowsTheSeventhDigit(String value, LocalDate expected) {
    assertThat(CitizenIdentifiers.birthDate(cpr(value))).contains(expected);
  }

  @Test
  void february29thIsValidOnlyInALeapYearOfTheRightCentury() {
    // 29-02-00 with seventh digit 0-3 is 1900, not a leap year; with 4 it is 2000, a leap year.
    assertRejected(cpr("2902001234"), "does not begin with a valid date");
    assertThatCode(() -> CitizenIdentifiers.validate(cpr("2902004234"))).doesNotThrowAnyException();
  }

  @Test
  void birthDateIsEmptyForOtherSystemsAndMalformedNumbers() {
    assertThat(CitizenIdentifiers.birthDate(new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, "010180X7K2"))).isEmpty();
    assertThat(CitizenIdentifiers.birthDate(cpr("3201801234"))).isEmpty();
    assertThat(CitizenIdentifiers.birthDate(cpr("12345"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"010180X7K2", "X123", "0101801234"})
  void aCompactReplacementCprIsAccepted(String value) {
    assertThatCode(() -> CitizenIdentifiers.validate(new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, value)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "010180 X7K", "010180X7K2A", "010180-X7K"})
  void aReplacementCprThatIsEmptyTooLongOrHasSpacesIsRejected(String value) {
    assertRejected(new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, value), "replacement CPR number must be 1 to 10");
  }

  @Test
  void aLocalOutreachIdentifierOfLettersDigitsAndDashesIsAccepted() {
    assertThatCode(() -> CitizenIdentifiers.validate(
        new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svb-gsp-0042"))).doesNotThrowAnyException();
    assertThatCode(() -> CitizenIdentifiers.validate(
        new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "a".repeat(64)))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "svb gsp", "svb_gsp", "æble"})
  void aLocalOutreachIdentifierWithOtherCharactersIsRejected(String value) {
    assertRejected(new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, value), "local outreach identifier must be 1 to 64");
  }

  @Test
  void aLocalOutreachIdentifierLongerThan64CharactersIsRejected() {
    assertRejected(new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "a".repeat(65)), "1 to 64");
  }

  @Test
  void anUnknownSystemIsRejected() {
    assertRejected(new CitizenIdentifier("urn:oid:1.2.208.176.1.99", "0101801234"),
        "identifier system 'urn:oid:1.2.208.176.1.99' is not a citizen identifier system");
  }
}
