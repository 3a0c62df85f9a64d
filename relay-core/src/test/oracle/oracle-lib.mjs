// Shared decode / re-encode / JSON helpers for encode-corpus.mjs and check.mjs.
//
// Everything here goes through the public API of @moqt/transport 0.5.7 (the
// package's "." export). The only thing this file adds is glue: walking a data
// stream object by object, supplying the context the library's sans-I/O codecs
// need (draft-14 error kinds, fetch group order), and turning the library's
// values (bigint, Uint8Array, Map) into plain JSON. See README.md.

import {
  createControlCodec,
  readVarint, writeVarint, varintEncodingLength,
  readVi64, writeVi64, vi64EncodingLength,
  decodePropertyBlock,
  decodeSubgroupHeader, decodeSubgroupObject, decodeFetchHeader, decodeFetchObjectV14, decodeObjectDatagram,
  encodeSubgroupHeader, encodeSubgroupObject, encodeFetchHeader, encodeObjectDatagram,
  decodeSubgroupHeader18, decodeSubgroupObject18, decodeObjectDatagram18, decodeFetchHeader18, decodeFetchObject18,
  encodeSubgroupHeader18, encodeSubgroupObject18, encodeObjectDatagram18, encodeFetchHeader18,
  encodeFetchObject18, encodeFetchEndOfRange18,
} from '@moqt/transport';

export const KINDS = ['control', 'subgroup', 'fetch', 'datagram', 'varint'];
export const DRAFTS = [14, 18];

// ─── hex / JSON ──────────────────────────────────────────────────────

export function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex) {
  const h = String(hex).replace(/\s+/g, '').toLowerCase();
  if (h.length % 2 !== 0 || !/^[0-9a-f]*$/.test(h)) {
    throw new Error('not an even-length hex string');
  }
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export function concat(...parts) {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * The library's value as plain JSON:
 *   bigint      -> decimal string ("18446744073709551615")
 *   Uint8Array  -> { "hex": "..." }
 *   Map         -> object keyed by the decimal key (parameter / property type), in insertion order
 *   undefined   -> field omitted
 *   number, string, boolean, null, arrays, plain objects -> as is (recursively)
 * The deprecated alias `trackExtensions` is folded into `trackProperties`.
 */
export function jsonSafe(v) {
  if (typeof v === 'bigint') return v.toString(10);
  if (v instanceof Uint8Array) return { hex: toHex(v) };
  if (v instanceof Map) {
    const o = {};
    for (const [k, val] of v) o[typeof k === 'bigint' ? k.toString(10) : String(k)] = jsonSafe(val);
    return o;
  }
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) continue;
      if (k === 'trackExtensions') {
        if (v.trackProperties === undefined) o.trackProperties = jsonSafe(val);
        continue;
      }
      o[k] = jsonSafe(val);
    }
    return o;
  }
  return v;
}

// ─── control messages ───────────────────────────────────────────────

/** draft-14 wire types whose decode normalises to REQUEST_ERROR, and the request kind that re-encodes them. */
const D14_ERROR_KIND = new Map([
  [0x05, 'SUBSCRIBE'],            // SUBSCRIBE_ERROR
  [0x19, 'FETCH'],                // FETCH_ERROR
  [0x0f, 'TRACK_STATUS'],         // TRACK_STATUS_ERROR
  [0x13, 'SUBSCRIBE_NAMESPACE'],  // SUBSCRIBE_NAMESPACE_ERROR
]);
const D14_PUBLISH_ERROR = 0x1f;

export function controlWireType(draft, buf) {
  const r = draft === 18 ? readVi64(buf, 0) : readVarint(buf, 0);
  return Number(r.value);
}

/**
 * Supplies the context the codec cannot know from the bytes alone, so a decoded
 * message can be fed back to `encode`. Only draft-14 needs it: its decoder folds
 * four *_ERROR messages into REQUEST_ERROR (the encoder wants `requestKind`), and
 * PUBLISH_ERROR into REQUEST_ERROR (the encoder has a separate PUBLISH_ERROR).
 */
