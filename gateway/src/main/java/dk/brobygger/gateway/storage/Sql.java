package dk.brobygger.gateway.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** JDBC conversions both drivers agree on: instants travel as UTC OffsetDateTime. */
final class Sql {

  private Sql() {}

  static OffsetDateTime timestamp(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet r, String column) throws SQLException {
    return r.getObject(column, OffsetDateTime.class).toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet r, String column) throws SQLException {
    return Optional.ofNullable(r.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }

  static Optional<String> optionalString(ResultSet r, String column) throws SQLException {
    return Optional.ofNullable(r.getString(column));
  }
}
