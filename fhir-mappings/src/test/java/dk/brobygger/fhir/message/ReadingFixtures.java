package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;

/** Reads sample messages, changed by a test, with the message rules only (no base validation). */
final class ReadingFixtures {

  static final MessageReader READER = new MessageReader(Samples.CODEC, MessageReader.BaseValidation.DISABLED);

  private ReadingFixtures() {}

  static ReceivedMessage read(Bundle bundle) {
    return READER.read(Samples.json(bundle), FhirFormat.JSON);
  }

  static ReceivedMessage read(String sample) {
    return READER.read(Samples.bytes(sample), FhirFormat.JSON);
  }

  /** The sample, changed by the mutation, is read as a valid message. */
  static ReceivedMessage readChanged(String sample, Consumer<Bundle> mutation) {
    Bundle bundle = Samples.bundle(sample);
    mutation.accept(bundle);
    return read(bundle);
  }

  /** The sample, changed by the mutation, is refused as INVALID with exactly these diagnostics. */
  static void assertInvalid(String sample, Consumer<Bundle> mutation, String diagnostics) {
    Bundle bundle = Samples.bundle(sample);
    mutation.accept(bundle);
    assertThatThrownBy(() -> read(bundle))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).isEqualTo(diagnostics);
        });
  }

  static MessageHeader header(Bundle bundle) {
    return (MessageHeader) bundle.getEntryFirstRep().getResource();
  }

  static <T> T resource(Bundle bundle, String fullUrl, Class<T> type) {
    return type.cast(bundle.getEntry().stream()
        .filter(e -> e.getFullUrl().equals(fullUrl))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no entry " + fullUrl))
        .getResource());
  }

  static void remove(Bundle bundle, String fullUrl) {
    if (!bundle.getEntry().removeIf(e -> e.getFullUrl().equals(fullUrl))) {
      throw new IllegalArgumentException("no entry " + fullUrl);
    }
  }
}
