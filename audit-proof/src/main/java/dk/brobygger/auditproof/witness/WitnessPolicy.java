package dk.brobygger.auditproof.witness;

import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteSignature;
import dk.brobygger.auditproof.note.SignedNote;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which witnesses are trusted and how many of them must have cosigned a checkpoint (k of n). Read
 * from a policy file, one statement per line ({@code #} starts a comment):
 *
 * <pre>
 * witness witness.svendborg.example/w1+1a2b3c4d+BASE64KEY https://witness.svendborg.example/
 * witness witness.odder.example/w1+5e6f7a8b+BASE64KEY
 * quorum 1
 * </pre>
 *
 * <p>A witness line holds the witness's cosignature verifier key (type 0x04) and optionally the
 * submission prefix of its {@code add-checkpoint} endpoint; the quorum is k. Cosignatures of keys not
 * in the policy are ignored, as the spec says, and never count towards the quorum.
 */
public record WitnessPolicy(List<Witness> witnesses, int quorum) {

  /** One trusted witness: its key and, for the submitting log, where it takes checkpoints. */
  public record Witness(CosignatureVerifier key, String submissionPrefix) {
    public Witness {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(submissionPrefix, "submissionPrefix");
    }
  }

  public WitnessPolicy {
    witnesses = List.copyOf(witnesses);
    if (quorum < 0 || quorum > witnesses.size()) {
      throw new IllegalArgumentException("a quorum of " + quorum + " among " + witnesses.size() + " witnesses cannot be met");
    }
    if (witnesses.stream().map(w -> w.key().verifierKey()).distinct().count() != witnesses.size()) {
      throw new IllegalArgumentException("a witness is listed twice");
    }
  }

  /** Parses a policy file's text. */
  public static WitnessPolicy parse(String text) {
    List<Witness> witnesses = new ArrayList<>();
    Integer quorum = null;
    int lineNumber = 0;
    for (String raw : text.split("\n", -1)) {
      lineNumber++;
      String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
      String[] words = line.trim().split("\\s+");
      if (words.length == 1 && words[0].isEmpty()) {
        continue;
      }
      try {
        switch (words[0]) {
          case "witness" -> {
            if (words.length < 2 || words.length > 3) {
              throw new IllegalArgumentException("expected: witness <verifier key> [<submission prefix>]");
            }
            witnesses.add(new Witness(CosignatureVerifier.parse(words[1]), words.length == 3 ? words[2] : ""));
          }
          case "quorum" -> {
            if (words.length != 2 || quorum != null) {
              throw new IllegalArgumentException("expected one line: quorum <k>");
            }
            quorum = Integer.parseInt(words[1]);
          }
          default -> throw new IllegalArgumentException("unknown statement " + words[0]);
        }
      } catch (InvalidNote | IllegalArgumentException e) {
        throw new IllegalArgumentException("witness policy line " + lineNumber + ": " + e.getMessage(), e);
      }
    }
    if (quorum == null) {
      throw new IllegalArgumentException("the witness policy names no quorum");
    }
    return new WitnessPolicy(witnesses, quorum);
  }

  /** The trusted witnesses whose cosignature on {@code note} verifies. */
  public List<CosignatureVerifier> cosigners(SignedNote note) {
    List<CosignatureVerifier> valid = new ArrayList<>();
    for (Witness witness : witnesses) {
      for (NoteSignature signature : note.signatures()) {
        if (witness.key().timestamp(note.text(), signature).isPresent()) {
          valid.add(witness.key());
          break;
        }
      }
    }
    return valid;
  }

  /**
   * Checks that at least {@link #quorum} trusted witnesses cosigned {@code note}.
   *
   * @throws InvalidNote naming how many did
   */
  public void requireQuorum(SignedNote note) {
    List<CosignatureVerifier> valid = cosigners(note);
    if (valid.size() < quorum) {
      throw new InvalidNote("the checkpoint is cosigned by " + valid.size() + " of the policy's witnesses "
          + valid.stream().map(CosignatureVerifier::name).toList() + ", the policy needs " + quorum);
    }
  }
}
