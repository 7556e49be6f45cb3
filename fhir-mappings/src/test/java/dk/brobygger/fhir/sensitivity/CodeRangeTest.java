package dk.brobygger.fhir.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodeRangeTest {

  @Test
  void aPrefixHoldsItselfAndItsSubcodesOnly() {
    CodeRange methadoneGroup = CodeRange.prefix("N07BC");

    assertThat(methadoneGroup.contains("N07BC")).isTrue();
    assertThat(methadoneGroup.contains("N07BC02")).isTrue();
    assertThat(methadoneGroup.contains("N07BB01")).isFalse();
    assertThat(methadoneGroup.contains("N07B")).isFalse();
  }

  @Test
  void aRangeComparesTheLeadingCharactersOfTheBoundsLength() {
    CodeRange substanceUse = new CodeRange("F10", "F19");

    assertThat(substanceUse.contains("F10")).isTrue();
    assertThat(substanceUse.contains("F15.24")).isTrue();
    assertThat(substanceUse.contains("F19.9")).isTrue();
    assertThat(substanceUse.contains("F09.9")).isFalse();
    assertThat(substanceUse.contains("F20")).isFalse();
  }

  @Test
  void boundsAreWrittenEitherWayAndReadWithoutDots() {
    assertThat(new CodeRange("z50.2", "Z50.3")).isEqualTo(new CodeRange("Z502", "Z503"));
    assertThat(new CodeRange("Z50.2", "Z50.3").contains("Z50.21")).isTrue();
  }
}
