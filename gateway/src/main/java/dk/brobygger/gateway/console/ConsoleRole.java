package dk.brobygger.gateway.console;

import java.util.Arrays;
import java.util.Optional;

/** What a person may do in the console; checked on the server for every page and action. */
public enum ConsoleRole {
  /** The street nurse of an outreach team: citizens, consents, referrals, the team's inbox. */
  NURSE("nurse", "Gadesygeplejerske"),
  /** The municipality's privacy officer: timelines, reports and the state of the audit log. */
  PRIVACY_OFFICER("privacy-officer", "Databeskyttelsesrådgiver");

  private final String claimValue;
  private final String danish;

  ConsoleRole(String claimValue, String danish) {
    this.claimValue = claimValue;
    this.danish = danish;
  }

  /** How the identity provider's role claim spells it. */
  public String claimValue() {
    return claimValue;
  }

  /** The role's name on the page. */
  public String danish() {
    return danish;
  }

  public static Optional<ConsoleRole> ofClaimValue(String value) {
    return Arrays.stream(values()).filter(role -> role.claimValue.equals(value)).findFirst();
  }
}
