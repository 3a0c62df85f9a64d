// Opens the relay's video-call page (served by the relay's dev web server) as three participants in headless Chromium
// with a fake camera and microphone, lets them call for a while, reloads one of them, and prints what it measured as
// JSON: per (publisher, watcher) pair the share of the publisher's video frames the watcher decoded and its audio
// frames received, the latency from encoder input to decoder output and to the renderer, and how long the others
// took to see the reloaded participant again.
//
// How: an init script in every page wraps WebCodecs (VideoEncoder.encode, the VideoDecoder output callback, the
// VideoEncoder output callback, the AudioEncoder output callback, AudioDecoder.decode) to log each frame's media timestamp with the wall time
// (performance.timeOrigin + now(): one clock for every page of this browser). A publisher's timestamps are its own
// performance.now() in µs, so they never collide between participants: a decoded frame is matched to the frame its
// publisher encoded by timestamp alone. Frames handed to the renderer come from the page's own figures.
// Page console lines go to stderr prefixed with the driver's wall time (UTC, ms) when it received them, to line them up
// with the relay's log (a busy page's console events can arrive late: a lower bound on the page's own delay).
// CALL_LITE=0 puts the pages on draft 14 (`&lite=0`) instead of moq-lite, for side-by-side figures. "windows" splits the
// latencies by when the frames were encoded: while joining, the first 3 s after everyone renders everyone, the rest.
// CALL_PLOT=FILE.svg also writes the measured latencies as distribution curves (share of frames within a latency).
// Usage: node run-call-page.mjs PAGE_URL [CHROMIUM_PATH] [MEASURE_SECONDS]
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [baseUrl, executablePath = "/usr/bin/chromium", measureArg = "10"] = process.argv.slice(2);
const MEASURE_MS = Number(measureArg) * 1000;
const GRACE_MS = 1500; // frames encoded near the window's end get this long to arrive
const JOIN_WAIT = 30000;
const RELOAD_WAIT = 10000;
const NAMES = ["alice", "bob", "carol"].slice(0, Number(process.env.CALL_PARTICIPANTS || 3));
// A small picture: three encoders and six decoders share the 2-core CI box with the relay.
const VIDEO = process.env.CALL_VIDEO || "width=320&height=180&fps=15";
const watchdog = setTimeout(() => {
  console.error("run-call-page.mjs: timed out");
  result.error = "timed out"; // what was measured so far (a busy box may not get through the reload)
  console.log(JSON.stringify(result));
  process.exit(3);
}, 100000);

