package dk.brobygger.gateway.search;

import dk.brobygger.fhir.Rejected;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The values of one date search parameter ({@code date}, {@code authored-on}, {@code _lastUpdated})
 * as a half-open interval [from, until): each value with prefix ge, gt, le, lt or eq (none means
 * eq), a day (yyyy-mm-dd, UTC) or an instant with offset; repeated values narrow the range.
 */
public record DateRange(Optional<Instant> from, Optional<Instant> until) {

  public static final DateRange ANY = new DateRange(Optional.empty(), Optional.empty());

  public boolean isAny() {
    return from.isEmpty() && until.isEmpty();
  }

  /** The intersection of all values; {@code what} names the search in a refusal. */
  public static DateRange of(List<String> values, String name, String what) {
    Optional<Instant> from = Optional.empty();
    Optional<Instant> until = Optional.empty();
    for (String value : values) {
      DateRange bound = parse(value, name, what);
      if (bound.from().isPresent() && (from.isEmpty() || bound.from().get().isAfter(from.get()))) {
        from = bound.from();
      }
      if (bound.until().isPresent() && (until.isEmpty() || bound.until().get().isBefore(until.get()))) {
        until = bound.until();
      }
    }
    return new DateRange(from, until);
  }

  static DateRange parse(String text, String name, String what) {
    String prefix = text.length() > 2 && Character.isLetter(text.charAt(0)) ? text.substring(0, 2) : "eq";
    String value = prefix.equals("eq") && !text.startsWith("eq") ? text : text.substring(2);
    Instant start;
    Instant end;
    try {
      if (value.length() == 10) {
        start = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        end = start.plus(1, ChronoUnit.DAYS);
      } else {
        start = OffsetDateTime.parse(value).toInstant();
        end = start.plus(1, ChronoUnit.MICROS);
      }
    } catch (DateTimeParseException e) {
      throw new Rejected(Rejected.Kind.INVALID, what + " rejected: " + name + " '" + text
          + "' is not a day (2025-03-01) or an instant with offset (2025-03-01T08:00:00Z), with prefix ge, gt, le, lt or eq");
    }
    return switch (prefix) {
      case "ge" -> new DateRange(Optional.of(start), Optional.empty());
      case "gt" -> new DateRange(Optional.of(end), Optional.empty());
      case "le" -> new DateRange(Optional.empty(), Optional.of(end));
      case "lt" -> new DateRange(Optional.empty(), Optional.of(start));
      case "eq" -> new DateRange(Optional.of(start), Optional.of(end));
      default -> throw new Rejected(Rejected.Kind.INVALID,
          what + " rejected: " + name + " prefix '" + prefix + "' is not supported (ge, gt, le, lt, eq)");
    };
  }
}
