package dk.brobygger.auditproof.witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A witness's record in a directory of its own: one small file per log, named by the SHA-256 of the
 * origin, holding {@code origin\nsize\nbase64 root\n}. An update writes a new file, forces it to disk,
 * renames it over the old one atomically and forces the directory, so a crash leaves the old record
 * or the new one, never a torn one; a cosignature is only returned after that.
 */
public final class FileWitnessState implements WitnessState {

  private final Path directory;

  public FileWitnessState(Path directory) {
    try {
      this.directory = Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the witness state directory " + directory, e);
    }
  }

  @Override
  public synchronized Optional<TreeHead> latest(String origin) {
    Path file = file(origin);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
      if (lines.length != 3 || !lines[0].equals(origin)) {
        throw new IllegalStateException("the witness record " + file + " is damaged");
      }
      return Optional.of(new TreeHead(Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2])));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the witness record " + file, e);
    }
  }

  @Override
  public synchronized boolean compareAndSet(String origin, long expectedSize, TreeHead next) {
    if (latest(origin).map(TreeHead::size).orElse(0L) != expectedSize) {
      return false;
    }
    Path file = file(origin);
    Path temporary = directory.resolve(file.getFileName() + ".new");
    byte[] record = (origin + "\n" + next.size() + "\n" + Base64.getEncoder().encodeToString(next.rootHash()) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(ByteBuffer.wrap(record));
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the witnessed checkpoint of " + origin, e);
    }
    return true;
  }

  private Path file(String origin) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
      return directory.resolve(HexFormat.of().formatHex(digest) + ".checkpoint");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
