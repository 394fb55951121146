// queue.test.mjs - the findings queue as a PSIRT lead uses it (issue 17
// item 4; replaces triage.test.mjs and keeps what it checked): columns
// sorted from their headers (aria-sort, kept with filters and page size),
// page size, the compact filter bar and "clear filters", a row decision
// (Enter in the comment submits; filters kept), a refused decision shown
// at the row with what was typed, one decision for selected rows with a
// confirmation that says how many, a finding's page with plain words, its
// history as readable changes, assignment to a user who may act, the
// decision in the VEX export, and checkPage() on the queue, the
// confirmation and a finding at 1366 and 390 px. It makes its own product
// (an SBOM hitting the demo advisories that t0900 loads), so it changes no
// data another test reads.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkPage, launch, login, url, USER, withPage } from "./harness.mjs";

let browser;
const LAB = `queue-lab-${process.pid}-${Date.now() % 100000}`;
const LIST = `/ui/findings?product=${LAB}`;

// 13 findings: lodash (DEMO-2026-0001, high), express (DEMO-2026-0003,
// critical), requests (DEMO-2026-0002, medium)
const COMPONENTS = [
	...["4.17.10", "4.17.11", "4.17.12", "4.17.13", "4.17.14", "4.17.15"].map((v) => ["npm", "lodash", v]),
	...["4.17.1", "4.17.2", "4.17.3"].map((v) => ["npm", "express", v]),
	...["2.20.0", "2.21.0", "2.22.0", "2.23.0"].map((v) => ["pypi", "requests", v]),
];

before(async () => {
	browser = await launch();
	// the lab product, through the API with the session and its CSRF token
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	await login(page);
	await page.goto(url("/ui/findings"));
	const csrf = await page.locator('input[name="csrf"]').first().getAttribute("value");
	const h = { "X-CSRF-Token": csrf };
	let r = await page.request.post(url("/api/v1/products"), { headers: h, data: { name: LAB } });
	assert.ok(r.ok(), `create ${LAB}: ${r.status()} ${await r.text()}`);
	const bom = {
		bomFormat: "CycloneDX",
		specVersion: "1.5",
		version: 1,
		components: COMPONENTS.map(([t, n, v]) => ({ type: "library", name: n, version: v, purl: `pkg:${t}/${n}@${v}` })),
	};
	r = await page.request.post(url(`/api/v1/products/${LAB}/versions/1.0/sboms`), {
		headers: { ...h, "Content-Type": "application/json" },
		data: JSON.stringify(bom),
	});
	assert.ok(r.ok(), `upload: ${r.status()} ${await r.text()}`);
	let total = 0;
	for (let i = 0; i < 50 && total < COMPONENTS.length; i++) {
		const l = await page.request.get(url(`/api/v1/findings?product=${LAB}`));
		total = (await l.json()).total;
		if (total < COMPONENTS.length) await page.waitForTimeout(100);
	}
	assert.equal(total, COMPONENTS.length);
	await ctx.close();
});
after(async () => {
	await browser?.close();
});

// The refusals a test asks for answer 4xx, which chromium logs as console
// errors: take exactly those (n of them) off the list of problems.
function expectRefusals(problems, n) {
	const mine = problems.filter((p) => /\/ui\/findings.* status of (400|409|422)/.test(p));
	assert.equal(mine.length, n, `expected ${n} refusals, saw:\n${problems.join("\n")}`);
	for (const p of mine) problems.splice(problems.indexOf(p), 1);
}

function row(page, purl) {
	return page.locator("#findings tbody tr", { has: page.locator(`code.purl:text-is("${purl}")`) });
}

async function column(page, label) {
	return page.locator(`#findings tbody td[data-label="${label}"]`).allInnerTexts();
}

