// fleet.test.mjs - the Fleet pages (issue 19 items 4 and 5) in a real
// browser: the version distribution as a chart and a table whose figures
// agree with each other and with the API, the product filter (an unknown
// product refused with a page saying so), and a vulnerability's exposure
// page agreeing with /api/v1/fleet/exposure. checkPage at 1366 and 390 px.
//
// t0900-browser.sh makes the data: 60 acme-gateway devices enrolled at
// 1.0.0, some of which installed 1.1.0 through the rollout the simulator
// played (rollout.test.mjs). The demo data's findings put CVE-2026-90001 on
// acme-gateway 1.0.0; other tests may triage findings, so the exposure
// figures are compared with the API at the same moment, never hard-coded.
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

const num = (s) => Number(s.replace(/[^0-9]/g, ""));

// chromium logs the 404 of a page refused on purpose as a console error:
// expected here, not a problem of the page
function allow404(problems) {
	problems.splice(0, problems.length, ...problems.filter((p) => !p.includes("status of 404")));
}

test("the fleet page: the version chart and table agree with the API", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		await page.getByRole("link", { name: "Fleet", exact: true }).click();
		await page.waitForURL(/\/ui\/fleet$/);
		const api = await (await page.request.get(url("/api/v1/fleet/versions"))).json();
		const total = num((await page.locator("#fleet-total").innerText()).split(" ")[0]);
		assert.equal(total, api.devices, "the page's total is the API's");
		assert.ok(total >= 60, `the 60 devices of acme-gateway are counted (${total})`);

		// the table: one row per (product, version, channel), summing to the total
		const rows = page.locator("#fleet-versions tbody tr");
		assert.equal(await rows.count(), api.versions.length);
		let sum = 0;
		const byVersion = new Map();
		for (let i = 0; i < (await rows.count()); i++) {
			const cells = await rows.nth(i).locator("td").allInnerTexts();
			sum += num(cells[3]);
			if (cells[0] === "acme-gateway")
				byVersion.set(cells[1], (byVersion.get(cells[1]) || 0) + num(cells[3]));
		}
		assert.equal(sum, total, "the rows add up to the total");
		assert.ok(byVersion.get("1.0.0") > 0, "devices still on 1.0.0");
		assert.ok(byVersion.get("1.1.0") > 0, "devices that installed 1.1.0 through the rollout");

		// the chart: one bar per product version, its title naming the count
		const bars = page.locator("#chart-versions rect");
		const versions = new Set(api.versions.map((v) => `${v.product} ${v.version}`));
		assert.equal(await bars.count(), Math.min(versions.size, 20));
		const titles = await page.locator("#chart-versions rect title").allTextContents();
		for (const v of ["1.0.0", "1.1.0"]) {
			const bar = titles.filter((s) => s.startsWith(`acme-gateway ${v}:`));
			assert.deepEqual(bar, [`acme-gateway ${v}: ${byVersion.get(v)} device(s)`], v);
		}
		assert.match(await page.locator("#chart-versions-t").textContent(), new RegExp(`${total} device`));
		await checkPage(page, "fleet");

		// filtered by product, through the form
		await page.fill("#fleet-product", "acme-gateway");
		await Promise.all([page.waitForNavigation(), page.click("form.filters button")]);
		assert.match(page.url(), /product=acme-gateway/);
		const own = [...byVersion.values()].reduce((a, b) => a + b, 0);
		assert.match(await page.locator("#fleet-total").innerText(), new RegExp(`^${own} active device.* of acme-gateway`));
		for (const p of await page.locator("#fleet-versions tbody tr td:first-child").allInnerTexts())
			assert.equal(p, "acme-gateway");

		// an unknown product: a page saying so, not an empty fleet
		const resp = await page.goto(url("/ui/fleet?product=no-such-product"));
		assert.equal(resp.status(), 404);
		assert.match(await page.locator("main").innerText(), /no-such-product/);
		allow404(problems);
	}));

test("a vulnerability's exposure page agrees with the API", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		const vuln = "CVE-2026-90001";
		await page.goto(url(`/ui/fleet/exposure/${vuln}`));
		const api = await (await page.request.get(url(`/api/v1/fleet/exposure/${vuln}`))).json();
		assert.equal(api.vulnerability, vuln);
		const head = await page.locator("#exposure-total").innerText();
		assert.match(head, new RegExp(`^${api.devices} device\\(s\\) run one of ${api.affected_versions} product version`));
		assert.equal(await page.locator(`#exposure-total a[href="/ui/vulnerabilities/${vuln}"]`).count(), 1);
		if (api.exposure.length) {
			const rows = page.locator("#exposure tbody tr");
			assert.equal(await rows.count(), api.exposure.length);
			const first = await rows.first().locator("td").allInnerTexts();
			assert.equal(first[0], api.exposure[0].product);
			assert.equal(first[1], api.exposure[0].version);
			assert.equal(num(first[3]), api.exposure[0].devices);
			// the version links to its open findings of this vulnerability
			const href = await rows.first().locator("a").getAttribute("href");
			assert.match(href, new RegExp(`^/ui/findings\\?product=acme-gateway&version=[^&]+&vuln=${vuln}$`));
		} else {
			// every finding of it triaged away by another test meanwhile
			assert.equal(api.devices, 0);
		}
		await checkPage(page, "fleet-exposure");

		// an unknown vulnerability: 404 naming it
		const resp = await page.goto(url("/ui/fleet/exposure/CVE-1999-0000000"));
		assert.equal(resp.status(), 404);
		assert.match(await page.locator("main").innerText(), /CVE-1999-0000000/);
		allow404(problems);
	}));
