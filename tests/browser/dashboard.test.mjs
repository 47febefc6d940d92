// Browser test of the dashboard: Debian's Chromium, headless, against a
// backroom server on loopback in sandbox mode.
//   node dashboard.test.mjs [path/to/backroom]
// Screenshots of the pages go to test-output/ (and of the failing page on failure).

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const binary = resolve(process.argv[2] ?? "../../target/debug/backroom");
const out = resolve("test-output");
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "backroom-browser-"));
const OWNER = "15555550199";
const STAFF = "27825550101";
const env = {
  PATH: process.env.PATH,
  DATABASE_URL: `sqlite://${work}/browser.db`,
  HOST: "127.0.0.1",
  PORT: "0",
  // No OWNER_PHONES: in sandbox mode the first sign-in becomes the owner, as on a fresh clone.
  STAFF_PHONES: STAFF,
  ALLOW_HTTP_WEBHOOKS: "true",
  ALLOW_PRIVATE_WEBHOOKS: "true",
  LOG_FORMAT: "json",
  RUST_LOG: "info",
};

function fail(message) {
  throw new Error(message);
}

// The server; its log tells the port and, in sandbox mode, the sign-in code.
const server = spawn(binary, ["serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
const log = [];
let lineBuffer = "";
server.stderr.on("data", (chunk) => {
  lineBuffer += chunk.toString();
  const lines = lineBuffer.split("\n");
  lineBuffer = lines.pop();
  for (const line of lines) {
    try {
      log.push(JSON.parse(line));
    } catch {
      /* not JSON */
    }
  }
});

async function waitFor(what, check, ms = 10000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A webhook receiver for the Test button.
const hits = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    hits.push({ headers: req.headers, body });
    res.end("ok");
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
let step = "start";

try {
  const port = await waitFor("the server", () => log.find((l) => l.fields?.message === "backroom listening")?.fields.port);
  const base = `http://127.0.0.1:${port}`;

  step = "sign-in";
  await page.goto(`${base}/`);
  await page.getByLabel("WhatsApp number").fill(OWNER);
  await page.getByRole("button", { name: "Send me a code" }).click();
  const code = await waitFor("the code in the log", () =>
    log.find((l) => l.fields?.message?.includes("sign-in code"))?.fields.code,
  );
  await page.getByLabel("Code").fill(String(code));
  await page.getByRole("button", { name: "Sign in" }).click();
  // In sandbox mode the chat is the landing page.
  await page.getByRole("heading", { name: "Sandbox" }).waitFor();

  step = "sandbox";
  await page.getByLabel("Write as").fill(STAFF);
  await page.getByLabel("Message").fill("Added 50 screws");
  await page.getByRole("button", { name: "Send" }).click();
  // A shop's first screws are a new item, and the bot says so.
  await page
    .getByText("🆕 New item: screw — 50 in stock. Reply undo if that's a typo.")
    .waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(out, "sandbox.png"), fullPage: true });

  step = "inventory";
  await page.getByRole("link", { name: "Inventory", exact: true }).click();
  const row = page.getByRole("row", { name: /screw/ });
  await row.getByText("50", { exact: true }).waitFor();

  step = "threshold";
  await page.getByLabel("Alert threshold for screw").fill("60");
  await page.getByLabel("SKU of screw").fill("SCR-4X40");
  await row.getByRole("button", { name: "Save" }).click();
  await page.locator("tr.low", { hasText: "screw" }).waitFor();
  if ((await page.getByLabel("SKU of screw").inputValue()) !== "SCR-4X40") fail("the SKU was not saved");
  await page.screenshot({ path: join(out, "inventory.png"), fullPage: true });

  step = "csv import";
  await page.getByRole("link", { name: "Import CSV" }).click();
  await page.getByLabel("CSV").fill("name,quantity,sku\nhammer,7,HAM-16\nbad;name,1,\n");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.locator("#import-summary", { hasText: "1 rows to import, 1 rejected" }).waitFor();
  await page.getByRole("button", { name: "Import 1 rows" }).click();
  await page.locator("#import-summary", { hasText: "Imported 1 rows" }).waitFor();
  await page.getByRole("link", { name: "Back to the inventory" }).click();
  await page.getByRole("row", { name: /hammer/ }).getByText("7", { exact: true }).waitFor();
  await page.screenshot({ path: join(out, "inventory.png"), fullPage: true });

  step = "item page";
  await page.getByRole("link", { name: "screw", exact: true }).click();
  await page.getByRole("heading", { name: "screw" }).waitFor();
  await page.screenshot({ path: join(out, "item.png"), fullPage: true });

  step = "token";
  await page.getByRole("link", { name: "Developer", exact: true }).click();
  await page.getByLabel("Name").first().fill("shop website");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.locator("#new-token").innerText();
  if (!token.startsWith("bk_")) fail(`token shown: ${token}`);
  const api = async (t) => (await fetch(`${base}/api/v1/items`, { headers: { authorization: `Bearer ${t}` } })).status;
  if ((await api(token)) !== 200) fail("the new token does not work");
  await page.getByRole("link", { name: "Back to Developer" }).click();
  await page.getByRole("button", { name: "Revoke shop website" }).click();
  await page.getByRole("cell", { name: "revoked" }).waitFor();
  if ((await api(token)) !== 401) fail("the revoked token still works");

  step = "webhook";
  await page.locator('form[action="/developer/webhooks"] input[name="name"]').fill("warehouse");
  await page.getByLabel("URL").fill(hookUrl);
  await page.getByRole("button", { name: "Add webhook" }).click();
  const secret = await page.locator("#new-secret").innerText();
  if (!secret.startsWith("whsec_")) fail(`secret shown: ${secret}`);
  await page.getByRole("link", { name: "Back to Developer" }).click();
  await page.getByRole("button", { name: "Test warehouse" }).click();
  await page.locator("#test-result", { hasText: "200" }).waitFor();
  if (!hits.some((h) => h.headers["x-webhook-event"] === "webhook.test")) fail("the receiver got no test event");
  await page.screenshot({ path: join(out, "webhook-test.png"), fullPage: true });
  await page.getByRole("link", { name: "Back to Developer" }).click();
  await page.getByRole("link", { name: "warehouse" }).click();
  await page.getByRole("cell", { name: "webhook.test #1" }).waitFor();
  await page.getByLabel("Active").uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Webhook warehouse" }).waitFor();
  if (await page.getByLabel("Active").isChecked()) fail("the webhook is still active");

  step = "phone";
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${base}/`);
  await page.getByRole("row", { name: /screw/ }).waitFor();
  await page.screenshot({ path: join(out, "inventory-phone.png"), fullPage: true });

  step = "sign-out";
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Send me a code" }).waitFor();
  console.log("browser test: ok");
} catch (e) {
  await page.screenshot({ path: join(out, `failed-${step}.png`), fullPage: true }).catch(() => {});
  console.error(`browser test failed at ${step}: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  receiver.close();
  server.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
}
