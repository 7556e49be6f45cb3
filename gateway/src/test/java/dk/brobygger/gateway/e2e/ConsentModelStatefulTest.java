package dk.brobygger.gateway.e2e;

import dk.brobygger.gateway.testing.EndToEndTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operation sequences against the real gateway, checked against the consent model after
 * every step (see {@link ConsentMachine} for the operations and the five invariants). CI runs a
 * fixed seed and a random one, {@code model.ops} operations each (1,000 by default; both seeds are
 * printed). A failing sequence is shrunk by replaying it without chunks of operations, and the
 * smallest still-failing one is printed to be kept as an example test.
 *
 * <p>{@code -Dmodel.strict=true} demands the rules of issue 14 (one citizen per message, a withdrawal
 * under any linked identifier wins, the withdrawal's answer is a fence, an audit record before the
 * bytes leave); by default outcomes only the earlier rules explain are tolerated and counted.
 */
@EndToEndTest
class ConsentModelStatefulTest {

  static final long FIXED_SEED = 8L;

  @TempDir Path temp;

  @Test
  void randomOperationsOnAFixedSeedKeepEveryConsentInvariant() throws IOException {
    runChecked(FIXED_SEED);
  }

  @Test
  void randomOperationsOnARandomSeedKeepEveryConsentInvariant() throws IOException {
    runChecked(Long.getLong("model.seed", System.nanoTime()));
  }

  private void runChecked(long seed) throws IOException {
    int count = Integer.getInteger("model.ops", 1000);
    boolean strict = Boolean.parseBoolean(System.getProperty("model.strict", "true"));
    int instances = Integer.getInteger("model.instances", 1);
    // a long run may be bounded in time: operations stop after model.seconds, then everything settles and is checked
    long seconds = Long.getLong("model.seconds", 0);
    Optional<Instant> stopBy = seconds > 0 ? Optional.of(Instant.now().plusSeconds(seconds)) : Optional.empty();
    String name = seed + (instances == 2 ? "-two-instances" : "");
    List<ConsentMachine.Op> ops = ConsentMachine.generate(seed, count);
    long started = System.nanoTime();
    ConsentMachine.Counts counts;
    try {
      counts = run(ops, strict, "run", stopBy);
    } catch (ConsentMachine.Violation violation) {
      double ranSeconds = (System.nanoTime() - started) / 1e9;
      System.out.println("consent model: seed " + seed + " FAILED at " + violation.getMessage());
      List<ConsentMachine.Op> failing = ops.subList(0, violation.step + 1);
      List<ConsentMachine.Op> minimal = Boolean.parseBoolean(System.getProperty("model.shrink", "true")) ? shrink(failing, strict) : failing;
      // the report shows a long sequence's start only; the whole one goes to a file of its own
      int shown = Math.min(minimal.size(), 40);
      String report = "seed " + seed + (strict ? " (strict)" : "") + (instances == 2 ? ", two instances on one database" : "")
          + ": " + violation.getMessage()
          + String.format("%nbefore it, in %.0f s: %s", ranSeconds, violation.countsSoFar)
          + "\nminimal failing sequence:\n" + ConsentMachine.describe(minimal.subList(0, shown))
          + (shown < minimal.size() ? "   ... " + (minimal.size() - shown) + " more steps (target/consent-model-sequence-" + name
              + ".txt; replay with -Dmodel.seed=" + seed + " -Dmodel.ops=" + (violation.step + 1) + ")\n" : "");
      Files.writeString(Path.of("target", "consent-model-sequence-" + name + ".txt"), ConsentMachine.describe(minimal),
          StandardCharsets.UTF_8);
      Files.writeString(Path.of("target", "consent-model-failure-" + name + ".txt"), report, StandardCharsets.UTF_8);
      throw new AssertionError(report, violation);
    }
    String summary = String.format("consent model: seed %d%s%s, %.0f s: %s", seed, strict ? " (strict)" : "",
        instances == 2 ? ", two instances on one database" : "", (System.nanoTime() - started) / 1e9, counts);
    System.out.println(summary);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "consent-model-run-" + name + ".txt"), summary + "\n", StandardCharsets.UTF_8);
  }

  private ConsentMachine.Counts run(List<ConsentMachine.Op> ops, boolean strict, String name) throws IOException {
    return run(ops, strict, name, Optional.empty());
  }

  private ConsentMachine.Counts run(List<ConsentMachine.Op> ops, boolean strict, String name, Optional<Instant> stopBy)
      throws IOException {
    Path dir = Files.createTempDirectory(temp, name);
    try (ConsentMachine machine = new ConsentMachine(dir.resolve("data"), strict)) {
      try {
        machine.run(ops, stopBy);
        machine.deliver();
        machine.verifyAuditLog(dir);
        return machine.counts;
      } catch (ConsentMachine.Violation violation) {
        violation.countsSoFar = machine.counts;
        throw violation;
      }
    }
  }

  private boolean fails(List<ConsentMachine.Op> ops, boolean strict, Instant deadline) {
    try {
      // a replay still running at the deadline stops there and counts as not failing
      run(ops, strict, "shrink", Optional.of(deadline));
      return false;
    } catch (ConsentMachine.Violation violation) {
      return true;
    } catch (IOException | RuntimeException | AssertionError other) {
      return false;
    }
  }

  /**
   * Drops chunks of operations (halves, then smaller) while the sequence still fails, within a time
   * budget ({@code model.shrink.seconds}, 300 by default): each replay starts a fresh gateway.
   */
  private List<ConsentMachine.Op> shrink(List<ConsentMachine.Op> failing, boolean strict) {
    List<ConsentMachine.Op> current = new ArrayList<>(failing);
    Instant until = Instant.now().plusSeconds(Long.getLong("model.shrink.seconds", 300));
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && Instant.now().isBefore(until); chunk /= 2) {
      for (int from = current.size() - chunk; from >= 0 && Instant.now().isBefore(until); from -= chunk) {
        List<ConsentMachine.Op> candidate = new ArrayList<>(current.subList(0, from));
        candidate.addAll(current.subList(from + chunk, current.size()));
        if (!candidate.isEmpty() && fails(candidate, strict, until)) {
          current = candidate;
          from = Math.min(from, current.size());
        }
      }
    }
    return current;
  }
}
