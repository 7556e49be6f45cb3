package dk.brobygger.gateway.console;

import java.util.List;
import java.util.Optional;

/**
 * INSECURE: sample people who sign in to the console by choosing themselves from a list, with no
 * password. For demonstrations and development only, exactly like the sample keys: it cannot be
 * created outside --demo/--development, and every page says so while it is in use.
 */
public final class InsecureSampleIdentityProvider {

  /** Subjects of sample people start with this, so the audit log shows they were not real people. */
  public static final String SUBJECT_PREFIX = "insecure-sample:";

  private static final List<ConsolePerson> PEOPLE = List.of(
      new ConsolePerson(SUBJECT_PREFIX + "sanne", "Sanne Sørensen (prøveperson)", ConsoleRole.NURSE, "svendborg-gadesygepleje"),
      new ConsolePerson(SUBJECT_PREFIX + "per", "Per Poulsen (prøveperson)", ConsoleRole.PRIVACY_OFFICER, "privacy-officer"));

  private InsecureSampleIdentityProvider() {}

  /**
   * The sample identity provider, only in demo or development mode.
   *
   * @throws IllegalStateException otherwise: it must never sign anyone in to a production gateway
   */
  public static InsecureSampleIdentityProvider allowedIn(boolean demoOrDevelopment) {
    if (!demoOrDevelopment) {
      throw new IllegalStateException("the INSECURE sample identity provider is refused outside --demo/--development");
    }
    return new InsecureSampleIdentityProvider();
  }

  public List<ConsolePerson> people() {
    return PEOPLE;
  }

  public Optional<ConsolePerson> person(String subject) {
    return PEOPLE.stream().filter(p -> p.subject().equals(subject)).findFirst();
  }
}
