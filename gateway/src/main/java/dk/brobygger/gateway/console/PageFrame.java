package dk.brobygger.gateway.console;

import java.util.Objects;
import java.util.Optional;

/**
 * What the layout of every console page needs.
 *
 * @param title the page's title (Danish)
 * @param person who is signed in, if anyone
 * @param csrfToken the session's token, put in every form and htmx request
 * @param insecureSample whether the INSECURE sample sign-in is on (demo/development): every page warns
 */
public record PageFrame(String title, Optional<ConsolePerson> person, String csrfToken, boolean insecureSample) {

  public PageFrame {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(csrfToken, "csrfToken");
  }

  public boolean is(ConsoleRole role) {
    return person.map(p -> p.role() == role).orElse(false);
  }

  /** For htmx's hx-headers attribute: every htmx request carries the CSRF token. */
  public String htmxHeaders() {
    return "{\"" + ConsoleRequest.CSRF_HEADER + "\": \"" + csrfToken + "\"}";
  }
}
