package dk.brobygger.fhir.message;

/**
 * How much work one request body may cause. A body within the size limit must be answered within
 * seconds, so the work per message is bounded before the expensive stages (HAPI's parser and
 * validator) see it; a body over one of these limits is refused (422) with the limit named.
 */
public final class InputLimits {

  /** Nesting of JSON objects and arrays, or of XML elements; a referral needs about 12. */
  public static final int MAX_DEPTH = 48;
  /** JSON values (objects, arrays, strings, numbers, literals) or XML elements and attributes. */
  public static final int MAX_VALUES = 25_000;
  /** Characters of one string value, e.g. a narrative or a note; attachments (base64) are exempt. */
  public static final int MAX_STRING_CHARS = 64 * 1024;
  /** Characters of a URI (identifier and coding systems, references by URL, profiles). */
  public static final int MAX_URI_CHARS = 1024;
  /** Characters of a number: FHIR decimals have no size of their own, but UCUM arithmetic does. */
  public static final int MAX_NUMBER_CHARS = 32;
  /** Entries of a message Bundle; a referral with a health day's results has about 20. */
  public static final int MAX_ENTRIES = 200;
  /** Identifiers of one resource. */
  public static final int MAX_IDENTIFIERS = 20;

  private InputLimits() {}
}