const hooks = () => {
  const now = () => performance.timeOrigin + performance.now();
  const log = { venc: [], vout: [], vin: [], vdec: [], aenc: [], adec: [] };
  window.__media = log;
  const keep = (list, entry) => {
    list.push(entry);
    if (list.length > 30000) list.splice(0, 10000);
  };
  const encode = VideoEncoder.prototype.encode;
  VideoEncoder.prototype.encode = function (frame, options) {
    keep(log.venc, [frame.timestamp, now()]);
    return encode.call(this, frame, options);
  };
  const decode = AudioDecoder.prototype.decode;
  AudioDecoder.prototype.decode = function (chunk) {
    keep(log.adec, [chunk.timestamp, now()]);
    return decode.call(this, chunk);
  };
  const VE = window.VideoEncoder;
  window.VideoEncoder = class extends VE {
    constructor(init) {
      const output = init.output;
      super({ ...init, output: (chunk, meta) => { keep(log.vout, [chunk.timestamp, now()]); output(chunk, meta); } });
    }
  };
  const VD = window.VideoDecoder;
  window.VideoDecoder = class extends VD {
    constructor(init) {
      const output = init.output;
      super({ ...init, output: (frame) => { keep(log.vdec, [frame.timestamp, now()]); output(frame); } });
    }

    decode(chunk) {
      keep(log.vin, [chunk.timestamp, now()]); // the watcher hands the received frame to the decoder
      return super.decode(chunk);
    }
  };
  // The publishing side's WebTransport send path (perf/README.md, "Where the publishing browser's seconds go"): how
  // long each createUnidirectionalStream() took to resolve (stream credit from the relay, or Chromium's own queue),
  // and for every chunk a media frame's bytes start (hang: a varint µs timestamp first) when the library called
  // write() and when Chromium resolved it. Only chunks of more than 8 bytes count (the library writes each varint of
  // a header and each frame's length prefix as a chunk of its own, at most 8 bytes).
  log.uopen = [];
  log.uopenFailed = [];
  log.uwrite = [];
  log.uopenPendingMax = 0;
  let openPending = 0;
  const sendStreams = new WeakSet();
  const sendWriters = new WeakSet();
  if (window.WebTransport) {
    const WT = window.WebTransport;
    const create = WT.prototype.createUnidirectionalStream;
    WT.prototype.createUnidirectionalStream = function (...args) {
      const asked = now();
      openPending++;
      log.uopenPendingMax = Math.max(log.uopenPendingMax, openPending);
      return create.apply(this, args).then((stream) => {
        openPending--;
        keep(log.uopen, [asked, now()]);
        sendStreams.add(stream);
        return stream;
      }, (e) => {
        openPending--;
        keep(log.uopenFailed, [asked, now(), String(e && e.message ? e.message : e)]);
        throw e;
      });
    };
    const getWriter = WritableStream.prototype.getWriter;
    WritableStream.prototype.getWriter = function (...args) {
      const writer = getWriter.apply(this, args);
      if (sendStreams.has(this)) sendWriters.add(writer);
      return writer;
    };
    const write = WritableStreamDefaultWriter.prototype.write;
    WritableStreamDefaultWriter.prototype.write = function (chunk) {
      if (!sendWriters.has(this) || !chunk || !(chunk.byteLength > 8)) return write.call(this, chunk);
      const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk.buffer || chunk, chunk.byteOffset || 0);
      const length = 1 << (bytes[0] >> 6);
      let ts = bytes[0] & 0x3f;
      for (let i = 1; i < length; i++) ts = ts * 256 + bytes[i];
      const called = now();
      const entry = [ts, called, -1];
      keep(log.uwrite, entry);
      const done = write.call(this, chunk);
      done.then(() => { entry[2] = now(); }, () => {});
      return done;
    };
  }
  const AE = window.AudioEncoder;
  window.AudioEncoder = class extends AE {
    constructor(init) {
      const output = init.output;
      super({ ...init, output: (chunk, meta) => { keep(log.aenc, [chunk.timestamp, now()]); output(chunk, meta); } });
    }
  };
};

const percentiles = (values) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const r = (v) => Math.round(v * 10) / 10;
  return { n: sorted.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(sorted[sorted.length - 1]) };
};

