package dk.brobygger.fhir.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.hl7.fhir.r4.model.Bundle;

/** The sample messages under src/test/resources/messages, as bytes or as a Bundle to mutate. */
final class Samples {

  static final FhirCodec CODEC = new FhirCodec();

  private Samples() {}

  static byte[] bytes(String name) {
    return resource("/messages/" + name);
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