function forReencode(draft, wireType, message) {
  if (draft !== 14 || message.type !== 'REQUEST_ERROR') return message;
  if (wireType === D14_PUBLISH_ERROR) {
    return { type: 'PUBLISH_ERROR', requestId: message.requestId, errorCode: message.errorCode, errorReason: message.errorReason };
  }
  const kind = D14_ERROR_KIND.get(wireType);
  return kind === undefined ? message : { ...message, requestKind: kind };
}

function decodeControl(draft, buf) {
  const codec = createControlCodec(draft);
  const wireType = controlWireType(draft, buf);
  const { message, bytesRead } = codec.decode(buf, 0);
  return {
    value: message,
    bytesRead,
    extra: { wireType },
    reencode: () => codec.encode(forReencode(draft, wireType, message)),
  };
}

// ─── varints ────────────────────────────────────────────────────────

function decodeVarint(draft, buf) {
  const r = draft === 18 ? readVi64(buf, 0) : readVarint(buf, 0);
  return {
    value: r.value,
    bytesRead: r.bytesRead,
    extra: {},
    reencode: () => encodeVarint(draft, r.value),
  };
}

export function encodeVarint(draft, value) {
  const v = BigInt(value);
  const out = new Uint8Array(draft === 18 ? vi64EncodingLength(v) : varintEncodingLength(v));
  if (draft === 18) writeVi64(v, out, 0); else writeVarint(v, out, 0);
  return out;
}

// ─── properties (object extensions) ────────────────────────────────

/** A decoded view of an opaque Properties / Extension Headers block; undefined if it does not parse. */
export function propertiesView(draft, bytes) {
  if (bytes === undefined) return undefined;
  try {
    const profile = draft === 18 ? 'd18-delta-vi64' : 'd14-absolute-varint';
    const { entries, bytesRead } = decodePropertyBlock(bytes, 0, { profile });
    if (bytesRead !== bytes.length) return undefined;
    return entries.map(({ id, value }) => ({ type: id, value }));
  } catch {
    return undefined;
  }
}

// ─── subgroup streams ───────────────────────────────────────────────

function decodeSubgroupStream(draft, buf) {
  const h = draft === 18 ? decodeSubgroupHeader18(buf, 0) : decodeSubgroupHeader(buf, 0, 14);
  const header = h.header;
  let pos = h.bytesRead;
  const objects = [];
  let prev = 0n;
  while (pos < buf.length) {
    const first = objects.length === 0;
    const r = draft === 18
      ? decodeSubgroupObject18(buf, pos, header.hasExtensions, prev, first)
      : decodeSubgroupObject(buf, pos, header.hasExtensions, prev, first, 14);
    objects.push(r.object);
    prev = r.object.objectId;
    pos += r.bytesRead;
  }
  const value = {
    header,
    objects: objects.map((o) => ({ ...o, propertiesDecoded: propertiesView(draft, o.extensions) })),
  };
  return {
    value,
    bytesRead: pos,
    extra: {},
    reencode: () => {
      const parts = [draft === 18 ? encodeSubgroupHeader18(header) : encodeSubgroupHeader(header)];
      let p = 0n;
      objects.forEach((o, i) => {
        parts.push(draft === 18
          ? encodeSubgroupObject18(o, header.hasExtensions, p, i === 0)
          : encodeSubgroupObject(o, header.hasExtensions, p, i === 0));
        p = o.objectId;
      });
      return concat(...parts);
    },
  };
}

// ─── fetch streams ──────────────────────────────────────────────────

