package dk.brobygger.gateway.console;

import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The console's sessions in PostgreSQL (V30), so that several gateway instances share them. A
 * session unused for the idle timeout is gone: the next request finds nothing and signs in again.
 * Signing in and out replaces the session id, so an id seen before sign-in is worth nothing after.
 */
public final class ConsoleSessions {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Clock clock;
  private final Duration idleTimeout;

  public ConsoleSessions(Database db, Clock clock, Duration idleTimeout) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** A new anonymous session (for the sign-in form and the identity provider's round trip). */
  public ConsoleSession start() {
    return insert(Optional.empty(), Optional.empty());
  }

  /**
   * The live session the browser's cookie names, its last use moved to now; empty when unknown or
   * idle too long (an idle one is deleted).
   */
  public Optional<ConsoleSession> find(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String key = sha256(cookie);
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE console_session SET last_seen_at = ? WHERE id_sha256 = ? AND last_seen_at > ?"
              + " RETURNING csrf_token, subject, person_name, console_role, party, sign_in_state, pkce_verifier, oidc_nonce")) {
        s.setObject(1, Sql.timestamp(now));
        s.setString(2, key);
        s.setObject(3, Sql.timestamp(now.minus(idleTimeout)));
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            delete(c, key);
            return Optional.empty();
          }
          Optional<ConsolePerson> person = Sql.optionalString(r, "subject").map(subject -> {
            try {
              return new ConsolePerson(subject, r.getString("person_name"),
                  ConsoleRole.valueOf(r.getString("console_role")), r.getString("party"));
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
          Optional<ConsoleSession.PendingSignIn> signIn = Sql.optionalString(r, "sign_in_state")
              .map(state -> {
                try {
                  // a sign-in begun before nonces were stored gets an empty one, which no ID token matches
                  return new ConsoleSession.PendingSignIn(state, r.getString("pkce_verifier"),
                      Sql.optionalString(r, "oidc_nonce").orElse(""));
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
          return Optional.of(new ConsoleSession(cookie, r.getString("csrf_token"), person, signIn));
        }
      }
    });
  }

  /** Remembers a sign-in sent to the identity provider (replaces the session id). */
  public ConsoleSession awaitSignIn(ConsoleSession session, ConsoleSession.PendingSignIn pending) {
    end(session);
    return insert(Optional.empty(), Optional.of(pending));
  }

  /** The person signed in: the old session ends, a new one (new id, new CSRF token) begins. */
  public ConsoleSession signIn(ConsoleSession session, ConsolePerson person) {
    end(session);
    return insert(Optional.of(person), Optional.empty());
  }

  public void end(ConsoleSession session) {
    db.inTransaction(c -> {
      delete(c, sha256(session.cookie()));
      return null;
    });
  }

  /** Deletes every session idle longer than the timeout; returns how many. */
  public int sweep() {
    Instant before = clock.instant().minus(idleTimeout);
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM console_session WHERE last_seen_at <= ?")) {
        s.setObject(1, Sql.timestamp(before));
        return s.executeUpdate();
      }
    });
  }

  private ConsoleSession insert(Optional<ConsolePerson> person, Optional<ConsoleSession.PendingSignIn> signIn) {
    String cookie = randomToken();
    String csrf = randomToken();
    Instant now = clock.instant();
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO console_session (id_sha256, csrf_token, subject,"
          + " person_name, console_role, party, sign_in_state, pkce_verifier, oidc_nonce, created_at, last_seen_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, sha256(cookie));
        s.setString(2, csrf);
        s.setString(3, person.map(ConsolePerson::subject).orElse(null));
        s.setString(4, person.map(ConsolePerson::name).orElse(null));
        s.setString(5, person.map(p -> p.role().name()).orElse(null));
        s.setString(6, person.map(ConsolePerson::party).orElse(null));
        s.setString(7, signIn.map(ConsoleSession.PendingSignIn::state).orElse(null));
        s.setString(8, signIn.map(ConsoleSession.PendingSignIn::pkceVerifier).orElse(null));
        s.setString(9, signIn.map(ConsoleSession.PendingSignIn::nonce).orElse(null));
        s.setObject(10, Sql.timestamp(now));
        s.setObject(11, Sql.timestamp(now));
        s.executeUpdate();
      }
      return null;
    });
    return new ConsoleSession(cookie, csrf, person, signIn);
  }

  private static void delete(Connection c, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM console_session WHERE id_sha256 = ?")) {
      s.setString(1, key);
      s.executeUpdate();
    }
  }

  /** 256 random bits, URL-safe. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
