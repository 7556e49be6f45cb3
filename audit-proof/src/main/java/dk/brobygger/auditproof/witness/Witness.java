package dk.brobygger.auditproof.witness;

import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.InvalidCheckpoint;
import dk.brobygger.auditproof.InvalidProof;
import dk.brobygger.auditproof.MerkleHash;
import dk.brobygger.auditproof.ProofVerifier;
import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteSignature;
import dk.brobygger.auditproof.note.NoteVerifier;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.WitnessState.TreeHead;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The witness side of c2sp.org/tlog-witness {@code add-checkpoint}: checks a log's new checkpoint
 * against the latest one it cosigned for that log and, if it only grew, records it and cosigns it.
 * Answers with the status codes the spec gives: 400 malformed or old size above the new size, 403 no
 * valid signature of a trusted log key, 404 unknown origin, 409 old size is not the recorded size (body:
 * the recorded size, {@code text/x.tlog.size}) or same size with another root (a fork), 422 the
 * consistency proof does not verify. Free of HTTP code: the caller serves the {@link Answer}.
 */
public final class Witness {

  /** The spec's limit on consistency proof lines. */
  public static final int MAX_PROOF_LINES = 63;

  private static final Pattern OLD_LINE = Pattern.compile("old (0|[1-9][0-9]{0,18})");

  private final Cosigner key;
  private final Map<String, NoteVerifier> logs;
  private final WitnessState state;
  private final LongSupplier posixSeconds;

  /**
   * @param key the witness's cosigning key
   * @param logs the logs it witnesses: their note keys, by origin (each key's name is the origin)
   * @param state its durable record of the latest cosigned checkpoint per log
   * @param posixSeconds the clock for cosignature timestamps
   */
  public Witness(Cosigner key, List<NoteVerifier> logs, WitnessState state, LongSupplier posixSeconds) {
    this.key = Objects.requireNonNull(key, "key");
    this.logs = logs.stream().collect(Collectors.toUnmodifiableMap(NoteVerifier::name, log -> log));
    this.state = Objects.requireNonNull(state, "state");
    this.posixSeconds = Objects.requireNonNull(posixSeconds, "posixSeconds");
  }

  /** What the witness answers: an HTTP status, a content type and a body. */
  public record Answer(int status, String contentType, String body) {
    static Answer text(int status, String message) {
      return new Answer(status, "text/plain; charset=utf-8", message + "\n");
    }
  }

  /** Handles one {@code POST <prefix>/add-checkpoint} request body. */
  public Answer addCheckpoint(String body) {
    Request request;
    try {
      request = Request.parse(body);
    } catch (IllegalArgumentException e) {
      return Answer.text(400, "bad request: " + e.getMessage());
    }
    Checkpoint unverified;
    try {
      unverified = CheckpointNote.parse(request.checkpoint().text());
    } catch (InvalidCheckpoint e) {
      return Answer.text(400, "bad request: " + e.getMessage());
    }
    NoteVerifier logKey = logs.get(unverified.origin());
    if (logKey == null) {
      return Answer.text(404, "unknown log " + unverified.origin());
    }
    try {
      logKey.requireSigned(request.checkpoint());
    } catch (InvalidNote e) {
      return Answer.text(403, "the checkpoint is not signed by the log's key: " + e.getMessage());
    }
    if (request.oldSize() > unverified.treeSize()) {
      return Answer.text(400, "old size " + request.oldSize() + " is above the checkpoint size " + unverified.treeSize());
    }
    // Check and record as one step per origin: two requests racing must not roll the log back.
    synchronized (lockFor(unverified.origin())) {
      Optional<TreeHead> latest = state.latest(unverified.origin());
      long latestSize = latest.map(TreeHead::size).orElse(0L);
      if (request.oldSize() != latestSize) {
        return new Answer(409, "text/x.tlog.size", latestSize + "\n");
      }
      if (latest.isPresent() && latestSize == unverified.treeSize()) {
        if (!MessageDigest.isEqual(latest.get().rootHash(), unverified.rootHash())) {
          return Answer.text(409, "a different root hash for tree size " + latestSize + " was cosigned before: the log forked");
        }
      } else if (latest.isPresent()) {
        try {
          ProofVerifier.verifyConsistency(latestSize, unverified.treeSize(), latest.get().rootHash(),
              unverified.rootHash(), request.proof());
        } catch (InvalidProof e) {
          return Answer.text(422, "the consistency proof does not verify: " + e.getMessage());
        }
      } else if (!request.proof().isEmpty()) {
        return Answer.text(422, "the consistency proof from size 0 must be empty");
      }
      if (!state.compareAndSet(unverified.origin(), latestSize, new TreeHead(unverified.treeSize(), unverified.rootHash()))) {
        return new Answer(409, "text/x.tlog.size", state.latest(unverified.origin()).map(TreeHead::size).orElse(0L) + "\n");
      }
    }
    NoteSignature cosignature = key.cosign(request.checkpoint().text(), posixSeconds.getAsLong());
    return new Answer(200, "text/plain; charset=utf-8", cosignature.line() + "\n");
  }

  private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

  private Object lockFor(String origin) {
    return locks.computeIfAbsent(origin, o -> new Object());
  }

  /** The request body: old size line, proof lines, empty line, checkpoint. */
  public record Request(long oldSize, List<byte[]> proof, SignedNote checkpoint) {

    /** The body a log sends: {@code old N}, one base64 hash per line, an empty line, the checkpoint. */
    public static String body(long oldSize, List<byte[]> proof, String checkpointNote) {
      StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
      proof.forEach(hash -> body.append(Base64.getEncoder().encodeToString(hash)).append('\n'));
      return body.append('\n').append(checkpointNote).toString();
    }

    static Request parse(String body) {
      int blank = body.indexOf("\n\n");
      if (blank < 0) {
        throw new IllegalArgumentException("no empty line before the checkpoint");
      }
      String[] head = body.substring(0, blank).split("\n", -1);
      var old = OLD_LINE.matcher(head[0]);
      if (!old.matches()) {
        throw new IllegalArgumentException("the first line must be \"old <size>\"");
      }
      if (head.length - 1 > MAX_PROOF_LINES) {
        throw new IllegalArgumentException("more than " + MAX_PROOF_LINES + " consistency proof lines");
      }
      List<byte[]> proof = new ArrayList<>();
      for (int i = 1; i < head.length; i++) {
        byte[] hash;
        try {
          hash = Base64.getDecoder().decode(head[i]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("consistency proof line " + i + " is not base64");
        }
        if (hash.length != MerkleHash.SIZE) {
          throw new IllegalArgumentException("consistency proof line " + i + " is not a " + MerkleHash.SIZE + "-byte hash");
        }
        proof.add(hash);
      }
      SignedNote checkpoint;
      try {
        checkpoint = SignedNote.parse(body.substring(blank + 2));
      } catch (InvalidNote e) {
        throw new IllegalArgumentException("the checkpoint is not a signed note: " + e.getMessage());
      }
      return new Request(Long.parseLong(old.group(1)), proof, checkpoint);
    }
  }
}
