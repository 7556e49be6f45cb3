package dk.brobygger.keys;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code manifest.json}: what a trust set holds, file by file, with key ids and expiry dates. The
 * manifest lists every file of the set except itself.
 */
public record TrustSetManifest(String warning, Instant generatedAt, List<TrustSetFile> files) {

  public TrustSetManifest {
    Objects.requireNonNull(warning, "warning");
    Objects.requireNonNull(generatedAt, "generatedAt");
    files = List.copyOf(files);
  }

  /** The listed files' names followed by the manifest's own: every file of the set. */
  public List<String> fileNames() {
    List<String> names = new ArrayList<>(files.stream().map(TrustSetFile::name).toList());
    names.add(TrustSetLayout.MANIFEST);
    return List.copyOf(names);
  }

  public Optional<TrustSetFile> file(String name) {
    return files.stream().filter(file -> file.name().equals(name)).findFirst();
  }

  public byte[] toJson() {
    JsonObject root = new JsonObject();
    root.addProperty("warning", warning);
    root.addProperty("generatedAt", generatedAt.toString());
    JsonArray list = new JsonArray();
    for (TrustSetFile file : files) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", file.name());
      entry.addProperty("kind", file.kind().jsonName());
      file.party().ifPresent(party -> entry.addProperty("party", party));
      if (!file.kids().isEmpty()) {
        JsonArray kids = new JsonArray();
        file.kids().forEach(kids::add);
        entry.add("kids", kids);
      }
      file.notAfter().ifPresent(notAfter -> entry.addProperty("notAfter", notAfter.toString()));
      list.add(entry);
    }
    root.add("files", list);
    String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    return (json + "\n").getBytes(StandardCharsets.UTF_8);
  }

  public static TrustSetManifest read(InputStream json) {
    try {
      JsonObject root =
          JsonParser.parseReader(new InputStreamReader(json, StandardCharsets.UTF_8)).getAsJsonObject();
      List<TrustSetFile> files = new ArrayList<>();
      for (JsonElement element : required(root, "files").getAsJsonArray()) {
        JsonObject entry = element.getAsJsonObject();
        List<String> kids = new ArrayList<>();
        if (entry.has("kids")) {
          entry.getAsJsonArray("kids").forEach(kid -> kids.add(kid.getAsString()));
        }
        files.add(new TrustSetFile(
            required(entry, "name").getAsString(),
            TrustSetFile.Kind.fromJsonName(required(entry, "kind").getAsString()),
            optional(entry, "party"),
            kids,
            optional(entry, "notAfter").map(Instant::parse)));
      }
      return new TrustSetManifest(
          required(root, "warning").getAsString(),
          Instant.parse(required(root, "generatedAt").getAsString()),
          files);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
        | DateTimeParseException e) {
      throw new IllegalArgumentException("Not a trust set manifest: " + e.getMessage(), e);
    }
  }

  private static JsonElement required(JsonObject object, String member) {
    if (!object.has(member)) {
      throw new IllegalArgumentException("Not a trust set manifest: \"" + member + "\" is missing");
    }
    return object.get(member);
  }

  private static Optional<String> optional(JsonObject entry, String member) {
    return entry.has(member) ? Optional.of(entry.get(member).getAsString()) : Optional.empty();
  }
}
