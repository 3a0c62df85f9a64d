// The relay's chat demo: every participant publishes one MoQT broadcast, moq-chat/ROOM/NAME, with one track,
// "messages" (one group per message, one frame of UTF-8 text), and subscribes to every other participant's.
// Participants are found with @moq/lite's announced() (moq-lite-04 ANNOUNCE_PLEASE with this relay, which prefers
// moq-lite; a draft-14 SUBSCRIBE_NAMESPACE with a relay that does not): everything, discovery and messages, travels
// through the relay over WebTransport.
import * as Moq from "@moq/lite";

const ROOT = "moq-chat";
const TRACK = "messages";

function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

// Path fields may not contain "/", and empty ones vanish: keep names to one plain field.
function field(text) {
  return text.trim().replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "").slice(0, 64);
}

// What the page shows is also kept here, for people reading the console and for the relay's browser test.
const state = { status: "idle", version: "", name: "", room: "", peers: [], audience: 0, messages: [], errors: [] };
window.chatState = state;

function emit() {
  window.dispatchEvent(new CustomEvent("chat-state", { detail: state }));
}

function fail(what, err) {
  const text = `${what}: ${err && err.message ? err.message : err}`;
  console.error(text);
  state.errors.push(text);
  emit();
}

async function join(rawName, rawRoom, options = {}) {
  const name = field(rawName);
  const room = field(rawRoom) || "lobby";
  if (!name) throw new Error("choose a name (letters, digits, '-', '_' or '.')");
  state.name = name;
  state.room = room;
  state.status = "connecting";
  emit();

  const hash = (await (await fetch("/fingerprint")).text()).trim();
  const port = location.port || (location.protocol === "https:" ? "443" : "80");
  // Chromium tries QUIC to "localhost" on ::1 only, without the fallback to IPv4 its TCP has, and a relay bound to
  // an IPv4 address (127.0.0.1, say) is not there: name the IPv4 loopback. The certificate hash does not depend on
  // the host name.
  const host = location.hostname === "localhost" ? "127.0.0.1" : location.hostname;
  const url = new URL(`https://${host}:${port}/moq`);
  const connection = await Moq.Connection.connect(url, {
    websocket: { enabled: false },
    webtransport: { serverCertificateHashes: [{ algorithm: "sha-256", value: hexToBytes(hash) }] },
  });
  state.version = connection.version;
  state.status = "connected";
  emit();

  // Publishing: the relay subscribes to our track once somebody subscribes to us through it.
  const tracks = new Set();
  const broadcast = new Moq.Broadcast();
  connection.publish(Moq.Path.from(ROOT, room, name), broadcast);
  (async () => {
    for (;;) {
      const request = await broadcast.requested();
      if (!request) return;
      if (request.track.name !== TRACK) {
        request.track.close(new Error("no such track"));
        continue;
      }
      tracks.add(request.track);
      state.audience = tracks.size;
      emit();
      request.track.closed.then(() => {
        tracks.delete(request.track);
        state.audience = tracks.size;
        emit();
      });
    }
  })().catch((err) => fail("publish", err));

  // Subscribing: one subscription per other participant the relay lists under moq-chat/ROOM.
  const subscribed = new Map();
  const own = `${ROOT}/${room}/${name}`;
  const follow = (path) => {
    const peer = path.substring(`${ROOT}/${room}/`.length);
    const track = connection.consume(Moq.Path.from(path)).subscribe(TRACK, 0);
    subscribed.set(path, track);
    (async () => {
      for (;;) {
        const text = await track.readString();
        if (text === undefined) return;
        state.messages.push({ from: peer, text });
        emit();
      }
    })()
      .catch((err) => console.warn(`subscription to ${path} ended: ${err.message || err}`))
      .finally(() => subscribed.delete(path));
  };
  // Discovery: SUBSCRIBE_NAMESPACE for moq-chat/ROOM; the relay answers with PUBLISH_NAMESPACE for every participant
  // there, now and later, and PUBLISH_NAMESPACE_DONE when one leaves.
  const peers = new Set();
  const announced = connection.announced(Moq.Path.from(ROOT, room));
  (async () => {
    for (;;) {
      const entry = await announced.next();
      if (!entry) return;
      const path = String(entry.path);
      if (path === own) continue;
      const peer = path.substring(`${ROOT}/${room}/`.length);
      if (entry.active) {
        peers.add(peer);
        if (!subscribed.has(path)) follow(path);
      } else {
        peers.delete(peer);
        const track = subscribed.get(path);
        if (track) track.close();
      }
      state.peers = [...peers].sort();
      emit();
    }
  })().catch((err) => fail("announced", err));

  connection.closed.then(() => {
    state.status = "disconnected";
    emit();
  });

  return {
    send(text) {
      if (!text) return;
      for (const track of tracks) track.writeString(text);
      state.messages.push({ from: name, text, own: true });
      emit();
    },
    leave() {
      announced.close();
      connection.close();
    },
  };
}

window.MoqChat = { join };
