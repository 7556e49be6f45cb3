package dk.brobygger.auditproof.note;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, and one or more
 * signature lines {@code — <key name> base64(key ID || signature)}. Parsing checks the shape only;
 * which signatures count is for a {@link NoteVerifier} to decide.
 *
 * @param text the signed text, final newline included, separating blank line excluded
 * @param signatures in the order they appear
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

  /** Verifiers must accept at least 16 (the spec); more than this many is refused as abuse. */
  public static final int MAX_SIGNATURES = 100;

  static final String SIGNATURE_PREFIX = "\u2014 ";

  public SignedNote {
    Objects.requireNonNull(text, "text");
    signatures = List.copyOf(signatures);
    requireText(text);
    if (signatures.isEmpty()) {
      throw new InvalidNote("a signed note needs at least one signature");
    }
    if (signatures.size() > MAX_SIGNATURES) {
      throw new InvalidNote("a signed note with more than " + MAX_SIGNATURES + " signatures is refused");
    }
  }

  /** Parses a whole note as served or stored: text, blank line, signature lines. */
  public static SignedNote parse(String note) {
    Objects.requireNonNull(note, "note");
    requireNoControlCharacters(note);
    if (!note.endsWith("\n")) {
      throw new InvalidNote("a signed note must end with a newline");
    }
    // The text is separated from the signatures by the last empty line.
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new InvalidNote("a signed note must have a blank line between its text and its signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    List<NoteSignature> signatures = new ArrayList<>();
    for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
      if (signatures.size() == MAX_SIGNATURES) {
        throw new InvalidNote("a signed note with more than " + MAX_SIGNATURES + " signatures is refused");
      }
      signatures.add(signatureLine(line));
    }
    return new SignedNote(text, signatures);
  }

  /** The note as text: the signed text, a blank line, one line per signature. */
  public String format() {
    StringBuilder note = new StringBuilder(text).append('\n');
    for (NoteSignature signature : signatures) {
      note.append(signature.line()).append('\n');
    }
    return note.toString();
  }

  /** This note with one more signature (a cosignature), unless an equal one is already there. */
  public SignedNote withSignature(NoteSignature signature) {
    if (signatures.contains(signature)) {
      return this;
    }
    List<NoteSignature> more = new ArrayList<>(signatures);
    more.add(signature);
    return new SignedNote(text, more);
  }

  private static NoteSignature signatureLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new InvalidNote("a signature line must start with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.lastIndexOf(' ');
    if (space <= 0) {
      throw new InvalidNote("a signature line must be \"— <key name> <base64 signature>\"");
    }
    String name = rest.substring(0, space);
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidNote("the signature of key " + name + " is not base64");
    }
    if (decoded.length < 5) {
      throw new InvalidNote("the signature of key " + name + " is too short to hold a key ID and a signature");
    }
    int keyId = ((decoded[0] & 0xff) << 24) | ((decoded[1] & 0xff) << 16) | ((decoded[2] & 0xff) << 8) | (decoded[3] & 0xff);
    byte[] signature = new byte[decoded.length - 4];
    System.arraycopy(decoded, 4, signature, 0, signature.length);
    return new NoteSignature(name, keyId, signature);
  }

  static void requireText(String text) {
    requireNoControlCharacters(text);
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new InvalidNote("a note's text must be non-empty and end with a newline");
    }
  }

  private static void requireNoControlCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new InvalidNote("a signed note must not contain control characters other than newline");
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
          && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
        throw new InvalidNote("a signed note must be valid UTF-8 text");
      }
    }
  }
}
