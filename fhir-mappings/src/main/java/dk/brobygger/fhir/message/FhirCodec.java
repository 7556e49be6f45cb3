package dk.brobygger.fhir.message;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Reads and writes FHIR R4 resources as UTF-8 JSON or XML. One per process; thread-safe (the
 * context is shared, parsers are made per call because HAPI's are not thread-safe and cheap).
 *
 * <p>Parsing is strict: unknown elements and invalid values are refused, not dropped, because
 * what we drop we would silently not disclose, or worse, not check.
 */
public final class FhirCodec {

  /**
   * Our own context, not the JVM-wide cached one, because encoding must never add anything: by
   * default HAPI copies a referenced resource without an id into {@code contained} when encoding,
   * so re-encoding a message whose entries have only fullUrls (legal FHIR) would smuggle copies of
   * entries, including ones minimisation removed, into the resources that refer to them.
   */
  private static final FhirContext CONTEXT = ownContext();

  private final FhirContext context;

  public FhirCodec() {
    this.context = CONTEXT;
  }

  private static FhirContext ownContext() {
    FhirContext context = FhirContext.forR4();
    context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    return context;
  }

  public FhirContext context() {
    return context;
  }

  /** Compact UTF-8 in the given format. */
  public byte[] encode(IBaseResource resource, FhirFormat format) {
    return encode(resource, format, false);
  }

  /** Indented UTF-8, for people reading it. */
  public byte[] encodePretty(IBaseResource resource, FhirFormat format) {
    return encode(resource, format, true);
  }

  /** The form that is stored and delivered: compact FHIR JSON, elements in definition order. */
  public byte[] canonicalJson(IBaseResource resource) {
    return encode(resource, FhirFormat.JSON, false);
  }

  /**
   * Parses a request body. Throws {@link Rejected} MALFORMED when it is not FHIR in that format
   * (also for what FHIR forbids but HAPI would let through, see {@link SyntaxCheck}), INVALID for
   * an invalid value, for a body over one of the {@link InputLimits} and for a resource of another
   * type than expected.
   */
  public <T extends IBaseResource> T parse(byte[] body, FhirFormat format, Class<T> type) {
    String text = decode(body, format);
    SyntaxCheck.check(text, format);
    IBaseResource parsed;
    try {
      parsed = newParser(format).parseResource(text);
    } catch (DataFormatException e) {
      throw ParseDiagnostics.rejected(e, format, text);
    } catch (RuntimeException e) {
      // Whatever else HAPI's parser throws is still about the body it was given.
      throw new Rejected(Rejected.Kind.MALFORMED, "invalid FHIR " + format.name() + ": the body could not be parsed");
    }
    if (!type.isInstance(parsed)) {
      throw new Rejected(Rejected.Kind.INVALID,
          "expected a " + type.getSimpleName() + ", got " + parsed.fhirType());
    }
    return type.cast(parsed);
  }

  private byte[] encode(IBaseResource resource, FhirFormat format, boolean pretty) {
    try {
      return newParser(format).setPrettyPrint(pretty).encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
    } catch (DataFormatException e) {
      throw new Failed("the " + resource.fhirType() + " could not be encoded as FHIR " + format.name(), e, false);
    }
  }

  private IParser newParser(FhirFormat format) {
    IParser parser = format == FhirFormat.JSON ? context.newJsonParser() : context.newXmlParser();
    parser.setParserErrorHandler(new StrictParsing());
    // Keep MessageHeader.id etc. as sent: HAPI would otherwise replace every entry's id with its fullUrl.
    parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
    // Consent/x/_history/3 must stay versioned: a decision rests on one exact version.
    parser.setStripVersionsFromReferences(false);
    return parser;
  }

  private static String decode(byte[] body, FhirFormat format) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Rejected(Rejected.Kind.MALFORMED, "invalid FHIR " + format.name() + ": the body is not UTF-8");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      throw new Rejected(Rejected.Kind.MALFORMED, "invalid FHIR " + format.name() + ": the body is empty");
    }
    return text;
  }
}
