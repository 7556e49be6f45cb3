package dk.brobygger.gateway.auth;

import java.util.Optional;

/** The five SMART v2 permission letters, in the order a scope must spell them: c, r, u, d, s. */
public enum Interaction {
  CREATE('c'),
  READ('r'),
  UPDATE('u'),
  DELETE('d'),
  SEARCH('s');

  private final char letter;

  Interaction(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  static Optional<Interaction> ofLetter(char letter) {
    for (Interaction interaction : values()) {
      if (interaction.letter == letter) {
        return Optional.of(interaction);
      }
    }
    return Optional.empty();
  }
}