test("sort by columns, page size, the filter bar", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.click("nav >> text=Findings");
		assert.equal(new URL(page.url()).pathname, "/ui/findings");
		assert.match(await page.locator("#counts").innerText(), /New \d+/);
		assert.equal(await page.locator("#chart-open polyline").count(), 5);
		assert.equal(await page.locator("#chart-sla rect").count(), 3);
		await page.goto(url(LIST));
		assert.equal(await page.locator("#findings tbody tr").count(), 13);
		assert.match(await page.locator("#total").innerText(), /1–13 of 13/);
		await checkPage(page, "queue");

		// CVSS: highest first, then turned round; aria-sort says which
		await Promise.all([page.waitForNavigation(), page.click('th[data-sort="score"] a')]);
		let u = new URL(page.url());
		assert.equal(u.searchParams.get("sort"), "score");
		assert.equal(u.searchParams.get("dir"), "desc");
		assert.equal(u.searchParams.get("product"), LAB); // the filter stays
		assert.equal(await page.getAttribute('th[data-sort="score"]', "aria-sort"), "descending");
		let scores = (await column(page, "CVSS")).map(Number);
		assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
		assert.equal(scores[0], 9.8);
		assert.match((await column(page, "Vector"))[0], /^CVSS:3\.1\/AV:N/);
		await Promise.all([page.waitForNavigation(), page.click('th[data-sort="score"] a')]);
		assert.equal(await page.getAttribute('th[data-sort="score"]', "aria-sort"), "ascending");
		scores = (await column(page, "CVSS")).map(Number);
		assert.deepEqual(scores, [...scores].sort((a, b) => a - b));
		// by component, A to Z; only the sorted column has aria-sort
		await Promise.all([page.waitForNavigation(), page.click('th[data-sort="component"] a')]);
		const comps = await column(page, "Component");
		assert.deepEqual(comps, [...comps].sort());
		assert.equal(await page.locator("th[aria-sort]").count(), 1);

		// page size: 25 kept with the sort and the filter
		await Promise.all([page.waitForNavigation(), page.click('#page-size a:text-is("25")')]);
		u = new URL(page.url());
		assert.equal(u.searchParams.get("limit"), "25");
		assert.equal(u.searchParams.get("sort"), "component");
		assert.equal(await page.getAttribute('#page-size a:text-is("25")', "aria-current"), "true");

		// the filter bar: labels beside their inputs, sort and size kept
		await page.getByLabel("Severity").first().selectOption("critical");
		await Promise.all([page.waitForNavigation(), page.click("#apply")]);
		u = new URL(page.url());
		assert.equal(u.searchParams.get("severity"), "critical");
		assert.equal(u.searchParams.get("sort"), "component");
		assert.equal(u.searchParams.get("limit"), "25");
		assert.deepEqual([...new Set((await column(page, "Severity")).map((s) => s.toLowerCase()))], ["critical"]);
		assert.equal(await page.locator("#findings tbody tr").count(), 3);
		const bar = await page.locator("#filter").boundingBox();
		assert.ok(bar.height < 110, `the filter bar is ${bar.height} px high`);
		await Promise.all([page.waitForNavigation(), page.click("#clear")]);
		u = new URL(page.url());
		assert.equal(u.searchParams.get("severity"), null);
		assert.equal(u.searchParams.get("product"), null);
		assert.equal(u.searchParams.get("sort"), "component");
	}));

test("a row decision; a refused one stays at the row with what was typed", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		await page.goto(url(`${LIST}&sort=id&dir=asc`));
		let r = row(page, "pkg:npm/lodash@4.17.10");
		const id = await r.getAttribute("data-id");
		assert.equal(await r.getAttribute("data-state"), "new");

		// new -> in_triage with the keyboard: Enter in the comment submits
		await r.locator("summary").click();
		await r.locator('select[name="state"]').selectOption("in_triage");
		await r.locator('input[name="comment"]').fill("looking at it");
		await Promise.all([page.waitForNavigation(), r.locator('input[name="comment"]').press("Enter")]);
		let u = new URL(page.url());
		assert.equal(u.pathname, "/ui/findings");
		assert.equal(u.searchParams.get("product"), LAB);
		assert.equal(u.searchParams.get("sort"), "id");
		assert.equal(u.hash, `#f${id}`);
		r = row(page, "pkg:npm/lodash@4.17.10");
		assert.equal(await r.getAttribute("data-state"), "in_triage");

		// not affected without a justification: refused at the row, what was
		// typed kept, the error in view (not 600 px above)
		await r.locator("summary").click();
		await r.locator('select[name="state"]').selectOption("not_affected");
		await r.locator('input[name="comment"]').fill("merge() is never called");
		await Promise.all([page.waitForNavigation(), r.locator("button").click()]);
		r = row(page, "pkg:npm/lodash@4.17.10");
		assert.equal(await r.getAttribute("class"), "has-error");
		const err = r.locator("#row-error");
		assert.match(await err.innerText(), /Not affected needs a justification/);
		assert.equal(await r.locator('input[name="comment"]').inputValue(), "merge() is never called");
		assert.equal(await r.locator('select[name="state"]').inputValue(), "not_affected");
		const box = await err.boundingBox();
		const vh = page.viewportSize().height;
		assert.ok(box && box.y >= 0 && box.y + box.height <= vh, `the error is at ${box?.y} px of ${vh}`);
		assert.equal(await r.getAttribute("data-state"), "in_triage");
		await checkPage(page, "queue-row-error");

		// with the justification (words and code)
		await r.locator('select[name="justification"]').selectOption("vulnerable_code_not_in_execute_path");
		await Promise.all([page.waitForNavigation(), r.locator("button").click()]);
		r = row(page, "pkg:npm/lodash@4.17.10");
		assert.equal(await r.getAttribute("data-state"), "not_affected");
		assert.match(await r.innerText(), /Not affected\s+The vulnerable code is never run vulnerable_code_not_in_execute_path/);

		// the finding's page: words, the history as changes, assignment
		await r.locator(`a[href="/ui/findings/${id}"]`).click();
		assert.equal(new URL(page.url()).pathname, `/ui/findings/${id}`);
		assert.match(await page.locator("#state").innerText(), /Not affected: The vulnerable code is never run vulnerable_code_not_in_execute_path/);
		assert.match(await page.locator("#comments").innerText(), /merge\(\) is never called/);
		const hist = page.locator('#history tbody tr[data-action="finding.triage"]');
		assert.equal(await hist.count(), 2);
		const last = await hist.nth(1).innerText();
		assert.match(last, new RegExp(USER));
		assert.match(last, /State\s+In triage Not affected/);
		assert.equal(await hist.nth(1).locator("del").first().innerText(), "In triage");
		assert.equal(await page.locator('#history tbody tr[data-action^="auth."]').count(), 0);
		// only people who may act are offered
		const names = await page.locator("#assign select option").allInnerTexts();
		assert.ok(names.includes(USER));
		await page.locator("#assign select").selectOption(USER);
		await Promise.all([page.waitForNavigation(), page.locator("#assign button").click()]);
		assert.equal(new URL(page.url()).pathname, `/ui/findings/${id}`);
		assert.match(await page.locator("#finding").innerText(), new RegExp(`Assignee\\s+${USER}`));
		// a refused decision on the page keeps what was typed, at the form
		await page.locator("#triage select[name=state]").selectOption("in_triage");
		await page.locator("#triage select[name=justification]").selectOption("component_not_present");
		await page.locator("#triage input[name=comment]").fill("typed on the page");
		await Promise.all([page.waitForNavigation(), page.locator("#triage button").click()]);
		assert.match(await page.locator("#triage #error").innerText(), /goes with the state Not affected only/);
		assert.equal(await page.locator("#triage input[name=comment]").inputValue(), "typed on the page");
		await checkPage(page, "finding");

		// the decision is in the VEX export
		const vex = await page.request.get(url(`/api/v1/vex/${LAB}/1.0?format=openvex`));
		assert.equal(vex.status(), 200);
		const st = (await vex.json()).statements.find(
			(s) => s.products[0].subcomponents[0]["@id"] === "pkg:npm/lodash@4.17.10",
		);
		assert.equal(st.status, "not_affected");
		assert.equal(st.justification, "vulnerable_code_not_in_execute_path");
		expectRefusals(problems, 2);
	}));

