package dk.brobygger.fhir.identity;

import dk.brobygger.fhir.Rejected;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the form of citizen identifiers before anything is decided about them. A consent is
 * looked up by identifier, so a malformed one must be refused rather than silently match nothing.
 *
 * <p>Diagnostics never repeat the identifier's value: they end up in responses and the audit log,
 * and a CPR number is personal data.
 */
public final class CitizenIdentifiers {

  private static final Pattern TEN_DIGITS = Pattern.compile("[0-9]{10}");
  /** X-eCPR and older replacement numbers vary by issuer; we only insist on a compact token. */
  private static final Pattern REPLACEMENT = Pattern.compile("[A-Za-z0-9]{1,10}");
  private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private CitizenIdentifiers() {}

  /** Throws {@link Rejected} ({@code INVALID}) unless the identifier is well-formed for its system. */
  public static void validate(CitizenIdentifier id) {
    switch (id.system()) {
      case CitizenIdentifier.CPR -> validateCpr(id.value());
      case CitizenIdentifier.REPLACEMENT_CPR -> {
        if (!REPLACEMENT.matcher(id.value()).matches()) {
          throw invalid("replacement CPR number must be 1 to 10 letters or digits, without spaces or dashes");
        }
      }
      case CitizenIdentifier.LOCAL_OUTREACH -> {
        if (!LOCAL.matcher(id.value()).matches()) {
          throw invalid("local outreach identifier must be 1 to 64 characters of A-Z, a-z, 0-9 and '-'");
        }
      }
      default -> throw invalid("identifier system '" + id.system() + "' is not a citizen identifier system; use "
          + CitizenIdentifier.CPR + " (CPR), " + CitizenIdentifier.REPLACEMENT_CPR + " (replacement CPR) or "
          + CitizenIdentifier.LOCAL_OUTREACH + " (local outreach)");
    }
  }

  /** The birth date a CPR number encodes; empty for other systems and for malformed numbers. */
  public static Optional<LocalDate> birthDate(CitizenIdentifier cpr) {
    if (!CitizenIdentifier.CPR.equals(cpr.system()) || !TEN_DIGITS.matcher(cpr.value()).matches()) {
      return Optional.empty();
    }
    return dateOf(cpr.value());
  }

  private static void validateCpr(String value) {
    if (!TEN_DIGITS.matcher(value).matches()) {
      throw invalid("CPR number must be exactly 10 digits (DDMMYYSSSS, no dash)");
    }
    if (dateOf(value).isEmpty()) {
      throw invalid("CPR number does not begin with a valid date (DDMMYY)");
    }
  }

  /**
   * The date in the first six digits, with the century taken from the seventh digit as the CPR
   * office assigns it. Modulus 11 is deliberately not checked: numbers issued since 2007 need not
   * satisfy it.
   */
  private static Optional<LocalDate> dateOf(String tenDigits) {
    int day = Integer.parseInt(tenDigits.substring(0, 2));
    int month = Integer.parseInt(tenDigits.substring(2, 4));
    int yy = Integer.parseInt(tenDigits.substring(4, 6));
    int seventh = tenDigits.charAt(6) - '0';
    int century;
    if (seventh <= 3) {
      century = 1900;
    } else if (seventh == 4 || seventh == 9) {
      century = yy <= 36 ? 2000 : 1900;
    } else {
      century = yy <= 57 ? 2000 : 1800;
    }
    try {
      return Optional.of(LocalDate.of(century + yy, month, day));
    } catch (DateTimeException notADate) {
      return Optional.empty();
    }
  }

  private static Rejected invalid(String diagnostics) {
    return new Rejected(Rejected.Kind.INVALID, diagnostics);
  }
}
