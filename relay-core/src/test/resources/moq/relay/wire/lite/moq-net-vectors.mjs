// Writes moq-net-0.3.4-vectors.txt: moq-lite messages and streams as @moq/net 0.3.4's own lite/ encoders write
// them, for LiteMoqNetVectorsTest to decode and re-encode byte for byte. Regenerate (needs Node 20+ and npm):
//   mkdir -p /tmp/moqnet && cd /tmp/moqnet && echo '{"type":"module"}' > package.json \
//     && npm install --no-audit --no-fund @moq/net@0.3.4 @zod/mini zod \
//     && node THIS_DIR/moq-net-vectors.mjs > THIS_DIR/moq-net-0.3.4-vectors.txt
// Each line: version|side|name|hex. The values must match LiteMoqNetVectorsTest.EXPECTED.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
// The package's exports map hides lite/, so its files are imported by path: MOQ_NET or ./node_modules/@moq/net.
const base = pathToFileURL(resolve(process.env.MOQ_NET ?? "node_modules/@moq/net")).href;
const lib = (file) => import(`${base}/${file}`);
const { Writer } = await lib("stream.js");
const { Version } = await lib("lite/version.js");
const { StreamId, DataType } = await lib("lite/stream.js");
const { AnnounceRequest, AnnounceOk, encodeAnnounceBroadcast } = await lib("lite/announce.js");
const { Subscribe, SubscribeUpdate, SubscribeOk, SubscribeStart, SubscribeEnd, SubscribeDrop, encodeSubscribeResponse } = await lib("lite/subscribe.js");
const { Fetch } = await lib("lite/fetch.js");
const { Probe } = await lib("lite/probe.js");
const { Goaway } = await lib("lite/goaway.js");
const { Track, TrackInfo } = await lib("lite/track.js");
const { Setup, ProbeLevel, Role } = await lib("lite/setup.js");
const { Group, Frame } = await lib("lite/group.js");
const { Datagram } = await lib("lite/datagram.js");

async function bytes(f) {
    const chunks = [];
    const w = new Writer(new WritableStream({ write(c) { chunks.push(new Uint8Array(c)); } }));
    await f(w);
    w.close();
    await w.closed;
    return Buffer.concat(chunks).toString("hex");
}

