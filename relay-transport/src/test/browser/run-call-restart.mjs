// A publisher restarts while its old session lingers, and a draft-14 watcher must pick up the new broadcast: the
// relay's video-call page (served by the relay's dev web server) on draft 14 (`&lite=0`, so @moq/publish and
// @moq/watch speak MoQT draft 14, not moq-lite; CALL_LITE=1: on moq-lite) as alice and bob, in headless Chromium with a fake camera. bob's
// first page runs in a browser of its own, which is then frozen (SIGSTOP of its whole process group): its WebTransport
// sessions stay open and silent until the relay's QUIC idle timeout, as a crashed or killed browser's do. A new bob page
// (same name, so the same broadcast path) joins in alice's browser. Prints JSON: how long after the new bob page
// encoded its first video frame alice rendered a frame of the new broadcast (told apart by the catalog's clock origin,
// the new page's performance.timeOrigin), and from the new page's navigation.
// Usage: node run-call-restart.mjs PAGE_URL [CHROMIUM_PATH]
import { chromium } from "playwright-core";

const [baseUrl, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const JOIN_WAIT = 30000;
const SEEN_WAIT = 15000; // long past the 3 s the test allows, so that a miss shows as "not seen" rather than late
const VIDEO = process.env.CALL_VIDEO || "width=320&height=180&fps=15";
const args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
  "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows"];
const result = { steps: [] };
let frozen; // the lingering browser's process (group), stopped then killed
const watchdog = setTimeout(() => {
  result.error = "timed out";
  console.log(JSON.stringify(result));
  if (frozen) process.kill(-frozen.pid, "SIGKILL");
  process.exit(3);
}, 90000);

// The wall time of the page's first VideoEncoder.encode call (the publisher's first frame).
const hooks = () => {
  const encode = VideoEncoder.prototype.encode;
  VideoEncoder.prototype.encode = function (frame, options) {
    if (window.__firstEncodeAt === undefined) window.__firstEncodeAt = performance.timeOrigin + performance.now();
    return encode.call(this, frame, options);
  };
};
// CALL_LITE=1 runs the same on moq-lite (the libraries' preference) instead of draft 14.
const lite = process.env.CALL_LITE === "1";
const url = (name) => `${baseUrl}call.html?name=${name}&room=restart&join=1&audio=0${lite ? "" : "&lite=0"}&${VIDEO}`;
const pages = {};
const open = async (browser, name, label) => {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  await context.addInitScript(hooks);
  const page = await context.newPage();
  page.on("console", (m) => console.error(`${new Date().toISOString().substring(11, 23)} ${label}: ${m.text()}`));
  page.on("pageerror", (e) => console.error(`${label}: page error ${e.message}`));
  const navigatedAt = Date.now();
  await page.goto(url(name));
  pages[label] = page;
  return { page, navigatedAt };
};
const sees = (page, peer) => page.waitForFunction((p) => window.callState && window.callState.remotes[p] &&
  window.callState.remotes[p].rendered > 0, peer, { timeout: JOIN_WAIT, polling: 100 });

const server = await chromium.launchServer({ executablePath, args });
frozen = server.process();
const lingering = await chromium.connect(server.wsEndpoint());
const browser = await chromium.launch({ executablePath, args });
try {
  const { page: alice } = await open(browser, "alice", "alice");
  await open(lingering, "bob", "bob-old");
  await sees(alice, "bob");
  await sees(pages["bob-old"], "alice");
  result.steps.push("joined");
  const oldOrigin = await pages["bob-old"].evaluate(() => performance.timeOrigin);
  result.versions = { alice: await alice.evaluate(() => window.callState.versions) };

  // bob's browser stops dead: no packet, no close, its sessions linger at the relay.
  process.kill(-frozen.pid, "SIGSTOP");
  result.steps.push("frozen");
  await new Promise((r) => setTimeout(r, 500));

  const { page: bob, navigatedAt } = await open(browser, "bob", "bob-new");
  const origin = await bob.evaluate(() => performance.timeOrigin);
  result.newOriginDiffers = origin !== oldOrigin;
  try {
    await alice.waitForFunction(([p, o]) => {
      const r = window.callState.remotes[p];
      return r && r.origin === o && r.rendered > 0;
    }, ["bob", origin], { timeout: SEEN_WAIT, polling: 50 });
    const seenAt = Date.now();
    const firstEncodeAt = await bob.evaluate(() => window.__firstEncodeAt);
    result.seenAfterNavigationMs = seenAt - navigatedAt;
    result.seenAfterFirstFrameMs = firstEncodeAt === undefined ? null : Math.round(seenAt - firstEncodeAt);
    result.steps.push("seen");
  } catch (e) {
    result.error = `alice did not render the restarted bob within ${SEEN_WAIT} ms: ${e && e.message ? e.message : e}`;
    result.aliceSawBob = await alice.evaluate(() => {
      const r = window.callState.remotes.bob;
      return r ? { origin: r.origin, rendered: r.rendered, live: r.live } : null;
    });
  }
} catch (e) {
  result.error = String(e && e.message ? e.message : e);
} finally {
  result.errors = {};
  for (const [label, page] of Object.entries(pages)) {
    if (label === "bob-old") continue; // its renderer is stopped
    try {
      result.errors[label] = await page.evaluate(() => window.callState.errors);
    } catch (e) {
      result.errors[label] = [String(e)];
    }
  }
  console.log(JSON.stringify(result));
  process.kill(-frozen.pid, "SIGKILL");
  await browser.close();
  clearTimeout(watchdog);
  process.exit(0);
}
