package dk.brobygger.gateway.citizen;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The FHIR Patient id of each citizen identifier: {@code Patient/{id}} names the citizen known by
 * that identifier and every identifier linked to it ({@link CitizenLinks}). Ids are random and
 * assigned the first time a Patient is served for an identifier, so no CPR number is ever part of a
 * URL path.
 */
public final class PatientIds {

  private final Database db;
  private final Clock clock;

  public PatientIds(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The id of this identifier, assigned now if it has none (concurrent callers get the same one). */
  public String idOf(CitizenIdentifier identifier) {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO patient_id (patient_id, citizen_system, citizen_value, assigned_at) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (citizen_value, citizen_system) DO NOTHING")) {
        s.setString(1, UUID.randomUUID().toString());
        s.setString(2, identifier.system());
        s.setString(3, identifier.value());
        s.setObject(4, Sql.timestamp(clock.instant()));
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT patient_id FROM patient_id WHERE citizen_value = ? AND citizen_system = ?")) {
        s.setString(1, identifier.value());
        s.setString(2, identifier.system());
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getString(1);
        }
      }
    });
  }

  /** The identifier a Patient id was assigned to; empty for an id never served. */
  public Optional<CitizenIdentifier> identifierOf(String patientId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT citizen_system, citizen_value FROM patient_id WHERE patient_id = ?")) {
        s.setString(1, patientId);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(new CitizenIdentifier(r.getString(1), r.getString(2))) : Optional.empty();
        }
      }
    });
  }
}
