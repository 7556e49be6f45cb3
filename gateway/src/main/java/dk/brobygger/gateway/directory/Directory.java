package dk.brobygger.gateway.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dk.brobygger.delivery.seal.RecipientKeys;
import java.text.ParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.gateway.config.ConfigurationError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The organisations the gateway knows, read from a JSON file at start-up. Adding a recipient is a
 * line in that file, no code. The file is checked strictly: a directory mistake must stop the
 * gateway at start, not misroute a citizen's data later.
 */
public final class Directory implements RecipientKeys {

  /** Trusts client keys whose private halves are published in keys-sample: demo and development only. */
  private static final String INSECURE_SAMPLE = "/dk/brobygger/gateway/directory/insecure-sample-directory.json";
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern KIND = Pattern.compile("[a-z][a-z-]{0,39}");

  private final Map<String, Party> byId;
  private final Map<OrganisationIdentifier, Recipient> byIdentifier;

  private Directory(List<Party> parties) {
    Map<String, Party> ids = new LinkedHashMap<>();
    Map<OrganisationIdentifier, Recipient> identifiers = new HashMap<>();
    for (Party party : parties) {
      Recipient recipient = party.recipient();
      if (ids.putIfAbsent(recipient.id(), party) != null) {
        throw new ConfigurationError("directory: id '" + recipient.id() + "' is listed twice");
      }
      for (OrganisationIdentifier identifier : recipient.identifiers()) {
        Recipient other = identifiers.putIfAbsent(identifier, recipient);
        if (other != null) {
          throw new ConfigurationError(
              "directory: identifier " + identifier.token() + " names both " + other.id() + " and " + recipient.id());
        }
      }
    }
    this.byId = ids;
    this.byIdentifier = identifiers;
  }

  public static Directory of(List<Party> parties) {
    return new Directory(parties);
  }

  /**
   * The given file, or the built-in INSECURE sample directory when none is given and sample keys
   * are allowed (demo, development). Without that allowance a directory may hold no key of the
   * insecure sample set: anyone can sign with those, so trusting one lets anyone in.
   */
  public static Directory load(Optional<Path> file, boolean sampleKeysAllowed) {
    if (file.isPresent()) {
      Directory directory;
      try (InputStream in = Files.newInputStream(file.get())) {
        directory = parse(in, file.get().toString());
      } catch (IOException e) {
        throw new ConfigurationError("cannot read directory file " + file.get() + ": " + e.getMessage(), e);
      }
      if (!sampleKeysAllowed) {
        directory.refuseInsecureSampleKeys(file.get().toString());
      }
      return directory;
    }
    if (!sampleKeysAllowed) {
      throw new ConfigurationError("option directory.file is required: the built-in sample directory trusts INSECURE "
          + "published keys and is used only with --demo or --development");
    }
    try (InputStream in = Directory.class.getResourceAsStream(INSECURE_SAMPLE)) {
      if (in == null) {
        throw new ConfigurationError("the built-in insecure sample directory is missing from the class path");
      }
      return parse(in, "built-in insecure sample directory");
    } catch (IOException e) {
      throw new ConfigurationError("cannot read the built-in insecure sample directory: " + e.getMessage(), e);
    }
  }

  private void refuseInsecureSampleKeys(String source) {
    Map<String, String> insecure = InsecureSampleKeySet.thumbprints();
    for (Party party : byId.values()) {
      for (JWK key : concat(party.clientKeys(), party.encryptionKeys())) {
        String sample = insecure.get(InsecureSampleKeySet.thumbprint(key));
        if (sample != null) {
          throw new ConfigurationError("directory file " + source + ": entry '" + party.id() + "' holds key '"
              + key.getKeyID() + "', the public half of the INSECURE sample key " + sample
              + " (its private half is published); outside --demo/--development use the parties' own keys");
        }
      }
    }
  }

  private static List<JWK> concat(JWKSet first, JWKSet second) {
    List<JWK> keys = new ArrayList<>(first.getKeys());
    keys.addAll(second.getKeys());
    return keys;
  }

