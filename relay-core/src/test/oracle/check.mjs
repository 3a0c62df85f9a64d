#!/usr/bin/env node
// Cross-check bytes produced by OUR encoder against the @moqt/transport oracle.
//
// Usage: node check.mjs <entries.json>     (use "-" to read standard input)
//
// Input: a JSON array of { "draft": 14|18, "kind": "control"|"subgroup"|"fetch"|"datagram"|"varint",
//                           "name": "...", "hex": "...", ["groupOrder": "ascending"|"descending"] }
// Output (stdout): a JSON array, one result per input entry, in input order:
//   { "index", "draft", "kind", "name", "hex",
//     "decoded": bool, ["decodeError": str],
//     ["bytesRead": n, "consumedAll": bool, "value": <oracle's decoded value, JSON-safe>,
//      "wireType": n (control only), "groupOrder": str (draft-18 fetch only)],
//     "reencoded": bool, ["reencodeError": str], ["reencodedHex": str],
//     "identical": bool }      -- identical = oracle re-encoding of its decoded value == input bytes
// Exit code: 0 whenever the output was written (even if every entry failed to decode);
//            2 for a usage / input-format error. See README.md.

import { readFileSync } from 'node:fs';
import { decodeAndReencode } from './oracle-lib.mjs';

function fail(msg) {
  process.stderr.write(`check.mjs: ${msg}\n`);
  process.exit(2);
}

const arg = process.argv[2];
if (arg === undefined) fail('usage: node check.mjs <entries.json | ->');

let entries;
try {
  entries = JSON.parse(readFileSync(arg === '-' ? 0 : arg, 'utf8'));
} catch (e) {
  fail(`cannot read ${arg}: ${e.message}`);
}
if (!Array.isArray(entries)) fail('input must be a JSON array');

const results = entries.map((e, index) => {
  const base = {
    index,
    draft: e?.draft,
    kind: e?.kind,
    name: e?.name ?? null,
    hex: e?.hex,
  };
  if (e === null || typeof e !== 'object' || typeof e.hex !== 'string') {
    return { ...base, decoded: false, decodeError: 'entry needs draft, kind and a hex string', reencoded: false, identical: false };
  }
  return { ...base, ...decodeAndReencode({ draft: e.draft, kind: e.kind, hex: e.hex, groupOrder: e.groupOrder }) };
});

process.stdout.write(JSON.stringify(results, null, 1) + '\n');
