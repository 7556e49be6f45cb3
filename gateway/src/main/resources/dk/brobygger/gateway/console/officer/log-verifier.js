// Checks the audit log in the browser, trusting only the log key pinned in the page.
//
// 1. The checkpoint is a C2SP signed note (c2sp.org/signed-note, c2sp.org/tlog-checkpoint):
//    "<origin>\n<tree size>\n<base64 root hash>\n" + "\n" + "— <key name> <base64(key id || signature)>\n".
//    Its Ed25519 signature is checked with WebCrypto against the pinned verifier key
//    "<name>+<hex key id>+<base64(0x01 || 32-byte public key)>".
// 2. Each shown entry's leaf hash is recomputed from its canonical bytes, SHA-256(0x00 || bytes)
//    (RFC 6962), and its inclusion path is folded up to the checkpoint's root (RFC 9162, 2.1.3.2).
// 3. Witnesses' cosignatures on the checkpoint (c2sp.org/tlog-cosignature, Ed25519): each is
//    "— <witness name> <base64(key id || 8-byte timestamp || signature)>" over
//    "cosignature/v1\ntime <timestamp>\n" + the checkpoint text, checked against the witness keys
//    of the configured policy "<name>+<hex key id>+<base64(0x04 || 32-byte public key)>".
// Nothing the server says about hashes or roots is believed: only the bytes shown, the path's
// sibling hashes and the signed root.

const ED25519 = 0x01;
const COSIGNATURE_V1 = 0x04;
const EM_DASH_SPACE = '\u2014 ';
const utf8 = new TextEncoder();

export class NotVerified extends Error {}

export function base64ToBytes(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new NotVerified('ikke base64: ' + text.slice(0, 20));
  }
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** The key id of a note key: the first 4 bytes of SHA-256(name || "\n" || type || public key). */
async function keyId(name, type, publicKey) {
  return (await sha256(concat(utf8.encode(name + '\n'), Uint8Array.of(type), publicKey))).slice(0, 4);
}

/**
 * Reads a verifier key of the given type (the log's Ed25519 key by default, or a witness's
 * cosignature key); throws NotVerified when it is malformed or its key id is wrong.
 */
export async function parseVerifierKey(text, type = ED25519) {
  const what = type === ED25519 ? 'den fastlagte lognøgle' : 'vidnenøglen';
  // name and key id hold no "+"; the base64 key may
  const parts = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!parts) {
    throw new NotVerified(what + ' er ikke en verifikationsnøgle');
  }
  const [, name, hexId, key] = parts;
  const typed = base64ToBytes(key);
  if (typed.length !== 33 || typed[0] !== type) {
    throw new NotVerified(what + (type === ED25519 ? ' er ikke en Ed25519-nøgle til signerede noter'
      : ' er ikke en Ed25519-nøgle til medunderskrifter'));
  }
  const publicKey = typed.slice(1);
  const id = await keyId(name, type, publicKey);
  if (Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('') !== hexId) {
    throw new NotVerified(what + 's id passer ikke til nøglen');
  }
  return { name, id, publicKey };
}

/** Reads a witness's cosignature verifier key (type 0x04). */
export function parseWitnessKey(text) {
  return parseVerifierKey(text, COSIGNATURE_V1);
}

/**
 * Verifies a checkpoint note with the pinned key and returns {origin, size, root, text, signatures}.
 * The key's name must be the checkpoint's origin; the other signatures (witnesses') are returned
 * unchecked, for {@link witnessesWhoCosigned}.
 */
