package dk.brobygger.auditproof;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The names and JSON settings of the log export format, shared by {@link ExportWriter} and {@link
 * ExportVerifier}; the format itself is described in this package's documentation.
 */
final class LogExport {

  static final String PREFIX = "prefix";
  static final String SIZE = "size";
  static final String HASHES = "hashes";
  static final String INDEX = "index";
  static final String ENTRY = "entry";
  static final String LEAF_HASH = "leafHash";
  static final String CONSISTENCY = "consistency";
  static final String FROM = "from";
  static final String TO = "to";
  static final String CHECKPOINT = "checkpoint";

  /**
   * Writes pure ASCII (non-ASCII escaped as \\uXXXX), so the export survives any transport charset
   * and each entry's text still decodes to exactly the stored string; reads strictly (duplicate keys
   * and trailing tokens refused, so one line cannot say two things).
   */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private LogExport() {}
}
