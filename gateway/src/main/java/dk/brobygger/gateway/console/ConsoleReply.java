package dk.brobygger.gateway.console;

import java.util.Objects;

/** What a console page answers: HTML (a whole page or an htmx fragment), or a redirect after a change. */
public sealed interface ConsoleReply {

  record Html(int status, String body) implements ConsoleReply {
    public Html {
      Objects.requireNonNull(body, "body");
    }
  }

  /** 303 See Other: after a form post, the browser loads the result with GET. */
  record Redirect(String location) implements ConsoleReply {
    public Redirect {
      Objects.requireNonNull(location, "location");
      if (!location.startsWith("/console")) {
        throw new IllegalArgumentException("the console redirects only within itself: " + location);
      }
    }
  }

  /** What a page's own script fetches (the privacy officer's checkpoint and inclusion paths), not a page. */
  record Data(String contentType, byte[] body) implements ConsoleReply {
    public Data {
      Objects.requireNonNull(contentType, "contentType");
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  static ConsoleReply ok(String body) {
    return new Html(200, body);
  }
}
