// Drives the /admin dashboard in headless Chromium; run by DashboardBrowserIT (load-tests).
//
//   node dashboard.mjs '{"url":"http://127.0.0.1:8080","otherUrl":"http://127.0.0.1:8081",
//     "token":"...","keys":["key-1","key-2"],"disable":"key-2","screenshot":"../../docs/dashboard.png",
//     "userDataDir":"/tmp/fresh","settleMs":6000}'
//
// Opens the page, enters the token, waits for every key of the cluster, disables one key through the
// admin API of the OTHER node and checks the page shows it disabled within 2 seconds, then saves a
// screenshot; with "budgets":["team:web"], also waits for each budget's row to show spend and reads its
// numbers. Prints one JSON line with what it measured; exits 1 on any failure or page error.
import { chromium } from "playwright-core";

const options = JSON.parse(process.argv[2] || "{}");
const required = ["url", "otherUrl", "token", "keys", "disable", "screenshot", "userDataDir"];
for (const name of required) {
  if (options[name] === undefined) {
    console.error(`dashboard.mjs: missing option '${name}'`);
    process.exit(2);
  }
}

const problems = [];
const context = await chromium.launchPersistentContext(options.userDataDir, {
  executablePath: options.chromium || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1440, height: 1100 },
  deviceScaleFactor: 1,
  colorScheme: options.colorScheme || "dark",
});

try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push("console error: " + m.text());
  });

  await page.goto(options.url + "/admin", { waitUntil: "domcontentloaded" });
  await page.waitForSelector("#token", { state: "visible", timeout: 10000 });
  await page.fill("#token", options.token);
  await page.click("#login-button");

  for (const key of options.keys) {
    await page.waitForSelector(`#keys tr[data-key="${key}"]`, { timeout: 10000 });
  }
  const members = await page.locator("#members tbody tr").count();
  const cooling = await page.locator('#keys tr[data-state="cooling_down"]').count();

  // Disable through the other node; this page polls only its own node.
  const response = await fetch(`${options.otherUrl}/admin/api/keys/${encodeURIComponent(options.disable)}/disable`, {
    method: "POST",
    headers: { Authorization: "Bearer " + options.token, "Content-Type": "application/json" },
    body: JSON.stringify({ reason: "disabled by the browser test" }),
  });
  if (response.status !== 200) throw new Error("disable via the other node answered " + response.status);
  const started = Date.now();
  await page.waitForSelector(`#keys tr[data-key="${options.disable}"][data-state="disabled"]`, { timeout: 2000 });
  const disabledAfterMs = Date.now() - started;
  const pillText = await page.locator(`#keys tr[data-key="${options.disable}"] .pill`).innerText();
  const unpriced = await page.locator("#models [data-unpriced]").evaluateAll((pills) =>
    pills.map((p) => p.getAttribute("data-unpriced")));
  const modelsNote = await page.locator("#models-note").innerText();

  // The spend charts, from the usage database: wait for a team's spend and both models' tokens.
  await page.waitForSelector("#spend-panel:not([hidden]) #legend-spend [data-team]", { timeout: 30000 });
  await page.waitForFunction(() => Number(document.getElementById("chart-model-tokens").dataset.models || 0) >= 2,
    null, { timeout: 30000 });
  const spendTeams = await page.locator("#legend-spend [data-team]").evaluateAll((items) =>
    items.map((i) => i.getAttribute("data-team")));
  const spendModels = Number(await page.locator("#chart-model-tokens").getAttribute("data-models"));
  const usageDropped = await page.locator("#usage-alarm").getAttribute("data-dropped");

  // The budgets, as bars with their numbers: wait until every expected budget shows some spend.
  const budgets = [];
  for (const subject of options.budgets || []) {
    const row = `#budgets-panel:not([hidden]) #budgets tr[data-subject="${subject}"]`;
    await page.waitForFunction((selector) => {
      const tr = document.querySelector(selector);
      return tr && Number(tr.dataset.spent) > 0;
    }, row, { timeout: 30000 });
    budgets.push(await page.locator(row).evaluate((tr) => ({
      subject: tr.dataset.subject,
      limit: tr.dataset.limit,
      spent: tr.dataset.spent,
      reserved: tr.dataset.reserved,
      left: tr.dataset.left,
      period: tr.dataset.period,
      resets: tr.dataset.resets,
      barPercent: Number.parseFloat(tr.querySelector(".budget-bar .spent").style.width),
      text: [...tr.cells].map((c) => c.innerText.trim()),
    })));
  }

  // Let the charts gather a few points before the picture.
  await page.waitForTimeout(options.settleMs || 0);
  await page.screenshot({ path: options.screenshot, fullPage: true });

  if (problems.length) throw new Error(problems.join("; "));
  console.log(JSON.stringify({ ok: true, members, cooling, disabledAfterMs, pillText, unpriced, modelsNote,
    spendTeams, spendModels, usageDropped, budgets }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e && e.message ? e.message : e), problems }));
  process.exitCode = 1;
} finally {
  await context.close();
}
