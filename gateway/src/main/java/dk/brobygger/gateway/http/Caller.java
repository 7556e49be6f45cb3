package dk.brobygger.gateway.http;

import java.util.Objects;

/**
 * Who is calling, as far as the gateway knows: recorded as the actor of every audit entry.
 *
 * @param id the calling system's directory id once authenticated, else "unauthenticated"
 * @param address the remote network address, for the audit trail of refusals
 */
public record Caller(String id, String address) {

  public Caller {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }

  /** The actor recorded in the audit log. */
  public String actor() {
    return id + "@" + address;
  }
}
