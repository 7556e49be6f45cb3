package dk.brobygger.gateway.db;

import dk.brobygger.fhir.Failed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own PostgreSQL, used when no {@code db.url} is given: the server binary shipped in
 * the io.zonky artifacts, its cluster in {@code data.dir/postgres}, {@code fsync},
 * {@code full_page_writes} and {@code synchronous_commit} on, listening on 127.0.0.1 only (no
 * Unix socket), with SCRAM password authentication for a password generated on first start and
 * kept in {@code data.dir/postgres.password} (mode 0600).
 *
 * <p>One gateway per data directory: a lock on {@code data.dir/postgres.lock}, held while this
 * server runs, is free only when no live gateway uses the directory. So a postmaster that is still
 * running on the cluster when the lock is taken was left behind by a gateway that died (SIGKILL);
 * it is shut down before a new one starts, so that two servers never share the files. A first
 * start that died half-way (no {@value #READY_MARKER} in the cluster) held no data yet and is
 * initialised afresh.
 *
 * <p>As root, the library runs the server in a user namespace ({@code unshare -U}) where it is
 * {@code nobody}; files created by root are owned by {@code nobody} there, so the cluster works
 * without changing ownership.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  static final String CLUSTER = "postgres";
  static final String PASSWORD_FILE = "postgres.password";
  static final String LOCK_FILE = "postgres.lock";
  static final String LOG_FILE = "postgres.log";
  static final String READY_MARKER = "brobygger-ready";
  private static final String SUPERUSER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres server;
  private final StorageSettings settings;

  private EmbeddedPostgresServer(FileChannel lockChannel, FileLock lock, EmbeddedPostgres server, StorageSettings settings) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.server = server;
    this.settings = settings;
  }

  /**
   * Starts the server on {@code dataDirectory}, creating the cluster on first use.
   *
   * @throws Failed when the directory is in use by another running gateway or the server does not start
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int poolSize) {
    Path data = dataDirectory.toAbsolutePath().normalize();
    Path cluster = data.resolve(CLUSTER);
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(data);
      lockChannel = FileChannel.open(data.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(lockChannel, data);
      stopOrphanedPostmaster(cluster);
      if (Files.exists(cluster) && !Files.exists(cluster.resolve(READY_MARKER))) {
        LOG.warn("the first start of the embedded PostgreSQL in {} did not finish; initialising it afresh", cluster);
        deleteRecursively(cluster);
      }
      String password = password(data, Files.exists(cluster));
      Path log = data.resolve(LOG_FILE);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
        // one syncfs() instead of an fsync per file makes the first start seconds faster, as durable
        builder.setLocaleConfig("sync-method", "syncfs");
      }
      EmbeddedPostgres server = builder
          .setDataDirectory(cluster)
          .setCleanDataDirectory(false)
          // initdb: the superuser's password from the file, SCRAM for every connection (these
          // options follow the library's "-A trust" on initdb's command line, so they win)
          .setLocaleConfig("pwfile", data.resolve(PASSWORD_FILE).toString())
          .setLocaleConfig("auth-local", "scram-sha-256")
          .setLocaleConfig("auth-host", "scram-sha-256")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("unix_socket_directories", "''")
          .setServerConfig("fsync", "on")
          .setServerConfig("full_page_writes", "on")
          // the library turns it off for tests; a 202 must survive a crash
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("max_connections", "100")
          .setConnectConfig("password", password)
          .setPGStartupWait(STARTUP_WAIT)
          // the gateway stops it in order, after its last write (its final audit checkpoint), not
          // in a JVM shutdown hook of its own that races the gateway's
          .setRegisterShutdownHook(false)
          // the server outlives a killed gateway: its output goes to a file, not to our pipes
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      Files.writeString(cluster.resolve(READY_MARKER), "initialised and started by the Brobygger gateway\n");
      String url = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
      LOG.info("embedded PostgreSQL running on 127.0.0.1:{}, cluster {}", server.getPort(), cluster);
      return new EmbeddedPostgresServer(lockChannel, lock, server, new StorageSettings(url, SUPERUSER, password, poolSize));
    } catch (IOException | RuntimeException e) {
      closeQuietly(lockChannel);
      if (e instanceof Failed failed) {
        throw failed;
      }
      throw new Failed("the embedded PostgreSQL in " + cluster + " did not start (see " + data.resolve(LOG_FILE) + "): "
          + e.getMessage(), e, false);
    }
  }

  /** How the gateway connects to it. */
  public StorageSettings settings() {
    return settings;
  }

  /** Stops the server (fast shutdown) and releases the data directory. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
    }
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("releasing the data directory lock failed", e);
    }
    closeQuietly(lockChannel);
  }

  private static FileLock tryLock(FileChannel channel, Path data) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new Failed("data.dir " + data + " is in use by another running gateway; give each gateway its own data.dir,"
          + " or share an external PostgreSQL with db.url", null, false);
    }
    return lock;
  }

  /**
   * Shuts down a postmaster that a killed gateway left running on the cluster. Only called with the
   * data directory lock held, so the postmaster cannot belong to a live gateway.
   */
  static void stopOrphanedPostmaster(Path cluster) throws IOException {
    Path pidFile = cluster.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> postmaster = postmasterOf(pidFile, cluster);
    if (postmaster.isEmpty()) {
      // a crashed server's pid file; postgres itself replaces it unless the pid was reused
      if (ownerAlive(pidFile)) {
        Files.deleteIfExists(pidFile);
      }
      return;
    }
    ProcessHandle process = postmaster.get();
    LOG.warn("PostgreSQL (pid {}) left running on {} by a gateway that stopped without closing it: shutting it down",
        process.pid(), cluster);
    // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one (crash recovery on the next start)
    if (signal("INT", process) && awaitExit(process, ORPHAN_STOP_WAIT)) {
      return;
    }
    if (signal("QUIT", process) && awaitExit(process, ORPHAN_STOP_WAIT)) {
      return;
    }
    throw new Failed("PostgreSQL (pid " + process.pid() + ") left running on " + cluster + " did not stop", null, false);
  }

  /** The live postgres process named in the pid file, if it is one and serves this cluster (not a reused pid). */
  private static Optional<ProcessHandle> postmasterOf(Path pidFile, Path cluster) throws IOException {
    return pidIn(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command()
            .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
            .orElse(true))
        .filter(p -> p.info().arguments()
            .map(arguments -> List.of(arguments).contains(cluster.toString()))
            .orElse(true));
  }

  private static boolean ownerAlive(Path pidFile) throws IOException {
    return pidIn(pidFile).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Optional<Long> pidIn(Path pidFile) throws IOException {
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
    try {
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean signal(String signal, ProcessHandle process) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      // no kill command: SIGTERM, PostgreSQL's smart shutdown (the dead gateway's sessions are gone)
      return process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("interrupted while stopping a left-over PostgreSQL", e);
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration wait) {
    try {
      process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("interrupted while stopping a left-over PostgreSQL", e);
    }
  }

  /** The superuser's password: generated with a new cluster, read for an existing one. */
  private static String password(Path data, boolean clusterExists) throws IOException {
    Path file = data.resolve(PASSWORD_FILE);
    if (clusterExists) {
      if (!Files.isRegularFile(file)) {
        throw new Failed("the embedded PostgreSQL's password file " + file + " is missing; restore it from a backup",
            null, false);
      }
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
    return password;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing the data directory lock failed", e);
      }
    }
  }
}
