package dk.brobygger.gateway;

import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.auditproof.witness.WitnessCli;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.gateway.config.GatewayConfig;
import dk.brobygger.gateway.config.CommandLineOptions;
import dk.brobygger.gateway.config.Options;
import dk.brobygger.gateway.operations.LogFormat;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line, one picocli command: {@code brobygger [run] [options]} starts the gateway (run
 * is the default, so the options alone still do), {@code keys generate}, {@code audit} and
 * {@code witness} are its other commands. {@code --help} is generated from the same specification
 * the parser uses; a usage mistake is one line naming it and exit code 2.
 */
public final class Main {

  static final int USAGE = 2;
  private static final String[] GATEWAY_DESCRIPTION = {
      "Starts the Brobygger gateway. Options are read, in rising precedence, from their defaults,",
      "the configuration file, environment variables and the command line."};

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    CommandLine command = commandLine();
    command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8)).setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    ParseResult parsed;
    try {
      parsed = command.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + CommandLineOptions.problem(e));
      return USAGE;
    }
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      return help;
    }
    if (parsed.hasSubcommand() && !parsed.matchedOptions().isEmpty()) {
      err.println("brobygger: the gateway's options go after '" + parsed.subcommand().commandSpec().name() + "' (see --help)");
      return USAGE;
    }
    if (!parsed.hasSubcommand()) {
      return runGateway(args, out, err);
    }
    ParseResult subcommand = parsed.subcommand();
    return switch (subcommand.commandSpec().name()) {
      case "run" -> runGateway(args.subList(1, args.size()), out, err);
      case "audit" -> AuditCli.run(args, out, err);
      case "witness" -> WitnessCli.run(args, out, err);
      case "keys" -> {
        if (!subcommand.hasSubcommand()) {
          err.println("brobygger keys: missing command, e.g. 'keys generate --out DIR' (see keys --help)");
          yield USAGE;
        }
        yield ((KeysCommand.Generate) subcommand.subcommand().commandSpec().userObject()).run(out, err);
      }
      default -> throw new IllegalStateException("a command without an action: " + subcommand.commandSpec().name());
    };
  }

  /** The whole command tree; the gateway's options come from the option table ({@link Options#ALL}). */
  static CommandLine commandLine() {
    CommandLine command = new CommandLine(gatewayCommand("brobygger", GATEWAY_DESCRIPTION));
    command.addSubcommand("run", new CommandLine(gatewayCommand("run",
        "start the gateway: the default command, so 'brobygger [OPTIONS]' is the same")));
    command.addSubcommand("keys", new CommandLine(new KeysCommand()));
    command.addSubcommand("audit", passThrough("audit",
        "verify an audit log export or a checkpoint offline (brobygger audit lists its options)"));
    command.addSubcommand("witness", passThrough("witness",
        "run a witness that cosigns the audit log's checkpoints (brobygger witness lists its options)"));
    command.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
    return CommandLineOptions.configured(command);
  }

  private static CommandSpec gatewayCommand(String name, String... description) {
    CommandSpec spec = CommandLineOptions.addTo(CommandSpec.create().name(name));
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("this text").build());
    spec.usageMessage()
        .description(description)
        .abbreviateSynopsis(true)
        .width(100)
        .optionListHeading("Options:%n")
        .sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, Main::optionList);
    return spec;
  }

  /**
   * The audit and witness commands keep the stand-alone verifier's own parser (that jar carries no
   * gateway dependency), so picocli hands them their arguments untouched.
   */
  private static CommandLine passThrough(String name, String description) {
    CommandSpec spec = CommandSpec.create().name(name);
    spec.usageMessage().description(description);
    return new CommandLine(spec).setStopAtUnmatched(true);
  }

  /** One option a line, then its environment variable and default: the table's layout. */
  private static String optionList(Help help) {
    StringBuilder text = new StringBuilder();
    for (OptionSpec option : help.commandSpec().options()) {
      String label = option.usageHelp() ? "" : " " + option.paramLabel();
      String[] description = option.description();
      for (int i = 0; i < description.length; i++) {
        text.append(String.format("  %-30s %s%n", i == 0 ? String.join(", ", option.names()) + label : "",
            description[i].replace("%%", "%")));
      }
    }
    return text.toString();
  }

  /** Each command's own synopsis, generated from its specification, and what it does. */
  private static String commandList(Help help) {
    StringBuilder text = new StringBuilder();
    if (help.subcommands().isEmpty()) {
      return "";
    }
    for (Help command : help.subcommands().values()) {
      Collection<Help> leaves = command.subcommands().isEmpty() ? List.of(command) : command.subcommands().values();
      for (Help leaf : leaves) {
        text.append("  ").append(leaf.synopsis(0).strip()).append('\n');
        for (String line : leaf.commandSpec().usageMessage().description()) {
          text.append("      ").append(line).append('\n');
        }
      }
    }
    return text.toString();
  }

  private static int runGateway(List<String> args, PrintStream out, PrintStream err) {
    Gateway gateway;
    Duration stopBound;
    try {
      GatewayConfig config = GatewayConfig.load(args, System.getenv());
      stopBound = config.operations().shutdownTimeout();
      LogFormat.choose(config.demo());
      gateway = Gateway.start(config);
    } catch (ConfigurationError e) {
      // an operator's mistake: one line per problem, no stack trace
      for (String line : e.getMessage().split("\n")) {
        err.println("brobygger: " + line);
      }
      return 2;
    } catch (RuntimeException e) {
      // not the operator's mistake, but still one line: the causes, innermost last
      StringBuilder causes = new StringBuilder(String.valueOf(e));
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        causes.append("; caused by ").append(cause);
      }
      err.println("brobygger: could not start: " + causes);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWithin(gateway, stopBound, stopped), "brobygger-shutdown"));
    out.println("Brobygger gateway listening on " + gateway.baseUrl() + "/fhir  (Ctrl-C stops it)");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Closes the gateway on a thread of its own and waits at most {@code bound} for it; past that the
   * process exits anyway (status 1), so a stuck step cannot outlast the service manager's patience
   * and leave a half-stopped gateway behind.
   */
  private static void stopWithin(Gateway gateway, Duration bound, CountDownLatch stopped) {
    Thread closing = new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "brobygger-stop");
    closing.setDaemon(true);
    closing.start();
    try {
      if (!stopped.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        LoggerFactory.getLogger(Main.class).error("shutdown: not finished within {} ({}); exiting anyway",
            bound, Options.SHUTDOWN_TIMEOUT.key());
        Runtime.getRuntime().halt(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
