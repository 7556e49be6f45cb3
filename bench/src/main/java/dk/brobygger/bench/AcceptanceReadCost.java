package dk.brobygger.bench;

import com.sun.management.OperatingSystemMXBean;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What the acceptance read ({@code MessageReader.read} with FHIR validation and the event's profile)
 * costs the whole process, not just the reading thread: the thread's CPU, the process's CPU (garbage
 * collection and JIT included), GC pauses, and the heap still live after a full GC, per block of
 * messages. A validator that keeps what it has seen shows as a live heap that grows block by block
 * and as GC time; the reading thread's CPU alone (as in {@link ValidationBenchmark}) does not show it.
 *
 * <pre>java -Xmx512m -cp ... dk.brobygger.bench.AcceptanceReadCost [blocks] [messages per block]</pre>
 */
public final class AcceptanceReadCost {

  private AcceptanceReadCost() {}

  public static void main(String[] args) throws IOException {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 250;
    byte[] body;
    try (InputStream in = AcceptanceReadCost.class.getResourceAsStream("/dk/brobygger/bench/referral-to-gp.json")) {
      body = in.readAllBytes();
    }
    MessageReader reader = new MessageReader(new FhirCodec());
    reader.warmUp();
    ThreadMXBean thread = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean process = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Runtime runtime = Runtime.getRuntime();
    System.out.println("| messages read | thread CPU ms per message | process CPU ms per message | GC pauses | GC ms"
        + " | live heap after full GC MiB |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (int block = 1; block <= blocks; block++) {
      long threadStart = thread.getCurrentThreadCpuTime();
      long processStart = process.getProcessCpuTime();
      long[] gcStart = gc();
      for (int i = 0; i < perBlock; i++) {
        reader.read(body, FhirFormat.JSON);
      }
      double threadMs = (thread.getCurrentThreadCpuTime() - threadStart) / 1e6 / perBlock;
      double processMs = (process.getProcessCpuTime() - processStart) / 1e6 / perBlock;
      long[] gcEnd = gc();
      System.gc(); // the live set, for this row only: its own pause is not in the row's figures
      long liveMiB = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
      System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %d | %d | %d |%n", block * perBlock, threadMs, processMs,
          gcEnd[0] - gcStart[0], gcEnd[1] - gcStart[1], liveMiB);
    }
  }

  /** Collections and milliseconds in collection so far, over every collector. */
  private static long[] gc() {
    long count = 0;
    long ms = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
      ms += Math.max(0, collector.getCollectionTime());
    }
    return new long[] {count, ms};
  }
}
