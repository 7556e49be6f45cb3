package dk.brobygger.gateway.auditlog;

import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteSignature;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.Witness.Request;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.CosignatureStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits the newest checkpoint to the witnesses of the trust policy (c2sp.org/tlog-witness {@code
 * add-checkpoint}, with a consistency proof from the size each witness cosigned last) and stores the
 * cosignatures that verify. Runs on a thread of its own: an unreachable or refusing witness never
 * blocks acceptance or delivery; the checkpoint just waits, and {@link #waitingForQuorum} says how long.
 */
public final class WitnessSubmitter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WitnessSubmitter.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int RECENT_COSIGNED = 20;

  private final WitnessPolicy policy;
  private final CheckpointStore checkpoints;
  private final CosignatureStore cosignatures;
  private final AuditProofs proofs;
  private final HttpClient http;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  public WitnessSubmitter(WitnessPolicy policy, CheckpointStore checkpoints, CosignatureStore cosignatures,
      AuditProofs proofs, HttpClient http, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.cosignatures = Objects.requireNonNull(cosignatures, "cosignatures");
    this.proofs = Objects.requireNonNull(proofs, "proofs");
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reads a witness policy file; a policy that cannot be read stops the gateway at start. */
  public static WitnessPolicy readPolicy(Path file) {
    try {
      return WitnessPolicy.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigurationError("audit.witness-policy " + file + ": " + e.getMessage(), e);
    }
  }

  /** Submits every {@code every}, on its own thread. */
  public synchronized void start(Duration every) {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "brobygger-audit-witnesses");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::submitNewest, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Submits the newest checkpoint to each witness that has not cosigned it yet. */
  public void submitNewest() {
    try {
      Optional<StoredCheckpoint> newest = checkpoints.latest().filter(c -> c.note().isPresent());
      if (newest.isEmpty()) {
        return;
      }
      for (WitnessPolicy.Witness witness : policy.witnesses()) {
        if (!witness.submissionPrefix().isEmpty()
            && cosignatures.latestCosigned(witness.key().name()).orElse(-1) < newest.get().treeSize()) {
          submit(witness, newest.get());
        }
      }
    } catch (RuntimeException e) {
      // keep the schedule alive; the next round tries again
      LOG.warn("submitting the audit checkpoint to witnesses failed: {}", e.toString());
    }
  }

  /** How long the newest checkpoint has waited for the policy's quorum of cosignatures, if it waits. */
  public Optional<Duration> waitingForQuorum() {
    Optional<StoredCheckpoint> newest = checkpoints.latest().filter(c -> c.note().isPresent());
    if (newest.isEmpty() || quorumMet(newest.get())) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(newest.get().issuedAt(), clock.instant()));
  }

  /**
   * The newest checkpoint that covers the first {@code entries} entries and has the policy's quorum of
   * cosignatures, among the {@value #RECENT_COSIGNED} newest cosigned ones: what a receipt should carry.
   */
  public Optional<StoredCheckpoint> newestCosignedCovering(long entries) {
    for (long size : cosignatures.cosignedSizes(RECENT_COSIGNED)) {
      if (size < entries) {
        break;
      }
      Optional<StoredCheckpoint> checkpoint = checkpoints.ofSize(size).filter(c -> c.note().isPresent());
      if (checkpoint.isPresent() && quorumMet(checkpoint.get())) {
        return checkpoint;
      }
    }
    return Optional.empty();
  }

  /** The checkpoint's note with the stored cosignatures appended. */
  public SignedNote cosigned(StoredCheckpoint checkpoint) {
    SignedNote note = SignedNote.parse(checkpoint.note().orElseThrow());
    for (String line : cosignatures.lines(checkpoint.treeSize())) {
      note = note.withSignature(SignedNote.parse(note.text() + "\n" + line + "\n").signatures().get(0));
    }
    return note;
  }

  private boolean quorumMet(StoredCheckpoint checkpoint) {
    return policy.cosigners(cosigned(checkpoint)).size() >= policy.quorum();
  }

  private void submit(WitnessPolicy.Witness witness, StoredCheckpoint checkpoint) {
    long old = cosignatures.latestCosigned(witness.key().name()).orElse(0L);
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Long> theirs = post(witness, checkpoint, old);
      if (theirs.isEmpty() || theirs.get() == old || theirs.get() > checkpoint.treeSize()
          || (theirs.get() > 0 && checkpoints.ofSize(theirs.get()).isEmpty())) {
        return;
      }
      old = theirs.get(); // the witness holds another of our checkpoints: prove consistency from that one
    }
  }

  /** Posts once; returns the witness's recorded size when it answered 409 with one. */
  private Optional<Long> post(WitnessPolicy.Witness witness, StoredCheckpoint checkpoint, long old) {
    String note = checkpoint.note().orElseThrow();
    List<byte[]> proof = old == 0 || old == checkpoint.treeSize()
        ? List.of() : proofs.consistency(old, checkpoint.treeSize()).hashes();
    String prefix = witness.submissionPrefix().endsWith("/") ? witness.submissionPrefix() : witness.submissionPrefix() + "/";
    HttpRequest request = HttpRequest.newBuilder(URI.create(prefix + "add-checkpoint"))
        .timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(Request.body(old, proof, note), StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("witness {} unreachable: {}", witness.key().name(), e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    if (response.statusCode() == 409
        && response.headers().firstValue("Content-Type").orElse("").startsWith("text/x.tlog.size")) {
      try {
        return Optional.of(Long.parseLong(response.body().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    if (response.statusCode() != 200) {
      LOG.warn("witness {} refused the checkpoint of size {}: {} {}", witness.key().name(), checkpoint.treeSize(),
          response.statusCode(), response.body().trim());
      return Optional.empty();
    }
    try {
      SignedNote answered = SignedNote.parse(note + response.body());
      for (NoteSignature signature : answered.signatures()) {
        if (witness.key().timestamp(answered.text(), signature).isPresent()) {
          cosignatures.insert(checkpoint.treeSize(), witness.key().name(), signature.line(), clock.instant());
          return Optional.empty();
        }
      }
      LOG.warn("witness {} answered no valid cosignature for size {}", witness.key().name(), checkpoint.treeSize());
    } catch (InvalidNote e) {
      LOG.warn("witness {} answered no signature lines: {}", witness.key().name(), e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