// One SVG: per series, the share of frames (y) that arrived within a latency (x, log scale), with p50/p99 in the legend.
const plotSvg = (title, series) => {
  const W = 900, H = 520, L = 70, R = 250, T = 40, B = 60;
  const all = Object.values(series).flat().filter((v) => v > 0);
  if (!all.length) return null;
  const lo = Math.log10(Math.max(0.1, Math.min(...all))), hi = Math.log10(Math.max(...all) * 1.1);
  const x = (v) => L + ((Math.log10(Math.max(v, 0.1)) - lo) / Math.max(hi - lo, 1e-9)) * (W - L - R);
  const y = (q) => H - B - q * (H - T - B);
  const colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${L}" y="22" font-size="15">${title}</text>`];
  for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) {
    const v = 10 ** d;
    if (Math.log10(v) < lo || Math.log10(v) > hi) continue;
    out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${T}" y2="${H - B}" stroke="#ddd"/>`,
      `<text x="${x(v)}" y="${H - B + 16}" text-anchor="middle">${v}</text>`);
  }
  for (const q of [0, 0.5, 0.9, 0.99]) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${y(q)}" y2="${y(q)}" stroke="#ddd"/>`,
      `<text x="${L - 6}" y="${y(q) + 4}" text-anchor="end">${q}</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 20}" text-anchor="middle">latency (ms, log scale)</text>`,
    `<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">share of frames</text>`);
  Object.entries(series).forEach(([name, values], i) => {
    if (!values.length) return;
    const sorted = [...values].sort((a, b) => a - b);
    const c = colours[i % colours.length];
    const pts = sorted.map((v, k) => `${x(v).toFixed(1)},${y((k + 1) / sorted.length).toFixed(1)}`).join(" ");
    const p = percentiles(values);
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>`,
      `<rect x="${W - R + 12}" y="${T + i * 36}" width="14" height="4" fill="${c}"/>`,
      `<text x="${W - R + 32}" y="${T + 6 + i * 36}">${name}</text>`,
      `<text x="${W - R + 32}" y="${T + 21 + i * 36}">p50 ${p.p50} / p99 ${p.p99} ms (n ${p.n})</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
};

// The publishing page's send path between two wall times: encoder output -> its library's write() of the frame,
// write() -> resolved, each createUnidirectionalStream()'s wait, the most pending at once, and the ones that failed.
const sendPathOf = (log, from, to) => {
  const encodedAt = new Map(log.vout.filter(([, t]) => t >= from && t < to));
  const toWrite = [];
  const writing = [];
  for (const [ts, called, resolved] of log.uwrite || []) {
    if (!encodedAt.has(ts)) continue;
    toWrite.push(called - encodedAt.get(ts));
    if (resolved >= 0) writing.push(resolved - called);
  }
  const opens = (log.uopen || []).filter(([asked]) => asked >= from && asked < to);
  const seconds = Number.isFinite(to - from) ? (to - from) / 1000 : null;
  return { encodedToWriteMs: percentiles(toWrite), writeResolvedMs: percentiles(writing),
    streamOpenWaitMs: percentiles(opens.map(([asked, got]) => got - asked)),
    streamOpensPerSecond: seconds ? Math.round((opens.length / seconds) * 10) / 10 : null,
    streamOpensPendingMax: log.uopenPendingMax,
    streamOpensFailed: (log.uopenFailed || []).length,
    streamOpenFailures: (log.uopenFailed || []).slice(0, 3).map(([, , e]) => e),
    streamOpenFirstFailureAt: log.uopenFailed && log.uopenFailed.length ?
      new Date(log.uopenFailed[0][0]).toISOString().substring(11, 23) : null };
};

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
    // Background pages must keep their timers and rendering going: all three are "visible" at once here.
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows"],
});
const result = { steps: [] };
const pages = {};
try {
  // CALL_AUDIO names who publishes its microphone (default: everyone).
  const withAudio = (process.env.CALL_AUDIO || NAMES.join(",")).split(",");
  const url = (name) => `${baseUrl}call.html?name=${name}&room=test&join=1&${VIDEO}` +
    (withAudio.includes(name) ? "" : "&audio=0") + (process.env.CALL_LITE === "0" ? "&lite=0" : "");
  const startedAt = Date.now(); // the first page opens: the call's start, for the joining window below
  for (const name of NAMES) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    await context.addInitScript(hooks);
    const page = await context.newPage();
    page.on("console", (m) => console.error(`${new Date().toISOString().substring(11,23)} ${name}: ${m.text()}`));
    page.on("pageerror", (e) => console.error(`${name}: page error ${e.message}`));
    await page.goto(url(name));
    pages[name] = page;
  }
  // Everyone sees everyone else's video.
  const seesAll = (page, others) => page.waitForFunction((o) => window.callState &&
    o.every((p) => window.callState.remotes[p] && window.callState.remotes[p].rendered > 0), others,
  { timeout: JOIN_WAIT, polling: 100 });
  for (const name of NAMES) await seesAll(pages[name], NAMES.filter((n) => n !== name));
  result.steps.push("joined");

  // The measured window.
  const wall = async () => pages[NAMES[0]].evaluate(() => performance.timeOrigin + performance.now());
  const from = await wall();
  await new Promise((r) => setTimeout(r, MEASURE_MS + GRACE_MS));
  const to = from + MEASURE_MS;
  const logs = {};
  const states = {};
  for (const name of NAMES) {
    logs[name] = await pages[name].evaluate(() => window.__media);
    states[name] = await pages[name].evaluate(() => window.callState);
  }
  const pairs = [];
  const decoderLatency = [];
  const rendererLatency = [];
  const encoderLatency = []; // encoder input -> encoder output: the publisher's own share
  const transportLatency = []; // encoder output -> decoder output: network, relay and decoding
  const receiveLatency = []; // encoder output -> decoder input: both libraries, both QUIC hops and the relay
  const decodingLatency = []; // decoder input -> decoder output: the watcher's decoder
  for (const publisher of NAMES) {
    const sentVideo = logs[publisher].venc.filter(([, t]) => t >= from && t < to);
    const sentAudio = logs[publisher].aenc.filter(([, t]) => t >= from && t < to);
    const encodedAt = new Map(logs[publisher].vout.map(([ts, t]) => [ts, t]));
    for (const watcher of NAMES.filter((n) => n !== publisher)) {
      const decoded = new Map(logs[watcher].vdec.map(([ts, t]) => [ts, t]));
      const received = new Map(logs[watcher].vin.map(([ts, t]) => [ts, t]));
      const shown = new Map((states[watcher].remotes[publisher] || { shown: [] }).shown.map(([ts, t]) => [ts, t]));
      const audio = new Set(logs[watcher].adec.map(([ts]) => ts));
      let decodedCount = 0;
      for (const [ts, t] of sentVideo) {
        if (encodedAt.has(ts)) encoderLatency.push(encodedAt.get(ts) - t);
        if (encodedAt.has(ts) && decoded.has(ts)) transportLatency.push(decoded.get(ts) - encodedAt.get(ts));
        if (encodedAt.has(ts) && received.has(ts)) receiveLatency.push(received.get(ts) - encodedAt.get(ts));
        if (received.has(ts) && decoded.has(ts)) decodingLatency.push(decoded.get(ts) - received.get(ts));
        if (decoded.has(ts)) {
          decodedCount++;
          decoderLatency.push(decoded.get(ts) - t);
        }
        if (shown.has(ts)) rendererLatency.push(shown.get(ts) - t);
      }
      const heard = sentAudio.filter(([ts]) => audio.has(ts)).length;
      const figures = states[watcher].remotes[publisher] || {};
      pairs.push({ publisher, watcher, videoSent: sentVideo.length, videoDecoded: decodedCount,
        videoShare: sentVideo.length ? decodedCount / sentVideo.length : 0, audioSent: sentAudio.length,
        audioReceived: heard, width: figures.width, height: figures.height, fps: figures.fps,
        latencyEstimateMs: figures.latencyMs });
    }
  }
  result.pairs = pairs;
  // The call's first seconds, where a relay that has not been warmed shows (perf/README.md, "The relay's start-up
  // warm-up"): encoder input -> decoder output and -> renderer of the frames encoded while the participants joined
  // (from the first page's start until everyone rendered everyone), in the first 3 s after that and in the rest of the
  // window. Only frames a watcher decoded or rendered count, so the joining window holds each pair's first frames.
  const windows = [["joining", -Infinity, from], ["first3s", from, from + 3000], ["rest", from + 3000, to]];
  result.windows = {};
  for (const [label, start, end] of windows) {
    const decoder = [];
    const renderer = [];
    for (const publisher of NAMES) {
      const sent = logs[publisher].venc.filter(([, t]) => t >= start && t < end);
      for (const watcher of NAMES.filter((n) => n !== publisher)) {
        const decoded = new Map(logs[watcher].vdec.map(([ts, t]) => [ts, t]));
        const shown = new Map((states[watcher].remotes[publisher] || { shown: [] }).shown.map(([ts, t]) => [ts, t]));
        for (const [ts, t] of sent) {
          if (decoded.has(ts)) decoder.push(decoded.get(ts) - t);
          if (shown.has(ts)) renderer.push(shown.get(ts) - t);
        }
      }
    }
    result.windows[label] = { encoderToDecoderMs: percentiles(decoder), encoderToRendererMs: percentiles(renderer) };
  }
  // The publishing browsers' send path in the window: encoder output -> the library's write() of the frame (its own
  // queue: group and stream handling in the page's JS), write() -> resolved (Chromium took the bytes), the wait of
  // every createUnidirectionalStream() and the most that were pending at once (stream credit, if it is short).
  const sendPath = {};
  for (const publisher of NAMES) sendPath[publisher] = sendPathOf(logs[publisher], from, to);
  result.sendPath = sendPath;
  result.joinedAfterMs = Math.round(from - startedAt);
  result.latency = { encoderToDecoderMs: percentiles(decoderLatency), encoderToRendererMs: percentiles(rendererLatency),
    encodingMs: percentiles(encoderLatency), encodedToDecodedMs: percentiles(transportLatency),
    encodedToDecoderInputMs: percentiles(receiveLatency), decodingMs: percentiles(decodingLatency) };
  // The first participant's encoder outputs in the window (media timestamp µs, wall ms): the relay's browser test
  // matches them with what a raw QUIC subscriber of its own received through the relay (the direct hop beside the call).
  result.encoded = { [NAMES[0]]: logs[NAMES[0]].vout.filter(([, t]) => t >= from && t < to) };
  // ... and when its library wrote each of them to its WebTransport stream (media timestamp µs, write() called, wall ms).
  result.written = { [NAMES[0]]: (logs[NAMES[0]].uwrite || []).filter(([, t]) => t >= from && t < to + GRACE_MS)
    .map(([ts, called]) => [ts, called]) };
  result.steps.push("measured");
  if (process.env.CALL_PLOT) {
    const svg = plotSvg(`Video call, ${NAMES.length} participants: latency per decoded frame`, {
      "encoder input -> decoder output": decoderLatency, "encoder input -> renderer": rendererLatency,
      "encoder output -> decoder input": receiveLatency });
    if (svg) writeFileSync(process.env.CALL_PLOT, svg);
  }

  // One participant reloads; the others must see its new broadcast (new clock origin, frames rendered) again.
  const reloaded = NAMES[2];
  const others = NAMES.filter((n) => n !== reloaded);
  const reloadAt = Date.now();
  await pages[reloaded].reload();
  const origin = await pages[reloaded].evaluate(() => performance.timeOrigin);
  result.reloadSeenMs = {};
  await Promise.all(others.map(async (name) => {
    await pages[name].waitForFunction(([p, o]) => {
      const r = window.callState.remotes[p];
      return r && r.origin === o && r.rendered > 0;
    }, [reloaded, origin], { timeout: RELOAD_WAIT, polling: 50 });
    result.reloadSeenMs[name] = Date.now() - reloadAt;
  }));
  await seesAll(pages[reloaded], others);
  result.reloadSeesOthersMs = Date.now() - reloadAt;
  result.steps.push("reloaded");
} catch (e) {
  result.error = String(e && e.message ? e.message : e);
} finally {
  result.errors = {};
  result.versions = {};
  // The send path over each page's whole life, also when the call never joined (then the window's is missing).
  result.sendPathWhole = {};
  for (const [name, page] of Object.entries(pages)) {
    try {
      result.sendPathWhole[name] = sendPathOf(await page.evaluate(() => window.__media), -Infinity, Infinity);
    } catch (e) {
      result.sendPathWhole[name] = String(e);
    }
  }
  for (const [name, page] of Object.entries(pages)) {
    try {
      const s = await page.evaluate(() => window.callState);
      result.errors[name] = s.errors;
      result.versions[name] = s.versions;
    } catch (e) {
      result.errors[name] = [String(e)];
    }
  }
  console.log(JSON.stringify(result));
  await browser.close();
  clearTimeout(watchdog);
}
