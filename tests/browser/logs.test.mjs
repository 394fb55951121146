// logs.test.mjs - the log page (/ui/logs) in a real browser: the filter in
// the URL, the histogram over time with its numbers, the matching lines in
// time order, paging, the text filter, and a bad time shown at its field.
// t0900-browser.sh ingests 60 events of product logs-demo on 2026-04-01
// (one every 20 minutes, versions 1.0 and 1.1 alternating, 7 with "denied").
// The test only reads: no other test changes these events.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkPage, launch, login, url, withPage } from "./harness.mjs";

let browser;

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

const DAY = "since=2026-04-01&until=2026-04-01T23%3A59%3A59Z";

test("the log page: histogram, lines, paging, filters in the URL", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url(`/ui/logs?${DAY}&product=logs-demo`));
		assert.match(await page.title(), /Logs/);
		const fig = page.locator("#logs-histogram");
		assert.equal(await fig.count(), 1);
		assert.match(await fig.locator("figcaption").innerText(), /Matching events over time/);
		// one day: hours under the columns, the date once in the axis title
		const axis = await fig.locator("svg").textContent();
		assert.match(axis, /00:00/);
		assert.match(axis, /from \(UTC, 2026-04-01\)/);
		assert.doesNotMatch(axis, /2026-04-01 00:00/);
		assert.match(await page.locator("#logs-count").innerText(), /60 matching events/);
		const rows = page.locator("#logs-lines tbody tr");
		assert.equal(await rows.count(), 50);
		assert.match(await rows.first().innerText(), /denied \/api\/v2\/item\/0/);
		assert.match(await rows.first().innerText(), /logs-demo/);
		await checkPage(page, "logs");

		// the second page holds the last 10, in time order
		await page.locator("#logs-next").click();
		await page.waitForURL(/page=2/);
		assert.equal(await rows.count(), 10);
		assert.match(await rows.last().innerText(), /item\/59/);
		assert.equal(await page.locator("#logs-next").count(), 0);
		assert.equal(await page.locator("#logs-prev").count(), 1);

		// the form: one version and a text, kept in the URL
		await page.goto(url(`/ui/logs?${DAY}`));
		await page.fill("#l-product", "logs-demo");
		await page.fill("#l-version", "1.0");
		await page.fill("#l-grep", "denied");
		await page.locator("#logs-filter button[type=submit]").click();
		await page.waitForURL(/grep=denied/);
		assert.match(page.url(), /version=1\.0/);
		// denied at i % 9 == 0, version 1.0 at even i: 0, 18, 36, 54
		assert.match(await page.locator("#logs-count").innerText(), /^4 matching events/);
		assert.equal(await rows.count(), 4);
		await checkPage(page, "logs-filtered");
	}));

test("the log page: a bad time is named at its field, values kept", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/logs?since=yesterday&product=logs-demo"));
		const input = page.locator("#l-since");
		assert.equal(await input.getAttribute("aria-invalid"), "true");
		assert.match(await page.locator("#l-since-error").innerText(), /RFC 3339|time/i);
		assert.equal(await page.locator("#l-product").inputValue(), "logs-demo");
		assert.equal(await page.locator("#logs-lines").count(), 0);
		await checkPage(page, "logs-error");
	}));
