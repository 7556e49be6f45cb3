package dk.brobygger.fhir.message;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import dk.brobygger.fhir.Rejected;
import java.util.Optional;

/**
 * A parser error handler that stops at the first deviation, like HAPI's StrictErrorHandler, but
 * throws a {@link Problem} that keeps the element name and offending value apart, so that the
 * codec can locate the element in the body (HAPI's own location is often just null).
 */
final class StrictParsing implements IParserErrorHandler {

  /**
   * What the parser objected to.
   *
   * @param kind INVALID for a bad value of a known element, MALFORMED for everything structural
   * @param element the element's name as written in the body, when the parser names it
   * @param value the offending value, for invalid values
   */
  static final class Problem extends DataFormatException {
    private final Rejected.Kind kind;
    private final transient Optional<String> element;
    private final transient Optional<String> value;

    Problem(Rejected.Kind kind, String element, String value, String description) {
      super(description);
      this.kind = kind;
      this.element = Optional.ofNullable(element);
      this.value = Optional.ofNullable(value);
    }

    Rejected.Kind kind() {
      return kind;
    }

    Optional<String> element() {
      return element;
    }

    Optional<String> value() {
      return value;
    }
  }

  @Override
  public void unknownElement(IParseLocation location, String elementName) {
    throw structural(elementName, "unknown element '" + elementName + "'");
  }

  @Override
  public void unknownAttribute(IParseLocation location, String attributeName) {
    throw structural(attributeName, "unknown attribute '" + attributeName + "'");
  }

  @Override
  public void invalidValue(IParseLocation location, String value, String error) {
    String element = parent(location);
    throw new Problem(Rejected.Kind.INVALID, element, value, "invalid value: " + ParseDiagnostics.withoutHapiCodes(error));
  }

  @Override
  public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected,
      ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
    throw structural(elementName, "element '" + elementName + "' must be " + describe(expected, expectedScalar)
        + ", found " + describe(found, foundScalar));
  }

  @Override
  public void missingRequiredElement(IParseLocation location, String elementName) {
    throw structural(parent(location), "required element '" + elementName + "' is missing");
  }

  @Override
  public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
    throw structural(elementName, "element '" + elementName + "' must not repeat");
  }

  @Override
  public void unknownReference(IParseLocation location, String reference) {
    throw structural(parent(location), "reference '" + reference + "' cannot be resolved");
  }

  @Override
  public void invalidInternalReference(IParseLocation location, String reference) {
    throw structural(parent(location), "reference '" + reference + "' to a contained resource does not resolve");
  }

  @Override
  public void containedResourceWithNoId(IParseLocation location) {
    throw structural(parent(location), "a contained resource has no id");
  }

  @Override
  public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
    throw structural(parent(location), "an extension has both a value and nested extensions");
  }

  private static Problem structural(String element, String description) {
    return new Problem(Rejected.Kind.MALFORMED, element, null, description);
  }

  private static String parent(IParseLocation location) {
    return location == null ? null : location.getParentElementName();
  }

  private static String describe(ValueType type, ScalarType scalar) {
    String name = type == null ? "unknown" : type.name().toLowerCase(java.util.Locale.ROOT);
    return scalar == null ? "a JSON " + name : "a JSON " + scalar.name().toLowerCase(java.util.Locale.ROOT);
  }
}
