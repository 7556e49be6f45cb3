package dk.brobygger.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes one file of a trust set; files holding private keys are readable by their owner only. */
final class TrustSetFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private TrustSetFiles() {}

  static void write(Path dir, String name, byte[] content, boolean secret) throws IOException {
    Path file = dir.resolve(name);
    // Sample keys are public anyway, but a fresh set made with `keys generate` for a test
    // environment is not: restrict before the key bytes land, not after.
    if (secret && Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      } else {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
    }
    Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }
}
