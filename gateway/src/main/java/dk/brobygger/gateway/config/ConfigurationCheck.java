package dk.brobygger.gateway.config;

import dk.brobygger.delivery.seal.SealingSuite;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads options and collects every mistake instead of stopping at the first, so that an operator
 * sees the whole configuration's problems at once: one line per problem, each naming its option.
 * A value that is wrong comes back as a harmless placeholder; {@link #orFail()} then throws.
 */
final class ConfigurationCheck {

  private final ResolvedOptions options;
  private final List<String> problems = new ArrayList<>();

  ConfigurationCheck(ResolvedOptions options) {
    this.options = options;
  }

  String text(Option option) {
    return options.text(option);
  }

  Optional<String> optionalText(Option option) {
    return options.optionalText(option);
  }

  String required(Option option) {
    Optional<String> value = optionalText(option);
    if (value.isEmpty()) {
      problem(option, "must not be empty");
    }
    return value.orElse("");
  }

  boolean flag(Option option) {
    try {
      return options.flag(option);
    } catch (ConfigurationError e) {
      problems.add(e.getMessage());
      return false;
    }
  }

  int integer(Option option, int min, int max) {
    try {
      int value = options.integer(option);
      if (value < min || value > max) {
        problem(option, max == Integer.MAX_VALUE ? "must be at least " + min : "must be within " + min + ".." + max);
        return min;
      }
      return value;
    } catch (ConfigurationError e) {
      problems.add(e.getMessage());
      return min;
    }
  }

  long longInteger(Option option, long min) {
    try {
      long value = options.longInteger(option);
      if (value < min) {
        problem(option, "must be at least " + min);
        return min;
      }
      return value;
    } catch (ConfigurationError e) {
      problems.add(e.getMessage());
      return min;
    }
  }

  double fraction(Option option) {
    try {
      double value = options.decimal(option);
      if (!(value >= 0 && value <= 1)) {
        problem(option, "must be within 0..1");
        return 0;
      }
      return value;
    } catch (ConfigurationError e) {
      problems.add(e.getMessage());
      return 0;
    }
  }

  /** A duration longer than zero. */
  Duration positive(Option option) {
    try {
      Duration value = options.duration(option);
      if (value.isNegative() || value.isZero()) {
        problem(option, "must be longer than zero");
        return Duration.ofSeconds(1);
      }
      return value;
    } catch (ConfigurationError e) {
      problems.add(e.getMessage());
      return Duration.ofSeconds(1);
    }
  }

  /** An existing, readable regular file, when the option is set. */
  Optional<Path> readableFile(Option option) {
    return optionalText(option).map(Path::of).filter(path -> {
      if (!Files.isRegularFile(path)) {
        problem(option, "names no file");
        return false;
      }
      if (!Files.isReadable(path)) {
        problem(option, "names a file the gateway may not read");
        return false;
      }
      return true;
    });
  }

  /** An existing, readable directory, when the option is set. */
  Optional<Path> readableDirectory(Option option) {
    return optionalText(option).map(Path::of).filter(path -> {
      if (!Files.isDirectory(path)) {
        problem(option, "names no directory");
        return false;
      }
      if (!Files.isReadable(path)) {
        problem(option, "names a directory the gateway may not read");
        return false;
      }
      return true;
    });
  }

  /** A directory the gateway may create or already owns; not a file. */
  Path dataDirectory(Option option) {
    Path path = Path.of(required(option));
    if (Files.exists(path) && !Files.isDirectory(path)) {
      problem(option, "names a file, not a directory");
    }
    return path;
  }

  Optional<String> absoluteHttpUrl(Option option) {
    return optionalText(option).filter(text -> {
      try {
        URI uri = new URI(text);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
          return true;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      problem(option, "must be an absolute http(s) URL");
      return false;
    });
  }

  void require(boolean holds, String problem) {
    if (!holds) {
      problems.add(problem);
    }
  }

  /** The sealing suite an option names by its option value. */
  SealingSuite sealingSuite(Option option) {
    try {
      return SealingSuite.byOptionValue(text(option));
    } catch (IllegalArgumentException e) {
      problem(option, e.getMessage());
      return SealingSuite.P256;
    }
  }

  void problem(Option option, String what) {
    problems.add("option " + option.key() + " (" + option.environmentName() + ") is '" + text(option) + "': " + what);
  }

  /** Throws one error whose message holds every problem, one per line. */
  void orFail() {
    if (!problems.isEmpty()) {
      throw new ConfigurationError(String.join("\n", problems));
    }
  }
}
