package dk.brobygger.bench;

import dk.brobygger.fhir.consent.ConsentRules;
import dk.brobygger.fhir.message.ConsentProfile;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.hl7.fhir.r4.model.Consent;

/**
 * What checking a consent costs at {@code POST /fhir/Consent} before the registry stores it (issue
 * 11), the reading thread's CPU time per consent, two ways in one JVM, interleaved round by round:
 * {@code before}: parse + {@code ConsentRules} (the Java rules only, as until now); {@code after}:
 * the same + {@code ConsentProfile} (FHIR R4 and the brobygger-consent profile, the messages' cached
 * validator). The database commit, which dominates a create's elapsed time, is the same for both.
 * Arguments: the consent (default the README's sample), rounds (15), consents per batch (50).
 */
public final class ConsentValidationBenchmark {

  private static final FhirCodec CODEC = new FhirCodec();

  private ConsentValidationBenchmark() {}

  private static void check(byte[] json, boolean profile) {
    Consent consent = CODEC.parse(json, FhirFormat.JSON, Consent.class);
    ConsentRules.validate(consent);
    if (profile) {
      ConsentProfile.validate(consent);
    }
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "docs/examples/consent-yes-gp-no-addiction-centre.json");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    byte[] json = Files.readAllBytes(file);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 300; i++) {
      check(json, false); // JIT warm-up, and the validator's definitions loaded
      check(json, true);
    }
    String[] variants = {"before", "after"};
    double[][] perConsent = new double[variants.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int v = 0; v < variants.length; v++) {
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < perBatch; i++) {
          check(json, v == 1);
        }
        perConsent[v][r] = (cpu.getCurrentThreadCpuTime() - start) / 1e6 / perBatch;
      }
    }
    System.out.printf("%s (%d bytes), %d rounds of %d%n", file, json.length, rounds, perBatch);
    System.out.printf("%-10s %14s %14s%n", "variant", "cpu p50 ms", "cpu p90 ms");
    for (int v = 0; v < variants.length; v++) {
      double[] sorted = perConsent[v].clone();
      Arrays.sort(sorted);
      System.out.printf("%-10s %14.3f %14.3f%n", variants[v], sorted[sorted.length / 2],
          sorted[(int) Math.ceil(sorted.length * 0.9) - 1]);
    }
  }
}
