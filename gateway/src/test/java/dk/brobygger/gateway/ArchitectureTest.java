package dk.brobygger.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.AuditOutcome;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
  void noTwoGatewayPackagesDependOnEachOther() {
    slices().matching("dk.brobygger.gateway.(**)").should().beFreeOfCycles().check(gateway);
  }

  @Test
  void onlyTheCompositionRootImportsHttp() {
    noClasses().that().resideOutsideOfPackages("dk.brobygger.gateway.http..", "dk.brobygger.gateway")
        .should().dependOnClassesThat().resideInAPackage("dk.brobygger.gateway.http..")
        .because("http/ composes the routes and maps outcomes to answers; the domain does not know it")
        .check(gateway);
  }

  @Test
  void theDatabaseBaseKnowsNoDomain() {
    noClasses().that().resideInAPackage("dk.brobygger.gateway.db..")
        .should().dependOnClassesThat(
            resideInAPackage("dk.brobygger.gateway..").and(resideOutsideOfPackage("dk.brobygger.gateway.db..")))
        .check(gateway);
  }

  @Test
  void theDomainStoresKnowNoLayerAboveThem() {
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

  /** The domain packages: each owns its store, its rows and the audit events it appends. */
  static final List<String> DOMAIN = List.of("consent", "citizen", "messages", "inbox", "outbox");

  /**
   * Honest exceptions, each a dependency the domain has today (docs/architecture.md lists them): a
   * consent and the withdrawal fence cover every identifier linked to the citizen; accepting a
   * message writes its outbox row and Task in the same transaction; the inbox accepts a message once
   * through the message rows and answers Tasks through the delivery answers.
   */
  static final Map<String, List<String>> STILL_SHARED = Map.of(
      "consent", List.of("citizen"),
      "outbox", List.of("citizen"),
      "messages", List.of("outbox"),
      "inbox", List.of("messages"));

  @Test
  void domainPackagesImportOnlyTheDatabaseBaseAndTheAuditLogsAppendPort() {
    for (String domain : DOMAIN) {
      onlyBaseAndAppendPort(domain, STILL_SHARED.getOrDefault(domain, List.of())).check(gateway);
    }
  }

  @Test
  void everyListedExceptionIsStillNeeded() {
    STILL_SHARED.forEach((domain, shared) -> {
      for (String used : shared) {
        List<String> without = shared.stream().filter(p -> !p.equals(used)).toList();
        assertThat(onlyBaseAndAppendPort(domain, without).evaluate(gateway).hasViolation())
            .as("%s still uses %s; drop it from STILL_SHARED once it does not", domain, used).isTrue();
      }
    });
  }

  @Test
  void storesRefuseWithDomainOutcomesNotWithTheApisRejected() {
    noClasses().that().resideInAnyPackage(DOMAIN.stream().map(p -> "dk.brobygger.gateway." + p + "..")
            .toArray(String[]::new))
        // The shared disclosure decision is not a store: ingress and egress both catch its refusal.
        .and().doNotHaveFullyQualifiedName("dk.brobygger.gateway.consent.DisclosurePolicy")
        .should().dependOnClassesThat().haveFullyQualifiedName("dk.brobygger.fhir.Rejected")
        .because("http/DomainOutcomes alone decides what a store's refusal answers")
        .check(gateway);
  }

  private static ArchRule onlyBaseAndAppendPort(String domain, List<String> shared) {
    DescribedPredicate<JavaClass> appendPort = belongToAnyOf(AuditLog.class, AuditEvent.class, AuditOutcome.class);
    String[] allowed = Stream.concat(Stream.of(domain, "db"), shared.stream())
        .map(p -> "dk.brobygger.gateway." + p + "..").toArray(String[]::new);
    return noClasses().that().resideInAPackage("dk.brobygger.gateway." + domain + "..")
        .should().dependOnClassesThat(resideInAPackage("dk.brobygger.gateway..")
            .and(DescribedPredicate.not(resideInAnyPackage(allowed)))
            .and(DescribedPredicate.not(appendPort)))
        .because("a domain package owns its store and appends typed audit events; it reaches no other domain");
  }
}
