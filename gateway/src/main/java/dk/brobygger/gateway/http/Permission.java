package dk.brobygger.gateway.http;

import dk.brobygger.gateway.auth.Interaction;
import java.util.Objects;

/** What a route requires of the caller's scopes: an interaction on a resource type. */
public record Permission(String resourceType, Interaction interaction) {

  public Permission {
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(interaction, "interaction");
  }

  public static Permission of(String resourceType, Interaction interaction) {
    return new Permission(resourceType, interaction);
  }
}
