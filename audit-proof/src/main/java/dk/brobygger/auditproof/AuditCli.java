package dk.brobygger.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.auditproof.ExportVerification.Problem;
import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteVerifier;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.WitnessCli;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The privacy officer's offline verifier:
 * {@code audit verify --export FILE --jwks FILE [--previous-checkpoint FILE]}.
 *
 * <p>Recomputes every leaf and the root, checks the checkpoint's signature against the key set,
 * checks that every entry's own sequence number matches its place, and, given a checkpoint verified
 * earlier (its compact JWS, or the JSON of {@code GET /audit/checkpoint}), that the log only grew
 * since. Needs nothing of the gateway but this package: no database, no network.
 *
 * <p>Exit codes: {@value #VERIFIED} verified, {@value #NOT_VERIFIED} the export does not verify (the
 * first problem is printed, naming the line and the entry), {@value #USAGE} wrong arguments or
 * unreadable files.
 */
public final class AuditCli {

  public static final int VERIFIED = 0;
  public static final int NOT_VERIFIED = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT =
      "Usage: brobygger audit verify --export FILE (--log-key FILE | --jwks FILE)... [--previous-checkpoint FILE]\n"
          + "  --export FILE               a log export (GET /audit/export)\n"
          + "  --log-key FILE              the log's note verifier key (GET /audit/key), for C2SP checkpoints\n"
          + "  --jwks FILE                 the gateway's public signing keys (JWK set), for older JWS checkpoints\n"
          + "  --previous-checkpoint FILE  a checkpoint verified earlier (signed note, compact JWS, or\n"
          + "                              GET /audit/checkpoint JSON)\n"
          + "       brobygger audit checkpoint --checkpoint FILE --log-key FILE [--witness-policy FILE]\n"
          + "  --checkpoint FILE           a checkpoint as GET /audit/checkpoint serves it, with any cosignatures\n"
          + "  --witness-policy FILE       witnesses and quorum: that many of them must have cosigned it\n"
          + TlogCommands.USAGE_TEXT;

  private AuditCli() {}

  /**
   * The stand-alone jar's entry point: {@code java -jar brobygger-audit-verify.jar verify ...}, or
   * {@code ... witness ...} to run a witness ({@link WitnessCli}).
   */
  public static void main(String[] args) {
    List<String> arguments = List.of(args);
    if (!arguments.isEmpty() && arguments.get(0).equals("witness")) {
      System.exit(WitnessCli.run(arguments, System.out, System.err));
    }
    System.exit(run(arguments, System.out, System.err));
  }

  /** {@code --help} (or {@code -h}) anywhere: the usage text on standard output, exit code 0. */
  private static boolean asksForHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /** {@code args} as given after the program name, starting with "audit" (which may be left out). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    List<String> rest = !args.isEmpty() && args.get(0).equals("audit") ? args.subList(1, args.size()) : args;
    if (asksForHelp(rest)) {
      out.print(USAGE_TEXT);
      return VERIFIED;
    }
    if (!rest.isEmpty() && rest.get(0).equals("checkpoint")) {
      return checkpoint(rest.subList(1, rest.size()), out, err);
    }
    if (!rest.isEmpty()) {
      List<String> options = rest.subList(1, rest.size());
      switch (rest.get(0)) {
        case "tiles" -> {
          return TlogCommands.tiles(options, out, err);
        }
        case "tile-paths" -> {
          return TlogCommands.tilePaths(options, out, err);
        }
        case "receipt" -> {
          return TlogCommands.receipt(options, out, err);
        }
        case "fork-check" -> {
          return TlogCommands.forkCheck(options, out, err);
        }
        default -> { }
      }
    }
    if (rest.isEmpty() || !rest.get(0).equals("verify")) {
      err.print(USAGE_TEXT);
      return USAGE;
    }
    Arguments arguments;
    try {
      arguments = Arguments.parse(rest.subList(1, rest.size()));
    } catch (IllegalArgumentException e) {
      err.println("audit verify: " + e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
    TrustedLogKeys keys;
    Optional<String> previous;
    try {
      Optional<JWKSet> jwks = arguments.jwks().isPresent()
          ? Optional.of(JWKSet.parse(Files.readString(arguments.jwks().get(), StandardCharsets.UTF_8)))
          : Optional.empty();
      Optional<NoteVerifier> logKey = arguments.logKey().isPresent()
          ? Optional.of(NoteVerifier.parse(Files.readString(arguments.logKey().get(), StandardCharsets.UTF_8)))
          : Optional.empty();
      keys = new TrustedLogKeys(logKey, jwks);
      previous = arguments.previous().isPresent()
          ? Optional.of(checkpointJws(Files.readString(arguments.previous().get(), StandardCharsets.UTF_8)))
          : Optional.empty();
    } catch (IOException e) {
      err.println("audit verify: cannot read " + e.getMessage());
      return USAGE;
    } catch (ParseException e) {
      err.println("audit verify: " + arguments.jwks().orElseThrow() + " is not a JWK set: " + e.getMessage());
      return USAGE;
    } catch (InvalidNote e) {
      err.println("audit verify: " + arguments.logKey().orElseThrow() + " is not a note verifier key: " + e.getMessage());
      return USAGE;
    } catch (IllegalArgumentException e) {
      err.println("audit verify: " + e.getMessage());
      return USAGE;
    }
    ExportVerification verification;
    Optional<Problem> misplaced;
    try (Reader export = Files.newBufferedReader(arguments.export(), StandardCharsets.UTF_8);
        Reader again = Files.newBufferedReader(arguments.export(), StandardCharsets.UTF_8)) {
      verification = ExportVerifier.verify(export, keys, previous);
      misplaced = EntrySequenceCheck.firstMisplaced(again);
    } catch (IOException | UncheckedIOException e) {
      err.println("audit verify: cannot read " + arguments.export() + ": " + e.getMessage());
      return USAGE;
    }
    Optional<Problem> first = first(verification.problem(), misplaced);
    if (first.isPresent()) {
      Problem problem = first.get();
      err.println("audit verify: NOT VERIFIED: " + arguments.export());
      err.println("first problem: " + problem);
      problem.entryIndex().ifPresent(index ->
          err.println("first bad entry: index " + index + " (log sequence number " + (index + 1) + ")"));
      return NOT_VERIFIED;
    }
    Checkpoint checkpoint = verification.checkpoint().orElseThrow();
    out.println("audit verify: VERIFIED: " + arguments.export());
    out.println(verification.entries() + " entries recomputed; the signed checkpoint of log " + checkpoint.origin()
        + " covers " + checkpoint.treeSize() + " entries, root " + Base64.getEncoder().encodeToString(checkpoint.rootHash())
        + checkpoint.issuedAt().map(at -> ", issued " + at).orElse(""));
    previous.ifPresent(jws -> out.println("the log only grew since the previous checkpoint"));
    return VERIFIED;
  }

  /** {@code audit checkpoint}: a (cosigned) checkpoint, its log signature and the policy's quorum. */
  private static int checkpoint(List<String> args, PrintStream out, PrintStream err) {
    Path checkpointFile = null;
    Path logKeyFile = null;
    Path policyFile = null;
    for (int i = 0; i + 1 < args.size(); i += 2) {
      Path value = Path.of(args.get(i + 1));
      switch (args.get(i)) {
        case "--checkpoint" -> checkpointFile = value;
        case "--log-key" -> logKeyFile = value;
        case "--witness-policy" -> policyFile = value;
        default -> {
          err.println("audit checkpoint: unknown option " + args.get(i));
          err.print(USAGE_TEXT);
          return USAGE;
        }
      }
    }
    if (args.size() % 2 != 0 || checkpointFile == null || logKeyFile == null) {
      err.println("audit checkpoint: --checkpoint and --log-key are required");
      err.print(USAGE_TEXT);
      return USAGE;
    }
    String note;
    NoteVerifier logKey;
    Optional<WitnessPolicy> policy;
    try {
      note = checkpointJws(Files.readString(checkpointFile, StandardCharsets.UTF_8));
      logKey = NoteVerifier.parse(Files.readString(logKeyFile, StandardCharsets.UTF_8));
      policy = policyFile == null ? Optional.empty()
          : Optional.of(WitnessPolicy.parse(Files.readString(policyFile, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      err.println("audit checkpoint: cannot read " + e.getMessage());
      return USAGE;
    } catch (IllegalArgumentException | InvalidNote e) {
      err.println("audit checkpoint: " + e.getMessage());
      return USAGE;
    }
    try {
      Checkpoint checkpoint = CheckpointNote.verify(note, logKey);
      if (policy.isPresent()) {
        SignedNote signed = SignedNote.parse(note);
        policy.get().requireQuorum(signed);
        out.println("audit checkpoint: cosigned by " + policy.get().cosigners(signed).stream()
            .map(witness -> witness.name()).toList() + " (policy quorum " + policy.get().quorum() + ")");
      }
      out.println("audit checkpoint: VERIFIED: log " + checkpoint.origin() + " at " + checkpoint.treeSize()
          + " entries, root " + Base64.getEncoder().encodeToString(checkpoint.rootHash()));
      return VERIFIED;
    } catch (InvalidCheckpoint | InvalidNote e) {
      err.println("audit checkpoint: NOT VERIFIED: " + e.getMessage());
      return NOT_VERIFIED;
    }
  }

  /** The earlier of two problems by line; one about the previous checkpoint (no line) comes first. */
  private static Optional<Problem> first(Optional<Problem> a, Optional<Problem> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isPresent() ? a : b;
    }
    int lineA = a.get().line().orElse(0);
    int lineB = b.get().line().orElse(0);
    return lineB < lineA ? b : a;
  }

  /**
   * A signed note or compact JWS as is, or the {@code "note"} (else {@code "jws"}) field of the JSON
   * that GET /audit/checkpoint answers.
   */
  static String checkpointJws(String text) {
    String trimmed = text.trim();
    if (CheckpointNote.isNote(trimmed) && !trimmed.startsWith("{")) {
      return trimmed + "\n"; // a note ends in exactly one newline; an editor may add or drop one
    }
    if (!trimmed.startsWith("{")) {
      return trimmed;
    }
    try {
      JsonNode json = LogExport.JSON.readTree(trimmed);
      JsonNode jws = json.hasNonNull("note") ? json.get("note") : json.get("jws");
      if (jws == null || !jws.isTextual()) {
        throw new IllegalArgumentException("the previous checkpoint file is JSON without a \"note\" or \"jws\" field");
      }
      return jws.textValue();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the previous checkpoint file is neither a signed note, a compact JWS nor JSON");
    }
  }

  private record Arguments(Path export, Optional<Path> jwks, Optional<Path> logKey, Optional<Path> previous) {

    static Arguments parse(List<String> args) {
      Path export = null;
      Path jwks = null;
      Path logKey = null;
      Path previous = null;
      for (int i = 0; i < args.size(); i += 2) {
        String flag = args.get(i);
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        Path value = Path.of(args.get(i + 1));
        switch (flag) {
          case "--export" -> export = value;
          case "--jwks" -> jwks = value;
          case "--log-key" -> logKey = value;
          case "--previous-checkpoint" -> previous = value;
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (export == null || (jwks == null && logKey == null)) {
        throw new IllegalArgumentException("--export and at least one of --log-key and --jwks are required");
      }
      return new Arguments(export, Optional.ofNullable(jwks), Optional.ofNullable(logKey), Optional.ofNullable(previous));
    }
  }
}
