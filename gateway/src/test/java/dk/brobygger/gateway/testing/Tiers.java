package dk.brobygger.gateway.testing;

/**
 * The test tiers, as JUnit tags. Untagged tests are unit tests (no database, no gateway) and run in
 * surefire; the tagged tiers run in failsafe after {@code package} (README, "Tests").
 */
public final class Tiers {

  /** Needs a PostgreSQL database: a fresh schema on the test server, or a server of its own. */
  public static final String INTEGRATION = "integration";
  /** Starts a real gateway (in this JVM or as a process), or drives a real browser. */
  public static final String END_TO_END = "e2e";

  private Tiers() {}
}
