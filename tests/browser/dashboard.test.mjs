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
  // Two locations, so the location filter, splits and transfers are on the pages.
  WHATSAPP_NUMBERS: "106000000000001=Main Street,106000000000002=Warehouse",
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
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
let step = "start";

// No page may scroll sideways: the document is no wider than the window.
// On failure, name the widest elements to look at.
async function noSidewaysScroll(what) {
  const wide = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= limit) return null;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > limit + 1 && !e.closest(".scroll"))
      .slice(-3)
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + e.className : ""} (${Math.round(e.getBoundingClientRect().right)} px)`);
    return `${document.documentElement.scrollWidth} px wide in a ${limit} px window: ${culprits.join(", ")}`;
  });
  if (wide) fail(`${what} scrolls sideways: ${wide}`);
}

// The newest message is on screen after a send.
async function latestInView() {
  const box = await page.locator("#latest").boundingBox();
  const height = page.viewportSize().height;
  if (!box || box.y < 0 || box.y + Math.min(box.height, 40) > height) fail(`the newest message is off screen (${JSON.stringify(box)})`);
}

async function send(text, expect) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator("#latest", { hasText: expect }).waitFor({ timeout: 10000 });
  await latestInView();
}

try {
  const port = await waitFor("the server", () => log.find((l) => l.fields?.message === "backroom listening")?.fields.port);
  const base = `http://127.0.0.1:${port}`;

  step = "sign-in";
  await page.goto(`${base}/`);
  await page.getByText("it is printed in the server log").waitFor();
  await page.getByLabel("WhatsApp number").fill(OWNER);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByText("code is now in the server log").waitFor();
  const code = await waitFor("the code in the log", () =>
    log.find((l) => l.fields?.message?.includes("sign-in code"))?.fields.code,
  );
  await page.getByLabel("Code").fill(String(code));
  await page.getByRole("button", { name: "Sign in" }).click();
  // In sandbox mode the chat is the landing page.
  await page.getByRole("heading", { name: "Sandbox" }).waitFor();

  step = "sandbox";
  // Staff is the default, on the configured staff number, never the owner's.
  await page.getByRole("link", { name: `👷 Staff · ${STAFF}` }).waitFor();
  // A shop's first screws are a new item, and the bot says so.
  await send("Added 50 screws", "🆕 New item: screw — 50 in stock. Reply undo if that's a typo.");
  await send("sold 3 screws", "47");
  await send("Added 4 wheelbarrows", "wheelbarrow");
  // A near-miss name is asked about with buttons; a tap answers through the webhook.
  await send("Added 2 wheelbarox", "Did you mean wheelbarrow");
  await page.locator("#latest").getByRole("button", { name: "✅ wheelbarrow" }).click();
  await page.locator("#latest", { hasText: "6 in stock" }).waitFor({ timeout: 10000 });
  await latestInView();
  await page.getByRole("link", { name: /Customer/ }).click();
  await send("I'd like 2 screws", "#");
  await page.screenshot({ path: join(out, "sandbox.png"), fullPage: false });
  // "What do you have?" is a list; picking a row offers order buttons.
  await page.getByLabel("Message").fill("what do you have?");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator("#latest .choices button", { hasText: "screw" }).first().click();
  await page.locator("#latest .choices button", { hasText: "1" }).first().waitFor({ timeout: 10000 });
  await latestInView();
  await page.screenshot({ path: join(out, "sandbox-list.png"), fullPage: false });

  step = "inventory";
  await page.getByRole("link", { name: "Inventory", exact: true }).click();
  const row = page.getByRole("row", { name: /screw/ });
  await row.getByText("45", { exact: true }).waitFor();

  step = "threshold";
  await page.getByLabel("Alert threshold for screw").fill("60");
  await page.getByLabel("SKU of screw").fill("SCR-4X40");
  await page.getByLabel("Price of screw in ZAR").fill("12.50");
  await row.getByRole("button", { name: "Save" }).click();
  await page.getByText("✓ Saved screw.").waitFor();
  await page.locator("tr.low", { hasText: "screw" }).waitFor();
  if ((await page.getByLabel("SKU of screw").inputValue()) !== "SCR-4X40") fail("the SKU was not saved");
  if ((await page.getByLabel("Price of screw in ZAR").inputValue()) !== "12.50") fail("the price was not saved");

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

  step = "token";
  await page.getByRole("link", { name: "Developer", exact: true }).click();
  await page.getByLabel("Name").first().fill("shop website");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.locator("#new-token").innerText();
  if (!token.startsWith("bk_")) fail(`token shown: ${token}`);
  const get = async (path, t = token) => {
    const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${t}` } });
    return { status: res.status, body: res.status === 200 ? await res.json() : null };
  };
  if ((await get("/items")).status !== 200) fail("the new token does not work");

  step = "today";
  // Today's figures are the database's, read back through the API.
  await page.getByRole("link", { name: "Today", exact: true }).click();
  const items = (await get("/items?limit=200")).body.data;
  const value = items.reduce((sum, i) => sum + (i.price_minor ?? 0) * i.quantity, 0);
  const shown = await page.locator('[data-figure="stock-value"]').innerText();
  const expected = `R${(value / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
  if (shown !== expected) fail(`stock value shows ${shown}, the database says ${expected}`);
  const low = items.filter((i) => i.low_stock).map((i) => i.name).sort();
  const listed = (await page.locator('[data-figure="low"] a').allInnerTexts()).sort();
  if (JSON.stringify(low) !== JSON.stringify(listed)) fail(`low stock listed ${listed}, the database has ${low}`);
  const placed = (await get("/orders?status=placed")).body.data.length;
  await page.locator('[data-figure="orders-placed"]', { hasText: `${placed} order` }).waitFor();
  await page.screenshot({ path: join(out, "today.png"), fullPage: true });

  step = "orders";
  await page.getByRole("link", { name: "Orders", exact: true }).click();
  await page.getByRole("link", { name: "Cancel…" }).first().click();
  await page.getByText(/Cancel order #\w+\?/).waitFor();
  const order = (await get("/orders?status=placed")).body.data[0];
  if (!order) fail("cancel changed the order before it was confirmed");
  await page.screenshot({ path: join(out, "orders-cancel.png"), fullPage: true });
  await page.getByRole("button", { name: "Yes, cancel the order" }).click();
  await page.getByText(/is now cancelled/).waitFor();
  if ((await get(`/orders/${order.id}`)).body.status !== "cancelled") fail("the order was not cancelled");
  await page.getByRole("link", { name: "← All orders" }).click();
  await page.screenshot({ path: join(out, "orders.png"), fullPage: true });

  step = "item page";
  const screw = items.find((i) => i.name === "screw");
  await page.goto(`${base}/items/${screw.id}?days=7`);
  await page.getByRole("heading", { name: "screw" }).waitFor();
  const moves = (await get(`/items/${screw.id}/movements?limit=200`)).body.data.length;
  const dots = await page.locator("svg.chart circle").count();
  if (dots !== moves) fail(`the chart has ${dots} points for ${moves} movements`);
  const title = await page.locator("svg.chart circle title").first().textContent();
  if (!/added \+50 → 50/.test(title)) fail(`first point's title: ${title}`);
  await page.screenshot({ path: join(out, "item.png"), fullPage: true });

  step = "webhook";
  await page.getByRole("link", { name: "Developer", exact: true }).click();
  await page.getByRole("button", { name: "Revoke shop website" }).click();
  await page.getByRole("cell", { name: "revoked" }).waitFor();
  if ((await get("/items")).status !== 401) fail("the revoked token still works");
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
  const hookPage = page.url();
  await page.getByRole("cell", { name: "webhook.test #1" }).waitFor();
  await page.getByLabel("Active").uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Webhook warehouse" }).waitFor();
  if (await page.getByLabel("Active").isChecked()) fail("the webhook is still active");

  step = "settings";
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByLabel("Shop name").fill("Hardware Hut");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("✓ Saved the shop settings.").waitFor();
  await page.locator("header strong", { hasText: "Hardware Hut" }).waitFor();

  step = "a transfer between locations";
  await page.goto(`${base}/sandbox?as=staff`);
  await send("sent 5 screws to Warehouse", "Sent 5 screws (T-1) to Warehouse");
  await page.goto(`${base}/inventory`);
  await page.getByRole("heading", { name: "In transit" }).waitFor();
  await page.locator("tr", { hasText: "screw" }).getByText("+5 in transit").first().waitFor();
  await page.getByRole("button", { name: "Received" }).click();
  await page.getByText("✓ Received T-1.").waitFor();
  await page.locator("td", { hasText: "Warehouse 5" }).first().waitFor();
  await page.screenshot({ path: join(out, "inventory-locations.png"), fullPage: true });

  step = "every page at 1280 and 375 px";
  const pages = [
    "/", "/inventory", `/items/${screw.id}`, "/orders", `/orders/${order.id}`, `/orders/${order.id}?cancel=1`,
    "/conversations", `/conversations/${STAFF}`, "/sandbox", "/developer", new URL(hookPage).pathname,
    "/settings", "/import", "/counts", "/docs", "/purchasing", "/inventory?location=Warehouse",
    "/sandbox?as=staff&at=2",
  ];
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await noSidewaysScroll(`${path} at ${width} px`);
    }
  }
  // Screenshots at phone width for the README.
  for (const [name, path] of [["today", "/"], ["item", `/items/${screw.id}`], ["orders", "/orders"], ["sandbox", "/sandbox#latest"]]) {
    await page.goto(`${base}${path}`);
    await page.screenshot({ path: join(out, `${name}-phone.png`), fullPage: name !== "sandbox" });
  }

  step = "sign-out";
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Send me a code" }).waitFor();
  await noSidewaysScroll("/login at 375 px");
  console.log(`browser test: ok (${pages.length + 1} pages checked at 1280 and 375 px)`);
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
