package dk.brobygger.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Every test runs in the tier its needs put it in: surefire leaves out what is tagged, failsafe runs
 * only what is tagged, so a database or gateway test without its tag would run in the wrong tier
 * (and an untagged {@code *IT} in none).
 */
class TiersTest {

  /** Test support that starts a real gateway or browser, and the database support (simple names). */
  private static final Set<String> END_TO_END_SUPPORT = Set.of("TestGateway", "GatewayProcess", "ConsentMachine", "Chromium");
  private static final Set<String> DATABASE_SUPPORT = Set.of(
      "PostgresStorage", "TestStorage", "ReplayDatabase", "AuditTestLog", "EmbeddedPostgresServer", "EmbeddedServerProcess");

  /** Test classes (top level) and the simple names of the classes they, and their inner classes, use. */
  private static Map<Class<?>, Set<String>> testClasses;

  @BeforeAll
  static void importTestClasses() {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
        .importPackages("dk.brobygger.gateway")) {
      String top = c.getName().split("\\$")[0];
      Set<String> used = uses.computeIfAbsent(top, t -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        used.add(d.getTargetClass().getSimpleName());
      }
    }
    // JUnit's own annotation search: ArchUnit does not resolve library annotations (archunit.properties)
    testClasses = uses.keySet().stream().map(TiersTest::load)
        .filter(c -> !ReflectionSupport.findMethods(c, m -> AnnotationSupport.isAnnotated(m, Testable.class),
            HierarchyTraversalMode.TOP_DOWN).isEmpty())
        .collect(Collectors.toMap(c -> c, c -> uses.get(c.getName())));
  }

  @Test
  void everyTestOfARealGatewayOrBrowserIsEndToEnd() {
    assertThat(classesUsingAny(END_TO_END_SUPPORT).stream().filter(c -> !tags(c).contains(Tiers.END_TO_END)))
        .as("tests that start a gateway or a browser without @EndToEndTest").isEmpty();
  }

  @Test
  void everyDatabaseTestIsInATierThatHasADatabase() {
    assertThat(classesUsingAny(DATABASE_SUPPORT).stream()
            .filter(c -> !tags(c).contains(Tiers.INTEGRATION) && !tags(c).contains(Tiers.END_TO_END)))
        .as("tests on PostgreSQL without @StorageTest (or a tier tag)").isEmpty();
  }

  @Test
  void everyProcessTestIsInATierFailsafeRuns() {
    assertThat(testClasses.keySet().stream().filter(c -> c.getSimpleName().endsWith("IT")).filter(c -> tags(c).isEmpty()))
        .as("*IT classes without a tier tag").isEmpty();
  }

  @Test
  void theTiersFindTheTestsTheyAreMeantFor() {
    assertThat(classesUsingAny(END_TO_END_SUPPORT)).extracting(Class::getSimpleName)
        .contains("ReferralJourneyTest", "CrashRecoveryIT", "NurseJourneyInBrowserTest");
    assertThat(classesUsingAny(DATABASE_SUPPORT)).extracting(Class::getSimpleName)
        .contains("ConsentStoreTest", "JdbcReplayStoreTest", "TamperingIsDetectedTest", "EmbeddedPostgresServerTest");
    assertThat(tags(load("dk.brobygger.gateway.storage.ConsentStoreTest"))).containsExactly(Tiers.INTEGRATION);
    assertThat(tags(load("dk.brobygger.gateway.e2e.ReferralJourneyTest"))).containsExactly(Tiers.END_TO_END);
    assertThat(tags(TiersTest.class)).as("a unit test").isEmpty();
  }

  private static Set<Class<?>> classesUsingAny(Set<String> support) {
    return testClasses.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(support::contains))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  /** The tags JUnit sees on the class: direct, through a meta-annotation, or inherited. */
  private static Set<String> tags(Class<?> c) {
    return AnnotationSupport.findRepeatableAnnotations(c, Tag.class).stream().map(Tag::value).collect(Collectors.toSet());
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, TiersTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
