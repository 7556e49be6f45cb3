package dk.brobygger.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged gateway as its own process ({@code java -cp brobygger-gateway.jar:lib/*
 * dk.brobygger.gateway.Main ...}, as the README and the crash test start it), with what the
 * benchmark reads from outside: CPU from /proc/pid/stat (its own and its descendants', which include
 * the embedded PostgreSQL), VmRSS from /proc/pid/status, and GC pauses from its unified GC log.
 */
final class GatewayUnderTest implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (https?://[^\\s/]+)");
  /** A pause line of -Xlog:gc: "... Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 4.321ms". */
  private static final Pattern PAUSE = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) (\\d+(?:\\.\\d+)?)ms");
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final Process process;
  private final Path gcLog;
  private final Path dataDir;
  private final long launchedNanos = System.nanoTime();
  private final CompletableFuture<String> listening = new CompletableFuture<>();
  private volatile long listeningNanos;

  private GatewayUnderTest(Process process, Path log, Path gcLog, Path dataDir) {
    this.process = process;
    this.gcLog = gcLog;
    this.dataDir = dataDir;
    Thread pump = new Thread(() -> pump(log), "gateway-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    process.onExit().thenRun(() -> listening.completeExceptionally(
        new IllegalStateException("the gateway exited with " + process.exitValue() + " before listening; see " + log)));
  }

  /**
   * @param classPath the packaged jar and its lib/ jars
   * @param jvmOptions e.g. -Xmx768m
   * @param work where its output and GC log go
   */
  static GatewayUnderTest start(String classPath, List<String> jvmOptions, List<String> gatewayArgs, Path work, String name) {
    Path log = work.resolve(name + ".log");
    Path gcLog = work.resolve(name + "-gc.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Xlog:gc:file=" + gcLog);
    if (Boolean.getBoolean("bench.profile")) { // PROFILE=1: a CPU profile per gateway, summarised by run.sh
      command.add("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
    }
    command.add("-cp");
    command.add(classPath);
    command.add("dk.brobygger.gateway.Main");
    command.addAll(gatewayArgs);
    try {
      Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8);
      Path dataDir = Path.of(gatewayArgs.get(gatewayArgs.indexOf("--data.dir") + 1));
      return new GatewayUnderTest(new ProcessBuilder(command).redirectErrorStream(true).start(), log, gcLog, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pump(Path log) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)) {
      String line;
      while ((line = out.readLine()) != null) {
        file.write(line);
        file.write('\n');
        file.flush();
        Matcher m = LISTENING.matcher(line);
        if (m.find() && !listening.isDone()) {
          listeningNanos = System.nanoTime();
          listening.complete(m.group(1));
        }
      }
    } catch (IOException e) {
      // the process ended while we read its output
    }
  }

  String awaitListening(Duration patience) throws Exception {
    return listening.get(patience.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Launch to the "listening" line. */
  Duration startUp() {
    return Duration.ofNanos(listeningNanos - launchedNanos);
  }

  long launchedNanos() {
    return launchedNanos;
  }

  long pid() {
    return process.pid();
  }

  /** CPU seconds of the gateway's JVM alone. */
  double jvmCpuSeconds() {
    return cpuSeconds(process.pid());
  }

  /**
   * CPU seconds of the embedded PostgreSQL (its postmaster and backends): pg_ctl daemonises the
   * postmaster, so it is found by data.dir/postgres/postmaster.pid, not among the JVM's children.
   * Zero with an external database.
   */
  double embeddedDatabaseCpuSeconds() {
    try {
      Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
      return Files.exists(pidFile) ? treeCpuSeconds(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime of a process (and its reaped children) from /proc/pid/stat; 0 if it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name may hold spaces; fields are counted after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return ticks / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU seconds of a process and all its descendants (e.g. an external PostgreSQL's postmaster). */
  static double treeCpuSeconds(long pid) {
    return cpuSeconds(pid) + ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
        .mapToDouble(p -> cpuSeconds(p.pid())).sum();
  }

  /** Resident set size of the JVM, in MiB. */
  double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return 0;
  }

  /** Lines in the GC log so far: a window's GC is what comes after the mark taken at its start. */
  int gcMark() {
    return gcLines().size();
  }

  /** GC pauses logged after the mark. */
  GcFigures gcSince(int mark) {
    List<String> lines = gcLines();
    int pauses = 0;
    double totalMs = 0;
    double longestMs = 0;
    long heapBeforeMaxMiB = 0;
    long heapAfterMaxMiB = 0;
    long committedMaxMiB = 0;
    for (String line : lines.subList(Math.min(mark, lines.size()), lines.size())) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        pauses++;
        double ms = Double.parseDouble(m.group(4));
        totalMs += ms;
        longestMs = Math.max(longestMs, ms);
        heapBeforeMaxMiB = Math.max(heapBeforeMaxMiB, Long.parseLong(m.group(1)));
        heapAfterMaxMiB = Math.max(heapAfterMaxMiB, Long.parseLong(m.group(2)));
        committedMaxMiB = Math.max(committedMaxMiB, Long.parseLong(m.group(3)));
      }
    }
    return new GcFigures(pauses, totalMs, longestMs, heapBeforeMaxMiB, heapAfterMaxMiB, committedMaxMiB);
  }

  private List<String> gcLines() {
    try {
      return Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** GC within a window: pauses, their sum and longest, and the heap before/after them and committed. */
  record GcFigures(int pauses, double totalMs, double longestMs, long heapBeforeMaxMiB, long heapAfterMaxMiB,
      long committedMaxMiB) {}

  /** SIGTERM (the gateway's shutdown hook closes it as Ctrl-C would), then SIGKILL after a minute. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
