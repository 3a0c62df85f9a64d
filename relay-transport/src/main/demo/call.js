// The relay's video-call page: every participant publishes one hang broadcast, moq-call/ROOM/NAME (catalog.json,
// video/hd, audio/data), with moq-dev's @moq/publish from the camera and microphone, and watches every other
// participant's with @moq/watch. Participants are found through the relay by prefix moq-call/ROOM (moq-lite's
// ANNOUNCE_PLEASE, MoQT's SUBSCRIBE_NAMESPACE).
//
// The two libraries are built on different @moq/net versions (publish on 0.1.x, watch on 0.2.x), so a page holds
// separate WebTransport sessions to the relay: one publishes, one discovers, and one per remote participant watches.
// Each offers only the moq-lite versions its library speaks, newest first (what the libraries prefer): publish
// moq-lite-04/03, watch moq-lite-05/04/03; the relay picks by its own order (moq.relay.webtransport.protocols). Their
// IETF draft 18 is never offered: it predates the final text, which the relay follows. A relay that serves no
// moq-lite (authorization on) answers no protocol, and both fall back to draft 14 through CLIENT_SETUP.
import * as Publish from "@moq/publish";
import * as Watch from "@moq/watch";

const ROOT = "moq-call";
/** Catalog section the page adds: the publisher's clock origin, so watchers can estimate capture-to-screen latency. */
const CLOCK = "moqRelayClock";
/** Samples kept per remote for the page's figures and the relay's browser test (bounded). */
const SAMPLES = 4000;

function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

// Path fields may not contain "/", and empty ones vanish: keep names to one plain field.
function field(text) {
  return text.trim().replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "").slice(0, 64);
}

const wallNow = () => performance.timeOrigin + performance.now();

// What the page shows is also kept here, for people reading the console and for the relay's browser test.
const state = { status: "idle", name: "", room: "", versions: {}, remotes: {}, errors: [] };
window.callState = state;

function emit() {
  window.dispatchEvent(new CustomEvent("call-state", { detail: state }));
}

function fail(what, err) {
  const text = `${what}: ${err && err.message ? err.message : err}`;
  console.error(text);
  state.errors.push(text);
  emit();
}

/** WebTransport protocols each library is offered: its moq-lite versions only (see the top of this file). */
const PUBLISH_PROTOCOLS = ["moq-lite-04", "moq-lite-03"];
const WATCH_PROTOCOLS = ["moq-lite-05", "moq-lite-04", "moq-lite-03"];

/** draft14: offer no protocol at all, as the page did before moq-lite (`?lite=0`, for side-by-side measurements). */
async function connectOptions(draft14) {
  const hash = (await (await fetch("/fingerprint")).text()).trim();
  const port = location.port || (location.protocol === "https:" ? "443" : "80");
  // Chromium tries QUIC to "localhost" on ::1 only, without the fallback to IPv4 its TCP has: name the IPv4 loopback.
  // The certificate hash does not depend on the host name.
  const host = location.hostname === "localhost" ? "127.0.0.1" : location.hostname;
  const props = (protocols) => ({
    websocket: { enabled: false },
    webtransport: { protocols, serverCertificateHashes: [{ algorithm: "sha-256", value: hexToBytes(hash) }] },
  });
  return { url: new URL(`https://${host}:${port}/moq`), publish: props(draft14 ? [] : PUBLISH_PROTOCOLS),
    watch: props(draft14 ? [] : WATCH_PROTOCOLS) };
}

/** One remote participant: its broadcast decoded and rendered into `canvas`, with figures for the page. */
// Each remote is watched over a WebTransport session of its own, as moq-dev's <moq-watch> element does: every Opus
// frame is a group and so a stream, and one session carrying several participants' audio runs out of Chromium's
// stream credit (the relay then queues stream opens and the call falls seconds behind; see docs/architecture.md).
class Remote {
  constructor(endpoint, path, peer, canvas) {
    const S = Watch.Signals;
    this.peer = peer;
    this.effect = new S.Effect();
    const connection = new S.Signal(undefined);
    this.closed = false;
    Watch.Net.Connection.connect(endpoint.url, endpoint.watch).then((established) => {
      if (this.closed) established.close();
      else {
        this.connection = established;
        connection.set(established);
      }
    }).catch((err) => fail(`watching ${peer}`, err));
    this.broadcast = new Watch.Broadcast({ connection, enabled: true, name: path, reload: false });
    const videoSource = new Watch.Video.Source({ broadcast: this.broadcast, supported: Watch.Video.Decoder.supported });
    const audioSource = new Watch.Audio.Source({ broadcast: this.broadcast, supported: Watch.Audio.Decoder.supported });
    this.sync = new Watch.Sync({ latency: "real-time", connection,
      video: videoSource.out.jitter, audio: audioSource.out.jitter });
    this.video = new Watch.Video.Decoder(videoSource, this.sync, { enabled: true });
    this.audio = new Watch.Audio.Decoder(audioSource, this.sync, { enabled: true });
    this.emitter = new Watch.Audio.Emitter(this.audio, { volume: 1, muted: false, paused: false });
    this.renderer = new Watch.Video.Renderer(this.video, { canvas, visible: "always" });
    this.parts = [videoSource, audioSource, this.sync, this.video, this.audio, this.emitter, this.renderer, this.broadcast];

    // Figures: frames handed to the renderer (their media timestamp and when), the resolution, the latency estimate.
    const figures = { peer, width: 0, height: 0, fps: 0, latencyMs: null, buffer: 0, rendered: 0, audioBytes: 0,
      shown: [], joined: wallNow(), live: false, origin: undefined };
    this.figures = figures;
    state.remotes[peer] = figures;
    let origin;
    this.effect.run((e) => {
      const catalog = e.get(this.broadcast.out.catalog);
      origin = catalog && catalog[CLOCK] ? catalog[CLOCK].timeOrigin : undefined;
      figures.origin = origin;
    });
    this.effect.run((e) => {
      const frame = e.get(this.video.out.frame);
      if (!frame) return;
      const now = wallNow();
      figures.rendered++;
      figures.live = true;
      figures.width = frame.displayWidth;
      figures.height = frame.displayHeight;
      // The publisher's timestamps are its performance.now() in µs at capture: with its clock origin, the age of
      // the frame on screen is the latency estimate (exact on one machine, off by the clock skew between two).
      if (origin !== undefined) figures.latencyMs = now - (origin + frame.timestamp / 1000);
      figures.shown.push([frame.timestamp, now]);
      if (figures.shown.length > SAMPLES) figures.shown.splice(0, figures.shown.length - SAMPLES);
    });
    this.effect.run((e) => {
      figures.buffer = e.get(this.sync.out.buffer);
    });
    this.effect.run((e) => {
      const stats = e.get(this.audio.out.stats);
      figures.audioBytes = stats ? stats.bytesReceived : 0;
    });
    let last = { at: performance.now(), rendered: 0 };
    this.timer = setInterval(() => {
      const at = performance.now();
      figures.fps = Math.round(((figures.rendered - last.rendered) * 10000) / (at - last.at)) / 10;
      last = { at, rendered: figures.rendered };
      emit();
    }, 1000);
  }

