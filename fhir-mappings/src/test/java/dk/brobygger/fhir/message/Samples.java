package dk.brobygger.fhir.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The sample messages, as bytes or as a Bundle to mutate: the README's, whose one copy is
 * docs/examples (on the class path under {@link #EXAMPLES}, see pom.xml), and the few only tests
 * read, under src/test/resources/messages.
 */
final class Samples {

  static final FhirCodec CODEC = new FhirCodec();
  static final String EXAMPLES = "/dk/brobygger/fhir/examples/";
  private static final String TEST_ONLY = "/messages/";

  private Samples() {}

  static byte[] bytes(String name) {
    return resource((Samples.class.getResource(TEST_ONLY + name) != null ? TEST_ONLY : EXAMPLES) + name);
  }

  static byte[] resource(String path) {
    try (InputStream in = Samples.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Bundle bundle(String name) {
    return CODEC.parse(bytes(name), FhirFormat.JSON, Bundle.class);
  }

  static byte[] json(Bundle bundle) {
    return CODEC.encode(bundle, FhirFormat.JSON);
  }
}
