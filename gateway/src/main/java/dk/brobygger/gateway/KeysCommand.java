package dk.brobygger.gateway;

import dk.brobygger.keys.InsecureSampleTrustSet;
import dk.brobygger.keys.TrustSetLayout;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keys}: the gateway's key sets. */
@Command(name = "keys", description = "the gateway's key sets", subcommands = KeysCommand.Generate.class)
final class KeysCommand {

  @Option(names = "--help", usageHelp = true, description = "this text")
  boolean help;

  /**
   * {@code keys generate --out DIR}: a fresh key set in the layout the gateway loads with
   * {@code --keys.dir}: its own CA, server and client certificates and JWK sets. Fresh keys are not
   * the public sample keys, but a self-made CA is for test environments; production uses the
   * region's or the national PKI in the same layout.
   */
  @Command(name = "generate", separator = " ", sortOptions = false, sortSynopsis = false,
      description = "write a fresh key set (its own CA, server and client certificates, JWK sets) for --keys.dir")
  static final class Generate {

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "an empty directory to write the key set to")
    Path outDirectory;

    @Option(names = "--overwrite", description = "replace the key set already in DIR")
    boolean overwrite;

    @Option(names = "--help", usageHelp = true, description = "this text")
    boolean help;

    int run(PrintStream out, PrintStream err) {
      try {
        InsecureSampleTrustSet.generate(outDirectory, overwrite);
      } catch (UncheckedIOException e) {
        err.println("keys generate: " + outDirectory + " is not empty (use --overwrite) or cannot be written: " + e.getMessage());
        return 1;
      }
      out.println("Wrote a fresh key set to " + outDirectory + " (private keys: " + TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS
          + ", " + TrustSetLayout.SERVER_PRIVATE_KEY + " and the parties' *.private.jwks.json / *.key.pem).");
      out.println("Start the gateway with --keys.dir " + outDirectory + " and put each party's PUBLIC keys in the directory file.");
      return 0;
    }
  }
}
