package dk.brobygger.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.delivery.SealedPayload;
import dk.brobygger.delivery.JoseSealing;
import dk.brobygger.delivery.seal.MessageSigner;
import dk.brobygger.delivery.seal.P256RecipientEncrypter;
import dk.brobygger.delivery.seal.RecipientKeyTable;
import dk.brobygger.delivery.seal.X25519RecipientEncrypter;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What sealing one referral for one recipient costs: the whole seal (sign, then encrypt) for the two
 * key pairings the gateway supports, and its two halves on their own. Keys are the insecure sample
 * set; the payload is a 10.8 KB referral bundle with health-day results.
 *
 * <p>Sample mode, so that the results carry percentiles: on a shared machine the median is the
 * figure to compare, the mean moves with whatever else runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SealingBenchmark {

  private byte[] referral;
  private String signedReferral;
  private Disclosure disclosure;
  private JoseSealing es256AndP256;
  private JoseSealing edDsaAndX25519;
  private MessageSigner es256;
  private MessageSigner edDsa;
  private JWK recipientP256;
  private JWK recipientX25519;
  private final P256RecipientEncrypter p256Encrypter = new P256RecipientEncrypter();
  private final X25519RecipientEncrypter x25519Encrypter = new X25519RecipientEncrypter();

  @Setup
  public void setUp() throws IOException {
    try (InputStream in = SealingBenchmark.class.getResourceAsStream("referral-10kb.json")) {
      referral = in.readAllBytes();
    }
    SampleParty gp = SampleParty.GP;
    Recipient recipient = new Recipient(gp.id(), "Lægerne ved Torvet, Svendborg", gp.kind(),
        List.of(new OrganisationIdentifier(OrganisationIdentifier.LOCAL, gp.id())),
        Optional.of(URI.create("https://gp.example/fhir")));
    disclosure = new Disclosure(1, "task-1", "message-1", recipient,
        List.of(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234")), Code.TREATMENT, referral, 1,
        Instant.now());

    JWKSet signingKeys = InsecureSampleKeys.gatewaySigningKeys();
    JWKSet recipientKeys = InsecureSampleKeys.encryptionPublicKeys(gp);
    es256 = MessageSigner.forKey(byCurve(signingKeys, Curve.P_256));
    edDsa = MessageSigner.forKey(byCurve(signingKeys, Curve.Ed25519));
    recipientP256 = byCurve(recipientKeys, Curve.P_256);
    recipientX25519 = byCurve(recipientKeys, Curve.X25519);
    es256AndP256 = JoseSealing.create(es256, new RecipientKeyTable(Map.of(gp.id(), recipientP256), Set.of()));
    edDsaAndX25519 = JoseSealing.create(edDsa, new RecipientKeyTable(Map.of(gp.id(), recipientX25519), Set.of()));
    signedReferral = es256.sign(referral);
  }

  @Benchmark
  public SealedPayload sealEs256ThenP256() {
    return es256AndP256.seal(disclosure, referral);
  }

  @Benchmark
  public SealedPayload sealEdDsaThenX25519() {
    return edDsaAndX25519.seal(disclosure, referral);
  }

  @Benchmark
  public String signOnlyEs256() {
    return es256.sign(referral);
  }

  @Benchmark
  public String signOnlyEdDsa() {
    return edDsa.sign(referral);
  }

  @Benchmark
  public String encryptOnlyP256() {
    return p256Encrypter.encrypt(signedReferral, recipientP256);
  }

  @Benchmark
  public String encryptOnlyX25519() {
    return x25519Encrypter.encrypt(signedReferral, recipientX25519);
  }

  private static JWK byCurve(JWKSet set, Curve curve) {
    return new JWKSelector(new JWKMatcher.Builder().curve(curve).build()).select(set).get(0);
  }
}
