package dk.brobygger.auditproof;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The verifier is small and stateless: the proof, checkpoint and note checks read no files and
 * open no connections. Only the command lines and the witness's state file do I/O.
 */
class ArchitectureTest {

  @Test
  void theProofAndCheckpointVerifiersDoNoIo() {
    JavaClasses proof = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dk.brobygger.auditproof");
    noClasses().that().haveSimpleNameStartingWith("ProofVerifier")
        .or().haveSimpleNameStartingWith("CheckpointVerifier")
        .or().haveSimpleNameStartingWith("Merkle")
        .or().haveSimpleNameStartingWith("CompactRange")
        .or().haveSimpleNameStartingWith("ConsistencyProof")
        .or().resideInAPackage("dk.brobygger.auditproof.note..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "java.nio.file..", "java.nio.channels..", "java.net..", "com.sun.net..", "java.sql..",
            "io.vertx..", "org.apache.camel..", "ca.uhn.fhir..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
        .check(proof);
  }
}
