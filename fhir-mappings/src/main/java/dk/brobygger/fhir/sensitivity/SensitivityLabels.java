package dk.brobygger.fhir.sensitivity;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Failed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table from clinical codes to HL7 security labels, so that a consent that says "not about my
 * drinking" (a deny with security label SUD) also withholds a Condition the sender did not label.
 * Immutable and thread-safe.
 *
 * <p>Labels follow the HL7 Healthcare Privacy and Security Classification System (HCS): a
 * sensitivity code from v3-ActCode says why the content is sensitive (ETH, SUD, PSY, HIV), and a
 * confidentiality code from v3-Confidentiality says how strongly it is protected. HCS defines
 * restricted (R) as highly sensitive, potentially stigmatising information, naming these very
 * kinds of content, so every category of the default table also carries R. Confidentiality is one
 * ordered level per resource: {@link #withInferred} raises it to R, never lowers it, and adds
 * nothing when the sender already said R or V.
 *
 * <p>The default table ({@value #DEFAULT_TABLE} in the jar) labels:
 *
 * <ul>
 *   <li>ICD-10 F10-F19 (mental and behavioural disorders due to psychoactive substance use, F17
 *       tobacco included, as ICD-10 groups it) with ETH and SUD. Both, because consents written
 *       before HL7 added SUD use ETH, and a consent must catch the content whichever it names. They
 *       do not get PSY: a citizen may say yes to the addiction centre but no about psychiatric
 *       history, and the addiction centre must still see the dependence it treats.
 *   <li>ICD-10 F20-F99 and also F00-F09 (organic mental disorders: dementia, organic psychoses and
 *       personality changes) with PSY. F00-F09 are in the mental-disorders chapter and include
 *       psychotic and personality content; labelling too much only withholds more, and only when
 *       the citizen's consent asks for it, while labelling too little discloses against it.
 *   <li>ICD-10 B20-B24 (HIV disease), Z21 (asymptomatic HIV infection) and R75 (laboratory
 *       evidence of HIV) with HIV.
 *   <li>ICD-10 Z50.2, Z50.3 (alcohol and drug rehabilitation) and Z71.4, Z71.5 (alcohol and drug
 *       abuse counselling) with ETH and SUD: they reveal treatment for substance use as plainly.
 *   <li>ATC N07BC (drugs used in opioid dependence: methadone, buprenorphine) and N07BB (drugs used
 *       in alcohol dependence: disulfiram, acamprosate, naltrexone) with ETH and SUD.
 *   <li>the same codes in their Danish SKS form (system {@value #SKS}): D + the ICD-10 code for
 *       diagnoses ("DF102"), M + the ATC code for medicines ("MN07BC02").
 * </ul>
 *
 * <p>A table is JSON: named {@code categories}, each with its labels, and {@code rules} that give a
 * category to the codes of one system, either by {@code prefix} or by a range {@code from}..{@code
 * to} of equal-length bounds, both inclusive. Codes compare without dots, in upper case.
 */
public final class SensitivityLabels {

  /** The class-path resource of the default table. */
  public static final String DEFAULT_TABLE = "/dk/brobygger/fhir/sensitivity/default-labels.json";
  /** Danish SKS classification, the system Danish hospitals code diagnoses and medicines in. */
  public static final String SKS = "urn:oid:1.2.208.176.2.4";
  public static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";
  public static final String ATC = "http://www.whocc.no/atc";

  /** Read on first use; two threads racing may both read it, which is harmless. */
  private static volatile SensitivityLabels defaults;

  private final List<LabelRule> rules;

  private SensitivityLabels(List<LabelRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The table shipped in the jar, read once. Throws {@link Failed} if the jar is broken. */
  public static SensitivityLabels defaults() {
    SensitivityLabels table = defaults;
    if (table == null) {
      table = readDefault();
      defaults = table;
    }
    return table;
  }

  private static SensitivityLabels readDefault() {
    try (InputStream in = SensitivityLabels.class.getResourceAsStream(DEFAULT_TABLE)) {
      if (in == null) {
        throw new Failed("the default sensitivity label table is missing from the class path", null, false);
      }
      return fromJson(in.readAllBytes(), DEFAULT_TABLE);
    } catch (IOException e) {
      throw new Failed("the default sensitivity label table could not be read", e, false);
    }
  }

  /** A table from a JSON file of the operator's, replacing the default. Throws {@link Failed}. */
  public static SensitivityLabels load(Path file) {
    byte[] json;
    try {
      json = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Failed("sensitivity label table " + file + " could not be read", e, false);
    }
    return fromJson(json, file.toString());
  }

  /** A table from JSON; {@code source} names it in the diagnostics. Throws {@link Failed}. */
  public static SensitivityLabels fromJson(byte[] json, String source) {
    return new SensitivityLabels(LabelTableJson.read(json, source));
  }

  /**
   * The labels the table gives these codes: every sensitivity label of every matching rule, and
   * the highest confidentiality level among them. Empty when no code matches.
   */
  public Set<Code> labelsFor(Set<Code> codes) {
    Set<Code> labels = new LinkedHashSet<>();
    Optional<Confidentiality> highest = Optional.empty();
    for (LabelRule rule : rules) {
      if (codes.stream().noneMatch(rule::matches)) {
        continue;
      }
      for (Code label : rule.labels()) {
        Optional<Confidentiality> level = Confidentiality.of(label);
        if (level.isEmpty()) {
          labels.add(label);
        } else if (highest.isEmpty() || level.get().isAbove(highest.get())) {
          highest = level;
        }
      }
    }
    highest.ifPresent(level -> labels.add(level.code()));
    return Set.copyOf(labels);
  }

  /**
   * The sender's labels with those inferred from the codes added; none is ever removed. An
   * inferred confidentiality level is added only if it is above every level the sender gave: a
   * sender's V stays the only level, and a sender's N gets R beside it (N cannot be removed, and
   * a consent that denies R must still catch the content).
   */
  public Set<Code> withInferred(Set<Code> senderLabels, Set<Code> codes) {
    Set<Code> labels = new LinkedHashSet<>(senderLabels);
    Optional<Confidentiality> given = senderLabels.stream()
        .map(Confidentiality::of)
        .flatMap(Optional::stream)
        .max(Enum::compareTo);
    for (Code inferred : labelsFor(codes)) {
      Optional<Confidentiality> level = Confidentiality.of(inferred);
      if (level.isEmpty() || given.isEmpty() || level.get().isAbove(given.get())) {
        labels.add(inferred);
      }
    }
    return Set.copyOf(labels);
  }
}
