package dk.brobygger.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The value of every {@link Option}, resolved from default, file, environment and command line (in
 * rising precedence). Unknown keys are errors, so a misspelt option never passes silently.
 */
public final class ResolvedOptions {

  private final Map<String, String> values;

  private ResolvedOptions(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static ResolvedOptions resolve(List<String> args, Map<String, String> environment) {
    Map<String, String> commandLine = parseCommandLine(args);
    Map<String, String> values = new HashMap<>();
    for (Option option : Options.ALL) {
      values.put(option.key(), option.defaultValue());
    }
    Optional<Path> file = configFile(commandLine, environment);
    if (file.isPresent()) {
      values.putAll(readFile(file.get()));
    }
    for (Option option : Options.ALL) {
      String fromEnvironment = environment.get(option.environmentName());
      if (fromEnvironment != null) {
        values.put(option.key(), fromEnvironment);
      }
    }
    values.putAll(commandLine);
    return new ResolvedOptions(values);
  }

  private static Optional<Path> configFile(Map<String, String> commandLine, Map<String, String> environment) {
    String named = commandLine.getOrDefault(
        Options.CONFIG_FILE.key(), environment.getOrDefault(Options.CONFIG_FILE.environmentName(), ""));
    if (!named.isBlank()) {
      Path path = Path.of(named);
      if (!Files.isRegularFile(path)) {
        throw new ConfigurationError("configuration file " + path + " does not exist");
      }
      return Optional.of(path);
    }
    Path conventional = Path.of("brobygger.properties");
    return Files.isRegularFile(conventional) ? Optional.of(conventional) : Optional.empty();
  }

  private static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigurationError("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      requireKnown(key, "configuration file " + file);
      values.put(key, properties.getProperty(key).trim());
    }
    return values;
  }

  private static Map<String, String> parseCommandLine(List<String> args) {
    return CommandLineOptions.parse(args);
  }

  private static void requireKnown(String key, String where) {
    boolean known = Options.ALL.stream().anyMatch(o -> o.key().equals(key));
    if (!known) {
      throw new ConfigurationError("unknown option '" + key + "' in " + where + " (see --help)");
    }
  }

  public String text(Option option) {
    return values.get(option.key());
  }

  public Optional<String> optionalText(Option option) {
    String value = text(option);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  public int integer(Option option) {
    try {
      return Integer.parseInt(text(option).trim());
    } catch (NumberFormatException e) {
      throw invalid(option, "a whole number");
    }
  }

  public long longInteger(Option option) {
    try {
      return Long.parseLong(text(option).trim());
    } catch (NumberFormatException e) {
      throw invalid(option, "a whole number");
    }
  }

  public double decimal(Option option) {
    try {
      return Double.parseDouble(text(option).trim());
    } catch (NumberFormatException e) {
      throw invalid(option, "a number");
    }
  }

  public Duration duration(Option option) {
    try {
      return Duration.parse(text(option).trim());
    } catch (DateTimeParseException e) {
      throw invalid(option, "an ISO-8601 duration such as PT30S");
    }
  }

  public boolean flag(Option option) {
    String value = text(option).trim();
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(option, "true or false");
  }

  private ConfigurationError invalid(Option option, String expected) {
    return new ConfigurationError(
        "option " + option.key() + " (" + option.environmentName() + ") is '" + text(option) + "', expected " + expected);
  }
}
