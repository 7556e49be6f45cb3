/**
 * The consent guarantee restated as a small reference model (issue 8), to test the gateway against.
 *
 * <p>{@link dk.brobygger.gateway.model.ConsentModel} decides one (consents, request) pair from
 * plain records; {@link dk.brobygger.gateway.model.CitizenRules} adds identifier links and which
 * consents of a citizen decide, in two statements: the rules of issue 14 (one citizen per message,
 * a withdrawal under any linked identifier wins) and the rules before it. Nothing here calls the
 * production deciding code; {@link dk.brobygger.gateway.model.FhirConsents} only translates the
 * model's records into the FHIR the gateway reads.
 *
 * <p>Covered: status, Consent.dateTime, provision.period (to the second, end inclusive), nested
 * provisions to three levels with permit and deny, actor (by kind, SOR code, Organization id),
 * action, purpose, class, securityLabel, ICD-10 code (categories cover subcodes), dataPeriod (an
 * item without a time never falls in a permit's data period, always in a deny's), unreadable
 * provisions (deny), several consents and identifiers, the basis of a permit (the newest permitting
 * consent), the items kept back and the classes named for them; labels inferred from ICD-10 codes.
 *
 * <p>Not covered: provision.data (instance references), Consent scopes other than patient-privacy,
 * modifier extensions, date-only or month precision periods, GLN/other organisation identifiers,
 * SKS and ATC codes and the labels they carry, the confidentiality label R, inbound messages to
 * the outreach team (no consent needed), appointment requests, and the reasons' wording.
 */
package dk.brobygger.gateway.model;
