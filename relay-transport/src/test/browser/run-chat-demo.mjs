// Opens the relay's chat demo page (served by the relay's dev web server) as two participants in headless
// Chromium, waits until each follows the other through the relay, sends a message each way through the page's own
// form, and prints what each page saw as JSON.
// Usage: node run-chat-demo.mjs PAGE_URL [CHROMIUM_PATH]
import { chromium } from "playwright-core";

const [pageUrl, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const WAIT = 20000;
const watchdog = setTimeout(() => {
  console.error("run-chat-demo.mjs: timed out");
  process.exit(3);
}, 50000);

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const state = (page) => page.evaluate(() => window.chatState);
const result = { steps: [] };
try {
  const open = async (name) => {
    const page = await (await browser.newContext()).newPage();
    page.on("console", (m) => console.error(`${name}: ${m.text()}`));
    page.on("pageerror", (e) => console.error(`${name}: page error ${e.message}`));
    await page.goto(`${pageUrl}?name=${name}&room=test&poll=200&join=1`);
    return page;
  };
  const alice = await open("alice");
  const bob = await open("bob");
  try {
    // Each follows the other: announced through SUBSCRIBE_NAMESPACE, and the relay's SUBSCRIBE for its track has arrived.
    for (const [page, other] of [[alice, "bob"], [bob, "alice"]]) {
      await page.waitForFunction((o) => window.chatState && window.chatState.peers.includes(o) &&
        window.chatState.audience > 0, other, { timeout: WAIT });
    }
    result.steps.push("joined");
    const say = async (page, text) => {
      await page.fill("#text", text);
      await page.click("#send button");
    };
    const heard = (page, from, text) => page.waitForFunction(([f, t]) =>
      window.chatState.messages.some((m) => m.from === f && m.text === t && !m.own), [from, text], { timeout: WAIT });
    await say(alice, "hello from alice");
    await heard(bob, "alice", "hello from alice");
    result.steps.push("alice -> bob");
    await say(bob, "hi alice, bob here");
    await heard(alice, "bob", "hi alice, bob here");
    result.steps.push("bob -> alice");
  } finally {
    result.alice = await state(alice);
    result.bob = await state(bob);
    result.aliceList = await alice.locator("#messages li").allTextContents();
    result.bobList = await bob.locator("#messages li").allTextContents();
  }
} catch (e) {
  result.error = String(e && e.message ? e.message : e);
} finally {
  console.log(JSON.stringify(result));
  await browser.close();
  clearTimeout(watchdog);
}
