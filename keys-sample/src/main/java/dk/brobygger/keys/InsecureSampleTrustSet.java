package dk.brobygger.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;

/**
 * Generates a complete, fresh trust set into a directory: a sample CA, a TLS server certificate for
 * localhost, a TLS client certificate per sample party, and the JWK sets for signing, client
 * authentication and encryption. Every set it makes is INSECURE: the keys are unprotected files and
 * the CA is a throw-away one. Use it for demos, tests and test environments only.
 *
 * <p>Run {@code java -cp ... dk.brobygger.keys.InsecureSampleTrustSet DIR [--overwrite]}; the gateway
 * CLI's {@code keys generate --out DIR} calls {@link #generate(Path, boolean)}.
 */
public final class InsecureSampleTrustSet {

  private InsecureSampleTrustSet() {}

  /**
   * Writes a new set into {@code outDir}, creating it if needed.
   *
   * @throws UncheckedIOException wrapping a {@link FileAlreadyExistsException} if {@code outDir} is
   *     not empty (nothing is written then), or any other I/O failure
   */
  public static TrustSetManifest generate(Path outDir) {
    return generate(outDir, false);
  }

  /**
   * Writes a new set into {@code outDir}. With {@code overwrite} the set's files replace files of the
   * same name; other files in the directory are left alone.
   */
  public static TrustSetManifest generate(Path outDir, boolean overwrite) {
    try {
      prepare(outDir, overwrite);
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      InsecureTrustSetAssembly.Assembled set = InsecureTrustSetAssembly.assemble(now, new SecureRandom());
      for (InsecureTrustSetAssembly.Part part : set.parts()) {
        TrustSetFiles.write(outDir, part.entry().name(), part.content(), part.entry().kind().isSecret());
      }
      return set.manifest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void prepare(Path outDir, boolean overwrite) throws IOException {
    if (!Files.exists(outDir)) {
      Files.createDirectories(outDir);
      return;
    }
    if (!Files.isDirectory(outDir)) {
      throw new NotDirectoryException(outDir.toString());
    }
    if (!overwrite && !isEmpty(outDir)) {
      throw new FileAlreadyExistsException(outDir.toString(), null,
          "directory is not empty; refusing to overwrite a trust set unless told to (--overwrite)");
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** {@code InsecureSampleTrustSet DIR [--overwrite]}: exit 0 when written, 1 when refused, 2 on usage. */
  public static void main(String[] args) {
    boolean overwrite = args.length == 2 && args[1].equals("--overwrite");
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !overwrite) || args[0].startsWith("-")) {
      System.err.println("usage: InsecureSampleTrustSet DIR [--overwrite]");
      System.exit(2);
    }
    Path outDir = Path.of(args[0]);
    try {
      TrustSetManifest manifest = generate(outDir, overwrite);
      System.out.printf("Wrote %d files to %s%n%s%n",
          manifest.fileNames().size(), outDir.toAbsolutePath(), manifest.warning());
    } catch (UncheckedIOException e) {
      System.err.println("Not written: " + e.getCause().getMessage());
      System.exit(1);
    }
  }
}
