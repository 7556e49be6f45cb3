package dk.brobygger.gateway.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** JDBC conversions every store shares: instants travel as UTC OffsetDateTime. */
public final class Sql {

  private Sql() {}

  /** The instant as stored: PostgreSQL keeps microseconds. */
  public static Instant storedPrecision(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  public static OffsetDateTime timestamp(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet r, String column) throws SQLException {
    return r.getObject(column, OffsetDateTime.class).toInstant();
  }

  public static Optional<Instant> optionalInstant(ResultSet r, String column) throws SQLException {
    return Optional.ofNullable(r.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }

  public static Optional<String> optionalString(ResultSet r, String column) throws SQLException {
    return Optional.ofNullable(r.getString(column));
  }
}
