package dk.brobygger.auditproof.witness;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpServer;
import dk.brobygger.auditproof.note.Ed25519;
import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * {@code witness --name NAME --key FILE --log VKEY... --state DIR [--host H] [--port N]}: runs a
 * c2sp.org/tlog-witness witness for other gateways' audit logs, on the JDK's own HTTP server
 * ({@code POST /add-checkpoint}). Its key is its own (an Ed25519 JWK set, made on first start when the
 * file is missing) and so is its record (the state directory). Runs until stopped.
 */
public final class WitnessCli {

  public static final int USAGE = 2;
  static final int MAX_BODY_BYTES = 64 * 1024;

  static final String USAGE_TEXT =
      "Usage: brobygger witness --name NAME --key FILE --log VKEY [--log VKEY]... --state DIR [--host HOST] [--port N]\n"
          + "  --name NAME   the witness's name, e.g. witness.odder.example/w1 (its cosignatures' key name)\n"
          + "  --key FILE    its private Ed25519 key (JWK set); made on first start if missing\n"
          + "  --log VKEY    a log it witnesses: that log's note verifier key (GET /audit/key of that gateway)\n"
          + "  --state DIR   where it records the latest checkpoint it cosigned per log\n"
          + "  --host HOST   interface to listen on (127.0.0.1)\n"
          + "  --port N      port (8090; 0 = any free port)\n";

  private WitnessCli() {}

  /** Starts the witness; returns its server (already listening) or empty after printing why not. */
  public static Optional<HttpServer> start(List<String> args, PrintStream out, PrintStream err) {
    List<String> rest = !args.isEmpty() && args.get(0).equals("witness") ? args.subList(1, args.size()) : args;
    String name = null;
    Path keyFile = null;
    Path state = null;
    String host = "127.0.0.1";
    int port = 8090;
    List<NoteVerifier> logs = new ArrayList<>();
    try {
      for (int i = 0; i < rest.size(); i += 2) {
        if (i + 1 >= rest.size()) {
          throw new IllegalArgumentException(rest.get(i) + " needs a value");
        }
        String value = rest.get(i + 1);
        switch (rest.get(i)) {
          case "--name" -> name = value;
          case "--key" -> keyFile = Path.of(value);
          case "--log" -> logs.add(NoteVerifier.parse(value));
          case "--state" -> state = Path.of(value);
          case "--host" -> host = value;
          case "--port" -> port = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + rest.get(i));
        }
      }
      if (name == null || keyFile == null || state == null || logs.isEmpty()) {
        throw new IllegalArgumentException("--name, --key, --state and at least one --log are required");
      }
      Cosigner key = loadOrCreateKey(name, keyFile);
      Witness witness = new Witness(key, logs, new FileWitnessState(state), () -> Clock.systemUTC().instant().getEpochSecond());
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      // daemon threads: stopping the server (or the JVM) is never held up by its request threads
      server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "brobygger-witness");
        thread.setDaemon(true);
        return thread;
      }));
      server.createContext("/add-checkpoint", exchange -> {
        try (exchange) {
          if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().add("Allow", "POST");
            exchange.sendResponseHeaders(405, -1);
            return;
          }
          Witness.Answer answer = body(exchange.getRequestBody())
              .map(witness::addCheckpoint)
              .orElseGet(() -> new Witness.Answer(400, "text/plain; charset=utf-8", "bad request: not UTF-8 text of at most 64 KiB\n"));
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          exchange.sendResponseHeaders(answer.status(), bytes.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
          }
        }
      });
      server.start();
      out.println("witness " + key.verifier().verifierKey());
      out.println("listening on http://" + host + ":" + server.getAddress().getPort() + "/add-checkpoint for "
          + logs.stream().map(NoteVerifier::name).toList());
      return Optional.of(server);
    } catch (IllegalArgumentException | InvalidNote e) {
      err.println("witness: " + e.getMessage());
      err.print(USAGE_TEXT);
      return Optional.empty();
    } catch (IOException e) {
      err.println("witness: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Runs until the process is stopped. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(USAGE_TEXT);
      return 0;
    }
    if (start(args, out, err).isEmpty()) {
      return USAGE;
    }
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static Optional<String> body(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      return Optional.empty();
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  static Cosigner loadOrCreateKey(String name, Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        byte[] publicKey = Ed25519.raw(pair.getPublic());
        OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(publicKey))
            .d(Base64URL.encode(seed)).keyUse(KeyUse.SIGNATURE).keyID(name).build();
        Files.writeString(file, new JWKSet(jwk).toString(false) + "\n", StandardCharsets.UTF_8);
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the directory's own protection applies
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("Java 17 has Ed25519", e);
      }
    }
    try {
      OctetKeyPair key = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)).getKeys().stream()
          .filter(k -> k instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve()) && k.isPrivate())
          .map(OctetKeyPair.class::cast).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(file + " holds no private Ed25519 key"));
      return new Cosigner(name, key.getDecodedD(), key.getDecodedX());
    } catch (ParseException e) {
      throw new IllegalArgumentException(file + " is not a JWK set: " + e.getMessage(), e);
    }
  }
}
