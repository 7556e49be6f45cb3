package dk.brobygger.gateway.auditlog;

import com.nimbusds.jose.jwk.ECKey;
import dk.brobygger.fhir.Failed;
import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.CheckpointSigner;
import dk.brobygger.auditproof.CompactRange;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.gateway.auditlog.entries.AuditLeaf;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues signed checkpoints of the audit log: as soon as {@code everyEntries} entries are not yet
 * covered, when uncovered entries are {@code interval} old (measured from the previous checkpoint),
 * and on demand. A checkpoint covers every entry committed when it is issued; with nothing new
 * there is nothing new to sign, so an idle log gets no new checkpoints.
 *
 * <p>Each checkpoint is stored with its compact range (frontier), and the next one resumes from it:
 * only the leaf hashes recorded since then are read, so a restart never rehashes the whole log.
 * Committed sequence numbers form a contiguous prefix (the counter row lock serialises appends),
 * so a gap or a missing leaf hash means the database was changed behind the gateway's back: then no
 * checkpoint is issued and the failure is reported, rather than signing a damaged log.
 *
 * <p>Thread-safe: issuing is serialised within one instance. Gateway instances sharing a database
 * may race for the same tree size; the database keeps the first, and both heads are equal anyway
 * because the log they cover is the same.
 */
public final class Checkpointer implements AutoCloseable {

  /** The log's name unless configured (audit.origin), so that a checkpoint of another log is never accepted. */
  public static final String DEFAULT_ORIGIN = "brobygger.example/audit-log";

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private static final int LEAVES_PER_READ = 10_000;
  private static final Duration MAX_POLL = Duration.ofMillis(50);

  private final AuditLog log;
  private final CheckpointStore store;
  private final CheckpointSigner signer;
  private final NoteSigner noteSigner;
  private final long everyEntries;
  private final Duration interval;
  private final Clock clock;
  private final Object issuing = new Object();

  private ScheduledExecutorService scheduler;
  // Guarded by issuing: the size of the newest checkpoint and when (monotonic) this instance saw it.
  private long coveredSize = -1;
  private long coveredAtNanos;

  /**
   * @param signingKey the gateway's private P-256 signing key (with a kid), for the JWS form older
   *     verifiers know
   * @param noteSigner the log's Ed25519 note key, named after the log's origin: C2SP checkpoints
   * @param everyEntries issue once this many entries are uncovered (at least 1)
   * @param interval issue once uncovered entries wait this long (positive)
   */
  public Checkpointer(
      AuditLog log, CheckpointStore store, ECKey signingKey, NoteSigner noteSigner, long everyEntries,
      Duration interval, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.store = Objects.requireNonNull(store, "store");
    this.signer = new CheckpointSigner(signingKey);
    this.noteSigner = Objects.requireNonNull(noteSigner, "noteSigner");
    if (everyEntries < 1) {
      throw new IllegalArgumentException("checkpoint every " + everyEntries + " entries: must be at least 1");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("checkpoint interval must be positive, got " + interval);
    }
    this.everyEntries = everyEntries;
    this.interval = interval;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records leaf hashes missing for entries older than the leaf table, issues a first checkpoint
   * if the log has none or has grown since, and starts the schedule on a thread of its own.
   */
  public void start() {
    synchronized (issuing) {
      if (scheduler != null) {
        throw new IllegalStateException("the checkpointer is already started");
      }
      int recorded = log.recordMissingLeaves();
      if (recorded > 0) {
        LOG.info("recorded the leaf hashes of {} audit entries appended before schema version 2", recorded);
      }
      checkpointNow();
      scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "brobygger-audit-checkpointer");
        thread.setDaemon(true);
        return thread;
      });
      long poll = Math.min(MAX_POLL.toNanos(), interval.toNanos());
      scheduler.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Issues a checkpoint covering every entry committed so far and returns it; returns the newest
   * stored one when no entry was committed since.
   *
   * @throws Failed when the log or its leaf hashes are damaged, or storage fails
   */
  public StoredCheckpoint checkpointNow() {
    synchronized (issuing) {
      Optional<StoredCheckpoint> last = store.latest();
      long committed = log.lastSequence();
      if (last.isPresent() && last.get().treeSize() >= committed) {
        remember(last.get().treeSize());
        return last.get();
      }
      CompactRange range = last.map(Checkpointer::resume).orElseGet(CompactRange::empty);
      extend(range, committed);
      Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
      byte[] root = range.root();
      Checkpoint head = new Checkpoint(range.size(), root, issuedAt, origin());
      String jws = signer.sign(head);
      String note = CheckpointNote.sign(head, noteSigner).format();
      StoredCheckpoint checkpoint =
          new StoredCheckpoint(range.size(), root, issuedAt, jws, range.frontier(), Optional.of(note));
      try {
        store.insert(checkpoint);
      } catch (Failed e) {
        return storedByAnotherInstance(checkpoint, e);
      }
      remember(checkpoint.treeSize());
      return checkpoint;
    }
  }

