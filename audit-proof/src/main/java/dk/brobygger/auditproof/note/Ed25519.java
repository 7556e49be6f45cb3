package dk.brobygger.auditproof.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** Raw 32-byte Ed25519 keys (RFC 8032) as JDK keys, and the signed-note key ID. */
public final class Ed25519 {

  /** The signed-note signature type of Ed25519. */
  public static final byte SIGNATURE_TYPE = 0x01;
  /** The signed-note signature type of timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature). */
  public static final byte COSIGNATURE_TYPE = 0x04;
  public static final int KEY_SIZE = 32;

  // DER prefixes of SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo for OID 1.3.101.112 (Ed25519).
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

  private Ed25519() {}

  public static PublicKey publicKey(byte[] raw) {
    requireSize(raw, "public key");
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  public static PrivateKey privateKey(byte[] seed) {
    requireSize(seed, "private key");
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** The 32 raw bytes of a JDK Ed25519 public key (the end of its SubjectPublicKeyInfo). */
  public static byte[] raw(PublicKey key) {
    byte[] spki = key.getEncoded();
    byte[] raw = new byte[KEY_SIZE];
    System.arraycopy(spki, spki.length - KEY_SIZE, raw, 0, KEY_SIZE);
    return raw;
  }

  /** SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian. */
  public static int keyId(String name, byte type, byte[] publicKey) {
    MessageDigest sha256 = sha256();
    sha256.update(name.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) '\n');
    sha256.update(type);
    sha256.update(publicKey);
    return ByteBuffer.wrap(sha256.digest()).getInt();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void requireSize(byte[] key, String what) {
    if (key == null || key.length != KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 " + what + " is " + KEY_SIZE + " bytes");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
