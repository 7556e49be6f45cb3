package dk.brobygger.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dk.brobygger.gateway.db.Refusal;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every domain outcome a store refuses with has exactly one answer, given in one place. */
class DomainOutcomesTest {

  @Test
  void everyRefusalInTheGatewayIsAnsweredWithAClientError() {
    Set<String> refusals = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dk.brobygger.gateway").stream()
        .filter(c -> c.isAssignableTo(Refusal.class) && !c.getModifiers().contains(JavaModifier.ABSTRACT))
        .map(JavaClass::getName)
        .collect(Collectors.toSet());

    assertThat(refusals).isNotEmpty();
    assertThat(DomainOutcomes.KINDS.keySet()).extracting(Class::getName).containsExactlyInAnyOrderElementsOf(refusals);
    assertThat(DomainOutcomes.KINDS.values()).allSatisfy(kind ->
        assertThat(FhirResponses.status(kind)).isBetween(400, 499));
  }

  @Test
  void aRefusalNobodyListedGetsNoClientAnswerSoItFailsAsOurs() {
    Refusal unlisted = new Refusal("Consent rejected: something new") {};

    assertThat(DomainOutcomes.rejected(unlisted)).isEmpty();
  }
}