test("one decision for the selected rows, after a confirmation", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		await page.goto(url(`${LIST}&sort=component&dir=asc`));
		const picks = ["pkg:npm/express@4.17.1", "pkg:npm/express@4.17.2", "pkg:pypi/requests@2.20.0"];
		const ids = [];
		for (const p of picks) {
			const r = row(page, p);
			ids.push(await r.getAttribute("data-id"));
			await r.locator('input[name="id"]').check();
		}
		assert.equal(await page.locator("#n-selected").innerText(), "(3)");
		await page.selectOption("#bulk-state", "in_triage");
		await page.selectOption("#bulk-assignee", USER);
		await page.fill("#bulk-comment", "same upstream fix for all three");
		await Promise.all([page.waitForNavigation(), page.click("#bulk-review")]);
		assert.match(await page.locator("#confirm-count").innerText(), /3 finding\(s\) will change/);
		assert.match(await page.locator("#confirm").innerText(), /New state\s+In triage/);
		await checkPage(page, "queue-bulk-confirm");
		await Promise.all([page.waitForNavigation(), page.click("#confirm-apply")]);
		const u = new URL(page.url());
		assert.equal(u.searchParams.get("sort"), "component"); // back to the same list
		assert.match(await page.locator("#flash").innerText(), /applied to 3 finding\(s\)/);
		for (const p of picks) {
			const r = row(page, p);
			assert.equal(await r.getAttribute("data-state"), "in_triage");
			assert.equal(await r.locator('td[data-label="Assignee"]').innerText(), USER);
		}
		assert.equal(await row(page, "pkg:npm/express@4.17.3").getAttribute("data-state"), "new");
		// nothing selected: refused at the bulk form, what was typed kept
		await page.selectOption("#bulk-state", "affected");
		await page.fill("#bulk-comment", "no rows ticked");
		await Promise.all([page.waitForNavigation(), page.click("#bulk-review")]);
		assert.match(await page.locator("#bulk-error").innerText(), /No finding selected/);
		assert.equal(await page.inputValue("#bulk-comment"), "no rows ticked");
		assert.equal(await page.inputValue("#bulk-state"), "affected");
		// each finding got its own audit record
		await page.goto(url(`/ui/findings/${ids[0]}`));
		assert.match(await page.locator('#history tbody tr[data-action="finding.triage"]').last().innerText(),
			/same upstream fix for all three/);
		expectRefusals(problems, 1);
	}));
