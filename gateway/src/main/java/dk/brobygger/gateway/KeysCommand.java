package dk.brobygger.gateway;

import dk.brobygger.keys.InsecureSampleTrustSet;
import dk.brobygger.keys.TrustSetLayout;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code keys generate --out DIR}: a fresh key set in the layout the gateway loads with
 * {@code --keys.dir}: its own CA, server and client certificates and JWK sets. Fresh keys are not
 * the public sample keys, but a self-made CA is for test environments; production uses the
 * region's or the national PKI in the same layout.
 */
final class KeysCommand {

  private KeysCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || !args.get(0).equals("generate")) {
      err.println("usage: brobygger keys generate --out DIR [--overwrite]");
      return 2;
    }
    Path outDirectory = null;
    boolean overwrite = false;
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--out" -> {
          if (i + 1 >= args.size()) {
            err.println("keys generate: --out needs a directory");
            return 2;
          }
          outDirectory = Path.of(args.get(++i));
        }
        case "--overwrite" -> overwrite = true;
        default -> {
          err.println("keys generate: unknown argument '" + args.get(i) + "'");
          return 2;
        }
      }
    }
    if (outDirectory == null) {
      err.println("usage: brobygger keys generate --out DIR [--overwrite]");
      return 2;
    }
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
