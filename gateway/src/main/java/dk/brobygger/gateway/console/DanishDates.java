package dk.brobygger.gateway.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates and times as a Danish reader expects them ("1. december 2026 kl. 09.15"). */
public final class DanishDates {

  private static final Locale DANISH = Locale.forLanguageTag("da-DK");
  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d. MMMM yyyy", DANISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d. MMMM yyyy 'kl.' HH.mm", DANISH);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH.mm", DANISH);

  private DanishDates() {}

  public static String day(LocalDate date) {
    return DAY.format(date);
  }

  public static String time(Instant instant) {
    return TIME.format(instant.atZone(DANISH_TIME));
  }

  /** A time on one day with its end: "18. marts 2025 kl. 09.30-10.15"; over midnight both in full. */
  public static String timeRange(Instant start, Instant end) {
    var from = start.atZone(DANISH_TIME);
    var to = end.atZone(DANISH_TIME);
    return from.toLocalDate().equals(to.toLocalDate())
        ? TIME.format(from) + "\u2013" + CLOCK.format(to)
        : TIME.format(from) + " \u2013 " + TIME.format(to);
  }

  public static LocalDate today(Instant now) {
    return now.atZone(DANISH_TIME).toLocalDate();
  }
}
