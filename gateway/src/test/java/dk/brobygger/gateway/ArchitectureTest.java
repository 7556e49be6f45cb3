package dk.brobygger.gateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's layering, checked on its compiled main classes so that it cannot drift: see
 * docs/architecture.md for the package map these rules protect.
 */
class ArchitectureTest {

  private static JavaClasses gateway;

  @BeforeAll
  static void importMainClasses() {
    gateway = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dk.brobygger.gateway");
  }

  @Test
  void no_two_gateway_packages_depend_on_each_other() {
    slices().matching("dk.brobygger.gateway.(**)").should().beFreeOfCycles().check(gateway);
  }

  @Test
  void only_the_composition_root_imports_http() {
    noClasses().that().resideOutsideOfPackages("dk.brobygger.gateway.http..", "dk.brobygger.gateway")
        .should().dependOnClassesThat().resideInAPackage("dk.brobygger.gateway.http..")
        .because("http/ composes the routes and maps outcomes to answers; the domain does not know it")
        .check(gateway);
  }

  @Test
  void the_database_base_knows_no_domain() {
    noClasses().that().resideInAPackage("dk.brobygger.gateway.db..")
        .should().dependOnClassesThat(
            resideInAPackage("dk.brobygger.gateway..").and(resideOutsideOfPackage("dk.brobygger.gateway.db..")))
        .check(gateway);
  }

  @Test
  void the_domain_stores_know_no_layer_above_them() {
    noClasses().that().resideInAnyPackage("dk.brobygger.gateway.storage..", "dk.brobygger.gateway.consent..",
            "dk.brobygger.gateway.citizen..", "dk.brobygger.gateway.outbox..", "dk.brobygger.gateway.inbox..", "dk.brobygger.gateway.messages..",
            "dk.brobygger.gateway.auditlog.entries..",
            "dk.brobygger.gateway.db..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dk.brobygger.gateway", "dk.brobygger.gateway.http..", "dk.brobygger.gateway.api..",
            "dk.brobygger.gateway.ingress..", "dk.brobygger.gateway.auth..", "dk.brobygger.gateway.auditlog",
            "dk.brobygger.gateway.directory..", "dk.brobygger.gateway.delivery..", "dk.brobygger.gateway.config..")
        .because("a store is reached from the HTTP and delivery layers, never the other way round")
        .check(gateway);
  }
}
