package dk.brobygger.gateway.citizen;

import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which identifiers name one citizen. A citizen met on the street gets a local outreach id; a CPR
 * number may turn up later. Linking records that both name the same person, so that consent and
 * the audit trail follow the person whatever identifier a message uses.
 *
 * <p>Links are transitive (A-B and B-C make A, B and C one citizen) and are never removed; undoing a
 * wrong link is not supported yet. Each new link is audited in the transaction that stores it.
 */
public final class CitizenLinks {

  /** PostgreSQL's SQLState of a unique-constraint violation. */
  private static final String UNIQUE_VIOLATION = "23505";
  private static final Comparator<CitizenIdentifier> EDGE_ORDER =
      Comparator.comparing(CitizenIdentifier::system).thenComparing(CitizenIdentifier::value);

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;

  public CitizenLinks(Database db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records that these identifiers name one citizen and returns every identifier of that citizen,
   * the given ones first. Identifiers already linked to each other change nothing and are not
   * audited again.
   *
   * @throws CitizenRefusal.NoIdentifierGiven when no identifier is given
   */
  public List<CitizenIdentifier> link(List<CitizenIdentifier> identifiers, String actor) {
    if (identifiers.isEmpty()) {
      throw new CitizenRefusal.NoIdentifierGiven();
    }
    Objects.requireNonNull(actor, "actor");
    try {
      return linkOnce(identifiers, actor);
    } catch (ConcurrentLink e) {
      // Another transaction stored one of these links first; a second pass sees it and adds the rest.
      return linkOnce(identifiers, actor);
    }
  }

  private List<CitizenIdentifier> linkOnce(List<CitizenIdentifier> identifiers, String actor) {
    Instant now = Sql.storedPrecision(clock.instant());
    return db.inTransaction(c -> {
      CitizenIdentifier first = identifiers.get(0);
      Set<CitizenIdentifier> citizen = new LinkedHashSet<>(expand(c, List.of(first)));
      List<CitizenIdentifier> joined = new ArrayList<>();
      for (CitizenIdentifier id : identifiers) {
        if (!citizen.contains(id)) {
          insertEdge(c, first, id, now, actor);
          joined.add(id);
          citizen.addAll(expand(c, List.of(id)));
        }
      }
      if (!joined.isEmpty()) {
        audit.append(c, linkedEntry(first, joined, actor, now));
      }
      return expand(c, identifiers);
    });
  }

  /** Every identifier of the citizen(s) these identifiers name: the given ones first, in order. */
  public List<CitizenIdentifier> expand(List<CitizenIdentifier> ids) {
    return db.read(c -> expand(c, ids));
  }

  /**
   * Like {@link #expand(List)}, inside the caller's transaction: a consent lookup and the linking
   * it relies on then see the same state.
   */
  public List<CitizenIdentifier> expand(Connection c, List<CitizenIdentifier> ids) throws SQLException {
    Set<CitizenIdentifier> closure = new LinkedHashSet<>(ids);
    List<CitizenIdentifier> frontier = List.copyOf(closure);
    // Breadth first: each round asks for the links of the identifiers the previous round found.
    while (!frontier.isEmpty()) {
      List<CitizenIdentifier> found = new ArrayList<>();
      for (CitizenIdentifier neighbour : neighbours(c, frontier)) {
        if (closure.add(neighbour)) {
          found.add(neighbour);
        }
      }
      frontier = found;
    }
    return List.copyOf(closure);
  }

  private static List<CitizenIdentifier> neighbours(Connection c, List<CitizenIdentifier> of) throws SQLException {
    StringBuilder where = new StringBuilder();
    for (int i = 0; i < of.size(); i++) {
      where.append(i == 0 ? "" : " OR ").append("(%1$s_value = ? AND %1$s_system = ?)");
    }
    String sql = "SELECT b_system AS s, b_value AS v, linked_at FROM citizen_link WHERE " + where.toString().formatted("a")
        + " UNION ALL SELECT a_system, a_value, linked_at FROM citizen_link WHERE " + where.toString().formatted("b")
        + " ORDER BY linked_at, s, v";
    List<CitizenIdentifier> neighbours = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int p = 1;
      for (int side = 0; side < 2; side++) {
        for (CitizenIdentifier id : of) {
          s.setString(p++, id.value());
          s.setString(p++, id.system());
        }
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          neighbours.add(new CitizenIdentifier(r.getString(1), r.getString(2)));
        }
      }
    }
    return neighbours;
  }

  private static void insertEdge(
      Connection c, CitizenIdentifier one, CitizenIdentifier other, Instant now, String actor) throws SQLException {
    // One row per pair whichever way round it was linked, so the primary key catches a concurrent twin.
    CitizenIdentifier a = EDGE_ORDER.compare(one, other) <= 0 ? one : other;
    CitizenIdentifier b = a == one ? other : one;
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO citizen_link (a_system, a_value, b_system, b_value, linked_at, linked_by)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, a.system());
      s.setString(2, a.value());
      s.setString(3, b.system());
      s.setString(4, b.value());
      s.setObject(5, Sql.timestamp(now));
      s.setString(6, actor);
      s.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new ConcurrentLink(e);
      }
      throw e;
    }
  }

  /**
   * The entry names the first identifier as the citizen; its reasons describe the identifiers
   * joined to it, with CPR numbers masked: the citizen field is the one place a CPR number belongs.
   */
  private static AuditEvent linkedEntry(
      CitizenIdentifier citizen, List<CitizenIdentifier> joined, String actor, Instant now) {
    List<String> reasons = new ArrayList<>();
    for (CitizenIdentifier id : joined) {
      reasons.add("linked " + masked(id) + " to " + masked(citizen));
    }
    return new AuditEvent.CitizenLinked(now, actor, citizen, reasons);
  }

  /** An identifier as reasons may show it: a CPR number only by its last four digits. */
  static String masked(CitizenIdentifier id) {
    if (CitizenIdentifier.CPR.equals(id.system())) {
      String v = id.value();
      return "CPR xxxxxx-" + (v.length() >= 4 ? v.substring(v.length() - 4) : "xxxx");
    }
    return id.token();
  }

  /** A link was inserted by a concurrent transaction that committed first. */
  private static final class ConcurrentLink extends RuntimeException {
    ConcurrentLink(SQLException cause) {
      super("citizen link already stored", cause);
    }
  }
}
