package dk.brobygger.fhir.consent;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;

/**
 * FHIR date/time values as instants, honouring precision. A FHIR Period includes both ends, and an
 * end given as "2024-06-30" includes every instant of that day (FHIR Period: "the end value includes
 * any matching date/time"), so the last instant of an end is the last millisecond of its precision.
 */
final class FhirTime {

  private FhirTime() {}

  /** The first instant a value can mean (its lower bound), empty when the value is absent. */
  static Optional<Instant> firstInstantOf(DateTimeType value) {
    if (value == null || value.getValue() == null) {
      return Optional.empty();
    }
    return Optional.of(value.getValue().toInstant());
  }

  /** The last instant a value can mean: the end of its second, day, month, ... */
  static Optional<Instant> lastInstantOf(DateTimeType value) {
    if (value == null || value.getValue() == null) {
      return Optional.empty();
    }
    TemporalPrecisionEnum precision = value.getPrecision();
    if (precision == null || precision == TemporalPrecisionEnum.MILLI) {
      return Optional.of(value.getValue().toInstant());
    }
    return Optional.of(precision.add(value.getValue(), 1).toInstant().minusMillis(1));
  }

  /** Whether the instant lies in the period, both ends inclusive; a missing end is open. */
  static boolean covers(Period period, Instant instant) {
    return !startsAfter(period, instant) && !endsBefore(period, instant);
  }

  static boolean startsAfter(Period period, Instant instant) {
    return firstInstantOf(period.getStartElement()).map(start -> start.isAfter(instant)).orElse(false);
  }

  static boolean endsBefore(Period period, Instant instant) {
    return lastInstantOf(period.getEndElement()).map(end -> end.isBefore(instant)).orElse(false);
  }
}
