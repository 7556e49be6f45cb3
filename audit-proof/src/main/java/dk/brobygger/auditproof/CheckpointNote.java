package dk.brobygger.auditproof;

import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.auditproof.note.NoteVerifier;
import dk.brobygger.auditproof.note.SignedNote;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checkpoints in the C2SP tlog-checkpoint format: a signed note whose text is the origin, the tree
 * size in decimal and the base64 root hash, one per line, each ending in a newline. The log signs with
 * an Ed25519 note key whose name is its origin. No extension lines are written (the spec advises
 * against them); when reading, they are allowed and ignored, as the spec says they are opaque.
 */
public final class CheckpointNote {

  private static final Pattern TREE_SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

  private CheckpointNote() {}

  /** The note text of {@code checkpoint} (its time is not part of it). */
  public static String text(Checkpoint checkpoint) {
    return checkpoint.origin() + "\n" + checkpoint.treeSize() + "\n"
        + Base64.getEncoder().encodeToString(checkpoint.rootHash()) + "\n";
  }

  /** {@code checkpoint} signed by the log's key; the key's name must be the checkpoint's origin. */
  public static SignedNote sign(Checkpoint checkpoint, NoteSigner logKey) {
    if (!logKey.verifier().name().equals(checkpoint.origin())) {
      throw new IllegalArgumentException("the log key is named " + logKey.verifier().name()
          + " but the checkpoint's origin is " + checkpoint.origin());
    }
    return logKey.sign(text(checkpoint));
  }

  /**
   * The checkpoint in {@code note} if the log's key signed it and its origin is that key's name.
   *
   * @throws InvalidCheckpoint saying why not
   */
  public static Checkpoint verify(String note, NoteVerifier logKey) {
    SignedNote parsed;
    try {
      parsed = SignedNote.parse(note);
      logKey.requireSigned(parsed);
    } catch (InvalidNote e) {
      throw new InvalidCheckpoint("checkpoint note: " + e.getMessage(), e);
    }
    Checkpoint checkpoint = parse(parsed.text());
    if (!checkpoint.origin().equals(logKey.name())) {
      throw new InvalidCheckpoint("the checkpoint is of log " + checkpoint.origin() + ", not of " + logKey.name());
    }
    return checkpoint;
  }

  /** Reads a checkpoint note's text (unverified: only for text whose signature was checked). */
  public static Checkpoint parse(String text) {
    if (!text.endsWith("\n")) {
      throw new InvalidCheckpoint("checkpoint text must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new InvalidCheckpoint("checkpoint text needs origin, tree size and root hash lines");
    }
    for (String line : lines) {
      if (line.isEmpty()) {
        throw new InvalidCheckpoint("checkpoint text lines must not be empty");
      }
    }
    if (!TREE_SIZE.matcher(lines[1]).matches()) {
      throw new InvalidCheckpoint("checkpoint tree size must be a decimal number without leading zeroes");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new InvalidCheckpoint("checkpoint tree size is too large");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidCheckpoint("checkpoint root hash is not base64");
    }
    if (root.length != MerkleHash.SIZE || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
      throw new InvalidCheckpoint("checkpoint root hash must be the base64 of " + MerkleHash.SIZE + " bytes");
    }
    return new Checkpoint(size, root, Optional.empty(), lines[0]);
  }

  /** Whether {@code text} looks like a signed note rather than a compact JWS. */
  public static boolean isNote(String text) {
    return text.indexOf('\n') >= 0;
  }
}
