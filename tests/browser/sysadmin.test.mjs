// The sysadmin UI in headless Chromium: a superuser signs in, creates a municipality with a
// moderator, a three-level category tree, an organizer, a location and a hobby with two
// events, creates an API token and sees the API accept it and, once revoked, refuse it,
// edits and deletes; a staff user who is not a superuser is refused. Screenshots of the
// main pages go to target/screenshots/.
//
// Needs the debug binary (cargo build) and Chromium (CHROMIUM, default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer } from "node:net";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
const binary = process.env.HARRASTUSPASSI_BIN ?? join(root, "target/debug/harrastuspassi");
const shots = join(root, "target/screenshots");
mkdirSync(shots, { recursive: true });

const dataDir = mkdtempSync(join(tmpdir(), "hp-browser-"));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:${join(dataDir, "hp.db")}`,
  HARRASTUSPASSI_DATA_DIR: dataDir,
  HARRASTUSPASSI_SCHEDULER: "false",
  HARRASTUSPASSI_LOGIN_REDIRECT: "/sysadmin/",
  RUST_LOG: "warn",
};
const cli = (...args) => execFileSync(binary, args, { env, encoding: "utf8" }).trim();

let server;
let base;
let browser;

async function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

before(async () => {
  cli("migrate");
  cli("user", "create", "--username", "root", "--password", "juurisalasana1", "--superuser", "--staff");
  cli("user", "create", "--username", "staffer", "--password", "henkilosto12", "--staff");
  cli("user", "create", "--username", "moderaattori", "--password", "moderointi12");
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ["serve"], { env: { ...env, HARRASTUSPASSI_PORT: String(port) }, stdio: "inherit" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

async function signIn(page, username, password) {
  await page.goto(`${base}/sysadmin/`);
  assert.match(page.url(), /\/accounts\/login\/\?next=%2Fsysadmin%2F/);
  await page.getByLabel("Käyttäjätunnus").fill(username);
  await page.getByLabel("Salasana").fill(password);
  await page.getByRole("button", { name: "Kirjaudu sisään" }).click();
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function idFromUrl(page) {
  const match = page.url().match(/\/(\d+)\/$/);
  assert.ok(match, `an object page: ${page.url()}`);
  return Number(match[1]);
}

test("a superuser manages the catalogue and its users", async () => {
  const page = await browser.newPage();
  await signIn(page, "root", "juurisalasana1");
  await page.waitForURL(`${base}/sysadmin/`);
  await assert.doesNotReject(page.getByRole("heading", { name: "Administration" }).waitFor());
  await shot(page, "dashboard");

  // A municipality, and a moderator for it.
  await page.goto(`${base}/sysadmin/municipalities/new/`);
  await page.getByLabel("Name").fill("Testikunta");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Municipality Testikunta" }).waitFor();
  await page.getByLabel("Add a moderator").selectOption({ label: "moderaattori" });
  await page.getByRole("button", { name: "Add moderator" }).click();
  await page.getByRole("button", { name: "Remove moderaattori" }).waitFor();
  await shot(page, "municipality");

  // A category tree of three levels.
  const category = async (name, parent) => {
    await page.goto(`${base}/sysadmin/categories/new/${parent ? `?parent=${parent}` : ""}`);
    await page.getByLabel("Name in Finnish").fill(name);
    await page.getByLabel("Name in English").fill(`${name} (en)`);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: `Category ${name}` }).waitFor();
    return idFromUrl(page);
  };
  const top = await category("Selainlajit");
  const middle = await category("Pallopelit selaimessa", top);
  const leaf = await category("Sulkapallo selaimessa", middle);
  const tree = await (await fetch(`${base}/api/hobbycategories/${top}/?include=child_categories`)).json();
  assert.equal(tree.child_categories[0].id, middle);
  assert.equal(tree.child_categories[0].child_categories[0].id, leaf);
  await page.goto(`${base}/sysadmin/categories/?q=selaimessa`);
  await shot(page, "categories");
  // A cover image for the top category, uploaded as a file.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  await page.goto(`${base}/sysadmin/categories/${top}/`);
  await page.getByLabel("A JPEG, PNG, WebP or GIF file").setInputFiles({ name: "kuva.png", mimeType: "image/png", buffer: png });
  await page.getByRole("button", { name: "Upload" }).click();
  await page.getByRole("button", { name: "Remove the image" }).waitFor();
  await shot(page, "category");
  await page.goto(`${base}/sysadmin/audiences/`);
  await shot(page, "audiences");

  // An organizer, a location with coordinates, and a hobby with two events.
  await page.goto(`${base}/sysadmin/organizers/new/`);
  await page.getByLabel("Name").fill("Selainseura");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Organizer Selainseura" }).waitFor();
  await page.goto(`${base}/sysadmin/locations/new/`);
  await page.getByLabel("Name").fill("Selainhalli");
  await page.getByLabel("City").fill("Helsinki");
  await page.getByLabel("Latitude (WGS 84)").fill("60.17");
  await page.getByLabel("Longitude (WGS 84)").fill("24.94");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Location Selainhalli" }).waitFor();

  await page.goto(`${base}/sysadmin/hobbies/new/`);
  await page.getByLabel("Name").fill("Sulkapalloa selaimella");
  await page.getByLabel("Location").selectOption({ label: "Selainhalli" });
  await page.getByLabel("Organizer").selectOption({ label: "Selainseura" });
  await page.getByLabel("Categories").selectOption({ label: "— — Sulkapallo selaimessa" });
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Hobby Sulkapalloa selaimella" }).waitFor();
  const hobby = await idFromUrl(page);
  for (const day of ["2030-03-05", "2030-03-12"]) {
    await page.getByLabel("Start date").fill(day);
    await page.getByLabel("Start time").fill("17:00");
    await page.getByLabel("End date").fill(day);
    await page.getByLabel("End time").fill("18:30");
    await page.getByRole("button", { name: "Add event" }).click();
    await page.getByRole("button", { name: `Delete the event of ${day}` }).waitFor();
  }
  await shot(page, "hobby");
  const events = await (await fetch(`${base}/api/v1/hobbyevents/?hobby=${hobby}`)).json();
  assert.equal(events.count, 2);
  const shown = await (await fetch(`${base}/api/v1/hobbies/${hobby}/`)).json();
  assert.deepEqual(shown.categories, [leaf]);

  // An API token for the moderator: accepted by the API, then refused once revoked.
  await page.goto(`${base}/sysadmin/tokens/new/`);
  await page.getByLabel("User").selectOption({ label: "moderaattori" });
  await page.getByRole("button", { name: "Save" }).click();
  const key = (await page.locator("#token-key").textContent()).trim();
  assert.equal(key.length, 40);
  await shot(page, "token-created");
  const asModerator = (path) => fetch(`${base}${path}`, { headers: { Authorization: `Token ${key}` } });
  assert.equal((await asModerator("/api/v1/hobbies/?editable_only=true")).status, 200);
  await page.goto(`${base}/sysadmin/tokens/`);
  await shot(page, "tokens");
  await page.getByRole("link", { name: "moderaattori" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await page.waitForURL(`${base}/sysadmin/tokens/`);
  assert.equal((await asModerator("/api/v1/hobbies/?editable_only=true")).status, 401);

  // Edit, then delete with the confirmation saying what goes with it.
  await page.goto(`${base}/sysadmin/hobbies/${hobby}/`);
  await page.getByLabel("Name").fill("Sulkapalloa selaimella, muokattu");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Hobby Sulkapalloa selaimella, muokattu" }).waitFor();
  assert.equal((await (await fetch(`${base}/api/v1/hobbies/${hobby}/`)).json()).name, "Sulkapalloa selaimella, muokattu");
  await page.getByRole("link", { name: "Delete…" }).click();
  await page.getByText("deletes its 2 events").waitFor();
  await shot(page, "delete-confirmation");
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await page.waitForURL(`${base}/sysadmin/hobbies/`);
  assert.equal((await fetch(`${base}/api/v1/hobbies/${hobby}/`)).status, 404);
  await page.goto(`${base}/sysadmin/promotions/new/`);
  await page.getByLabel("Name").fill("Kokeilukerta");
  await page.getByLabel("Description").fill("Ensimmäinen kerta ilmaiseksi");
  await page.getByLabel("Valid from (date)").fill("2030-01-01");
  await page.getByLabel("Valid from (time)").fill("08:00");
  await page.getByLabel("Valid until (date)").fill("2030-12-31");
  await page.getByLabel("Valid until (time)").fill("20:00");
  await page.getByLabel("Redemptions available").fill("10");
  await page.getByLabel("Organizer").selectOption({ label: "Selainseura" });
  await page.getByLabel("Location").selectOption({ label: "Selainhalli" });
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Promotion Kokeilukerta" }).waitFor();
  await shot(page, "promotion");
  await page.goto(`${base}/sysadmin/benefits/`);
  await shot(page, "benefits");
  await page.goto(`${base}/sysadmin/users/`);
  await shot(page, "users");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "users-phone");
  await page.close();
});

test("the pages are in Finnish for a Finnish browser", async () => {
  const context = await browser.newContext({ locale: "fi-FI" });
  const page = await context.newPage();
  await signIn(page, "root", "juurisalasana1");
  await page.getByRole("heading", { name: "Ylläpito" }).waitFor();
  await page.goto(`${base}/sysadmin/hobbies/new/`);
  await page.getByLabel("Nimi").waitFor();
  await shot(page, "hobby-new-fi");
  await context.close();
});

test("a staff user who is not a superuser is refused", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "staffer", "henkilosto12");
  await page.waitForURL(`${base}/sysadmin/`);
  await page.getByRole("heading", { name: "403 Forbidden" }).waitFor();
  await shot(page, "refused");
  await context.close();
});