const versions = [["moq-lite-03", Version.DRAFT_03], ["moq-lite-04", Version.DRAFT_04], ["moq-lite-05", Version.DRAFT_05]];
const lines = [];
for (const [name, v] of versions) {
    const out = (side, what, hex) => lines.push(`${name}|${side}|${what}|${hex}`);
    out("ANNOUNCE", "announce-please", await bytes(async (w) => {
        await w.u53(StreamId.Announce);
        await new AnnounceRequest("room", 0x1234n).encode(w, v);
    }));
    const hops = v === Version.DRAFT_03 ? [0n, 0n] : [7n, 0x3fffffffffffffffn];
    if (v === Version.DRAFT_05) {
        out("ANNOUNCE_REPLY", "announce-ok-active-ended", await bytes(async (w) => {
            await new AnnounceOk(99n, 1).encode(w, v);
            await encodeAnnounceBroadcast(w, { status: "active", suffix: "alice", hops }, v);
            await encodeAnnounceBroadcast(w, { status: "ended", suffix: "alice" }, v);
        }));
    } else {
        out("ANNOUNCE_REPLY", "active-ended", await bytes(async (w) => {
            await encodeAnnounceBroadcast(w, { status: "active", suffix: "alice", hops }, v);
            await encodeAnnounceBroadcast(w, { status: "ended", suffix: "alice" }, v);
        }));
    }
    out("SUBSCRIBE", "subscribe-update", await bytes(async (w) => {
        await w.u53(StreamId.Subscribe);
        await new Subscribe({ id: 7n, broadcast: "room/alice", track: "video", priority: 2, ordered: true, maxLatency: 100, startGroup: undefined, endGroup: undefined }).encode(w, v);
        await new SubscribeUpdate({ priority: 4, ordered: false, maxLatency: 0, startGroup: 10, endGroup: 20 }).encode(w, v);
    }));
    if (v === Version.DRAFT_05) {
        out("SUBSCRIBE_REPLY", "start-drop-end", await bytes(async (w) => {
            await encodeSubscribeResponse(w, { start: new SubscribeStart(41) }, v);
            await encodeSubscribeResponse(w, { drop: new SubscribeDrop({ start: 41, end: 42, error: 3 }) }, v);
            await encodeSubscribeResponse(w, { end: new SubscribeEnd(50) }, v);
        }));
    } else {
        out("SUBSCRIBE_REPLY", "ok-drop-ok", await bytes(async (w) => {
            await encodeSubscribeResponse(w, { ok: new SubscribeOk({ priority: 3, ordered: false, maxLatency: 500, startGroup: undefined }) }, v);
            await encodeSubscribeResponse(w, { drop: new SubscribeDrop({ start: 41, end: 42, error: 3 }) }, v);
            await encodeSubscribeResponse(w, { ok: new SubscribeOk({ priority: 3, ordered: true, maxLatency: 500, startGroup: 43, endGroup: 99 }) }, v);
        }));
    }
    out("FETCH", "fetch", await bytes(async (w) => {
        await w.u53(StreamId.Fetch);
        await new Fetch("room/alice", "video", 1, 42).encode(w, v);
    }));
    out("PROBE", "probe", await bytes(async (w) => {
        await w.u53(StreamId.Probe);
        await new Probe({ bitrate: 1000000 }).encode(w, v);
    }));
    out("PROBE_REPLY", "probe-rtt", await bytes(async (w) => {
        await new Probe({ bitrate: 2500000, rtt: 21 }).encode(w, v);
        await new Probe({}).encode(w, v);
    }));
    if (v !== Version.DRAFT_03) {
        out("GOAWAY", "goaway", await bytes(async (w) => {
            await w.u53(StreamId.Goaway);
            await new Goaway("https://relay.example/moq").encode(w, v);
        }));
    }
    if (v === Version.DRAFT_05) {
        out("TRACK", "track", await bytes(async (w) => {
            await w.u53(StreamId.Track);
            await new Track("room/alice", "video").encode(w, v);
        }));
        out("TRACK_REPLY", "track-info", await bytes(async (w) => {
            await new TrackInfo({ priority: 2, ordered: false, latencyMax: 1000, timescale: 1000000 }).encode(w, v);
        }));
        out("SETUP", "setup", await bytes(async (w) => {
            await w.u53(DataType.Setup);
            await new Setup({ probe: ProbeLevel.Report, path: "/room", role: Role.Subscriber, origin: 77n }).encode(w, v);
        }));
        out("SETUP", "setup-empty", await bytes(async (w) => {
            await w.u53(DataType.Setup);
            await new Setup({}).encode(w, v);
        }));
        out("DATAGRAM", "datagram", Buffer.from(new Datagram(7n, 5, 123456, new Uint8Array([1, 2, 3])).encode()).toString("hex"));
    }
    out("GROUP", "group-frames", await bytes(async (w) => {
        await w.u53(DataType.Group);
        await new Group(7n, 5).encode(w);
        if (v === Version.DRAFT_05) {
            // publisher.js #runGroup: zigzag timestamp delta (u62), then size (u53) and the payload.
            await w.u62(2000n); await w.u53(3); await w.write(new Uint8Array([0x61, 0x62, 0x63]));
            await w.u62(1n); await w.u53(0);
        } else {
            await new Frame(new Uint8Array([0x61, 0x62, 0x63])).encode(w);
            await new Frame(new Uint8Array([])).encode(w);
        }
    }));
}
console.log(lines.join("\n"));
