package dk.brobygger.gateway;

import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.auditproof.witness.WitnessCli;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.gateway.config.GatewayConfig;
import dk.brobygger.gateway.config.Option;
import dk.brobygger.gateway.config.Options;
import dk.brobygger.gateway.operations.LogFormat;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code brobygger [options]} starts the gateway; {@code --help} lists every
 * option with its environment variable and default.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (!args.isEmpty() && args.get(0).equals("audit")) {
      return AuditCli.run(args, out, err);
    }
    if (!args.isEmpty() && args.get(0).equals("witness")) {
      return WitnessCli.run(args, out, err);
    }
    if (!args.isEmpty() && args.get(0).equals("keys")) {
      return KeysCommand.run(args.subList(1, args.size()), out, err);
    }
    if (args.contains("--help") || args.contains("-h")) {
      out.print(usage());
      return 0;
    }
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

  static String usage() {
    StringBuilder text = new StringBuilder();
    text.append("Usage: brobygger [options]\n")
        .append("       brobygger keys generate --out DIR [--overwrite]\n")
        .append("       brobygger audit verify --export FILE (--log-key FILE | --jwks FILE)... [--previous-checkpoint FILE]\n")
        .append("       brobygger witness --name NAME --key FILE --log VKEY... --state DIR [--host HOST] [--port N]\n\n")
        .append("Starts the Brobygger gateway. Options are read, in rising precedence, from their defaults,\n")
        .append("the configuration file, environment variables and the command line.\n\n")
        .append("Options:\n");
    for (Option option : Options.ALL) {
      String value = option.isFlag() ? " [true|false]" : " VALUE";
      text.append(String.format("  %-30s %s%n", option.commandLineFlag() + value, option.description()));
      text.append(String.format("  %-30s env %s, default: %s%n", "",
          option.environmentName(), option.defaultValue().isEmpty() ? "(none)" : option.defaultValue()));
    }
    text.append("  --help                         this text\n");
    return text.toString();
  }
}
