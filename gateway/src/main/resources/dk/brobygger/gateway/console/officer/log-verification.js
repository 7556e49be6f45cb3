// Marks every shown audit entry verified or not verified, in the browser.
//
// The page has one element [data-log-verification] with
//   data-log-key         the log's verifier key, pinned in the console's configuration (not fetched)
//   data-checkpoint-url  where the newest signed checkpoint is (text/plain signed note)
//   data-proofs-url      where inclusion paths are: ?size=N&index=I&index=J... gives
//                        {"treeSize":N,"proofs":[{"index":I,"hashes":["<base64>",...]},...]}
//   data-witness-keys    the witness policy's cosignature keys, space-separated (absent: no witnesses)
//   data-witness-quorum  how many of them must have cosigned
// and inside it one element per entry [data-log-index] holding [data-canonical] (the entry's
// canonical bytes as text) and [data-verification] (where the verdict is written), and
// [data-witness-summary] where what the witnesses cosigned is written.
import {
  NotVerified, base64ToBytes, parseVerifierKey, parseWitnessKey, verifyCheckpoint, verifyInclusion,
  witnessesWhoCosigned,
} from './log-verifier.js';

const VERIFIED = 'Verificeret';
const NOT_VERIFIED = 'Ikke verificeret';

function mark(entry, verified, why) {
  const verdict = entry.querySelector('[data-verification]');
  entry.dataset.verified = verified ? 'yes' : 'no';
  verdict.dataset.verified = verified ? 'yes' : 'no';
  verdict.textContent = verified ? VERIFIED : NOT_VERIFIED + ': ' + why;
  verdict.title = verified ? 'Posten indgår i den signerede log, uændret' : why;
}

async function fetchText(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/plain' } });
  if (!response.ok) {
    throw new NotVerified('kontrolpunktet kunne ikke hentes (' + response.status + ')');
  }
  return response.text();
}

async function fetchPaths(url, size, indices) {
  const query = new URLSearchParams({ size: String(size) });
  indices.forEach((index) => query.append('index', String(index)));
  const response = await fetch(url + '?' + query, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new NotVerified('inklusionsstierne kunne ikke hentes (' + response.status + ')');
  }
  const body = await response.json();
  const paths = new Map();
  for (const proof of body.proofs ?? []) {
    paths.set(proof.index, proof.hashes.map(base64ToBytes));
  }
  return paths;
}

/** What the witnesses of the configured policy cosigned of the verified checkpoint, in a sentence. */
async function witnessVerdict(section, checkpoint) {
  const configured = (section.dataset.witnessKeys ?? '').split(/\s+/).filter((key) => key !== '');
  if (configured.length === 0) {
    section.dataset.witnesses = 'none';
    return 'Ingen vidner er sat op for loggen: kontrolpunktet er kun signeret af gatewayen selv.';
  }
  const quorum = Number(section.dataset.witnessQuorum);
  const cosigned = await witnessesWhoCosigned(checkpoint, await Promise.all(configured.map(parseWitnessKey)));
  section.dataset.witnesses = cosigned.length >= quorum ? 'yes' : 'no';
  if (cosigned.length >= quorum) {
    return 'Medunderskrevet af ' + cosigned.length + (cosigned.length === 1 ? ' vidne' : ' vidner')
      + ' (' + cosigned.join(', ') + '); politikken kræver ' + quorum + '.';
  }
  return 'Ikke medunderskrevet af vidner nok: ' + cosigned.length + ' af de ' + quorum
    + ', politikken kræver, har medunderskrevet kontrolpunktet for ' + checkpoint.size
    + ' poster (et nyt kontrolpunkt kan vente på vidnerne endnu).';
}

async function markWitnesses(section, checkpoint) {
  const summary = section.querySelector('[data-witness-summary]');
  let sentence;
  try {
    sentence = await witnessVerdict(section, checkpoint);
  } catch (e) {
    section.dataset.witnesses = 'no';
    sentence = 'Vidnernes medunderskrifter er ikke kontrolleret: '
      + (e instanceof NotVerified ? e.message : String(e));
  }
  if (summary) summary.textContent = sentence;
}

export async function verifyShownEntries(section) {
  const entries = Array.from(section.querySelectorAll('[data-log-index]'));
  const summary = section.querySelector('[data-verification-summary]');
  let checkpoint;
  try {
    const pinned = await parseVerifierKey(section.dataset.logKey);
    checkpoint = await verifyCheckpoint(await fetchText(section.dataset.checkpointUrl), pinned);
  } catch (e) {
    const why = e instanceof NotVerified ? e.message : 'kontrolpunktet kunne ikke kontrolleres (' + e + ')';
    entries.forEach((entry) => mark(entry, false, why));
    section.dataset.checkpoint = 'no';
    if (summary) summary.textContent = NOT_VERIFIED + ': ' + why;
    const witnesses = section.querySelector('[data-witness-summary]');
    if (witnesses) witnesses.textContent = 'Vidnernes medunderskrifter er ikke kontrolleret: ' + why;
    return;
  }
  section.dataset.checkpoint = 'yes';
  await markWitnesses(section, checkpoint);
  const covered = entries.filter((entry) => Number(entry.dataset.logIndex) < checkpoint.size);
  entries.filter((entry) => !covered.includes(entry))
    .forEach((entry) => mark(entry, false, 'intet signeret kontrolpunkt dækker posten endnu'));
  let paths = new Map();
  try {
    if (covered.length > 0) {
      paths = await fetchPaths(section.dataset.proofsUrl, checkpoint.size, covered.map((e) => Number(e.dataset.logIndex)));
    }
  } catch (e) {
    covered.forEach((entry) => mark(entry, false, e.message));
  }
  let verified = 0;
  for (const entry of covered) {
    const index = Number(entry.dataset.logIndex);
    try {
      if (!paths.has(index)) {
        throw new NotVerified('der kom ingen inklusionssti for posten');
      }
      await verifyInclusion(checkpoint, index, entry.querySelector('[data-canonical]').textContent, paths.get(index));
      mark(entry, true);
      verified += 1;
    } catch (e) {
      mark(entry, false, e instanceof NotVerified ? e.message : String(e));
    }
  }
  if (summary) {
    summary.textContent = verified + ' af ' + entries.length + ' poster verificeret mod kontrolpunktet for '
      + checkpoint.size + ' poster, signeret med ' + checkpoint.origin + 's nøgle.';
  }
  section.dataset.verificationDone = 'yes';
}

const section = document.querySelector('[data-log-verification]');
if (section) {
  verifyShownEntries(section).finally(() => { section.dataset.verificationDone = 'yes'; });
}
