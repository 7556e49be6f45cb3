package dk.brobygger.fhir.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonParseException;
import dk.brobygger.fhir.Rejected;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One cheap streaming pass over a body before HAPI parses it: refuses what FHIR forbids but HAPI
 * lets through (duplicate JSON keys; a DOCTYPE, entity or processing instruction in XML; XML
 * elements outside the FHIR and XHTML namespaces) and enforces the {@link InputLimits} that bound
 * the work of the later stages. Syntax errors are left to HAPI's parser, whose diagnostics locate
 * them; this pass only stops early.
 */
final class SyntaxCheck {

  static final String FHIR_NAMESPACE = "http://hl7.org/fhir";
  static final String XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // backstops only: the pass below names the limit itself
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(InputLimits.MAX_DEPTH + 1)
          .maxNumberLength(InputLimits.MAX_NUMBER_CHARS + 1)
          .build())
      .build();

  private static final XMLInputFactory XML = secureXmlFactory();
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  /** FHIR elements whose child element is a whole resource (then named by its type). */
  private static final Set<String> RESOURCE_HOLDERS = Set.of("resource", "contained", "outcome");

  private SyntaxCheck() {}

  static void check(String text, FhirFormat format) {
    if (format == FhirFormat.JSON) {
      checkJson(text);
    } else {
      checkXml(text);
    }
  }

  /** An open JSON object: whether it is a resource (has resourceType), and its id if any. */
  private static final class JsonObject {
    boolean resource;
    String id;
    JsonLocation idLocation;
  }

  private static void checkJson(String text) {
    int values = 0;
    Deque<JsonObject> objects = new ArrayDeque<>();
    try (JsonParser parser = JSON.createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.START_OBJECT) {
          objects.push(new JsonObject());
        } else if (token == JsonToken.END_OBJECT) {
          JsonObject closed = objects.pop();
          if (closed.resource && closed.id != null) {
            checkResourceId(closed.id, "JSON" + at(closed.idLocation));
          }
          continue;
        } else if (token == JsonToken.FIELD_NAME) {
          if ("resourceType".equals(parser.currentName()) && !objects.isEmpty()) {
            objects.peek().resource = true;
          }
          continue;
        } else if (token == JsonToken.END_ARRAY) {
          continue;
        } else if (token == JsonToken.VALUE_STRING && "id".equals(parser.currentName())
            && parser.getParsingContext().inObject() && !objects.isEmpty()) {
          objects.peek().id = parser.getText();
          objects.peek().idLocation = parser.currentLocation();
        }
        if (++values > InputLimits.MAX_VALUES) {
          throw overLimit("JSON", at(parser.currentLocation()), "more than " + InputLimits.MAX_VALUES + " values");
        }
        if (parser.getParsingContext().getNestingDepth() > InputLimits.MAX_DEPTH) {
          throw overLimit("JSON", at(parser.currentLocation()), "nested deeper than " + InputLimits.MAX_DEPTH + " levels");
        }
        if (token == JsonToken.VALUE_STRING && !"data".equals(parser.currentName())
            && parser.getTextLength() > InputLimits.MAX_STRING_CHARS) {
          throw overLimit("JSON", at(parser.currentLocation()), "the value of '" + parser.currentName() + "' is longer than "
              + InputLimits.MAX_STRING_CHARS + " characters");
        }
        if ((token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
            && parser.getTextLength() > InputLimits.MAX_NUMBER_CHARS) {
          throw overLimit("JSON", at(parser.currentLocation()), "the number in '" + parser.currentName() + "' is longer than "
              + InputLimits.MAX_NUMBER_CHARS + " characters");
        }
      }
    } catch (StreamConstraintsException e) {
      throw overLimit("JSON", at(e.getLocation()), e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Number")
          ? "a number is longer than " + InputLimits.MAX_NUMBER_CHARS + " characters"
          : "nested deeper than " + InputLimits.MAX_DEPTH + " levels");
    } catch (JsonParseException e) {
      if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
        // FHIR JSON forbids repeated keys; which one would count is up to the parser, so refuse
        String name = e.getOriginalMessage().replaceFirst("^Duplicate field ", "");
        throw new Rejected(Rejected.Kind.MALFORMED,
            "invalid FHIR JSON" + at(e.getLocation()) + ": the key " + name + " repeats in one object");
      }
      // a syntax error: HAPI's parser reports it with its location
    } catch (IOException e) {
      // cannot happen on a String; HAPI's parser decides
    }
  }

  /** An open XML element; a resource is the root or the child of a resource holder. */
  private record XmlElement(String namespace, String name, boolean fhir, boolean resource) {}

  private static void checkXml(String text) {
    XMLStreamReader reader;
    try {
      reader = XML.createXMLStreamReader(new StringReader(text));
    } catch (XMLStreamException e) {
      return;
    }
    Deque<XmlElement> open = new ArrayDeque<>();
    int values = 0;
    try {
      while (reader.hasNext()) {
        int event = reader.next();
        switch (event) {
          case XMLStreamConstants.DTD -> throw refusedXml(reader, "a DOCTYPE is not allowed in FHIR XML");
          case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
              throw refusedXml(reader, "entities are not allowed in FHIR XML");
          case XMLStreamConstants.PROCESSING_INSTRUCTION ->
              throw refusedXml(reader, "a processing instruction is not allowed in FHIR XML");
          case XMLStreamConstants.START_ELEMENT -> {
            String namespace = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
            String name = reader.getLocalName();
            XmlElement parent = open.peek();
            checkNamespace(reader, parent, namespace, name);
            boolean fhir = FHIR_NAMESPACE.equals(namespace);
            boolean resource = fhir && (parent == null || (parent.fhir() && RESOURCE_HOLDERS.contains(parent.name())));
            if (fhir && "id".equals(name) && parent != null && parent.resource()) {
              String id = reader.getAttributeValue(null, "value");
              checkResourceId(id == null ? "" : id, "XML" + at(reader.getLocation()));
            }
            open.push(new XmlElement(namespace, name, fhir, resource));
            values += 1 + reader.getAttributeCount();
            if (values > InputLimits.MAX_VALUES) {
              throw overLimit("XML", at(reader.getLocation()), "more than " + InputLimits.MAX_VALUES + " elements and attributes");
            }
            if (open.size() > InputLimits.MAX_DEPTH) {
              throw overLimit("XML", at(reader.getLocation()), "nested deeper than " + InputLimits.MAX_DEPTH + " levels");
            }
            boolean base64 = FHIR_NAMESPACE.equals(namespace) && "data".equals(name);
            for (int i = 0; i < reader.getAttributeCount(); i++) {
              if (!base64 && reader.getAttributeValue(i).length() > InputLimits.MAX_STRING_CHARS) {
                throw overLimit("XML", at(reader.getLocation()), "the value of '" + name + "' is longer than "
                    + InputLimits.MAX_STRING_CHARS + " characters");
              }
            }
          }
          case XMLStreamConstants.END_ELEMENT -> open.pop();
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (reader.getTextLength() > InputLimits.MAX_STRING_CHARS) {
              throw overLimit("XML", at(reader.getLocation()), "a text is longer than " + InputLimits.MAX_STRING_CHARS
                  + " characters");
            }
          }
          default -> { }
        }
      }
    } catch (XMLStreamException e) {
      // a syntax error: HAPI's parser reports it with its location
    } finally {
      try {
        reader.close();
      } catch (XMLStreamException ignored) {
        // nothing was opened but the string
      }
    }
  }

  /**
   * HAPI reads an id like {@code a/../b} as {@code b} (where it would collide with message b), so
   * the id is checked here, as written.
   */
  private static void checkResourceId(String id, String where) {
    if (!FHIR_ID.matcher(id).matches()) {
      throw new Rejected(Rejected.Kind.INVALID, "invalid FHIR " + where + ": the resource id '" + shorten(id)
          + "' is not a valid FHIR id (1 to 64 letters, digits, '-' and '.')");
    }
  }

  /** FHIR elements, and XHTML only inside a narrative's div. */
  private static void checkNamespace(XMLStreamReader reader, XmlElement parent, String namespace, String name) {
    boolean fhir = FHIR_NAMESPACE.equals(namespace);
    boolean xhtml = XHTML_NAMESPACE.equals(namespace);
    boolean allowed;
    if (parent == null) {
      allowed = fhir;
    } else if (XHTML_NAMESPACE.equals(parent.namespace())) {
      allowed = xhtml;
    } else {
      allowed = fhir || (xhtml && "div".equals(name));
    }
    if (!allowed) {
      throw refusedXml(reader, "element '" + name + "' is in namespace '" + shorten(namespace)
          + "'; FHIR XML elements are in " + FHIR_NAMESPACE + " (narrative in " + XHTML_NAMESPACE + ")");
    }
  }

  private static Rejected refusedXml(XMLStreamReader reader, String what) {
    return new Rejected(Rejected.Kind.MALFORMED, "invalid FHIR XML" + at(reader.getLocation()) + ": " + what);
  }

  private static Rejected overLimit(String format, String where, String what) {
    return new Rejected(Rejected.Kind.INVALID, "FHIR " + format + where + " is over a limit of the gateway: " + what);
  }

  private static String at(JsonLocation location) {
    return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String at(Location location) {
    return location == null ? "" : " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
  }

  private static String shorten(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }

  /** No DTDs, no external entities, no entity expansion: a DOCTYPE is reported as such, then refused. */
  private static XMLInputFactory secureXmlFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return factory;
  }
}