  static Directory parse(InputStream in, String source) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    JsonNode entries = root == null ? null : root.get("recipients");
    if (entries == null || !entries.isArray()) {
      throw new ConfigurationError(source + ": expected an object with a \"recipients\" array");
    }
    List<Party> parties = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : entries) {
      String where = source + " recipients[" + index++ + "]";
      JsonNode signedOnly = entry.get("allowSignedOnly");
      parties.add(new Party(recipient(entry, where), keys(entry, "clientKeys", KeyUse.SIGNATURE, where),
          keys(entry, "encryptionKeys", KeyUse.ENCRYPTION, where), signedOnly != null && signedOnly.asBoolean(false)));
    }
    return new Directory(parties);
  }

  /** A JWK Set of PUBLIC keys, inline; a private key in the directory is a configuration error. */
  private static JWKSet keys(JsonNode entry, String field, KeyUse use, String where) {
    JsonNode node = entry.get(field);
    if (node == null || node.isNull()) {
      return new JWKSet();
    }
    JWKSet set;
    try {
      set = JWKSet.parse(node.toString());
    } catch (ParseException e) {
      throw new ConfigurationError(where + ": \"" + field + "\" is not a JWK Set: " + e.getMessage(), e);
    }
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        throw new ConfigurationError(where + ": \"" + field + "\" holds a PRIVATE key; the directory takes public keys only");
      }
      if (key.getKeyID() == null) {
        throw new ConfigurationError(where + ": every key in \"" + field + "\" needs a kid");
      }
      if (key.getKeyUse() != null && !key.getKeyUse().equals(use)) {
        throw new ConfigurationError(where + ": key " + key.getKeyID() + " in \"" + field + "\" is not for " + use.identifier());
      }
    }
    return set;
  }

  private static Recipient recipient(JsonNode entry, String where) {
    String id = required(entry, "id", where);
    if (!ID.matcher(id).matches()) {
      throw new ConfigurationError(where + ": id '" + id + "' must be lower-case letters, digits and dashes");
    }
    String kind = required(entry, "kind", where);
    if (!KIND.matcher(kind).matches()) {
      throw new ConfigurationError(where + ": kind '" + kind + "' must be lower-case letters and dashes");
    }
    List<OrganisationIdentifier> identifiers = new ArrayList<>();
    JsonNode ids = entry.get("identifiers");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw new ConfigurationError(where + ": at least one identifier (system, value) is required");
    }
    for (JsonNode identifier : ids) {
      identifiers.add(new OrganisationIdentifier(required(identifier, "system", where), required(identifier, "value", where)));
    }
    Optional<URI> endpoint = Optional.empty();
    JsonNode url = entry.get("endpoint");
    if (url != null && !url.isNull()) {
      endpoint = Optional.of(endpoint(url.asText(), where));
    }
    return new Recipient(id, required(entry, "name", where), kind, identifiers, endpoint);
  }

  private static URI endpoint(String text, String where) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigurationError(where + ": endpoint '" + text + "' must be an absolute http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigurationError(where + ": endpoint '" + text + "' is not a URL: " + e.getMessage(), e);
    }
  }

  private static String required(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new ConfigurationError(where + ": \"" + field + "\" is required");
    }
    return value.asText().trim();
  }

  public Optional<Recipient> byId(String id) {
    return party(id).map(Party::recipient);
  }

  public Optional<Party> party(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Optional<Recipient> byIdentifier(OrganisationIdentifier identifier) {
    return Optional.ofNullable(byIdentifier.get(identifier));
  }

  public List<Recipient> all() {
    return byId.values().stream().map(Party::recipient).toList();
  }

  @Override
  public List<JWK> encryptionKeys(Recipient recipient) {
    // in the entry's order: the first key of a kind is the current one; later ones are kept for rollover
    return party(recipient.id()).map(party -> party.encryptionKeys().getKeys()).orElse(List.of());
  }

  @Override
  public boolean allowsSignedOnly(Recipient recipient) {
    return party(recipient.id()).map(Party::allowSignedOnly).orElse(false);
  }
}