  close() {
    this.closed = true;
    clearInterval(this.timer);
    this.effect.close();
    for (const part of this.parts) part.close();
    if (this.connection) this.connection.close();
    delete state.remotes[this.peer];
  }
}

async function join(rawName, rawRoom, options = {}) {
  const name = field(rawName);
  const room = field(rawRoom) || "lobby";
  if (!name) throw new Error("choose a name (letters, digits, '-', '_' or '.')");
  state.name = name;
  state.room = room;
  state.status = "connecting";
  emit();

  const endpoint = await connectOptions(options.draft14 === true);
  const url = endpoint.url;
  const [publishing, watching] = await Promise.all([
    Publish.Net.Connection.connect(url, endpoint.publish),
    Watch.Net.Connection.connect(url, endpoint.watch),
  ]);
  state.versions = { publish: publishing.version, watch: watching.version };
  state.status = "connected";
  emit();

  // Publishing: camera and microphone, encoded with WebCodecs; the relay subscribes once somebody watches us.
  const P = Publish.Signals;
  // options.camera: extra getUserMedia constraints (width, height, frameRate), e.g. to spare a small machine.
  const camera = new Publish.Source.Camera({ enabled: true,
    constraints: { ...Publish.Source.Camera.DEFAULT_CONSTRAINTS, ...(options.camera || {}) } });
  // options.audio === false: join without the microphone (watching still plays the others).
  const withAudio = options.audio !== false;
  const microphone = new Publish.Source.Microphone({ enabled: withAudio });
  const broadcast = new Publish.Broadcast({
    connection: publishing,
    enabled: true,
    name: Publish.Net.Path.from(ROOT, room, name),
    audio: { enabled: withAudio },
    video: { hd: { enabled: true }, sd: { enabled: false } },
  });
  broadcast.catalog.mutate((c) => {
    c[CLOCK] = { timeOrigin: performance.timeOrigin };
  });
  const wiring = new P.Effect();
  wiring.run((e) => broadcast.video.source.set(e.get(camera.source)));
  wiring.run((e) => broadcast.audio.source.set(e.get(microphone.source)));
  const preview = options.preview;
  if (preview) {
    wiring.run((e) => {
      const track = e.get(camera.source);
      preview.srcObject = track ? new MediaStream([track]) : null;
    });
  }

  // Watching: ANNOUNCE_PLEASE (or SUBSCRIBE_NAMESPACE) for moq-call/ROOM; the relay answers with an active ANNOUNCE
  // (PUBLISH_NAMESPACE) for every participant there, now and later, and an ended one when one leaves.
  const prefix = Watch.Net.Path.from(ROOT, room);
  const remotes = new Map();
  const announced = watching.announced(prefix);
  (async () => {
    for (;;) {
      const entry = await announced.next();
      if (!entry) return;
      let peer = String(entry.path);
      if (peer.startsWith(`${prefix}/`)) peer = peer.substring(String(prefix).length + 1);
      if (!peer || peer === name || peer.includes("/")) continue;
      const old = remotes.get(peer);
      if (old) {
        old.close();
        remotes.delete(peer);
        if (options.onLeave) options.onLeave(peer);
      }
      if (entry.active) {
        const canvas = options.onJoin ? options.onJoin(peer) : undefined;
        remotes.set(peer, new Remote(endpoint, Watch.Net.Path.from(ROOT, room, peer), peer, canvas));
      }
      emit();
    }
  })().catch((err) => fail("announced", err));

  publishing.closed.then(() => {
    state.status = "disconnected";
    emit();
  });
  watching.closed.then(() => {
    state.status = "disconnected";
    emit();
  });

  const leave = () => {
    for (const remote of remotes.values()) remote.close();
    remotes.clear();
    wiring.close();
    broadcast.close();
    camera.close();
    microphone.close();
    publishing.close();
    watching.close();
  };
  // A reload or a closed tab: end both sessions now, so the relay drops our namespace at once.
  window.addEventListener("pagehide", leave);
  return { leave };
}

window.MoqCall = { join };
