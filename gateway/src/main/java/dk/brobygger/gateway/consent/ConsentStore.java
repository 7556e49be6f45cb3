package dk.brobygger.gateway.consent;

import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;

/**
 * The consent registry. Every version of every consent is kept and none is ever deleted: the
 * privacy officer must be able to see which version a past decision rested on. Each change is
 * audited in the same transaction as the change itself.
 */
public final class ConsentStore {

  /** Consent.status of a withdrawn consent. */
  static final String WITHDRAWN_STATUS = "inactive";
  /** The longest Consent.identifier system or value stored (the search index's key must fit a page). */
  public static final int MAX_IDENTIFIER_CHARS = 1024;

  private static final String VERSION_COLUMNS =
      "v.consent_id, v.version, v.recorded_at, v.recorded_by, v.citizen_system, v.citizen_value, v.status,"
          + " v.resource_json";
  private static final String CURRENT =
      " FROM consent h JOIN consent_version v ON v.consent_id = h.consent_id AND v.version = h.current_version";
  /** Any version, with its head row {@code h} for the visibility condition. */
  private static final String OF_CONSENT = " FROM consent_version v JOIN consent h ON h.consent_id = v.consent_id";

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;

  public ConsentStore(Database db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Stores a new consent as version 1 under a new id. It belongs to the party the actor acts for
   * ({@link Visibility#partyOf}): only that party (and the privacy officer) will see it.
   */
  public StoredConsent create(Consent consent, String actor) {
    List<Identifier> identifiers = identifiersOf(consent);
    StoredConsent stored = newConsent(consent, actor);
    return db.inTransaction(c -> insertNew(c, stored, identifiers, actor));
  }

  /**
   * A conditional create (If-None-Exist): stores the consent as {@link #create} does unless a
   * consent the caller may see matches the condition; then nothing is stored.
   *
   * <p>Two requests with the same condition take turns: each holds a transaction-scoped advisory
   * lock on the condition (and the party) while it searches and inserts, and the second searches
   * only after the first has committed, so it finds what the first stored. Conditions that differ
   * but match the same consent are not serialized; FHIR asks this only of one condition.
   *
   * @return the consent created, or the one that matched
   * @throws ConsentRefusal SeveralMatch when more than one consent matches
   */
  public ConditionalCreate createUnlessMatched(Consent consent, ConsentQuery condition, Visibility visibility, String actor) {
    List<Identifier> identifiers = identifiersOf(consent);
    StoredConsent stored = newConsent(consent, actor);
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
        s.setInt(1, CONDITIONAL_CREATE_LOCKS);
        s.setInt(2, lockKey(condition, visibility));
        s.executeQuery().close();
      }
      List<StoredConsent> matches = condition.matchesNothing() ? List.of() : search(c, condition, visibility, 0, 2);
      if (matches.size() > 1) {
        throw new ConsentRefusal.SeveralMatch();
      }
      if (matches.size() == 1) {
        return new ConditionalCreate(matches.get(0), false);
      }
      return new ConditionalCreate(insertNew(c, stored, identifiers, actor), true);
    });
  }

  /**
   * What a conditional create did.
   *
   * @param consent the consent created, or the one that matched
   * @param created whether it was created now
   */
  public record ConditionalCreate(StoredConsent consent, boolean created) {
    public ConditionalCreate {
      Objects.requireNonNull(consent, "consent");
    }
  }

  /** The first advisory-lock key of conditional creates (the second is the condition's hash). */
  private static final int CONDITIONAL_CREATE_LOCKS = 0x436f6e73; // "Cons"

