package dk.brobygger.gateway.storage;

import dk.brobygger.fhir.Failed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes H2 commits durable in groups. H2's COMMIT does not fsync; {@code CHECKPOINT SYNC} does:
 * in H2 2.x it runs {@code Store.sync()}, which first writes every unsaved change
 * ({@code MVStore.commit()}) and then forces the file ({@code FileChannel.force(true)}).
 *
 * <p>One thread runs the syncs, one after another. A committer whose commit has returned waits
 * for the first sync that <em>starts</em> after that moment, because only such a sync is sure to
 * cover the commit. Every committer that arrives while a sync runs waits for the next one, so
 * concurrent committers share one fsync instead of queueing for one each.
 */
final class GroupSync implements AutoCloseable {

  /** Opens the connection the syncer uses; it must belong to an H2 admin user. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(GroupSync.class);

  private final ConnectionSource source;
  private final Duration maxWait;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread syncer;

  // All guarded by lock. Syncs are numbered from 1 in the order they start.
  private long requested;
  private long started;
  private long completed;
  private long lastSucceeded;
  private Throwable lastFailure;
  private boolean closed;

  private Connection connection;

  GroupSync(ConnectionSource source, Duration maxWait) {
    this.source = source;
    this.maxWait = maxWait;
    this.syncer = new Thread(this::runSyncs, "brobygger-h2-group-sync");
    this.syncer.setDaemon(true);
    this.syncer.start();
  }

  /**
   * Returns once everything committed before this call is on disk.
   *
   * @throws Failed when the sync failed or took longer than the configured wait
   */
  void awaitDurable() {
    lock.lock();
    try {
      if (closed) {
        throw new Failed("storage is closed", null);
      }
      // Once registered, the syncer runs this sync even if close() comes next.
      long needed = started + 1;
      requested = Math.max(requested, needed);
      changed.signalAll();
      long nanos = maxWait.toNanos();
      while (completed < needed) {
        if (nanos <= 0) {
          throw new Failed("storage did not make the commit durable within " + maxWait, null);
        }
        nanos = changed.awaitNanos(nanos);
      }
      if (lastSucceeded < needed) {
        throw new Failed("storage could not make the commit durable", lastFailure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("interrupted while waiting for the commit to become durable", e);
    } finally {
      lock.unlock();
    }
  }

  /** How many syncs have completed; lets tests see that committers shared them. */
  long completedSyncs() {
    lock.lock();
    try {
      return completed;
    } finally {
      lock.unlock();
    }
  }

  private void runSyncs() {
    while (true) {
      long number;
      lock.lock();
      try {
        while (!closed && requested <= started) {
          changed.awaitUninterruptibly();
        }
        if (requested <= started) {
          return;
        }
        number = ++started;
      } finally {
        lock.unlock();
      }
      Throwable failure = syncOnce();
      lock.lock();
      try {
        completed = number;
        if (failure == null) {
          lastSucceeded = number;
        } else {
          lastFailure = failure;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private Throwable syncOnce() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = source.open();
        connection.setAutoCommit(true);
      }
      try (Statement s = connection.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
      return null;
    } catch (SQLException | RuntimeException e) {
      LOG.error("CHECKPOINT SYNC failed; commits waiting for it are reported as failed", e);
      closeConnectionQuietly();
      return e;
    }
  }

  private void closeConnectionQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the sync connection failed", e);
      }
      connection = null;
    }
  }

  /** Runs the syncs already asked for, then stops the syncer and closes its connection. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      syncer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!syncer.isAlive()) {
      closeConnectionQuietly();
    }
  }
}
