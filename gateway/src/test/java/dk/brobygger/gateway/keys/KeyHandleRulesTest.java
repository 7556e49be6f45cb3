package dk.brobygger.gateway.keys;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.nimbusds.jose.JWSSigner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dk.brobygger.auditproof.CheckpointSigner;
import dk.brobygger.delivery.seal.BouncyCastle;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.keys.InsecureSampleKeys;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One key handle, one Bouncy Castle holder: checked on the main classes of every module the
 * gateway runs (gateway, camel-routes, keys-sample, audit-proof, fhir-mappings).
 */
class KeyHandleRulesTest {

  private static JavaClasses product;

  @BeforeAll
  static void importMainClasses() {
    product = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dk.brobygger");
  }

  @Test
  void onlyTheOneHolderMakesABouncyCastleProvider() {
    noClasses().that().doNotBelongToAnyOf(BouncyCastle.class)
        .should().callConstructorWhere(target(owner(assignableTo(BouncyCastleProvider.class))))
        .check(product);
  }

  @Test
  void jwsSignersAreMadeOnlyWhereAKeyIsMadeIntoASigningKey() {
    // CheckpointSigner (audit-proof, no Bouncy Castle there) still signs the checkpoints' JWS form
    // itself, from the key GatewayKeys.checkpointJwsKey() hands the audit log
    noClasses().that().doNotBelongToAnyOf(SigningKey.class, CheckpointSigner.class)
        .should().callConstructorWhere(target(owner(assignableTo(JWSSigner.class))))
        .check(product);
  }

  @Test
  void onlyTheKeyHandleReadsTheGatewaysPrivateSampleKeys() {
    noClasses().that().doNotBelongToAnyOf(GatewayKeys.class).and().resideOutsideOfPackage("dk.brobygger.keys..")
        .should().callMethodWhere(target(owner(assignableTo(InsecureSampleKeys.class)))
            .and(target(name("gatewaySigningKeys")).or(target(name("auditCheckpointKeys")))))
        .check(product);
  }
}
