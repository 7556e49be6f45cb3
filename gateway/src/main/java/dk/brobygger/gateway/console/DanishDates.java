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

  private DanishDates() {}

  public static String day(LocalDate date) {
    return DAY.format(date);
  }

  public static String time(Instant instant) {
    return TIME.format(instant.atZone(DANISH_TIME));
  }

  public static LocalDate today(Instant now) {
    return now.atZone(DANISH_TIME).toLocalDate();
  }
}
