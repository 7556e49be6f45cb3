package dk.brobygger.auditproof;

import com.fasterxml.jackson.databind.JsonNode;
import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteVerifier;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.tiles.TileMirrorVerifier;
import dk.brobygger.auditproof.tiles.TilePath;
import dk.brobygger.auditproof.witness.CosignatureVerifier;
import dk.brobygger.auditproof.witness.Forks;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The verifier's commands over the C2SP shapes: {@code audit tiles} (a tile mirror), {@code audit
 * receipt} (a tlog-proof) and {@code audit fork-check} (two checkpoints kept by different parties or
 * at different times). Each prints VERIFIED or NOT VERIFIED with the reason and returns
 * {@link AuditCli}'s exit codes.
 */
final class TlogCommands {

  static final String USAGE_TEXT =
      "       brobygger audit tiles --mirror DIR --log-key FILE [--witness-policy FILE] [--entries]\n"
          + "  --mirror DIR                a copy of GET /audit/checkpoint and /audit/tile/... as DIR/checkpoint\n"
          + "                              and DIR/tile/<L>/<N>, DIR/tile/entries/<N> (c2sp.org/tlog-tiles)\n"
          + "  --entries                   every entry bundle must be in the mirror (otherwise those present are checked)\n"
          + "       brobygger audit tile-paths --checkpoint FILE [--entries]\n"
          + "                              prints the path of every tile of the checkpoint's tree (below\n"
          + "                              /audit/tile/), to fetch a mirror with curl\n"
          + "       brobygger audit receipt --receipt FILE --log-key FILE [--witness-policy FILE]\n"
          + "  --receipt FILE              a receipt (GET /audit/receipt?message=ID, c2sp.org/tlog-proof)\n"
          + "       brobygger audit fork-check --kept FILE --seen FILE --log-key FILE [--witness-policy FILE]\n"
          + "                                  [--proof FILE]\n"
          + "  --kept FILE                 a checkpoint kept earlier (or shown to another party)\n"
          + "  --seen FILE                 a checkpoint shown now; same size and another root is a fork, a\n"
          + "                              smaller size a rollback\n"
          + "  --proof FILE                for a larger --seen: GET /audit/proof/consistency?from=KEPT&to=SEEN\n";

  private TlogCommands() {}

  static int tiles(List<String> args, PrintStream out, PrintStream err) {
    String command = "audit tiles";
    Map<String, String> options;
    try {
      options = options(args, Set.of("--mirror", "--log-key", "--witness-policy"), Set.of("--entries"),
          Set.of("--mirror", "--log-key"));
    } catch (IllegalArgumentException e) {
      return usage(command, e.getMessage(), err);
    }
    Path mirror = Path.of(options.get("--mirror"));
    try {
      NoteVerifier logKey = logKey(options);
      Optional<WitnessPolicy> policy = policy(options);
      String note = AuditCli.checkpointJws(read(mirror.resolve("checkpoint")));
      Checkpoint checkpoint = verifiedCheckpoint(note, logKey, policy);
      TileMirrorVerifier.Verification verified = TileMirrorVerifier.verify(
          TileMirrorVerifier.directory(mirror), checkpoint, options.containsKey("--entries"));
      out.println(command + ": VERIFIED: " + mirror);
      out.println(verified.tilesRead() + " hash tiles give the signed root of log " + checkpoint.origin() + " at "
          + checkpoint.treeSize() + " entries; " + verified.entriesChecked() + " entries from entry bundles match them");
      return AuditCli.VERIFIED;
    } catch (Unreadable e) {
      return usage(command, e.getMessage(), err);
    } catch (InvalidCheckpoint | InvalidProof | InvalidNote e) {
      err.println(command + ": NOT VERIFIED: " + e.getMessage());
      return AuditCli.NOT_VERIFIED;
    }
  }

  /** The tile paths of a checkpoint's tree, one a line (unverified: only the size is read). */
  static int tilePaths(List<String> args, PrintStream out, PrintStream err) {
    String command = "audit tile-paths";
    try {
      Map<String, String> options = options(args, Set.of("--checkpoint"), Set.of("--entries"), Set.of("--checkpoint"));
      String note = AuditCli.checkpointJws(read(Path.of(options.get("--checkpoint"))));
      Checkpoint checkpoint = CheckpointNote.parse(SignedNote.parse(note).text());
      TilePath.forTree(checkpoint.treeSize(), options.containsKey("--entries")).forEach(tile -> out.println(tile.path()));
      return AuditCli.VERIFIED;
    } catch (IllegalArgumentException | Unreadable | InvalidCheckpoint | InvalidNote e) {
      return usage(command, e.getMessage(), err);
    }
  }

  static int receipt(List<String> args, PrintStream out, PrintStream err) {
    String command = "audit receipt";
    Map<String, String> options;
    try {
      options = options(args, Set.of("--receipt", "--log-key", "--witness-policy"), Set.of(),
          Set.of("--receipt", "--log-key"));
    } catch (IllegalArgumentException e) {
      return usage(command, e.getMessage(), err);
    }
    try {
      NoteVerifier logKey = logKey(options);
      Optional<WitnessPolicy> policy = policy(options);
      TlogProof receipt = TlogProof.parse(read(Path.of(options.get("--receipt"))));
      ReceiptVerifier.VerifiedReceipt verified = ReceiptVerifier.verify(receipt, logKey, policy);
      out.println(command + ": VERIFIED: entry " + verified.index() + " (log sequence number " + (verified.index() + 1)
          + ") is in log " + verified.checkpoint().origin() + " at " + verified.checkpoint().treeSize() + " entries"
          + (policy.isPresent() ? ", cosigned by " + verified.cosigners().stream().map(CosignatureVerifier::name).toList()
              : ""));
      out.println(new String(verified.entry(), StandardCharsets.UTF_8));
      return AuditCli.VERIFIED;
    } catch (Unreadable e) {
      return usage(command, e.getMessage(), err);
    } catch (InvalidCheckpoint | InvalidProof | InvalidNote e) {
      err.println(command + ": NOT VERIFIED: " + e.getMessage());
      return AuditCli.NOT_VERIFIED;
    }
  }

