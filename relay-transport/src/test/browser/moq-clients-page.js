// Page script for the MoQT browser acceptance tests, bundled by esbuild (moq-clients-driver.mjs) and loaded into
// headless Chromium. It drives two independent npm MoQT clients, @moq/lite (draft-14 over WebTransport) and @moq/net
// (draft-18 over WebTransport with wt-protocol moqt-18, as "net20" draft-20 with moqt-20, or, as "netlite", moq-lite
// with its default offer), behind
// one small API on window.moqClients that the driver calls with page.evaluate. Payloads cross the page boundary as hex
// so the test can compare them byte for byte.
import * as Lite from "@moq/lite";
import * as Net from "@moq/net";

const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const bytesToHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const message = (e) => (e instanceof Error ? e.message : String(e));

// Neither library reports a subscription's SUBSCRIBE_OK to the application; both log it (console.debug
// "subscribe ok: ...", console.warn "subscribe error: ..."), so the page counts those lines to let a test wait for the
// relay's answer instead of sleeping. Each test page holds one subscribing connection.
// A publishing page counts "publish ok:" lines the same way: @moq/net logs one for each SUBSCRIBE_OK it wrote (the
// relay's upstream SUBSCRIBE answered), static tracks included, which requested() does not report.
const subscribeAnswers = { ok: 0, errors: [], publishOks: 0 };
for (const level of ["debug", "warn"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    const text = args.map(String).join(" ");
    if (text.startsWith("subscribe ok:")) subscribeAnswers.ok++;
    else if (text.startsWith("publish ok:")) subscribeAnswers.publishOks++;
    else if (text.startsWith("subscribe error:")) subscribeAnswers.errors.push(text);
    original(...args);
  };
}

/** One client connection in this page: its negotiated version, what it received and what went wrong. */
class Client {
  constructor(lib) {
    this.lib = lib;
    this.version = undefined;
    this.connection = undefined;
    this.requests = 0; // upstream SUBSCRIBEs the relay sent to this publisher
    this.tracks = []; // track producers opened by those SUBSCRIBEs
    this.received = []; // {group, object, hex} in arrival order
    this.ended = false; // the subscribed track ended (PUBLISH_DONE, or the session closed)
    this.endError = undefined;
    this.errors = [];
  }

  status() {
    return {
      lib: this.lib, version: this.version, requests: this.requests, received: this.received,
      ended: this.ended, endError: this.endError, errors: this.errors,
      subscribeOks: subscribeAnswers.ok, subscribeErrors: subscribeAnswers.errors, rtt: this.rtt(),
      publishOks: subscribeAnswers.publishOks,
    };
  }

  // moq-lite: the round trip the relay reported in PROBE (ms), as @moq/net exposes it; null when unknown.
  rtt() {
    try {
      const probe = this.connection?.probe?.peek?.();
      return probe?.rtt ?? null;
    } catch {
      return null;
    }
  }
}

const clients = new Map();
let nextHandle = 1;

function options(lib, hash) {
  const webtransport = { serverCertificateHashes: [{ algorithm: "sha-256", value: hexToBytes(hash) }] };
  if (lib === "net") {
    webtransport.protocols = ["moqt-18"];
  } else if (lib === "net20") {
    webtransport.protocols = ["moqt-20"];
  } else if (lib === "lite") {
    // @moq/lite 0.2.2 offers moq-lite-04/03 first, which the relay now answers; these pages test it at draft 14
    // (no wt-protocol, CLIENT_SETUP negotiation), so it offers none.
    webtransport.protocols = [];
  }
  // "netlite": @moq/net with its default offer (moq-lite-05/04/03 before moqt-*): the relay answers moq-lite.
  // No WebSocket/qmux fallback: the relay speaks MoQT over WebTransport only.
  return { websocket: { enabled: false }, webtransport };
}

async function connect(lib, url, hash) {
  const client = new Client(lib);
  const api = lib === "lite" ? Lite : lib === "net" || lib === "net20" || lib === "netlite" ? Net : undefined;
  if (!api) throw new Error("unknown client library " + lib);
  client.connection = await api.Connection.connect(new URL(url), options(lib, hash));
  client.version = client.connection.version;
  const handle = nextHandle++;
  clients.set(handle, client);
  return { handle, client };
}

