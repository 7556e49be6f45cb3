package dk.brobygger.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the gateway under load (what {@code jfr print --events
 * jdk.ExecutionSample} lists, counted): the methods most often on top of the stack (self time),
 * and the project's own methods most often anywhere on it (inclusive time), as Markdown tables.
 *
 * <pre>java -cp ... dk.brobygger.bench.e2e.ProfileSummary recording.jfr [rows] [all]</pre>
 *
 * <p>{@code all} adds every method anywhere on the stack, libraries included.
 */
public final class ProfileSummary {

  private static final String OURS = "dk.brobygger.";

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> anyInclusive = new HashMap<>();
    boolean all = args.length > 2 && args[2].equals("all");
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame.getMethod());
        if (seen.add(name)) {
          anyInclusive.merge(name, 1, Integer::sum);
          if (name.startsWith(OURS)) {
            inclusive.merge(name, 1, Integer::sum);
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "%,d execution samples (jdk.ExecutionSample)%n%n", samples);
    table("Top of the stack (self)", self, samples, rows);
    table("The project's own methods anywhere on the stack (inclusive)", inclusive, samples, rows);
    if (all) {
      table("Any method anywhere on the stack (inclusive)", anyInclusive, samples, rows);
    }
  }

  private static void table(String title, Map<String, Integer> counts, int samples, int rows) {
    System.out.println("| " + title + " | samples | share |");
    System.out.println("|---|---:|---:|");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(rows)
        .forEach(e -> System.out.printf(Locale.ROOT, "| `%s` | %,d | %.1f%% |%n", e.getKey(), e.getValue(),
            100.0 * e.getValue() / Math.max(1, samples)));
    System.out.println();
  }

  private static String name(RecordedMethod method) {
    return method == null ? "(unknown)" : method.getType().getName() + "." + method.getName();
  }
}
