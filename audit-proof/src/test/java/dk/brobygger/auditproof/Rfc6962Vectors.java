package dk.brobygger.auditproof;

import java.util.HexFormat;
import java.util.List;

/**
 * Published test vectors for RFC 6962 Merkle trees, copied as data from transparency-dev/merkle:
 * {@code rfc6962/rfc6962_test.go} (TestRFC6962Hasher) and {@code proof/verify_test.go} (the variables
 * leaves, roots, inclusionProofs and consistencyProofs), which carry them over from
 * google/certificate-transparency's merkle tree tests. Indexes here are 0-based; verify_test.go numbers
 * leaves from 1.
 */
final class Rfc6962Vectors {

  private Rfc6962Vectors() {}

  /** SHA-256 of no bytes: the root of the empty tree ("RFC6962 Empty"). */
  static final byte[] EMPTY_ROOT = hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  /** Leaf hash of the empty leaf ("RFC6962 Empty Leaf"). */
  static final byte[] EMPTY_LEAF_HASH = hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");

  /** Leaf hash of the ASCII leaf "L123456" ("RFC6962 Leaf"). */
  static final byte[] L123456_LEAF_HASH = hex("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");

  /** Node hash of the ASCII children "N123" and "N456" ("RFC6962 Node"). */
  static final byte[] N123_N456_NODE_HASH = hex("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");

  /** The eight standard test leaves. */
  static final List<byte[]> LEAVES = List.of(
      hex(""),
      hex("00"),
      hex("10"),
      hex("2021"),
      hex("3031"),
      hex("40414243"),
      hex("5051525354555657"),
      hex("606162636465666768696a6b6c6d6e6f"));

  /** ROOTS.get(n - 1) is the root of the first n leaves, n = 1..8. */
  static final List<byte[]> ROOTS = List.of(
      hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
      hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
      hex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
      hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
      hex("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
      hex("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
      hex("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
      hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

  record Inclusion(long index, long size, List<byte[]> proof) {}

  record Consistency(long size1, long size2, List<byte[]> proof) {}

  static final List<Inclusion> INCLUSION_PROOFS = List.of(
      new Inclusion(0, 1, List.of()),
      new Inclusion(0, 8, List.of(
          hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
          hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"))),
      new Inclusion(5, 8, List.of(
          hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
          hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
          hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))),
      new Inclusion(2, 3, List.of(
          hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"))),
      new Inclusion(1, 5, List.of(
          hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
          hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"))));

  static final List<Consistency> CONSISTENCY_PROOFS = List.of(
      new Consistency(1, 1, List.of()),
      new Consistency(1, 8, List.of(
          hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
          hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"))),
      new Consistency(6, 8, List.of(
          hex("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
          hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
          hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))),
      new Consistency(2, 5, List.of(
          hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"))),
      new Consistency(6, 7, List.of(
          hex("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
          hex("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
          hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))));

  /** Root of the first {@code size} test leaves, size 0..8. */
  static byte[] root(long size) {
    return size == 0 ? EMPTY_ROOT : ROOTS.get((int) size - 1);
  }

  static List<byte[]> leafHashes() {
    return LEAVES.stream().map(MerkleHash::leafHash).toList();
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
