// Runs one headless Chromium for a whole test class and lets the Java test drive MoQT client pages in it.
// It bundles moq-clients-page.js with esbuild, serves it from http://localhost:PORT (a secure context, so the pages
// may use WebTransport with serverCertificateHashes), then reads one JSON command per line on stdin:
//   {"id": 1, "page": "pub", "fn": "publish", "args": [...]}   calls window.moqClients[fn](...args) in page "pub"
//   {"id": 2, "page": "pub", "fn": "closePage"}                 closes the page (and its connections)
// and answers one JSON line per command on stdout: {"id": 1, "ok": true, "value": ...} or {"id": 1, "ok": false,
// "error": "..."}. The first line on stdout is {"ready": true}. Page console output goes to stderr.
// Usage: node moq-clients-driver.mjs [CHROMIUM_PATH]. It exits when stdin closes, or after a watchdog timeout.
import http from "node:http";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";

const executablePath = process.argv[2] ?? "/usr/bin/chromium";
const WATCHDOG_MS = Number(process.env.MOQ_DRIVER_WATCHDOG_MS ?? 300000);
const watchdog = setTimeout(() => {
  console.error("moq-clients-driver.mjs: watchdog timeout");
  process.exit(3);
}, WATCHDOG_MS);

const bundle = await esbuild.build({
  entryPoints: [fileURLToPath(new URL("moq-clients-page.js", import.meta.url))],
  bundle: true,
  format: "iife",
  target: "es2022",
  write: false,
  logLevel: "warning",
});
const script = bundle.outputFiles[0].contents;
const html = "<!doctype html><meta charset=utf-8><title>moq clients</title><script src=/moq-clients.js></script>";
const server = http.createServer((req, res) => {
  if (req.url === "/moq-clients.js") {
    res.writeHead(200, { "content-type": "text/javascript" });
    res.end(script);
  } else {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  }
});
await new Promise((resolve) => server.listen(0, "localhost", resolve));
const pageUrl = `http://localhost:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const pages = new Map();

async function page(name) {
  let p = pages.get(name);
  if (!p) {
    p = (async () => {
      const created = await browser.newPage();
      created.on("console", (m) => console.error(`page ${name}: ${m.text()}`));
      created.on("pageerror", (e) => console.error(`page ${name} error: ${e.message}`));
      await created.goto(pageUrl);
      return created;
    })();
    pages.set(name, p);
  }
  return p;
}

async function run(command) {
  if (command.fn === "closePage") {
    const p = pages.get(command.page);
    pages.delete(command.page);
    if (p) await (await p).close();
    return true;
  }
  const p = await page(command.page);
  return p.evaluate(([fn, args]) => window.moqClients[fn](...args), [command.fn, command.args ?? []]);
}

async function shutdown() {
  clearTimeout(watchdog);
  await browser.close().catch(() => {});
  server.close();
  process.exit(0);
}

console.log(JSON.stringify({ ready: true }));
const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  run(command).then(
    (value) => console.log(JSON.stringify({ id: command.id, ok: true, value: value ?? null })),
    (e) => console.log(JSON.stringify({ id: command.id, ok: false, error: String(e?.message ?? e) })),
  );
});
lines.on("close", shutdown);
