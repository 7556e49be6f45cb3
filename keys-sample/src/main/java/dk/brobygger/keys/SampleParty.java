package dk.brobygger.keys;

import java.util.Arrays;
import java.util.Optional;

/**
 * The parties the sample trust set holds certificates and keys for. Ids and kinds match the sample
 * directory of the gateway; a real deployment adds recipients in its directory, not here.
 */
public enum SampleParty {
  OUTREACH("svendborg-gadesygepleje", "outreach", true),
  GP("laegehuset-sydfyn", "gp", true),
  HOSPITAL("svendborg-sygehus", "hospital", true),
  ADDICTION_CENTRE("behandlingscenter-svendborg", "addiction-centre", true),
  /** The privacy officer's tool calls the gateway to audit; nothing is ever sealed for it. */
  PRIVACY_OFFICER("privacy-officer", "privacy-officer", false);

  private final String id;
  private final String kind;
  private final boolean recipient;

  SampleParty(String id, String kind, boolean recipient) {
    this.id = id;
    this.kind = kind;
    this.recipient = recipient;
  }

  /** Directory id; also the client certificate's CN and the prefix of the party's file names. */
  public String id() {
    return id;
  }

  /** Directory kind: outreach, gp, hospital, addiction-centre or privacy-officer. */
  public String kind() {
    return kind;
  }

  /** Whether referrals are sealed for this party, i.e. whether it has encryption keys. */
  public boolean isRecipient() {
    return recipient;
  }

  public static Optional<SampleParty> byId(String id) {
    return Arrays.stream(values()).filter(party -> party.id.equals(id)).findFirst();
  }
}
