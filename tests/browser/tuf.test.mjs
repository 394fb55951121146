// tuf.test.mjs - the TUF status page (/ui/tuf) in a real browser: every
// role with its version, expiry and signers (threshold, development-only
// marks, key ids and never a key), the delegated product, the last
// re-signing, the "TUF" and "Signers" entries of the navigation bar, and the
// live countdown: with the browser's clock driven forward, timestamp (1 day
// lifetime) turns urgent when less than a quarter is left and expired after,
// while root stays ok.
//
// t0900-browser.sh makes the repository: signers tuf-root and tuf-online
// (software keys), roles signed 13 h before the test, acme-gateway delegated
// and timestamp renewed by `vigil tuf resign`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, screenshot, url, withPage } from "./harness.mjs";

let browser;
const VIEW = { viewport: { width: 1366, height: 900 } };

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

const row = (page, role) => page.locator(`#tuf-roles tr[data-role="${role}"]`);
const stateOf = (page, role) => row(page, role).locator("td.clock .clock-state").innerText();

test("the TUF page shows every role, its signers and the delegated product", (t) =>
	withPage(
		browser,
		t,
		async ({ page }) => {
			await login(page);
			// reached from the navigation bar, as are the signers
			await page.getByRole("link", { name: "TUF", exact: true }).click();
			await page.waitForURL(/\/ui\/tuf$/);
			assert.equal(await page.title().then((s) => /TUF/.test(s)), true);
			const navSigners = page.locator('nav a[href="/ui/signers"]');
			assert.equal(await navSigners.count(), 1);
			assert.equal(await page.locator('nav a[href="/ui/tuf"][aria-current]').count(), 1);

			for (const role of ["root", "targets", "snapshot", "timestamp", "products/acme-gateway"])
				assert.equal(await row(page, role).count(), 1, `row of ${role}`);
			// timestamp was signed again by `vigil tuf resign`: version 3 after init and delegate
			assert.equal(await row(page, "timestamp").locator("td.version").innerText(), "3");
			assert.equal(await row(page, "root").locator("td.version").innerText(), "1");

			const root = row(page, "root").locator("td.signers");
			assert.match(await root.innerText(), /1 of 1/);
			assert.match(await root.innerText(), /tuf-root/);
			assert.match(await root.innerText(), /development only/i);
			assert.match(await root.locator("code").getAttribute("title"), /^[0-9a-f]{64}$/);
			// never a secret: no key material, no key file contents
			const body = await page.locator("body").innerText();
			assert.doesNotMatch(body, /PRIVATE KEY|BEGIN /);

			for (const role of ["root", "snapshot", "timestamp"])
				assert.equal(await stateOf(page, role), "OK", `state of ${role}`);
			const prod = page.locator('#tuf-products tr[data-product="acme-gateway"]');
			assert.equal(await prod.count(), 1);
			assert.match(await prod.innerText(), /tuf-online/);
			assert.match(await prod.innerText(), /acme-gateway\/\*/);

			const last = page.locator("#last-resign");
			assert.match(await last.innerText(), /Last re-signed .* by .*: timestamp/);
			await screenshot(page, "tuf-status");
		},
		VIEW,
	));

test("the expiry countdown ticks and turns urgent, then expired", (t) =>
	withPage(
		browser,
		t,
		async ({ page }) => {
			await page.clock.install();
			await login(page);
			await page.goto(url("/ui/tuf"));
			const cd = row(page, "timestamp").locator(".countdown");
			await page.clock.runFor(2000);
			assert.equal(await cd.getAttribute("data-live"), "1");
			assert.match(await cd.innerText(), /^(23h|1d 00h) \d\dm \d\ds left$/);
			assert.equal(await stateOf(page, "timestamp"), "OK");

			// 19 h on: less than a quarter of the 1 day lifetime is left
			await page.clock.fastForward("19:00:00");
			assert.equal(await stateOf(page, "timestamp"), "URGENT");
			assert.match(await row(page, "timestamp").locator("td.clock").getAttribute("class"), /clock-due/);
			assert.match(await cd.innerText(), /^[45]h \d\dm \d\ds left$/);
			assert.equal(await stateOf(page, "root"), "OK");
			await screenshot(page, "tuf-urgent");

			// 6 h more: expired
			await page.clock.fastForward("06:00:00");
			assert.equal(await stateOf(page, "timestamp"), "EXPIRED");
			assert.match(await cd.innerText(), /^overdue by /);
			assert.equal(await stateOf(page, "targets"), "OK");
		},
		VIEW,
	));