function decodeFetchStream(draft, buf, groupOrder) {
  const order = groupOrder ?? 'ascending';
  if (order !== 'ascending' && order !== 'descending') throw new Error(`groupOrder must be ascending or descending, not ${groupOrder}`);
  const h = draft === 18 ? decodeFetchHeader18(buf, 0) : decodeFetchHeader(buf, 0);
  let pos = h.bytesRead;
  const items = [];
  let prior;
  while (pos < buf.length) {
    const first = items.length === 0;
    if (draft === 18) {
      const r = decodeFetchObject18(buf, pos, prior, first, order);
      items.push(r.item);
      prior = r.nextPrior;
      pos += r.bytesRead;
    } else {
      const r = decodeFetchObjectV14(buf, pos);
      items.push(r.item);
      pos += r.bytesRead;
    }
  }
  const value = {
    header: h.header,
    objects: items.map((it) => ({
      kind: 'nonExistent' in it ? 'endOfRange' : 'object',
      ...it,
      propertiesDecoded: propertiesView(draft, it.extensions),
    })),
  };
  return {
    value,
    bytesRead: pos,
    extra: draft === 18 ? { groupOrder: order } : {},
    reencode: () => {
      if (draft !== 18) {
        if (items.length > 0) throw new Error('the library has no encoder for draft-14 fetch objects (only decodeFetchObjectV14)');
        return encodeFetchHeader(h.header);
      }
      // The library's fetch encoder always writes one canonical flag form:
      // Subgroup ID explicit, Object ID Delta present, Priority present; Group ID
      // Delta only on a new group. It cannot write Properties or the Datagram bit.
      const parts = [encodeFetchHeader18(h.header.requestId)];
      let p;
      items.forEach((it, i) => {
        if ('nonExistent' in it) {
          const r = encodeFetchEndOfRange18(it.nonExistent, it.groupId, it.objectId, p);
          parts.push(r.bytes); p = r.nextPrior;
        } else {
          if (it.extensions !== undefined) throw new Error('the library fetch encoder cannot write Properties');
          if (it.isDatagram) throw new Error('the library fetch encoder cannot write the Datagram (0x40) flag');
          const r = encodeFetchObject18(it, p, i === 0, order);
          parts.push(r.bytes); p = r.nextPrior;
        }
      });
      return concat(...parts);
    },
  };
}

// ─── datagrams ──────────────────────────────────────────────────────

function decodeDatagram(draft, buf) {
  const r = draft === 18 ? decodeObjectDatagram18(buf, 0) : decodeObjectDatagram(buf, 0, 14);
  const d = r.datagram;
  return {
    value: { ...d, propertiesDecoded: propertiesView(draft, d.extensions) },
    bytesRead: r.bytesRead,
    extra: {},
    reencode: () => (draft === 18 ? encodeObjectDatagram18(d) : encodeObjectDatagram(d)),
  };
}

// ─── entry point ────────────────────────────────────────────────────

/**
 * Decode `hex` as `kind` of `draft`, then re-encode the decoded value with the
 * oracle. Never throws for bad input: failures are reported in the result.
 *
 * @returns {{decoded:boolean, decodeError?:string, consumedAll?:boolean, bytesRead?:number,
 *            value?:any, wireType?:number, groupOrder?:string,
 *            reencoded:boolean, reencodeError?:string, reencodedHex?:string, identical:boolean}}
 */
export function decodeAndReencode({ draft, kind, hex, groupOrder }) {
  if (!DRAFTS.includes(draft)) return { decoded: false, decodeError: `unsupported draft ${draft}`, reencoded: false, identical: false };
  if (!KINDS.includes(kind)) return { decoded: false, decodeError: `unsupported kind ${kind}`, reencoded: false, identical: false };
  let buf;
  try {
    buf = fromHex(hex);
  } catch (e) {
    return { decoded: false, decodeError: `bad hex: ${e.message}`, reencoded: false, identical: false };
  }
  let d;
  try {
    switch (kind) {
      case 'control': d = decodeControl(draft, buf); break;
      case 'varint': d = decodeVarint(draft, buf); break;
      case 'subgroup': d = decodeSubgroupStream(draft, buf); break;
      case 'fetch': d = decodeFetchStream(draft, buf, groupOrder); break;
      case 'datagram': d = decodeDatagram(draft, buf); break;
    }
  } catch (e) {
    return { decoded: false, decodeError: `${e.name}: ${e.message}`, reencoded: false, identical: false };
  }
  const out = {
    decoded: true,
    bytesRead: d.bytesRead,
    consumedAll: d.bytesRead === buf.length,
    ...d.extra,
    value: jsonSafe(d.value),
  };
  try {
    const re = d.reencode();
    out.reencoded = true;
    out.reencodedHex = toHex(re);
    out.identical = out.reencodedHex === toHex(buf);
  } catch (e) {
    out.reencoded = false;
    out.reencodeError = `${e.name}: ${e.message}`;
    out.identical = false;
  }
  return out;
}
