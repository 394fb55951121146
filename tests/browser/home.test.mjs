// home.test.mjs - the home page "what needs you now" in a real browser.
// A case of this test is marked actively exploited with VIGIL_NOW two hours
// in the past: the home page of a PSIRT user shows its 24-hour early warning
// with about 22 hours left, ticking down (countdown.js), the clocks ordered
// by due time, each with the link that acts on it; a case received 40 hours
// ago waits for its 48-hour acknowledgement with an Acknowledge button. An
// admin sees the same plus the system line; an auditor sees numbers only,
// no list and no button. Every role's home page passes checkPage() (no
// overflow at 1366 and 390 px, axe-core). Set-up uses the vigil binary on
// the server's database (VIGIL and VIGIL_DB, as t0900-browser.sh exports
// them); the users admin and auditor of this test are made here.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { checkPage, launch, login, url, withPage } from "./harness.mjs";

function need(name) {
	const v = process.env[name];
	if (!v) throw new Error(`environment variable ${name} is not set`);
	return v;
}

const VIGIL = need("VIGIL");
need("VIGIL_DB");
const run = promisify(execFile);
async function vigil(env, ...args) {
	const { stdout } = await run(VIGIL, args, { encoding: "utf8", env: { ...process.env, ...env } });
	return stdout;
}

const TAG = `home-${process.pid}`;
const TITLE = `Home clock ${TAG}`;
const ACK_TITLE = `Home ack ${TAG}`;
const PASSWORD = `pw-${TAG}-9c1d`;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
let browser;
let caseId;
let ackId;

before(async () => {
	const aware = iso(Date.now() - 2 * 3600 * 1000);
	let out = await vigil({ VIGIL_NOW: aware }, "case", "open", "--product", "acme-gateway",
		"--title", TITLE, "--description", "pre-authentication RCE seen in the wild");
	caseId = Number(/case (\d+) received/.exec(out)[1]);
	await vigil({ VIGIL_NOW: aware }, "case", "exploited", String(caseId), "--aware-at", aware,
		"--evidence", "honeypot capture");
	out = await vigil({ VIGIL_NOW: iso(Date.now() - 40 * 3600 * 1000) }, "case", "open",
		"--product", "acme-gateway", "--title", ACK_TITLE, "--description", "stored XSS");
	ackId = Number(/case (\d+) received/.exec(out)[1]);
	for (const role of ["admin", "auditor"])
		await vigil({ VIGIL_PASSWORD: PASSWORD }, "user", "add", `${TAG}-${role}`, "--role", role);
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

// "21h 59m 58s left" -> seconds
function secondsLeft(text) {
	const m = /^(?:(\d+)d )?(\d+)h (\d\d)m (\d\d)s left$/.exec(text.trim());
	assert.ok(m, `a countdown, not '${text}'`);
	return Number(m[1] || 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

test("a PSIRT user's home shows the early warning clock started two hours ago", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		assert.equal(new URL(page.url()).pathname, "/ui/");
		assert.equal(await page.locator("main h1").innerText(), "What needs you now");
		const clock = page.locator(`#clock-${await exposureOf(caseId)}-early-warning`);
		assert.equal(await clock.count(), 1, "the case's early warning is listed");
		assert.match(await clock.locator(".clock-label").innerText(), /Early warning \(24 h\)/);
		assert.match(await clock.locator(".clock-what").innerText(), new RegExp(TITLE));
		assert.match(await clock.locator(".clock-state").innerText(), /on track/i);
		// 22 hours left, give or take the seconds the test took
		const cd = clock.locator(".countdown");
		const left = secondsLeft(await cd.innerText());
		assert.ok(left <= 22 * 3600 && left > 21 * 3600, `about 22 h left, got ${left} s`);
		// countdown.js ticks it down
		await page.waitForFunction((el) => el.dataset.live === "1", await cd.elementHandle());
		await page.waitForTimeout(1500);
		assert.ok(secondsLeft(await cd.innerText()) < left, "the countdown ticks");
		// the button acts on it: the case's Article 14 section
		assert.equal(await clock.locator("a.act").getAttribute("href"),
			`/ui/cases/${caseId}#exposure-${await exposureOf(caseId)}`);
		// ordered by due time
		const dues = await page.locator("#clocks li.clock .countdown").evaluateAll((els) =>
			els.map((e) => Number(e.dataset.due)));
		assert.ok(dues.length >= 2, "the early warning and the notification");
		assert.deepEqual(dues, [...dues].sort((a, b) => a - b), "soonest due first");
		// the acknowledgement owed for 40 hours: act now, with its button
		const ack = page.locator(`#ack-${ackId}`);
		assert.equal(await ack.count(), 1);
		assert.match(await ack.locator(".clock-state").innerText(), /act now/i);
		assert.equal(await ack.locator("button", { hasText: "Acknowledge" }).count(), 1);
		// the tiles say how many, in words
		assert.match(await page.locator("#tile-clocks").innerText(), /Article 14 clock/);
		// the portfolio charts, each with words for those who cannot see it
		for (const id of ["chart-open", "chart-burn", "chart-mttr", "chart-exposed"])
			assert.equal(await page.locator(`#${id} figcaption`).count(), 1, id);
		assert.match(await page.locator("#chart-open desc").textContent(), /open findings/);
		await checkPage(page, "home-psirt");
	}));

test("the admin's home has the same work and the system line", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page, `${TAG}-admin`, PASSWORD);
		assert.equal(await page.locator(`#ack-${ackId}`).count(), 1);
		assert.equal(await page.locator("#clocks li.clock").count() > 0, true);
		assert.match(await page.locator("#system").innerText(), /audit records/);
		await checkPage(page, "home-admin");
	}));

test("an auditor's home lists nothing to act on, only the numbers", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page, `${TAG}-auditor`, PASSWORD);
		assert.equal(await page.locator("main h1").innerText(), "Overview");
		assert.match(await page.locator("#read-only").innerText(), /nothing here waits for you/);
		assert.equal(await page.locator("li.clock").count(), 0);
		assert.equal(await page.locator("main form").count(), 0, "no button that posts");
		assert.equal(await page.locator("a.act").count(), 0);
		const n = Number(await page.locator("#tile-clocks .big").innerText());
		assert.ok(n >= 2, `the running clocks are counted (${n})`);
		assert.equal(await page.locator("#chart-open").count(), 1);
		await checkPage(page, "home-auditor");
	}));

// the exposure opened on a case (the API's view, as the case's user)
const exposures = new Map();
async function exposureOf(id) {
	if (!exposures.has(id)) {
		const c = JSON.parse(await vigil({}, "case", "show", String(id), "--json"));
		exposures.set(id, c.exposures[0].id);
	}
	return exposures.get(id);
}
