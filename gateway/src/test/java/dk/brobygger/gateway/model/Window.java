package dk.brobygger.gateway.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A FHIR Period given to the second: both ends included, and the end includes its whole second
 * (FHIR: "the end value includes any matching date/time"). A missing end is open.
 */
public record Window(Optional<Instant> start, Optional<Instant> end) {

  public Window {
    start = start.map(s -> s.truncatedTo(ChronoUnit.SECONDS));
    end = end.map(e -> e.truncatedTo(ChronoUnit.SECONDS));
  }

  public static Window between(Instant start, Instant end) {
    return new Window(Optional.of(start), Optional.of(end));
  }

  public boolean covers(Instant t) {
    return start.map(s -> !t.isBefore(s)).orElse(true)
        && end.map(e -> t.isBefore(e.plusSeconds(1))).orElse(true);
  }
}