  /** The log's origin: the first line of its checkpoints and its note key's name. */
  public String origin() {
    return noteSigner.verifier().name();
  }

  /** The verifier key of the log's note key ({@code name+id+key}), what a verifier pins. */
  public String verifierKey() {
    return noteSigner.verifier().verifierKey();
  }

  /** The newest stored checkpoint. */
  public Optional<StoredCheckpoint> latest() {
    return store.latest();
  }

  /** Stops the schedule and covers whatever was committed meanwhile with a last checkpoint. */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (issuing) {
      running = scheduler;
      scheduler = null;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the audit checkpointer did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      checkpointNow();
    } catch (RuntimeException e) {
      LOG.error("could not issue the closing audit checkpoint: {}", e.toString());
    }
  }

  private void tick() {
    try {
      long committed = log.lastSequence();
      boolean due;
      synchronized (issuing) {
        long uncovered = committed - coveredSize;
        due = uncovered >= everyEntries
            || (uncovered > 0 && System.nanoTime() - coveredAtNanos >= interval.toNanos());
      }
      if (due) {
        checkpointNow();
      }
    } catch (RuntimeException e) {
      // Keep the schedule alive: the next tick tries again, and the failure stays visible in the log.
      LOG.error("audit checkpoint failed: {}", e.getMessage(), e);
    }
  }

  private void remember(long size) {
    if (size != coveredSize) {
      coveredSize = size;
      coveredAtNanos = System.nanoTime();
    }
  }

  /** The compact range stored with a checkpoint, after checking it still gives the signed root. */
  private static CompactRange resume(StoredCheckpoint checkpoint) {
    CompactRange range = CompactRange.from(checkpoint.frontier());
    if (!MessageDigest.isEqual(range.root(), checkpoint.rootHash())) {
      throw new Failed("the stored frontier of audit checkpoint " + checkpoint.treeSize()
          + " does not give its root hash: the checkpoint table was changed", null);
    }
    return range;
  }

  /** Appends the recorded leaf hashes of entries range.size()+1 .. committed, checking there is no gap. */
  private void extend(CompactRange range, long committed) {
    while (range.size() < committed) {
      List<AuditLeaf> leaves = log.leaves(range.size(), committed, LEAVES_PER_READ);
      if (leaves.isEmpty()) {
        throw damaged(range.size() + 1);
      }
      for (AuditLeaf leaf : leaves) {
        if (leaf.sequence() != range.size() + 1) {
          throw damaged(range.size() + 1);
        }
        range.append(leaf.hash());
      }
    }
  }

  private static Failed damaged(long sequence) {
    return new Failed("audit entry " + sequence + " or its recorded leaf hash is missing: the audit log was changed"
        + " outside the gateway; no checkpoint is issued over it", null);
  }

  private StoredCheckpoint storedByAnotherInstance(StoredCheckpoint mine, Failed insertFailure) {
    Optional<StoredCheckpoint> theirs = store.ofSize(mine.treeSize());
    if (theirs.isEmpty()) {
      throw insertFailure;
    }
    if (!MessageDigest.isEqual(theirs.get().rootHash(), mine.rootHash())) {
      throw new Failed("two different roots for audit tree size " + mine.treeSize() + ": the log has forked", null);
    }
    remember(mine.treeSize());
    return theirs.get();
  }
}