  /**
   * A hash of the condition as the store reads it and of the party, so that equal conditions lock
   * the same key in every gateway instance (hence SHA-256 of a text, not hashCode).
   */
  private static int lockKey(ConsentQuery condition, Visibility visibility) {
    String text = String.join("\n",
        visibility.party().orElse("*"),
        condition.citizen().map(citizen -> citizen.stream().map(c -> c.system() + "|" + c.value()).sorted()
            .collect(Collectors.joining(","))).orElse("*"),
        condition.statuses().stream().sorted().collect(Collectors.joining(",")),
        condition.id().orElse(""),
        condition.identifierSystem().orElse(""),
        condition.identifierValue().orElse(""));
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private StoredConsent newConsent(Consent consent, String actor) {
    CitizenIdentifier citizen = citizenOf(consent);
    String status = statusOf(consent);
    return toStored(consent, UUID.randomUUID().toString(), 1, Sql.storedPrecision(clock.instant()), actor, citizen, status);
  }

  private StoredConsent insertNew(Connection c, StoredConsent stored, List<Identifier> identifiers, String actor)
      throws SQLException {
    insertVersion(c, stored, identifiers);
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO consent (consent_id, current_version, citizen_system, citizen_value, status, recorded_by_party)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, stored.id());
      s.setLong(2, 1);
      s.setString(3, stored.citizen().system());
      s.setString(4, stored.citizen().value());
      s.setString(5, stored.status());
      s.setString(6, Visibility.partyOf(actor));
      s.executeUpdate();
    }
    audit.append(c, new AuditEvent.ConsentRecorded(stored.recordedAt(), stored.recordedBy(), stored.citizen(),
        stored.consentVersion(), reasons(stored)));
    return stored;
  }

  /**
   * Stores a new version of an existing consent.
   *
   * @param expectedVersion the version the caller changed (If-Match); when given and not current,
   *     the update is refused so that a concurrent change is not silently overwritten
   * @throws ConsentRefusal UnknownConsent for an unknown id, StaleVersion for a stale expected
   *     version, InvalidConsent when the body names another id or another citizen
   */
  public StoredConsent update(String id, Consent consent, Optional<Long> expectedVersion, String actor) {
    return update(id, consent, expectedVersion, Visibility.everything(), actor);
  }

  /**
   * {@link #update(String, Consent, Optional, String)} of a consent the caller may see; another
   * party's consent is NOT_FOUND, as if it did not exist.
   */
  public StoredConsent update(
      String id, Consent consent, Optional<Long> expectedVersion, Visibility visibility, String actor) {
    CitizenIdentifier citizen = citizenOf(consent);
    String status = statusOf(consent);
    List<Identifier> identifiers = identifiersOf(consent);
    if (consent.hasIdElement() && consent.getIdElement().hasIdPart() && !id.equals(consent.getIdElement().getIdPart())) {
      throw new ConsentRefusal.InvalidConsent(
          "Consent rejected: the body's id " + consent.getIdElement().getIdPart() + " is not " + id);
    }
    Instant at = Sql.storedPrecision(clock.instant());
    return db.inTransaction(c -> {
      // Locking the head row makes concurrent updates of one consent take turns, so each one
      // sees the version the previous one wrote and versions never collide.
      Head head = lockHead(c, id)
          .filter(h -> visibility.sees(h.party()))
          .orElseThrow(() -> new ConsentRefusal.UnknownConsent(id));
      if (expectedVersion.isPresent() && expectedVersion.get() != head.version()) {
        throw new ConsentRefusal.StaleVersion(id, expectedVersion.get());
      }
      if (!head.citizen().equals(citizen)) {
        // A consent belongs to one citizen for good; a different citizen needs a consent of their own.
        throw new ConsentRefusal.InvalidConsent(
            "Consent rejected: Consent.patient cannot change; record a new consent for another citizen");
      }
      StoredConsent stored = toStored(consent, id, head.version() + 1, at, actor, citizen, status);
      insertVersion(c, stored, identifiers);
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE consent SET current_version = ?, status = ? WHERE consent_id = ?")) {
        s.setLong(1, stored.version());
        s.setString(2, status);
        s.setString(3, id);
        s.executeUpdate();
      }
      boolean withdrawn = WITHDRAWN_STATUS.equals(status) && !WITHDRAWN_STATUS.equals(head.status());
      audit.append(c, withdrawn
          ? new AuditEvent.ConsentWithdrawn(stored.recordedAt(), stored.recordedBy(), stored.citizen(),
              stored.consentVersion(), reasons(stored))
          : new AuditEvent.ConsentChanged(stored.recordedAt(), stored.recordedBy(), stored.citizen(),
              stored.consentVersion(), reasons(stored)));
      return stored;
    });
  }

  public Optional<StoredConsent> current(String id) {
    return current(id, Visibility.everything());
  }

  /** The current version, if the consent exists and is visible. */
  public Optional<StoredConsent> current(String id, Visibility visibility) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + VERSION_COLUMNS + CURRENT + " WHERE h.consent_id = ?" + visibleTo(visibility))) {
        s.setString(1, id);
        bindParty(s, 2, visibility);
        return rows(s).stream().findFirst();
      }
    });
  }

  public Optional<StoredConsent> version(String id, long version) {
    return version(id, version, Visibility.everything());
  }

  /** One version, if the consent exists and is visible. */
  public Optional<StoredConsent> version(String id, long version, Visibility visibility) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + VERSION_COLUMNS + OF_CONSENT + " WHERE v.consent_id = ? AND v.version = ?" + visibleTo(visibility))) {
        s.setString(1, id);
        s.setLong(2, version);
        bindParty(s, 3, visibility);
        return rows(s).stream().findFirst();
      }
    });
  }

  /** Every version, newest first; empty for an unknown id. */
  public List<StoredConsent> history(String id) {
    return history(id, Visibility.everything());
  }

  /** Every version, newest first; empty for an unknown or invisible id. */
  public List<StoredConsent> history(String id, Visibility visibility) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + VERSION_COLUMNS + OF_CONSENT + " WHERE v.consent_id = ?" + visibleTo(visibility)
              + " ORDER BY v.version DESC")) {
        s.setString(1, id);
        bindParty(s, 2, visibility);
        return rows(s);
      }
    });
  }

  /** Current versions, optionally only those about one citizen identifier and/or with one status. */
  public List<StoredConsent> search(Optional<CitizenIdentifier> patient, Optional<String> status) {
    return search(patient, status, Visibility.everything());
  }

  /** {@link #search(Optional, Optional)} among the consents the caller may see, filtered in SQL. */
  public List<StoredConsent> search(Optional<CitizenIdentifier> patient, Optional<String> status, Visibility visibility) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT " + VERSION_COLUMNS + CURRENT + " WHERE 1 = 1");
      patient.ifPresent(p -> sql.append(" AND h.citizen_value = ? AND h.citizen_system = ?"));
      status.ifPresent(st -> sql.append(" AND h.status = ?"));
      sql.append(visibleTo(visibility));
      sql.append(" ORDER BY v.recorded_at DESC, v.consent_id");
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        int p = 1;
        if (patient.isPresent()) {
          s.setString(p++, patient.get().value());
          s.setString(p++, patient.get().system());
        }
        if (status.isPresent()) {
          s.setString(p++, status.get());
        }
        bindParty(s, p, visibility);
        return rows(s);
      }
    });
  }

  /**
   * One page of the current versions that match, newest first, among the consents the caller may
   * see (filtered in SQL).
   */
  public List<StoredConsent> search(ConsentQuery query, Visibility visibility, long offset, int limit) {
    if (query.matchesNothing() || limit == 0) {
      return List.of();
    }
    return db.read(c -> search(c, query, visibility, offset, limit));
  }

  private static List<StoredConsent> search(Connection c, ConsentQuery query, Visibility visibility, long offset, int limit)
      throws SQLException {
    List<Object> parameters = new ArrayList<>();
    String where = where(query, visibility, parameters);
    try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS + CURRENT + where
        + " ORDER BY v.recorded_at DESC, v.consent_id LIMIT ? OFFSET ?")) {
      int p = bind(s, parameters);
      s.setInt(p++, limit);
      s.setLong(p, offset);
      return rows(s);
    }
  }

  /** How many current versions match {@link #search(ConsentQuery, Visibility, long, int)}. */
  public long count(ConsentQuery query, Visibility visibility) {
    if (query.matchesNothing()) {
      return 0;
    }
    return db.read(c -> {
      List<Object> parameters = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*)" + CURRENT + where(query, visibility, parameters))) {
        bind(s, parameters);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    });
  }

  private static String where(ConsentQuery query, Visibility visibility, List<Object> parameters) {
    StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
    query.citizen().ifPresent(citizen -> {
      sql.append(" AND (");
      for (int i = 0; i < citizen.size(); i++) {
        sql.append(i == 0 ? "" : " OR ").append("(h.citizen_value = ? AND h.citizen_system = ?)");
        parameters.add(citizen.get(i).value());
        parameters.add(citizen.get(i).system());
      }
      sql.append(")");
    });
    if (!query.statuses().isEmpty()) {
      sql.append(" AND h.status IN (").append(String.join(", ", query.statuses().stream().map(st -> "?").toList()))
          .append(")");
      parameters.addAll(query.statuses());
    }
    query.id().ifPresent(id -> {
      sql.append(" AND h.consent_id = ?");
      parameters.add(id);
    });
    query.identifierValue().ifPresent(value -> {
      // the current version's Consent.identifier rows (consent_identifier_value_ix)
      sql.append(" AND EXISTS (SELECT 1 FROM consent_identifier i WHERE i.consent_id = v.consent_id"
          + " AND i.version = v.version AND i.value = ?");
      parameters.add(value);
      query.identifierSystem().ifPresent(system -> {
        sql.append(" AND i.system = ?");
        parameters.add(system);
      });
      sql.append(")");
    });
    if (visibility.party().isPresent()) {
      sql.append(" AND h.recorded_by_party = ?");
      parameters.add(visibility.party().get());
    }
    return sql.toString();
  }

  private static int bind(PreparedStatement s, List<Object> parameters) throws SQLException {
    int p = 1;
    for (Object parameter : parameters) {
      s.setObject(p++, parameter);
    }
    return p;
  }

  /** The condition on the head row {@code h} that keeps only visible consents. */
  private static String visibleTo(Visibility visibility) {
    return visibility.party().isPresent() ? " AND h.recorded_by_party = ?" : "";
  }

  private static void bindParty(PreparedStatement s, int index, Visibility visibility) throws SQLException {
    if (visibility.party().isPresent()) {
      s.setString(index, visibility.party().get());
    }
  }

  /**
   * The current version of every consent about any of these identifiers, whatever its status
   * (the evaluator decides what counts), parsed, with id and meta.versionId set. Runs inside the
   * caller's transaction.
   */
  public List<Consent> currentFor(Connection c, List<CitizenIdentifier> citizen) throws SQLException {
    if (citizen.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT " + VERSION_COLUMNS + CURRENT + " WHERE ");
    for (int i = 0; i < citizen.size(); i++) {
      sql.append(i == 0 ? "(" : " OR (").append("h.citizen_value = ? AND h.citizen_system = ?)");
    }
    sql.append(" ORDER BY v.consent_id");
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (CitizenIdentifier id : citizen) {
        s.setString(p++, id.value());
        s.setString(p++, id.system());
      }
      List<Consent> consents = new ArrayList<>();
      for (StoredConsent stored : rows(s)) {
        consents.add(parse(stored));
      }
      return consents;
    }
  }

  /** {@link #currentFor(Connection, List)} in a read-only transaction of its own. */
  public List<Consent> currentFor(List<CitizenIdentifier> citizen) {
    return db.read(c -> currentFor(c, citizen));
  }

  /** The stored JSON parsed back into a Consent with id and meta.versionId set. */
  public static Consent parse(StoredConsent stored) {
    Consent consent = parser().parseResource(Consent.class, new String(stored.json(), StandardCharsets.UTF_8));
    consent.setIdElement(new IdType("Consent", stored.id(), Long.toString(stored.version())));
    consent.getMeta().setVersionId(Long.toString(stored.version()));
    return consent;
  }

  /** Consent.patient.identifier: who the consent is about. */
  static CitizenIdentifier citizenOf(Consent consent) {
    Identifier identifier = consent.getPatient().getIdentifier();
    if (identifier == null || !identifier.hasSystem() || !identifier.hasValue()) {
      throw new ConsentRefusal.InvalidConsent(
          "Consent rejected: Consent.patient.identifier with system and value is required");
    }
    return new CitizenIdentifier(identifier.getSystem(), identifier.getValue());
  }

  private static String statusOf(Consent consent) {
    if (consent.getStatus() == null || consent.getStatus() == Consent.ConsentState.NULL) {
      throw new ConsentRefusal.InvalidConsent("Consent rejected: Consent.status is missing");
    }
    return consent.getStatus().toCode();
  }

  private static StoredConsent toStored(
      Consent consent, String id, long version, Instant at, String actor, CitizenIdentifier citizen, String status) {
    // A copy: the caller's resource stays as the caller made it.
    Consent copy = consent.copy();
    copy.setIdElement(new IdType("Consent", id, Long.toString(version)));
    copy.getMeta().setVersionId(Long.toString(version));
    copy.getMeta().setLastUpdated(Date.from(at));
    byte[] json = parser().encodeResourceToString(copy).getBytes(StandardCharsets.UTF_8);
    return new StoredConsent(id, version, at, actor, citizen, status, json);
  }

  private static List<String> reasons(StoredConsent stored) {
    return List.of("status " + stored.status());
  }

  private record Head(long version, CitizenIdentifier citizen, String status, String party) {}

  private static Optional<Head> lockHead(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT current_version, citizen_system, citizen_value, status, recorded_by_party FROM consent"
            + " WHERE consent_id = ? FOR UPDATE")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(new Head(
            r.getLong(1), new CitizenIdentifier(r.getString(2), r.getString(3)), r.getString(4), r.getString(5)));
      }
    }
  }

  private static void insertVersion(Connection c, StoredConsent v, List<Identifier> identifiers) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO consent_version (consent_id, version, recorded_at, recorded_by, citizen_system, citizen_value,"
            + " status, resource_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, v.id());
      s.setLong(2, v.version());
      s.setObject(3, Sql.timestamp(v.recordedAt()));
      s.setString(4, v.recordedBy());
      s.setString(5, v.citizen().system());
      s.setString(6, v.citizen().value());
      s.setString(7, v.status());
      s.setBytes(8, v.json());
      s.executeUpdate();
    }
    if (identifiers.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO consent_identifier (consent_id, version, position, system, value) VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 0; i < identifiers.size(); i++) {
        s.setString(1, v.id());
        s.setLong(2, v.version());
        s.setInt(3, i);
        s.setString(4, identifiers.get(i).getSystem());
        s.setString(5, identifiers.get(i).getValue());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /**
   * Consent.identifier, those with a value (only they can be searched), each short enough for the
   * search index.
   */
  private static List<Identifier> identifiersOf(Consent consent) {
    List<Identifier> identifiers = new ArrayList<>();
    for (int i = 0; i < consent.getIdentifier().size(); i++) {
      Identifier identifier = consent.getIdentifier().get(i);
      for (String part : new String[] {identifier.getSystem(), identifier.getValue()}) {
        if (part != null && part.length() > MAX_IDENTIFIER_CHARS) {
          throw new ConsentRefusal.InvalidConsent("Consent rejected: Consent.identifier[" + i + "] has a system or value"
              + " longer than " + MAX_IDENTIFIER_CHARS + " characters");
        }
      }
      if (identifier.hasValue()) {
        identifiers.add(identifier);
      }
    }
    return identifiers;
  }

  private static List<StoredConsent> rows(PreparedStatement s) throws SQLException {
    List<StoredConsent> rows = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        rows.add(new StoredConsent(
            r.getString("consent_id"),
            r.getLong("version"),
            Sql.instant(r, "recorded_at"),
            r.getString("recorded_by"),
            new CitizenIdentifier(r.getString("citizen_system"), r.getString("citizen_value")),
            r.getString("status"),
            r.getBytes("resource_json")));
      }
    }
    return rows;
  }

  private static IParser parser() {
    // Parsers are cheap and not thread-safe; the context is shared and cached.
    return FhirContext.forR4Cached().newJsonParser();
  }
}
