package dk.brobygger.gateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The gateway's options as picocli sees them, built from {@link Options#ALL} so that the table stays
 * the one source of names, defaults and environment variables: what {@code --help} lists is what
 * the parser accepts. Values stay text here; {@link ResolvedOptions} layers them over the file and
 * the environment and types them, so every bad value is reported together, one line each.
 */
public final class CommandLineOptions {

  /** The parameter label of a boolean option, which also takes no value at all (meaning true). */
  public static final String FLAG_LABEL = "[true|false]";

  private CommandLineOptions() {}

  /** Adds one picocli option per {@link Option} to {@code command}. */
  public static CommandSpec addTo(CommandSpec command) {
    for (Option option : Options.ALL) {
      command.addOption(spec(option));
    }
    return command;
  }

  private static OptionSpec spec(Option option) {
    String where = "env " + option.environmentName() + ", default: "
        + (option.defaultValue().isEmpty() ? "(none)" : option.defaultValue());
    OptionSpec.Builder builder = OptionSpec.builder(option.commandLineFlag())
        .description(escaped(option.description()), escaped(where));
    if (option.isFlag()) {
      // --flag, --flag true and --flag=false all read naturally
      return builder.type(Boolean.class).arity("0..1").paramLabel(FLAG_LABEL).build();
    }
    return builder.type(String.class).arity("1").paramLabel("VALUE").build();
  }

  /** picocli formats descriptions; a literal '%' must not be read as a format. */
  private static String escaped(String text) {
    return text.replace("%", "%%");
  }

  /**
   * The parsing rules the gateway has always had: a later value of an option wins, a value is taken
   * as given even when it starts with "--" or "@" (a password may).
   */
  public static CommandLine configured(CommandLine command) {
    return command.setOverwrittenOptionsAllowed(true).setAllowOptionsAsOptionParameters(true).setExpandAtFiles(false);
  }

  /** The options given on {@code args}, by key, as text; a mistake is a {@link ConfigurationError}. */
  static Map<String, String> parse(List<String> args) {
    CommandLine command = configured(new CommandLine(addTo(CommandSpec.create().name("brobygger"))));
    try {
      return given(command.parseArgs(args.toArray(String[]::new)));
    } catch (ParameterException e) {
      throw new ConfigurationError(problem(e));
    }
  }

  /** The options matched in {@code parsed}, by key, as text. */
  public static Map<String, String> given(ParseResult parsed) {
    Map<String, String> values = new HashMap<>();
    for (OptionSpec matched : parsed.matchedOptions()) {
      Object value = matched.getValue();
      values.put(matched.longestName().substring(2), value == null ? "" : String.valueOf(value));
    }
    return values;
  }

  /** One line naming what is wrong, in the words the gateway's own checks use. */
  public static String problem(ParameterException e) {
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String argument = unmatched.getUnmatched().get(0);
      if (argument.startsWith("--")) {
        String key = argument.substring(2);
        int equals = key.indexOf('=');
        return "unknown option '" + (equals >= 0 ? key.substring(0, equals) : key) + "' in command line (see --help)";
      }
      return "unexpected argument '" + argument + "' (see --help)";
    }
    return e.getMessage() + " (see --help)";
  }
}
