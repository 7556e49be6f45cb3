package dk.brobygger.gateway.e2e;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormats;
import dk.brobygger.fhir.message.MessageReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the corpus that {@code RefusedBodiesTest} replays: mutated sample messages
 * ({@link BodyMutations}, fixed seed) that {@code MessageReader.read} refuses, one JSON line each
 * (mutation kind, content type, the stage that refused it, the body, the refusal), gzipped. Run it on the code whose
 * refusals are to be kept, from the gateway directory:
 * {@code java -cp <test class path> dk.brobygger.gateway.e2e.RefusedCorpusWriter <file> [seed] [bodies] [rules-every]}.
 */
public final class RefusedCorpusWriter {

  /** Larger bodies are refused by the size limits, long before validation; they would bloat the corpus. */
  private static final int MAX_BYTES = 32 * 1024;

  private RefusedCorpusWriter() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 15L;
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 8_000;
    // every body the validator refuses is kept; of those the message rules refuse, every n-th
    int rulesEvery = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    FhirCodec codec = new FhirCodec();
    MessageReader reader = new MessageReader(codec);
    MessageReader rulesOnly = new MessageReader(codec, MessageReader.BaseValidation.DISABLED);
    reader.warmUp();
    List<byte[]> samples = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("..", "docs", "examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json"))
          .filter(f -> !f.getFileName().toString().startsWith("consent")).sorted().toList()) {
        samples.add(Files.readAllBytes(file));
      }
    }
    BodyMutations mutations = new BodyMutations(new Random(seed), samples);
    int refused = 0;
    int kept = 0;
    try (Writer lines = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(out)), StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        BodyMutations.Mutation mutation = mutations.next();
        if (mutation.body().length > MAX_BYTES) {
          continue;
        }
        String refusal;
        try {
          reader.read(mutation.body(), FhirFormats.ofContentType(mutation.contentType()));
          continue;
        } catch (Rejected rejected) {
          refusal = rejected.diagnostics();
        }
        refused++;
        String stage = "rules";
        try {
          rulesOnly.read(mutation.body(), FhirFormats.ofContentType(mutation.contentType()));
          stage = "validation";
        } catch (Rejected alsoWithoutValidation) {
          // refused before HAPI's validator runs
          if (refused % rulesEvery != 0) {
            continue;
          }
        }
        kept++;
        lines.write("{\"kind\":" + quote(mutation.kind()) + ",\"contentType\":" + quote(mutation.contentType())
            + ",\"stage\":\"" + stage + "\"," + body(mutation.body()) + ",\"refusal\":" + quote(refusal) + "}\n");
      }
    }
    System.out.println(refused + " of " + count + " bodies refused (seed " + seed + "), " + kept + " kept -> " + out);
  }

  /** "text" where the body is UTF-8 (it compresses far better), "base64" where a flip broke that. */
  private static String body(byte[] body) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
      return "\"text\":" + quote(text);
    } catch (CharacterCodingException notUtf8) {
      return "\"base64\":\"" + Base64.getEncoder().encodeToString(body) + "\"";
    }
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