export async function verifyCheckpoint(note, pinnedKey) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) {
    throw new NotVerified('kontrolpunktet er ikke en signeret note');
  }
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  const key = await crypto.subtle.importKey('raw', pinnedKey.publicKey, { name: 'Ed25519' }, false, ['verify']);
  let signed = false;
  const others = [];
  for (const line of signatures) {
    if (!line.startsWith(EM_DASH_SPACE)) {
      throw new NotVerified('kontrolpunktet har en forkert udformet signaturlinje');
    }
    const [name, value] = line.slice(EM_DASH_SPACE.length).split(' ');
    const bytes = base64ToBytes(value ?? '');
    others.push({ name, bytes });
    if (name !== pinnedKey.name || bytes.length !== 68 || !equalBytes(bytes.slice(0, 4), pinnedKey.id)) {
      continue;
    }
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, bytes.slice(4), utf8.encode(text)))) {
      throw new NotVerified('kontrolpunktets signatur passer ikke med den fastlagte lognøgle');
    }
    signed = true;
  }
  if (!signed) {
    throw new NotVerified('kontrolpunktet er ikke signeret med den fastlagte lognøgle');
  }
  const lines = text.split('\n');
  if (lines.length < 4 || lines[0] !== pinnedKey.name || !/^(0|[1-9][0-9]*)$/.test(lines[1])) {
    throw new NotVerified('kontrolpunktet er ikke et kontrolpunkt for loggen ' + pinnedKey.name);
  }
  const root = base64ToBytes(lines[2]);
  if (root.length !== 32) {
    throw new NotVerified('kontrolpunktets rodhash er ikke 32 byte');
  }
  return { origin: lines[0], size: Number(lines[1]), root, text, signatures: others };
}

/**
 * The names of the witnesses (of {@code witnessKeys}, parsed with parseWitnessKey) whose
 * cosignature on the verified checkpoint holds; a witness counts once, however often it signed.
 */
export async function witnessesWhoCosigned(checkpoint, witnessKeys) {
  const cosigned = [];
  for (const witness of witnessKeys) {
    const key = await crypto.subtle.importKey('raw', witness.publicKey, { name: 'Ed25519' }, false, ['verify']);
    for (const { name, bytes } of checkpoint.signatures) {
      if (name !== witness.name || bytes.length !== 4 + 8 + 64 || !equalBytes(bytes.slice(0, 4), witness.id)) {
        continue;
      }
      const time = new DataView(bytes.buffer, bytes.byteOffset + 4, 8).getBigUint64(0);
      if (time >= 2n ** 63n) {
        continue; // the spec's timestamps are signed 64-bit seconds: this one is no timestamp
      }
      const signed = utf8.encode('cosignature/v1\ntime ' + time.toString() + '\n' + checkpoint.text);
      if (await crypto.subtle.verify({ name: 'Ed25519' }, key, bytes.slice(12), signed)) {
        cosigned.push(witness.name);
        break;
      }
    }
  }
  return cosigned;
}

/** RFC 6962 leaf hash of an entry's canonical text. */
export async function leafHash(canonicalText) {
  return sha256(concat(Uint8Array.of(0x00), utf8.encode(canonicalText)));
}

/** The root an inclusion path leads to from a leaf (RFC 9162, section 2.1.3.2). */
export async function rootFromInclusionPath(index, size, leaf, path) {
  if (!(index >= 0 && index < size)) {
    throw new NotVerified('post ' + index + ' findes ikke i et træ med ' + size + ' poster');
  }
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const sibling of path) {
    if (sibling.length !== 32 || sn === 0) {
      throw new NotVerified('inklusionsstien er forkert udformet');
    }
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(concat(Uint8Array.of(0x01), sibling, r));
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(concat(Uint8Array.of(0x01), r, sibling));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) {
    throw new NotVerified('inklusionsstien er for kort');
  }
  return r;
}

/** Whether the entry with this canonical text is entry {@code index} of the verified checkpoint. */
export async function verifyInclusion(checkpoint, index, canonicalText, path) {
  const root = await rootFromInclusionPath(index, checkpoint.size, await leafHash(canonicalText), path);
  if (!equalBytes(root, checkpoint.root)) {
    throw new NotVerified('posten og dens inklusionssti fører ikke til den signerede rod');
  }
}
