package dk.brobygger.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormats;
import dk.brobygger.fhir.message.MessageReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every body in the corpus was refused by the message stage ({@code MessageReader.read}) before
 * validation was cached and the profiles added (written at commit cc29d89 by
 * {@code e2e/RefusedCorpusWriter}, seed 15, 8,000 mutated sample messages: each the validator
 * refused, and every 4th of those the message rules refused). It must still be refused: the checks
 * may move, none may go.
 */
class RefusedBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Refused(String kind, String contentType, String stage, byte[] body, String refusal) {}

  @Test
  void everyBodyRefusedBeforeIsStillRefused() throws IOException {
    List<Refused> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThan(1_500);
    assertThat(corpus).filteredOn(r -> r.stage().equals("validation")).hasSizeGreaterThan(200);
    MessageReader reader = new MessageReader(new FhirCodec());
    reader.warmUp();

    List<String> accepted = new ArrayList<>();
    for (Refused refused : corpus) {
      try {
        reader.read(refused.body(), FhirFormats.ofContentType(refused.contentType()));
        accepted.add(refused.kind() + " (" + refused.stage() + "), refused before with: " + refused.refusal());
      } catch (Rejected stillRefused) {
        // as it should be
      }
    }
    assertThat(accepted).as("bodies refused before, accepted now").isEmpty();
  }

  private static List<Refused> corpus() throws IOException {
    List<Refused> corpus = new ArrayList<>();
    try (InputStream in = RefusedBodiesTest.class.getResourceAsStream("/ingress/refused-bodies.jsonl.gz");
        BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode entry = JSON.readTree(line);
        byte[] body = entry.has("text") ? entry.get("text").asText().getBytes(StandardCharsets.UTF_8)
            : Base64.getDecoder().decode(entry.get("base64").asText());
        corpus.add(new Refused(entry.get("kind").asText(), entry.get("contentType").asText(), entry.get("stage").asText(),
            body, entry.get("refusal").asText()));
      }
    }
    return corpus;
  }
}
