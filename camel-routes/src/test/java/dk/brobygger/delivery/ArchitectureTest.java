package dk.brobygger.delivery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Egress layering: the delivery flow uses the sealing crypto, never the other way round. */
class ArchitectureTest {

  private static JavaClasses delivery;

  @BeforeAll
  static void importMainClasses() {
    delivery = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dk.brobygger.delivery");
  }

  @Test
  void deliveryPackagesHaveNoCycles() {
    slices().matching("dk.brobygger.(**)").should().beFreeOfCycles().check(delivery);
  }

  @Test
  void sealingCryptoKnowsNoCamelAndNoDeliveryFlow() {
    noClasses().that().resideInAPackage("dk.brobygger.delivery.seal..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "dk.brobygger.delivery")
        .check(delivery);
  }
}
