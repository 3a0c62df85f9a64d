// Loads the test page in headless Chromium, runs window.runWebTransportTest(url, hash) and prints its JSON result.
// Usage: node run-page.mjs PAGE_URL WEBTRANSPORT_URL CERT_SHA256_HEX [CHROMIUM_PATH]
import { chromium } from "playwright-core";

const [pageUrl, wtUrl, hash, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const watchdog = setTimeout(() => {
  console.error("run-page.mjs: timed out");
  process.exit(3);
}, 45000);

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  page.on("console", (m) => console.error("page: " + m.text()));
  await page.goto(pageUrl);
  const result = await page.evaluate(([u, h]) => window.runWebTransportTest(u, h), [wtUrl, hash]);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  clearTimeout(watchdog);
}
