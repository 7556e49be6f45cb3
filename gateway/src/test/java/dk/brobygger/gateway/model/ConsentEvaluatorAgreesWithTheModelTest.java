package dk.brobygger.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The evaluator alone against the model on random (consents, request) pairs: verdict, the consent
 * version a permit rests on, the items kept back and the classes named for keeping them back.
 * CI runs 100,000 pairs (half on a fixed seed, half on a random one, both printed);
 * {@code -Dmodel.pairs=1000000} (bench/consent-model.sh) runs more.
 */
class ConsentEvaluatorAgreesWithTheModelTest {

  static final long FIXED_SEED = 20261130L;

  private final ConsentEvaluator evaluator = new ConsentEvaluator();

  @Test
  void theEvaluatorDecidesEveryRandomCaseAsTheModelDoes() throws IOException {
    long pairs = Long.getLong("model.pairs", 100_000);
    long randomSeed = Long.getLong("model.seed", System.nanoTime());
    List<String> disagreements = new ArrayList<>();
    long[] permits = new long[1];
    long[] keptBack = new long[1];
    long started = System.nanoTime();
    run(FIXED_SEED, pairs / 2, disagreements, permits, keptBack);
    run(randomSeed, pairs - pairs / 2, disagreements, permits, keptBack);
    double seconds = (System.nanoTime() - started) / 1e9;
    String summary = String.format(
        "evaluator vs model: %,d pairs (seeds %d and %d), %,d permits, %,d with items kept back, %,d disagreements, %.1f s",
        pairs, FIXED_SEED, randomSeed, permits[0], keptBack[0], disagreements.size(), seconds);
    System.out.println(summary);
    Path target = Path.of("target", "consent-model-evaluator.txt");
    Files.createDirectories(target.getParent());
    Files.writeString(target, summary + "\n" + String.join("\n", disagreements.stream().limit(20).toList()) + "\n",
        StandardCharsets.UTF_8);
    assertThat(disagreements).as(summary).isEmpty();
  }

  private void run(long seed, long count, List<String> disagreements, long[] permits, long[] keptBack) {
    RandomCases cases = new RandomCases(seed);
    for (long i = 0; i < count; i++) {
      List<ModelConsent> consents = cases.consents();
      ModelRequest request = cases.request(consents);
      ModelDecision expected = ConsentModel.decide(consents, request);
      ModelDecision actual = asModel(evaluator.decide(consents.stream().map(FhirConsents::consent).toList(), fhir(request)));
      if (expected.permitted()) {
        permits[0]++;
        if (!expected.keptBack().isEmpty()) {
          keptBack[0]++;
        }
      }
      if (!expected.equals(actual) && disagreements.size() < 1000) {
        disagreements.add("seed " + seed + " case " + i + ": model " + expected + ", evaluator " + actual
            + "\n  consents " + consents + "\n  request " + request);
      }
    }
  }

  static DisclosureRequest fhir(ModelRequest request) {
    return new DisclosureRequest(FhirConsents.citizen(request.citizen()), FhirConsents.recipient(request.recipient()),
        new Code(Code.PURPOSE_OF_USE, request.purpose()),
        request.items().stream().map(FhirConsents::item).toList(), request.focusReference(), request.at());
  }

  /** The evaluator's decision in the model's terms (a deny's basis and reasons are not compared). */
  static ModelDecision asModel(Decision decision) {
    if (!decision.permits()) {
      return ModelDecision.DENY;
    }
    Set<String> classes = decision.excludedClasses().stream().map(c -> switch (c.system()) {
      case Code.RESOURCE_TYPES -> "class:" + c.code();
      case Code.ACT_CODE -> "label:" + c.code();
      case FhirConsents.ICD_10 -> "code:" + c.code();
      default -> c.toString();
    }).collect(Collectors.toSet());
    return new ModelDecision(true, decision.basis().map(v -> v.reference()), decision.excludedReferences(), classes);
  }

}
