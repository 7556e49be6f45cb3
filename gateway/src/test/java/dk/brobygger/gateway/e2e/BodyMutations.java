package dk.brobygger.gateway.e2e;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Mutated versions of the sample messages, each with an independent verdict on whether it can
 * still be a valid message: a 2xx is wrong only for a body whose JSON syntax is broken, that lost a
 * required element, that carries a value over the gateway's documented limits, or that is XML FHIR
 * forbids. Other mutations may or may not leave a valid message; they must only never cause a 5xx.
 */
final class BodyMutations {

  static final String JSON = "application/fhir+json";
  static final String XML = "application/fhir+xml";

  /** One body to send. */
  record Mutation(String kind, String contentType, byte[] body, boolean certainlyInvalid) {
    @Override
    public String toString() {
      return kind + " (" + body.length + " bytes" + (certainlyInvalid ? ", invalid" : "") + ")";
    }
  }

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Elements every message or its focus needs, by the name of the resource (or "Bundle") holding them. */
  private static final Map<String, Set<String>> REQUIRED = Map.of(
      "Bundle", Set.of("resourceType", "type", "entry"),
      "MessageHeader", Set.of("resourceType", "eventCoding", "destination", "id"),
      "ServiceRequest", Set.of("resourceType", "status", "intent", "subject"),
      "Observation", Set.of("resourceType", "status", "code"),
      "Patient", Set.of("resourceType", "identifier"));

  private final Random random;
  private final List<byte[]> samples;

  BodyMutations(Random random, List<byte[]> samples) {
    this.random = random;
    this.samples = samples;
  }

  Mutation next() {
    byte[] sample = samples.get(random.nextInt(samples.size()));
    int kind = random.nextInt(100);
    if (kind < 22) {
      return byteFlips(sample);
    } else if (kind < 36) {
      return byteDeletion(sample);
    } else if (kind < 52) {
      return typeSwap(sample);
    } else if (kind < 70) {
      return elementDeletion(sample);
    } else if (kind < 76) {
      return hugeValue(sample);
    } else {
      return xmlVariant(sample);
    }
  }

