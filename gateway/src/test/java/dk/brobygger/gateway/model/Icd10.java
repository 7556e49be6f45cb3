package dk.brobygger.gateway.model;

import java.util.Locale;
import java.util.Set;

/** ICD-10 as the consent rules and the sensitivity table use it. */
public final class Icd10 {

  private Icd10() {}

  /** A consent code covers the same code, or as a category of 3+ characters its subcodes (F10 covers F10.2). */
  public static boolean covers(String consentCode, String itemCode) {
    String category = consentCode.replace(".", "").toUpperCase(Locale.ROOT);
    String code = itemCode.replace(".", "").toUpperCase(Locale.ROOT);
    return consentCode.equals(itemCode) || (category.length() >= 3 && code.startsWith(category));
  }

  /**
   * The v3 ActCode sensitivity labels a code carries (README; the confidentiality label R that comes
   * with them is left out): F10-F19 -> ETH, SUD; F00-F09 and F20-F99 -> PSY; B20-B24, Z21, R75 -> HIV.
   */
  public static Set<String> labels(String code) {
    String c = code.replace(".", "").toUpperCase(Locale.ROOT);
    if (c.length() < 3) {
      return Set.of();
    }
    char letter = c.charAt(0);
    int number = Integer.parseInt(c.substring(1, 3));
    if (letter == 'F' && number >= 10 && number <= 19) {
      return Set.of("ETH", "SUD");
    }
    if (letter == 'F') {
      return Set.of("PSY");
    }
    if ((letter == 'B' && number >= 20 && number <= 24) || c.startsWith("Z21") || c.startsWith("R75")) {
      return Set.of("HIV");
    }
    return Set.of();
  }
}
