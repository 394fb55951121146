// rollout.test.mjs - the Rollouts pages (issue 19 item 5) in a real browser:
// the list reached from the navigation bar, a rollout's page with one chart
// per stage (offered, installed, failed: the simulator's reports), the
// buttons that apply to its state, each asking for a reason, posted as
// forms with the CSRF field and no JavaScript needed; pause and resume
// recorded in the history with who and why. checkPage at 1366 and 390 px.
//
// t0900-browser.sh makes the data: rollout 1 of acme-gateway 1.1.0 (stages
// 10, 50, 100) to 60 devices, advanced to 50 % by hand, with installs and
// injected failures reported by bench_devsim.
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

test("the rollouts list and a rollout's page with its charts", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.getByRole("link", { name: "Rollouts", exact: true }).click();
		await page.waitForURL(/\/ui\/rollouts$/);
		const row = page.locator("#rollouts tbody tr").filter({ hasText: "acme-gateway" }).first();
		assert.match(await row.innerText(), /1\.1\.0/);
		assert.match(await row.innerText(), /Running/);
		await checkPage(page, "rollouts");

		await row.getByRole("link").first().click();
		await page.waitForURL(/\/ui\/rollouts\/\d+$/);
		assert.match(await page.locator("h1").innerText(), /acme-gateway 1\.1\.0/);
		assert.match(await page.locator("#stage").innerText(), /2 of 3 \(50 %\)/);
		// one chart per stage, each with offered, installed and failed bars
		const charts = page.locator("#stages figure svg");
		assert.equal(await charts.count(), 3);
		for (const kind of ["offered", "installed", "failed"])
			assert.equal(await page.locator(`#stages svg rect.bar-${kind}`).count(), 3, kind);
		// the simulator's reports: installs in both started stages, and the
		// injected failures (a device that failed may install on a later try)
		let failedAll = 0;
		for (let i = 0; i < 2; i++) {
			const title = await charts.nth(i).locator("title").textContent();
			const [, offered, installed, failed] = title.match(/(\d+) offered, (\d+) installed, (\d+) failed/).map(Number);
			assert.ok(offered > 0 && installed > 0, title);
			assert.ok(installed + failed <= offered, title);
			failedAll += failed;
		}
		assert.ok(failedAll > 0, "failures shown");
		// the stage not started yet offers nothing
		assert.match(await charts.nth(2).locator("title").textContent(), /: 0 offered, 0 installed, 0 failed/);
		// the buttons of a running rollout, each with a required reason
		for (const a of ["pause", "advance", "halt"]) {
			const form = page.locator(`#form-${a}`);
			assert.equal(await form.count(), 1, a);
			assert.equal(await form.locator('input[name="csrf"]').count(), 1, `${a} csrf`);
			assert.equal(await form.locator('input[name="reason"][required]').count(), 1, `${a} reason`);
		}
		assert.equal(await page.locator("#form-resume").count(), 0);
		await checkPage(page, "rollout");
	}));

test("pause and resume, each with a reason, in the history", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/rollouts/1"));
		await page.fill("#reason-pause", "waiting for the field report");
		await Promise.all([page.waitForNavigation(), page.click("#form-pause button")]);
		assert.match(page.url(), /done=saved/);
		assert.match(await page.locator("#state").innerText(), /Paused/);
		assert.equal(await page.locator("#form-resume").count(), 1);
		const hist = page.locator("#history");
		assert.match(await hist.innerText(), /Paused/);
		assert.match(await hist.innerText(), /waiting for the field report/);
		await checkPage(page, "rollout-paused");
		await page.fill("#reason-resume", "field report is clean");
		await Promise.all([page.waitForNavigation(), page.click("#form-resume button")]);
		assert.match(await page.locator("#state").innerText(), /Running/);
		assert.match(await page.locator("#history").innerText(), /field report is clean/);
	}));

test("halt needs a reason, stops the rollout at once and offers resume and roll back", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/rollouts/1"));
		assert.match(await page.locator("#state").innerText(), /Running/);
		// the server refuses an empty reason even when the browser does not
		await page.locator("#reason-halt").evaluate((e) => e.removeAttribute("required"));
		await Promise.all([page.waitForNavigation(), page.click("#form-halt button")]);
		assert.match(page.url(), /error=reason/);
		assert.match(await page.locator("main").innerText(), /Give a reason/);
		assert.match(await page.locator("#state").innerText(), /Running/);

		await page.fill("#reason-halt", "boot loop reported on 1.1.0");
		await Promise.all([page.waitForNavigation(), page.click("#form-halt button")]);
		assert.match(page.url(), /done=saved/);
		assert.match(await page.locator("#state").innerText(), /Halted/);
		assert.match(await page.locator("#reason").innerText(), /boot loop reported on 1\.1\.0/);
		// halted: nothing left to pause, advance or halt; resume or roll back, each with a reason
		for (const a of ["pause", "advance", "halt"]) assert.equal(await page.locator(`#form-${a}`).count(), 0, a);
		for (const a of ["resume", "rollback"]) {
			const form = page.locator(`#form-${a}`);
			assert.equal(await form.count(), 1, a);
			assert.equal(await form.locator('input[name="reason"][required]').count(), 1, `${a} reason`);
		}
		const hist = await page.locator("#history").innerText();
		assert.match(hist, /boot loop reported on 1\.1\.0/);
		assert.match(hist, /carol|dave/);
		await checkPage(page, "rollout-halted");
		// the list shows it halted too
		await page.goto(url("/ui/rollouts"));
		const row = page.locator("#rollouts tbody tr").filter({ hasText: "acme-gateway" }).first();
		assert.match(await row.innerText(), /Halted/);
	}));
