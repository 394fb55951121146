// oncall.test.mjs - on-call paging in a real browser: a page is sent through
// a webhook channel to a receiver started here, the acknowledgement link in
// it is opened without logging in, confirmed with one click, and the logged
// in PSIRT user (carol) sees the page acknowledged on /ui/oncall, with the
// rota. Set-up uses the vigil binary on the server's database (VIGIL and
// VIGIL_DB, as t0900-browser.sh exports them).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer } from "node:http";
import { launch, login, screenshot, url, withPage } from "./harness.mjs";

function need(name) {
	const v = process.env[name];
	if (!v) throw new Error(`environment variable ${name} is not set`);
	return v;
}

const VIGIL = need("VIGIL");
need("VIGIL_DB");

// asynchronous, so this process's webhook receiver can answer while vigil sends
const run = promisify(execFile);
async function vigil(...args) {
	const { stdout } = await run(VIGIL, args, { encoding: "utf8", env: process.env });
	return stdout;
}

let browser;
let receiver;
const received = [];

before(async () => {
	receiver = createServer((req, res) => {
		let body = "";
		req.on("data", (c) => (body += c));
		req.on("end", () => {
			received.push({ path: req.url, body: JSON.parse(body) });
			res.writeHead(200, { "Content-Type": "application/json" });
			res.end("{}");
		});
	});
	await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
	const hook = `http://127.0.0.1:${receiver.address().port}/page`;
	await vigil("notify", "channel-add", "browser-oncall", "--kind", "webhook", "--url", hook);
	await vigil("oncall", "person-add", "carol", "--user", "carol", "--channel", "browser-oncall");
	await vigil("oncall", "person-add", "dave");
	await vigil("oncall", "rotation-add", "browser-rota", "--tz", "Europe/Berlin", "--start",
		"2026-01-05T08:00:00Z", "--handover", "mon@09", "--members", "carol,dave");
	await vigil("oncall", "policy-add", "browser-policy", "--level", "person:carol:browser-oncall:15",
		"--repeat", "1");
	browser = await launch();
});

after(async () => {
	await browser?.close();
	receiver?.close();
});

test("a page is acknowledged through the link in it", (t) =>
	withPage(browser, t, async ({ page }) => {
		const out = await vigil("oncall", "page", "--policy", "browser-policy", "--summary",
			"browser test: KEV entry for the demo router", "--json");
		const id = JSON.parse(out).id;
		const msg = received.find((m) => m.body.details?.page_id === id);
		assert.ok(msg, "the webhook receiver got the page");
		assert.equal(msg.body.event, "oncall.page");
		const link = msg.body.details.ack_url;
		assert.match(link, /\/oncall\/ack\/[A-Za-z0-9_-]{20,}$/);

		// no login: the token is the credential
		const resp = await page.goto(link.startsWith("http") ? link : url(link));
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#page-summary").innerText(), /KEV entry for the demo router/);
		assert.equal(await page.locator("#page-status").innerText(), "open");
		await screenshot(page, "oncall-ack-confirm");
		const [done] = await Promise.all([page.waitForNavigation(), page.click("#ack")]);
		assert.equal(done.status(), 200);
		assert.match(await page.locator("#ack-done").innerText(), /Acknowledged/);
		assert.equal(await page.locator("#page-status").innerText(), "acknowledged");
		await screenshot(page, "oncall-ack-done");

		// the link does not acknowledge twice
		const again = await page.goto(link.startsWith("http") ? link : url(link));
		assert.equal(again.status(), 200);
		assert.match(await page.locator("#ack-done").innerText(), /Already acknowledged by link:carol/);
		assert.equal(await page.locator("#ack").count(), 0);

		const state = JSON.parse(await vigil("oncall", "pages", "--json")).find((p) => p.id === id);
		assert.equal(state.status, "acknowledged");
		assert.equal(state.acknowledged_by, "link:carol");
	}));

test("the on-call page shows the rota and the acknowledged page", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		const resp = await page.goto(url("/ui/oncall"));
		assert.equal(resp.status(), 200);
		const rota = page.locator("#rota tbody tr", { hasText: "browser-rota" });
		assert.equal(await rota.count(), 1);
		assert.match(await rota.locator(".on-call").innerText(), /^(carol|dave)$/);
		const row = page.locator("#pages tbody tr", { hasText: "KEV entry for the demo router" });
		assert.equal(await row.locator(".status").innerText(), "acknowledged");
		await screenshot(page, "oncall-page");
	}));
