package dk.brobygger.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.InputLimits;
import dk.brobygger.fhir.message.MessageReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How long the gateway's message stage (strict parse, limits, message rules, FHIR base validation:
 * {@code MessageReader.read}, as at acceptance) takes for the largest bodies it still accepts, one
 * per limit of {@link InputLimits}, against the 2 s budget per message. Each body is read once in
 * setup and must be accepted, so the figures are for accepted bodies, not early refusals.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LargestMessagesBenchmark {

  /**
   * sample: the 10.8 KB referral; maxEntries: {@value InputLimits#MAX_ENTRIES} entries of
   * Observations; maxEntriesXml: the same in XML; maxValues: one Observation with notes up to the
   * limit of JSON values; longStrings: notes of the longest string allowed, up to about 4.5 MB
   * (under the default 5 MiB body limit).
   */
  @Param({"sample", "maxEntries", "maxEntriesXml", "maxValues", "longStrings"})
  public String body;

  private final FhirCodec codec = new FhirCodec();
  private final MessageReader reader = new MessageReader(codec);
  private byte[] bytes;
  private FhirFormat format;

  @Setup
  public void setUp() {
    reader.warmUp();
    Bundle referral = codec.parse(resource("referral-10kb.json"), FhirFormat.JSON, Bundle.class);
    format = body.endsWith("Xml") ? FhirFormat.XML : FhirFormat.JSON;
    Bundle built = switch (body) {
      case "sample" -> referral;
      case "maxEntries", "maxEntriesXml" -> withEntries(referral);
      case "maxValues" -> withNotes(referral, 1);
      case "longStrings" -> withNotes(referral, InputLimits.MAX_STRING_CHARS);
      default -> throw new IllegalArgumentException(body);
    };
    bytes = codec.encode(built, format);
    reader.read(bytes, format); // throws if the gateway would refuse it
  }

  @Benchmark
  public Object read() {
    return reader.read(bytes, format);
  }

  /**
   * The same bodies timed without JMH, wall clock and the reading thread's CPU time side by side:
   * on a shared machine the wall time says how busy the machine was, the CPU time what one
   * message costs. Arguments: rounds per body (default 10).
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    System.out.printf("%-14s %9s %12s %12s %12s %12s%n", "body", "bytes", "wall p50 ms", "wall max ms", "cpu p50 ms",
        "cpu max ms");
    for (String name : new String[] {"sample", "maxEntries", "maxEntriesXml", "maxValues", "longStrings"}) {
      LargestMessagesBenchmark bench = new LargestMessagesBenchmark();
      bench.body = name;
      bench.setUp();
      for (int i = 0; i < 3; i++) {
        bench.read(); // warm
      }
      long[] wall = new long[rounds];
      long[] used = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        long wallStart = System.nanoTime();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        bench.read();
        used[i] = cpu.getCurrentThreadCpuTime() - cpuStart;
        wall[i] = System.nanoTime() - wallStart;
      }
      java.util.Arrays.sort(wall);
      java.util.Arrays.sort(used);
      System.out.printf("%-14s %9d %12.1f %12.1f %12.1f %12.1f%n", name, bench.bytes.length, wall[rounds / 2] / 1e6,
          wall[rounds - 1] / 1e6, used[rounds / 2] / 1e6, used[rounds - 1] / 1e6);
    }
  }

  private static Observation observation(Bundle bundle) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Observation.class::isInstance).map(Observation.class::cast).findFirst().orElseThrow();
  }

  private static Bundle withEntries(Bundle referral) {
    Bundle bundle = referral.copy();
    Observation observation = observation(bundle);
    for (int i = bundle.getEntry().size(); i < InputLimits.MAX_ENTRIES; i++) {
      bundle.addEntry().setFullUrl("urn:uuid:00000000-0000-4000-8000-%012d".formatted(i))
          .setResource(observation.copy().setId("observation-" + i));
    }
    return bundle;
  }

  /** Notes of {@code length} characters: as many as the value limit allows, or about 4.5 MB of them. */
  private Bundle withNotes(Bundle referral, int length) {
    Bundle bundle = referral.copy();
    Observation observation = observation(bundle);
    int room = InputLimits.MAX_VALUES - values(codec.encode(bundle, FhirFormat.JSON)) - 10;
    int notes = length == 1 ? room / 2 : 4_500_000 / length;
    for (int i = 0; i < notes; i++) {
      observation.addNote().setText(length == 1 ? "n" : "n".repeat(length));
    }
    return bundle;
  }

  private static int values(byte[] json) {
    int values = 0;
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token != JsonToken.FIELD_NAME && token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
          values++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }

  private static byte[] resource(String name) {
    try (InputStream in = LargestMessagesBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing benchmark resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
