package dk.brobygger.gateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One run of the real gateway as a separate operating-system process, started the way the README
 * starts it ({@code java -cp <runtime class path> dk.brobygger.gateway.Main ...}), so that it can be
 * killed with SIGKILL like a crashed machine and not only closed politely.
 */
final class GatewayProcess {

  private static final Pattern LISTENING = Pattern.compile("listening on (https?://[^\\s/]+)");

  private final Process process;
  private final CompletableFuture<String> listening = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final long startedNanos = System.nanoTime();
  private volatile long listeningNanos;

  private GatewayProcess(Process process, Path log) {
    this.process = process;
    Thread pump = new Thread(() -> pump(log), "gateway-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    process.onExit().thenRun(() -> listening.completeExceptionally(
        new IllegalStateException("the gateway exited with " + process.exitValue() + " before listening; see " + log)));
  }

  /** Starts the gateway with these arguments; its output (stdout and stderr) is appended to {@code log}. */
  static GatewayProcess start(List<String> gatewayArgs, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the HAPI validator needs room, but 8 engineers share this machine's memory
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(runtimeClassPath());
    command.add("dk.brobygger.gateway.Main");
    command.addAll(gatewayArgs);
    try {
      Files.writeString(log, "\n=== " + String.join(" ", gatewayArgs) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return startCommand(command, log);
  }

  /** Any command in place of the gateway (for testing this class itself); it says "listening on URL" when up. */
  static GatewayProcess startCommand(List<String> command, Path log) {
    try {
      return new GatewayProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The packaged gateway and its runtime libraries (failsafe passes their paths, after {@code
   * package}); run from an IDE without them, the test JVM's own class path.
   */
  static String runtimeClassPath() {
    String jar = System.getProperty("brobygger.gateway.jar");
    String lib = System.getProperty("brobygger.gateway.lib");
    if (jar == null || lib == null) {
      return System.getProperty("java.class.path");
    }
    try (var jars = Files.list(Path.of(lib))) {
      return jar + java.io.File.pathSeparator + jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted()
          .collect(Collectors.joining(java.io.File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException("no runtime libraries in " + lib + " (run `mvn verify`, which packages first)", e);
    }
  }

  private void pump(Path log) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
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
      // not expected: the signals below leave the pipe open until the process has written its last line
      drained.completeExceptionally(e);
    }
    drained.complete(null);
  }

  /**
   * Waits until everything the process wrote is in the log (its output reached its end), at most
   * {@code patience}; true if it did.
   */
  boolean awaitOutput(Duration patience) {
    try {
      drained.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The base URL (scheme, host, port) it listens on, once it says so; empty while starting. */
  Optional<String> baseUrl() {
    return listening.isDone() && !listening.isCompletedExceptionally() ? Optional.of(listening.join()) : Optional.empty();
  }

  /** Waits until it listens; fails if it exits first or takes longer than {@code patience}. */
  String awaitListening(Duration patience) {
    try {
      return listening.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the gateway did not start listening within " + patience);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** From launch to "listening"; zero until then. */
  Duration startUp() {
    return listeningNanos == 0 ? Duration.ZERO : Duration.ofNanos(listeningNanos - startedNanos);
  }

  Duration sinceStart() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Processes the gateway started (an embedded database server, for example). */
  List<ProcessHandle> children() {
    return process.descendants().collect(Collectors.toList());
  }

  // Signals go through the ProcessHandle: Process.destroy() and destroyForcibly() also close this
  // side of the output pipe right after signalling (OpenJDK's ProcessImpl does), so the pump's next
  // read fails with "Stream closed" and every line written after the signal (a SIGTERM's shutdown
  // steps) or still in the pipe (after a SIGKILL) was lost: the log pipe's lost lines.

  /**
   * SIGKILL: no shutdown hook runs, nothing is flushed or closed; returns once the process is gone
   * and what it wrote before is in the log.
   */
  void kill() {
    process.toHandle().destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
    awaitOutput(Duration.ofSeconds(30));
  }

  /**
   * SIGTERM: the shutdown hook closes the gateway as Ctrl-C would. Returns its exit code once its
   * last line is in the log.
   */
  int stop(Duration patience) {
    process.toHandle().destroy();
    if (!awaitExit(patience)) {
      process.toHandle().destroyForcibly();
      awaitExit(Duration.ofSeconds(30));
      throw new AssertionError("the gateway did not stop within " + patience + " of SIGTERM");
    }
    awaitOutput(Duration.ofSeconds(30));
    return process.exitValue();
  }

  /** The exit status, once it has ended. */
  int exitValue() {
    return process.exitValue();
  }

  /** SIGTERM without waiting: the graceful stop begins. */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Waits up to {@code patience} for the process to end; true if it did. */
  boolean awaitExit(Duration patience) {
    try {
      return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
