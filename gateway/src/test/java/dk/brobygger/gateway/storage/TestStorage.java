package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.messages.DeliveryAnswers;
import dk.brobygger.gateway.messages.MessageIntake;
import dk.brobygger.gateway.messages.TaskStore;
import dk.brobygger.gateway.inbox.Inbox;
import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.gateway.testing.TestClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The storage components wired on a fresh database, as the gateway wires them. */
public final class TestStorage implements AutoCloseable {

  private final StorageSettings settings;
  private final Database db;
  private final TestClock clock = TestClock.standingAt(Instant.parse("2025-03-03T08:15:30.123456789Z"));
  private final Map<String, Recipient> directory = new ConcurrentHashMap<>();
  private final AuditLog audit;
  private final ConsentStore consents;
  private final MessageIntake intake;
  private final TaskStore tasks;
  private final Inbox inbox;
  private final CitizenLinks links;
  private final DeliveryAnswers answers;

  private TestStorage(StorageSettings settings) {
    this.settings = settings;
    this.db = Database.open(settings);
    this.audit = new AuditLog(db);
    this.consents = new ConsentStore(db, audit, clock);
    this.intake = new MessageIntake(db, audit, clock);
    this.tasks = new TaskStore(db);
    this.inbox = new Inbox(db, audit, clock);
    this.links = new CitizenLinks(db, audit, clock);
    this.answers = new DeliveryAnswers(db, audit, clock);
  }

  /** @param fresh an empty database, e.g. from {@link PostgresStorage} */
  public static TestStorage open(StorageSettings fresh) {
    return new TestStorage(fresh);
  }

  public OutboxStore outbox(String instanceId, Duration lease) {
    return new OutboxStore(db, audit, id -> Optional.ofNullable(directory.get(id)), clock, lease, instanceId);
  }

  /** Adds (or replaces) a recipient in the directory the outbox looks recipients up in. */
  public Recipient add(Recipient recipient) {
    directory.put(recipient.id(), recipient);
    return recipient;
  }

  public void remove(Recipient recipient) {
    directory.remove(recipient.id());
  }

  public long count(String table) {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      long count = r.getLong(1);
      c.rollback();
      return count;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public StorageSettings settings() {
    return settings;
  }

  public Database db() {
    return db;
  }

  public TestClock clock() {
    return clock;
  }

  public AuditLog audit() {
    return audit;
  }

  public ConsentStore consents() {
    return consents;
  }

  public MessageIntake intake() {
    return intake;
  }

  public TaskStore tasks() {
    return tasks;
  }

  public Inbox inbox() {
    return inbox;
  }

  public CitizenLinks links() {
    return links;
  }

  public DeliveryAnswers answers() {
    return answers;
  }

  @Override
  public void close() {
    db.close();
  }
}
