package dk.brobygger.gateway.db;

import java.util.Objects;
import java.util.Optional;

/**
 * What of the stored records a caller may see. A party sees only what it recorded, sent or
 * received: its consents, its messages and their Tasks, its inbox. Everything else does not exist
 * for it (404, not 403: a refusal must not reveal that another team's record exists). The privacy
 * officer sees everything. Stores apply this in their SQL, so a search never reads another party's
 * rows at all.
 *
 * @param party the directory id of the party whose records are visible; empty = every record
 */
public record Visibility(Optional<String> party) {

  public Visibility {
    Objects.requireNonNull(party, "party");
  }

  /** The privacy officer's view (and the gateway's own): every record. */
  public static Visibility everything() {
    return new Visibility(Optional.empty());
  }

  /** What the party with this directory id recorded, sent or received. */
  public static Visibility of(String partyId) {
    return new Visibility(Optional.of(partyId));
  }

  /** Whether a record belonging to {@code ownerId} is visible. */
  public boolean sees(String ownerId) {
    return party.map(ownerId::equals).orElse(true);
  }

  /**
   * The party an audit actor acts for. Actors are written as {@code party@address} by the HTTP
   * layer; the party part is the authenticated directory id (the V12 migration applies the same
   * rule to rows stored before the party had a column of its own).
   */
  public static String partyOf(String actor) {
    int at = actor.indexOf('@');
    return at < 0 ? actor : actor.substring(0, at);
  }
}
