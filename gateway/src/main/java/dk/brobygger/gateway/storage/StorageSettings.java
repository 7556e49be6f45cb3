package dk.brobygger.gateway.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the gateway keeps its data.
 *
 * @param jdbcUrl an H2 file URL (embedded default) or a PostgreSQL URL (several instances)
 * @param user database user; blank when the URL carries it
 * @param password database password; blank when the URL carries it
 * @param poolSize connections in the pool
 */
public record StorageSettings(String jdbcUrl, String user, String password, int poolSize) {

  /** Pool size of the embedded default: requests are short, the disk is the bottleneck. */
  public static final int DEFAULT_POOL_SIZE = 8;

  public StorageSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1");
    }
  }

  /**
   * An embedded H2 database in {@code dataDirectory/brobygger.mv.db}.
   *
   * <p>WRITE_DELAY=0 turns off H2's background writer: every commit writes its changes to the
   * file before returning (without fsync), so the {@code CHECKPOINT SYNC} that {@link Database}
   * runs afterwards covers every commit that finished before it. With the background writer on,
   * a store could still be queued in H2's serialisation executor while the sync runs.
   * LOCK_TIMEOUT is raised from 1 s because audit appends queue on one counter row.
   * DB_CLOSE_ON_EXIT=FALSE leaves closing to {@link Database#close()}, after in-flight work.
   */
  public static StorageSettings h2File(Path dataDirectory) {
    Path file = dataDirectory.toAbsolutePath().normalize().resolve("brobygger");
    String url = "jdbc:h2:file:" + file + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
    return new StorageSettings(url, "brobygger", "", DEFAULT_POOL_SIZE);
  }
}