function client(handle) {
  const c = clients.get(handle);
  if (!c) throw new Error("no client " + handle);
  return c;
}

/** Publishes namespace `ns` (a "/"-separated path); every SUBSCRIBE the relay sends adds a track to write to. */
async function publish(lib, url, hash, ns) {
  const { handle, client: c } = await connect(lib, url, hash);
  if (lib === "lite") {
    const broadcast = new Lite.Broadcast();
    c.connection.publish(Lite.Path.from(ns), broadcast);
    (async () => {
      for (;;) {
        const request = await broadcast.requested();
        if (!request) return;
        c.requests++;
        c.tracks.push(request.track);
      }
    })().catch((e) => c.errors.push("requested: " + message(e)));
  } else {
    const broadcast = new Net.Broadcast.Producer();
    c.connection.publish(Net.Path.from(ns), broadcast);
    (async () => {
      for (;;) {
        const request = await broadcast.requested();
        if (!request) return;
        const track = request.accept();
        // A lite-05 TRACK (the relay asks it when a subscriber's TRACK reaches it first) is an info-only request:
        // @moq/net closes its producer once the info is read, a few microtasks on. Only a subscription counts.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (track.closed.peek() !== undefined) continue;
        c.requests++;
        c.tracks.push(track);
      }
    })().catch((e) => c.errors.push("requested: " + message(e)));
  }
  return { handle, version: c.version };
}

/**
 * @moq/net only: publishes namespace `ns` with `track` created up front (Broadcast.Producer.createTrack), so groups
 * can be written before anyone subscribes and every SUBSCRIBE is served from that one track: its SUBSCRIBE_OK then
 * carries LARGEST_OBJECT.
 */
async function publishStatic(lib, url, hash, ns, track) {
  const { handle, client: c } = await connect(lib, url, hash);
  const broadcast = new Net.Broadcast.Producer();
  c.tracks.push(broadcast.createTrack(track));
  c.connection.publish(Net.Path.from(ns), broadcast);
  return { handle, version: c.version };
}

/** Writes one group of objects (hex payloads, object ids 0..n-1) to every requested track named `track`. */
function writeGroup(handle, track, payloads) {
  const c = client(handle);
  // Tracks the relay's subscriptions opened and that are still open (@moq/net closes one when it ends).
  const tracks = c.tracks.filter((t) => t.name === track && (c.lib === "lite" || t.closed.peek() === undefined));
  if (tracks.length === 0) throw new Error("track " + track + " was not requested");
  for (const t of tracks) {
    const group = t.appendGroup();
    for (const hex of payloads) {
      if (c.lib === "lite") {
        group.writeFrame(hexToBytes(hex));
      } else {
        group.writeFrame({ payload: hexToBytes(hex), timestamp: Net.Time.Timestamp.now() });
      }
    }
    group.close();
  }
  return tracks.length;
}

/** Subscribes to `ns`/`track` and records every object as it arrives, and the track's end. */
async function subscribe(lib, url, hash, ns, track) {
  const { handle, client: c } = await connect(lib, url, hash);
  const subscription = lib === "lite"
    ? c.connection.consume(Lite.Path.from(ns)).subscribe(track, 0)
    : c.connection.consume(Net.Path.from(ns)).subscribe(track, {});
  const readGroup = async (group) => {
    for (let object = 0; ; object++) {
      const frame = await group.readFrame();
      if (frame === undefined) return;
      const bytes = lib === "lite" ? frame : frame.payload;
      c.received.push({ group: group.sequence, object, hex: bytesToHex(bytes) });
    }
  };
  (async () => {
    const readers = [];
    try {
      for (;;) {
        const group = await subscription.recvGroup();
        if (!group) break;
        readers.push(readGroup(group).catch((e) => c.errors.push("group " + group.sequence + ": " + message(e))));
      }
    } catch (e) {
      c.endError = message(e);
    }
    await Promise.allSettled(readers);
    c.ended = true;
  })();
  return { handle, version: c.version };
}

function status(handle) {
  return client(handle).status();
}

function close(handle) {
  const c = client(handle);
  c.connection.close();
  clients.delete(handle);
  return true;
}

window.moqClients = { publish, publishStatic, writeGroup, subscribe, status, close };
