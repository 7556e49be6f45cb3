package dk.brobygger.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What validation costs per message (issues 11 and 15), before and after, side by side in one run:
 * {@code MessageReader.read} of one referral
 * <ul>
 *   <li>{@code before}: as at acceptance until now: the message rules, then HAPI's
 *       {@code FhirValidator} with a {@code FhirInstanceValidator} (FHIR R4 base validation only),
 *       which builds a new InstanceValidator, and rereads the OID registry, for every message;
 *   <li>{@code after}: the gateway now: the message rules, then one cached validator checking FHIR
 *       R4 and the published profile of the message's event;
 *   <li>{@code rulesOnly}: the message rules without any HAPI validation (the floor under both).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ValidationBenchmark {

  @Param({"before", "after", "rulesOnly"})
  public String validation;

  /** referral-10kb: the 10.8 KB health-day referral; referral-to-gp: the README's 3.6 KB sample. */
  @Param({"referral-10kb.json", "referral-to-gp.json"})
  public String body;

  private static final FhirCodec CODEC = new FhirCodec();
  private MessageReader reader;
  private FhirValidator previousValidator;
  private byte[] bytes;

  @Setup
  public void setUp() {
    bytes = resource(body);
    reader = new MessageReader(CODEC, validation.equals("after")
        ? MessageReader.BaseValidation.ENABLED : MessageReader.BaseValidation.DISABLED);
    reader.warmUp();
    if (validation.equals("before")) {
      previousValidator = previousValidator();
    }
    read(); // throws if the message is refused
  }

  @Benchmark
  public Object read() {
    ReceivedMessage message = reader.read(bytes, FhirFormat.JSON);
    if (previousValidator != null) {
      boolean refused = previousValidator.validateWithResult(message.bundle()).getMessages().stream()
          .anyMatch(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL);
      if (refused) {
        throw new IllegalStateException("the previous validator refuses " + body);
      }
    }
    return message;
  }

  /** The validator as {@code CoreValidator} configured it before issue 15 (commit cc29d89). */
  private static FhirValidator previousValidator() {
    FhirContext context = FhirContext.forR4Cached();
    ValidationSupportChain support = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    FhirInstanceValidator module = new FhirInstanceValidator(support);
    module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
    FhirValidator validator = context.newValidator();
    validator.registerValidatorModule(module);
    return validator;
  }

  /**
   * Without JMH: the reading thread's CPU time per message (ThreadMXBean), so other work on a
   * shared machine does not count, median and 90th percentile of batches, every variant in this
   * one JVM, interleaved round by round so that a change in machine load hits all alike.
   * Arguments: rounds (default 15), messages per batch (default 20).
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int perBatch = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    String[] variants = {"before", "after", "rulesOnly"};
    String[] bodies = {"referral-10kb.json", "referral-to-gp.json"};
    ValidationBenchmark[][] benches = new ValidationBenchmark[bodies.length][variants.length];
    double[][][] perMessage = new double[bodies.length][variants.length][rounds];
    for (int b = 0; b < bodies.length; b++) {
      for (int v = 0; v < variants.length; v++) {
        ValidationBenchmark bench = new ValidationBenchmark();
        bench.validation = variants[v];
        bench.body = bodies[b];
        bench.setUp();
        for (int i = 0; i < 200; i++) {
          bench.read(); // JIT warm-up
        }
        benches[b][v] = bench;
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (int b = 0; b < bodies.length; b++) {
        for (int v = 0; v < variants.length; v++) {
          long start = cpu.getCurrentThreadCpuTime();
          for (int i = 0; i < perBatch; i++) {
            benches[b][v].read();
          }
          perMessage[b][v][r] = (cpu.getCurrentThreadCpuTime() - start) / 1e6 / perBatch;
        }
      }
    }
    System.out.printf("%-20s %-10s %14s %14s%n", "body", "validation", "cpu p50 ms", "cpu p90 ms");
    for (int b = 0; b < bodies.length; b++) {
      for (int v = 0; v < variants.length; v++) {
        double[] sorted = perMessage[b][v].clone();
        Arrays.sort(sorted);
        System.out.printf("%-20s %-10s %14.2f %14.2f%n", bodies[b], variants[v], sorted[rounds / 2],
            sorted[(int) Math.ceil(rounds * 0.9) - 1]);
      }
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ValidationBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing benchmark resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