  private Mutation byteFlips(byte[] sample) {
    byte[] body = sample.clone();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(body.length);
      body[at] = (byte) (body[at] ^ (1 << random.nextInt(8)));
    }
    return json("byte flips", body);
  }

  private Mutation byteDeletion(byte[] sample) {
    int at = random.nextInt(sample.length);
    int length = Math.min(sample.length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 200));
    byte[] body = new byte[sample.length - length];
    System.arraycopy(sample, 0, body, 0, at);
    System.arraycopy(sample, at + length, body, at, sample.length - at - length);
    return json("byte deletion", body);
  }

  /** A value of another JSON type where the sample has one: FHIR JSON types are fixed per element. */
  private Mutation typeSwap(byte[] sample) {
    ObjectNode root = tree(sample);
    List<Slot> slots = slots(root, "Bundle");
    Slot slot = slots.get(random.nextInt(slots.size()));
    JsonNode old = slot.get();
    JsonNode swapped;
    if (old.isTextual()) {
      swapped = random.nextBoolean() ? JsonNodeFactory.instance.numberNode(12345) : JsonNodeFactory.instance.booleanNode(true);
    } else if (old.isNumber() || old.isBoolean()) {
      swapped = TextNode.valueOf(old.asText());
    } else if (old.isArray()) {
      swapped = old.isEmpty() ? JsonNodeFactory.instance.objectNode() : old.get(0);
    } else {
      swapped = JsonNodeFactory.instance.arrayNode().add(old.deepCopy());
    }
    slot.set(swapped);
    // an array of one object in place of the object (or the reverse) is the only swap that may pass
    boolean invalid = !(old.isObject() || old.isArray()) && !"div".equals(slot.name);
    return new Mutation("type swap of " + slot.name, JSON, bytes(root), invalid);
  }

  private Mutation elementDeletion(byte[] sample) {
    ObjectNode root = tree(sample);
    List<Slot> fields = new ArrayList<>(slots(root, "Bundle").stream().filter(s -> s.parentObject != null).toList());
    Slot slot = fields.get(random.nextInt(fields.size()));
    slot.parentObject.remove(slot.name);
    boolean required = REQUIRED.getOrDefault(slot.owner, Set.of()).contains(slot.name)
        && slot.parentObject.has("resourceType") || "resourceType".equals(slot.name);
    return new Mutation("deleted " + slot.owner + "." + slot.name, JSON, bytes(root), required);
  }

  /** A string of 100 KB to about 3 MB, or a number of hundreds of digits, or very deep nesting. */
  private Mutation hugeValue(byte[] sample) {
    ObjectNode root = tree(sample);
    List<Slot> strings = slots(root, "Bundle").stream().filter(s -> s.get().isTextual()).toList();
    Slot slot = strings.get(random.nextInt(strings.size()));
    int variant = random.nextInt(3);
    if (variant == 0) {
      int length = 100_000 << random.nextInt(5);
      String prefix = slot.name.equals("system") ? "urn:oid:1" : "";
      String filler = slot.name.equals("system") ? ".2" : "x";
      slot.set(TextNode.valueOf(prefix + filler.repeat(length / filler.length())));
      return new Mutation("huge value of " + slot.name, JSON, bytes(root), true);
    } else if (variant == 1) {
      slot.set(JsonNodeFactory.instance.numberNode(new java.math.BigDecimal("9".repeat(300 + random.nextInt(2_000)))));
      return new Mutation("huge number in " + slot.name, JSON, bytes(root), true);
    }
    JsonNode deep = TextNode.valueOf("x");
    for (int i = 0; i < 100 + random.nextInt(400); i++) {
      deep = JsonNodeFactory.instance.arrayNode().add(deep);
    }
    slot.set(deep);
    return new Mutation("deep nesting in " + slot.name, JSON, bytes(root), true);
  }

  private Mutation xmlVariant(byte[] sample) {
    Bundle bundle = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, new String(sample, StandardCharsets.UTF_8));
    String xml = Fixtures.FHIR.newXmlParser().encodeResourceToString(bundle);
    return switch (random.nextInt(7)) {
      case 0 -> new Mutation("XML as is", XML, xml.getBytes(StandardCharsets.UTF_8), false);
      case 1 -> new Mutation("XML with an internal DTD", XML,
          ("<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY e \"x\">]>" + xml).getBytes(StandardCharsets.UTF_8), true);
      case 2 -> new Mutation("XML with an external DTD", XML,
          ("<!DOCTYPE Bundle SYSTEM \"http://127.0.0.1:9/fhir.dtd\">" + xml).getBytes(StandardCharsets.UTF_8), true);
      case 3 -> new Mutation("XML with a processing instruction", XML,
          xml.replaceFirst("<Bundle", "<?xml-stylesheet href=\"a.xsl\"?><Bundle").getBytes(StandardCharsets.UTF_8), true);
      case 4 -> new Mutation("XML outside the FHIR namespace", XML,
          xml.replace("xmlns=\"http://hl7.org/fhir\"", "xmlns=\"http://example.org/not-fhir\"").getBytes(StandardCharsets.UTF_8),
          true);
      case 5 -> new Mutation("XML with a foreign element", XML,
          xml.replaceFirst("<type ", "<x:extra xmlns:x=\"urn:x\"/><type ").getBytes(StandardCharsets.UTF_8), true);
      default -> {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(body.length);
        body[at] = (byte) (body[at] ^ (1 << random.nextInt(8)));
        yield new Mutation("XML byte flip", XML, body, false);
      }
    };
  }

  /** JSON whose syntax is broken (or that repeats a key) is certainly not a valid message. */
  private static Mutation json(String kind, byte[] body) {
    boolean broken;
    try {
      STRICT.readTree(body);
      broken = false;
    } catch (IOException e) {
      broken = true;
    }
    return new Mutation(kind, JSON, body, broken);
  }

  private static ObjectNode tree(byte[] sample) {
    try {
      return (ObjectNode) STRICT.readTree(sample);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode root) {
    try {
      return STRICT.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A place in the tree: a field of an object or an item of an array, in the resource {@code owner}. */
  private static final class Slot {
    final ObjectNode parentObject;
    final ArrayNode parentArray;
    final String name;
    final int index;
    final String owner;

    Slot(ObjectNode parentObject, ArrayNode parentArray, String name, int index, String owner) {
      this.parentObject = parentObject;
      this.parentArray = parentArray;
      this.name = name;
      this.index = index;
      this.owner = owner;
    }

    JsonNode get() {
      return parentObject != null ? parentObject.get(name) : parentArray.get(index);
    }

    void set(JsonNode value) {
      if (parentObject != null) {
        parentObject.set(name, value);
      } else {
        parentArray.set(index, value);
      }
    }
  }

  private static List<Slot> slots(JsonNode node, String owner) {
    List<Slot> slots = new ArrayList<>();
    collect(node, owner, slots);
    return slots;
  }

  private static void collect(JsonNode node, String owner, List<Slot> slots) {
    if (node instanceof ObjectNode object) {
      String here = object.has("resourceType") ? object.get("resourceType").asText() : owner;
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        slots.add(new Slot(object, null, name, -1, here));
        collect(object.get(name), here, slots);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        slots.add(new Slot(null, array, "item", i, owner));
        collect(array.get(i), owner, slots);
      }
    }
  }
}
