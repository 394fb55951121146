// triage.test.mjs - the triage queue in a real browser: counts per state,
// filters kept across a triage made from the list (no JavaScript needed: a
// form per row, POST and back), the keyboard (Enter in the comment field
// submits), a justification required for not_affected, a finding's page with
// its audit history (who, before, after), the charts, and the decision in the
// VEX export. Uses the demo advisories (demo/osv-demo.json) that t0900 loads
// with `vigil demo load`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, screenshot, url, USER, withPage } from "./harness.mjs";

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

const FILTER = "/ui/findings?product=acme-gateway&version=1.0.0";

function row(page, text) {
	return page.locator("#findings tbody tr", { hasText: text });
}

test("triage a finding from the queue, then see it in its history and the VEX", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.click("nav >> text=Findings");
		assert.equal(new URL(page.url()).pathname, "/ui/findings");
		assert.match(await page.locator("#counts").innerText(), /new/);
		assert.equal(await page.locator("#chart-open polyline").count(), 5);
		assert.equal(await page.locator("#chart-sla rect").count(), 3);

		// Filters through the form, kept in the URL.
		await page.fill("#filter input[name=product]", "acme-gateway");
		await page.fill("#filter input[name=version]", "1.0.0");
		await Promise.all([page.waitForNavigation(), page.click("#apply")]);
		const u = new URL(page.url());
		assert.equal(u.searchParams.get("product"), "acme-gateway");
		assert.equal(u.searchParams.get("version"), "1.0.0");
		const lodash = row(page, "pkg:npm/lodash@4.17.20");
		assert.equal(await lodash.count(), 1);
		const id = await lodash.getAttribute("data-id");
		assert.equal(await lodash.getAttribute("data-state"), "new");

		// new -> in_triage with the keyboard: choose the state, type a
		// comment, press Enter.
		await lodash.locator("select[name=state]").selectOption("in_triage");
		await lodash.locator("input[name=comment]").fill("looking at it");
		await Promise.all([page.waitForNavigation(), lodash.locator("input[name=comment]").press("Enter")]);
		const back = new URL(page.url());
		assert.equal(back.pathname, "/ui/findings");
		assert.equal(back.searchParams.get("product"), "acme-gateway"); // filters kept
		assert.equal(back.searchParams.get("version"), "1.0.0");
		assert.equal(await row(page, "pkg:npm/lodash@4.17.20").getAttribute("data-state"), "in_triage");

		// not_affected without a justification is refused, with a reason.
		let r = row(page, "pkg:npm/lodash@4.17.20");
		await r.locator("select[name=state]").selectOption("not_affected");
		await Promise.all([page.waitForNavigation(), r.locator("button").click()]);
		assert.match(await page.locator("#error").innerText(), /needs a justification/);
		assert.equal(new URL(page.url()).searchParams.get("version"), "1.0.0"); // still the list
		assert.equal(await row(page, "pkg:npm/lodash@4.17.20").getAttribute("data-state"), "in_triage");
		await page.goto(url(FILTER));

		// in_triage -> not_affected with its justification.
		r = row(page, "pkg:npm/lodash@4.17.20");
		await r.locator("select[name=state]").selectOption("not_affected");
		await r.locator("select[name=justification]").selectOption("vulnerable_code_not_in_execute_path");
		await r.locator("input[name=comment]").fill("merge() is never called");
		await Promise.all([page.waitForNavigation(), r.locator("input[name=comment]").press("Enter")]);
		r = row(page, "pkg:npm/lodash@4.17.20");
		assert.equal(await r.getAttribute("data-state"), "not_affected");
		assert.match(await r.innerText(), /vulnerable_code_not_in_execute_path/);
		await screenshot(page, "triage-queue");

		// The finding's page: state, comments, and the audit history with
		// who, before and after.
		await r.locator(`a[href="/ui/findings/${id}"]`).click();
		assert.equal(new URL(page.url()).pathname, `/ui/findings/${id}`);
		assert.match(await page.locator("#state").innerText(), /not_affected \(vulnerable_code_not_in_execute_path\)/);
		assert.match(await page.locator("#comments").innerText(), /merge\(\) is never called/);
		const hist = page.locator("#history tbody tr", { hasText: "finding.triage" });
		assert.equal(await hist.count(), 2);
		const last = await hist.nth(1).innerText();
		assert.match(last, new RegExp(USER));
		assert.match(last, /"state":"in_triage"/);
		assert.match(last, /"state":"not_affected"/);
		await screenshot(page, "triage-finding");

		// Assign from the finding's page (keyboard-reachable select + button).
		await page.locator("#assign select[name=assignee]").selectOption(USER);
		await Promise.all([page.waitForNavigation(), page.locator("#assign button").click()]);
		assert.equal(new URL(page.url()).pathname, `/ui/findings/${id}`);
		assert.match(await page.locator("#finding").innerText(), new RegExp(`assignee\\s+${USER}`));

		// The decision is in the VEX export, per vulnerability and component.
		const vex = await page.request.get(
			url("/api/v1/vex/acme-gateway/1.0.0?format=openvex"),
		);
		assert.equal(vex.status(), 200);
		const doc = await vex.json();
		const st = doc.statements.find(
			(s) => s.products[0].subcomponents[0]["@id"] === "pkg:npm/lodash@4.17.20",
		);
		assert.equal(st.status, "not_affected");
		assert.equal(st.justification, "vulnerable_code_not_in_execute_path");
	}));

test("queue filters: state, overdue, sort by due time", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/findings?state=open&sort=due"));
		const dues = await page.locator("#findings tbody tr td:nth-child(10)").allInnerTexts();
		const times = dues.map((d) => d.replace(/ overdue$/, "")).filter((d) => d !== "-");
		assert.ok(times.length >= 1);
		assert.deepEqual([...times].sort(), times); // soonest first
		await page.selectOption("#filter select[name=state]", "not_affected");
		await Promise.all([page.waitForNavigation(), page.click("#apply")]);
		for (const s of await page.locator("#findings tbody tr").evaluateAll((rs) => rs.map((r) => r.dataset.state)))
			assert.ok(s === undefined || s === "not_affected");
	}));
