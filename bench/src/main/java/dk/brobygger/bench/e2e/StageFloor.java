package dk.brobygger.bench.e2e;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.delivery.JoseSealing;
import dk.brobygger.delivery.seal.MessageSigner;
import dk.brobygger.delivery.seal.RecipientKeyTable;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The floor: what the product's own per-message stages cost on one thread, after warm-up, in CPU
 * time (ThreadMXBean, so other work on the machine does not count), median of batches. The same
 * classes the gateway runs: {@code MessageReader.read} with FHIR validation and the profile (acceptance), without
 * it (the send-time consent re-check reads the stored message again), sealing as the gateway seals
 * (ES256, or EdDSA for a gateway told to sign with Ed25519; the recipient's first encryption key decides
 * P-256 or X25519), and the SHA-256 of the sealed bytes. Not in it: TLS, HTTP, JSON of the answer, the
 * database, the audit log.
 */
final class StageFloor {

  /** Stage name -> median CPU milliseconds per message. */
  record Figures(Map<String, Double> stageMs) {
    double sumMs() {
      return stageMs.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * @param referral a referral as the load sends it
   * @param signingCurve P-256 (ES256) or Ed25519 (EdDSA), as the gateway under test signs
   * @param recipientCurve P-256 or X25519
   */
  static Figures measure(byte[] referral, Curve signingCurve, Curve recipientCurve, int warmUp, int batches,
      int perBatch) throws Exception {
    FhirCodec codec = new FhirCodec();
    MessageReader acceptance = new MessageReader(codec);
    acceptance.warmUp();
    MessageReader recheck = new MessageReader(codec, MessageReader.BaseValidation.DISABLED);
    ReceivedMessage read = acceptance.read(referral, FhirFormat.JSON);
    byte[] stored = read.canonicalJson();

    SampleParty gp = SampleParty.GP;
    Recipient recipient = new Recipient(gp.id(), "Lægehuset Sydfyn", gp.kind(),
        List.of(new OrganisationIdentifier(OrganisationIdentifier.LOCAL, gp.id())),
        Optional.of(URI.create("https://gp.example/fhir")));
    Disclosure disclosure = new Disclosure(1, "task-1", read.messageId(), recipient,
        List.of(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234")), Code.TREATMENT, stored, 1, Instant.now());
    JWK signingKey = byCurve(InsecureSampleKeys.gatewaySigningKeys(), signingCurve);
    JWK recipientKey = byCurve(InsecureSampleKeys.encryptionPublicKeys(gp), recipientCurve);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(signingKey),
        new RecipientKeyTable(Map.of(gp.id(), recipientKey), Set.of()));
    byte[] sealed = sealing.seal(disclosure, stored).body();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");

    Map<String, Supplier<Object>> stages = new LinkedHashMap<>();
    stages.put("MessageReader.read with FHIR validation and the event's profile (acceptance)", () -> acceptance.read(referral, FhirFormat.JSON));
    stages.put("MessageReader.read without base validation (send-time re-check)", () -> recheck.read(stored, FhirFormat.JSON));
    stages.put("seal " + (Curve.Ed25519.equals(signingCurve) ? "EdDSA" : "ES256") + " + JWE " + recipientCurve,
        () -> sealing.seal(disclosure, stored));
    stages.put("SHA-256 of the sealed bytes", () -> sha256.digest(sealed));

    Map<String, Double> medians = new LinkedHashMap<>();
    for (Map.Entry<String, Supplier<Object>> stage : stages.entrySet()) {
      for (int i = 0; i < warmUp; i++) {
        stage.getValue().get();
      }
      double[] perMessageMs = new double[batches];
      for (int b = 0; b < batches; b++) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < perBatch; i++) {
          stage.getValue().get();
        }
        perMessageMs[b] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / perBatch;
      }
      Arrays.sort(perMessageMs);
      medians.put(stage.getKey(), perMessageMs[batches / 2]);
    }
    return new Figures(medians);
  }

  private static JWK byCurve(JWKSet set, Curve curve) {
    return new JWKSelector(new JWKMatcher.Builder().curve(curve).build()).select(set).get(0);
  }
}