  static int forkCheck(List<String> args, PrintStream out, PrintStream err) {
    String command = "audit fork-check";
    Map<String, String> options;
    try {
      options = options(args, Set.of("--kept", "--seen", "--log-key", "--witness-policy", "--proof"), Set.of(),
          Set.of("--kept", "--seen", "--log-key"));
    } catch (IllegalArgumentException e) {
      return usage(command, e.getMessage(), err);
    }
    Checkpoint kept;
    Checkpoint seen;
    try {
      NoteVerifier logKey = logKey(options);
      Optional<WitnessPolicy> policy = policy(options);
      kept = verifiedCheckpoint(AuditCli.checkpointJws(read(Path.of(options.get("--kept")))), logKey, policy);
      seen = verifiedCheckpoint(AuditCli.checkpointJws(read(Path.of(options.get("--seen")))), logKey, policy);
    } catch (Unreadable e) {
      return usage(command, e.getMessage(), err);
    } catch (InvalidCheckpoint | InvalidNote e) {
      err.println(command + ": NOT VERIFIED: a checkpoint does not verify, so it proves nothing: " + e.getMessage());
      return AuditCli.NOT_VERIFIED;
    }
    if (seen.treeSize() < kept.treeSize()) {
      err.println(command + ": ROLLBACK: the log shows " + seen.treeSize() + " entries after it signed "
          + kept.treeSize() + ": it hides entries it had already logged");
      return AuditCli.NOT_VERIFIED;
    }
    List<byte[]> proof = List.of();
    if (seen.treeSize() > kept.treeSize() && kept.treeSize() > 0) {
      if (!options.containsKey("--proof")) {
        return usage(command, "the checkpoints differ in size (" + kept.treeSize() + ", " + seen.treeSize()
            + "): give --proof with GET /audit/proof/consistency?from=" + kept.treeSize() + "&to=" + seen.treeSize(), err);
      }
      try {
        proof = consistencyProof(read(Path.of(options.get("--proof"))), kept.treeSize(), seen.treeSize());
      } catch (Unreadable e) {
        return usage(command, e.getMessage(), err);
      }
    }
    Optional<String> fork = Forks.evidence(kept, seen, proof);
    if (fork.isPresent()) {
      err.println(command + ": FORK: " + fork.get());
      return AuditCli.NOT_VERIFIED;
    }
    out.println(command + ": VERIFIED: one history: the checkpoint of " + seen.treeSize() + " entries extends the one of "
        + kept.treeSize());
    return AuditCli.VERIFIED;
  }

  private static Checkpoint verifiedCheckpoint(String note, NoteVerifier logKey, Optional<WitnessPolicy> policy) {
    Checkpoint checkpoint = CheckpointNote.verify(note, logKey);
    if (policy.isPresent()) {
      SignedNote signed = SignedNote.parse(note);
      policy.get().requireQuorum(signed);
    }
    return checkpoint;
  }

  private static List<byte[]> consistencyProof(String json, long from, long to) {
    try {
      JsonNode proof = LogExport.JSON.readTree(json);
      if (proof.path("from").asLong(-1) != from || proof.path("to").asLong(-1) != to || !proof.path("hashes").isArray()) {
        throw new Unreadable("the proof file is not a consistency proof from " + from + " to " + to);
      }
      List<byte[]> hashes = new ArrayList<>();
      for (JsonNode hash : proof.get("hashes")) {
        hashes.add(Base64.getDecoder().decode(hash.asText()));
      }
      return hashes;
    } catch (IOException | IllegalArgumentException e) {
      throw new Unreadable("the proof file is not the JSON of GET /audit/proof/consistency: " + e.getMessage());
    }
  }

  private static NoteVerifier logKey(Map<String, String> options) {
    try {
      return NoteVerifier.parse(read(Path.of(options.get("--log-key"))).trim());
    } catch (InvalidNote e) {
      throw new Unreadable(options.get("--log-key") + " is not a note verifier key: " + e.getMessage());
    }
  }

  private static Optional<WitnessPolicy> policy(Map<String, String> options) {
    if (!options.containsKey("--witness-policy")) {
      return Optional.empty();
    }
    try {
      return Optional.of(WitnessPolicy.parse(read(Path.of(options.get("--witness-policy")))));
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new Unreadable("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static int usage(String command, String problem, PrintStream err) {
    err.println(command + ": " + problem);
    err.print(AuditCli.USAGE_TEXT);
    return AuditCli.USAGE;
  }

  /** {@code --name value} options and bare flags, each at most once. */
  private static Map<String, String> options(List<String> args, Set<String> valued, Set<String> flags,
      Set<String> required) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      String value;
      if (flags.contains(name)) {
        value = "";
      } else if (valued.contains(name)) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (options.put(name, value) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    for (String name : required) {
      if (!options.containsKey(name)) {
        throw new IllegalArgumentException(name + " is required");
      }
    }
    return options;
  }

  /** A file that cannot be read or is not what its option says: a usage problem, not a verdict. */
  private static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }
}
