package dk.brobygger.fhir;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * fhir-mappings is pure FHIR logic: no network, database, server or route code. Reading a
 * configured labels file at start-up (SensitivityLabels) is its one file access.
 */
class ArchitectureTest {

  @Test
  void fhirMappingsDoesNoNetworkOrDatabaseIo() {
    JavaClasses fhir = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dk.brobygger.fhir");
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "java.sql..", "javax.sql..", "java.net.http..", "java.nio.channels..", "io.vertx..",
            "org.apache.camel..", "com.zaxxer..", "org.flywaydb..", "org.postgresql..", "dk.brobygger.gateway..",
            "dk.brobygger.delivery..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URL")
        .check(fhir);
  }
}
