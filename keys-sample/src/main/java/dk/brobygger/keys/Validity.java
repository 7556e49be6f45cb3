package dk.brobygger.keys;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** The period every certificate of one generated set is valid for. */
record Validity(Instant notBefore, Instant notAfter) {

  /** Start an hour back so that a peer whose clock lags a little still accepts fresh certificates. */
  private static final Duration CLOCK_SKEW = Duration.ofHours(1);

  Validity {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter must be after notBefore");
    }
  }

  static Validity years(Instant now, int years) {
    Instant start = now.minus(CLOCK_SKEW).truncatedTo(ChronoUnit.SECONDS);
    Instant end = start.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
    return new Validity(start, end);
  }
}
