// advisory.test.mjs - a CSAF advisory from a PSIRT case to the public page in
// a real browser (issue 22 items 1, 2, 6): carol opens a case of her own
// (its title tagged so no other test's data is touched), drafts its advisory
// on /ui/advisories, sees the preview of the document as users will read it
// and the result of the CSAF checks; while she types in the document box
// the preview follows (web/advisory.js asks the server to render the typed
// document, nothing stored); she saves the edit as a revision; an edit of
// vigil's tracking is refused with the reason on the page; four-eyes review
// is on (t0900-browser.sh adds dave), so carol's Approve is refused and dave
// approves and publishes; the public list and page show it with the link to
// the CSAF file, which serves the published document. The preview button
// works without JavaScript too (that page is saved with screenshot(): axe
// needs JavaScript; the same editor is checked with checkPage() above).
// Every other page is checked with checkPage() at 1366 and 390 px.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkPage, launch, login, screenshot, url, withPage } from "./harness.mjs";

const USER2 = process.env.VIGIL_TEST_USER2 || "dave";
const PASSWORD2 = process.env.VIGIL_TEST_PASSWORD2 || "pw-browser-8d2b";

let browser;
const TAG = `adv-${process.pid}-${Date.now()}`;
const TITLE = `Command injection in the diagnostics page ${TAG}`;
let advisory = null; // /ui/advisories/N
let tracking = null;

function expect4xx(problems, re, n = 1) {
	const seen = problems.filter((p) => re.test(p));
	assert.equal(seen.length, n, problems.join("\n"));
	for (const p of seen) problems.splice(problems.indexOf(p), 1);
}

async function submitIn(page, locator, name) {
	return Promise.all([page.waitForNavigation(), locator.getByRole("button", { name }).click()]);
}

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

test("an advisory is drafted from a case, previewed live and edited", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		// a case of this test
		await page.goto(url("/ui/cases/new"));
		const nc = page.locator("form#new-case");
		await nc.locator('[name="title"]').fill(TITLE);
		await nc.locator('[name="product"]').fill("acme-gateway");
		await nc.locator('[name="version"]').fill("1.0.0");
		await nc.locator('[name="description"]').fill("The ping field of the diagnostics page runs shell commands.");
		await nc.locator('[name="vulnerabilities"]').fill("CVE-2026-31337");
		await submitIn(page, nc, "Open case");
		const caseId = new URL(page.url()).pathname.split("/").pop();
		assert.match(caseId, /^[0-9]+$/);

		// the list and its draft form
		let resp = await page.goto(url("/ui/advisories"));
		assert.equal(resp.status(), 200);
		await checkPage(page, "advisories-list");
		const df = page.locator("form#draft-form");
		await df.locator('[name="case"]').fill(`#${caseId}`);
		await submitIn(page, df, "Draft advisory");
		advisory = new URL(page.url()).pathname;
		assert.match(advisory, /^\/ui\/advisories\/[0-9]+$/);
		assert.match(await page.locator("#flash").innerText(), /Advisory drafted from the case/);
		assert.equal(await page.locator("#state").innerText(), "Draft");
		assert.match(await page.locator("#check-result").innerText(), /Passes the CSAF 2.0 checks/);
		tracking = (await page.locator("#doc-id").innerText()).trim();
		assert.match(tracking, /^VIGIL-SA-\d{4}-\d{4}$/);
		assert.equal(await page.locator("#doc-title").innerText(), TITLE);
		assert.match(await page.locator("#csaf-doc").innerText(), /CVE-2026-31337/);
		assert.match(await page.locator("#csaf-doc").innerText(), /acme-gateway/);
		await checkPage(page, "advisory-editor");

		// live preview: the typed title shows in the preview, unsaved
		const box = page.locator('#edit-form textarea[name="document"]');
		const doc = JSON.parse(await box.inputValue());
		doc.document.title = `Diagnostics page runs shell commands ${TAG}`;
		await box.fill(JSON.stringify(doc, null, 2));
		await page.waitForFunction(
			(t) => document.querySelector("#doc-title")?.textContent === t,
			doc.document.title,
		);
		assert.equal(await page.locator("#preview-unsaved").count(), 1);
		assert.match(await page.locator("#check-result").innerText(), /Passes the CSAF 2.0 checks/);
		await checkPage(page, "advisory-editor-live-preview");
		// a document that is not JSON: the checks say so while typing
		await box.fill(JSON.stringify(doc).slice(0, -1));
		await page.waitForFunction(() => /Cannot be published/.test(document.querySelector("#check-result")?.textContent));
		await box.fill(JSON.stringify(doc, null, 2));
		await page.waitForFunction(() => /Passes/.test(document.querySelector("#check-result")?.textContent));

		// saved as revision 2
		await submitIn(page, page.locator("#edit-form"), "Save a new revision");
		assert.match(await page.locator("#flash").innerText(), /Saved as a new revision/);
		assert.equal(await page.locator("#doc-title").innerText(), doc.document.title);
		assert.equal(await page.locator("#preview-unsaved").count(), 0);
		assert.equal(await page.locator("#revisions tbody tr").count(), 2);

		// vigil's tracking cannot be edited: refused on the page, nothing stored
		const ef = page.locator("#edit-form");
		await ef.locator('[name="path"]').fill("/document/tracking/version");
		await ef.locator('[name="value"]').fill("7");
		const [bad] = await submitIn(page, ef, "Save a new revision");
		assert.equal(bad.status(), 422);
		assert.match(await page.locator("#error").innerText(), /\/document\/tracking is maintained by vigil/);
		assert.equal(await page.locator("#revisions tbody tr").count(), 2);
		// what was typed is kept to be corrected
		assert.equal(await page.locator('#edit-form [name="path"]').inputValue(), "/document/tracking/version");
		assert.equal(await page.locator('#edit-form [name="value"]').inputValue(), "7");
		expect4xx(problems, /status of 422/);
		await checkPage(page, "advisory-editor-refused");

		// four-eyes: carol made the revision, so her approval is refused
		const [own] = await submitIn(page, page.locator("#approve-form"), "Approve this revision");
		assert.equal(own.status(), 409);
		assert.match(await page.locator("#error").innerText(), /four-eyes/);
		expect4xx(problems, /status of 409/);
	}));

test("a second person approves and publishes; the public pages show it", (t) =>
	withPage(browser, t, async ({ page }) => {
		assert.ok(advisory, "the first test drafted the advisory");
		await login(page, USER2, PASSWORD2);
		await page.goto(url(advisory));
		await submitIn(page, page.locator("#approve-form"), "Approve this revision");
		assert.match(await page.locator("#flash").innerText(), /Approved/);
		assert.equal(await page.locator("#state").innerText(), "Approved, not yet published");
		await checkPage(page, "advisory-approved");
		const pf = page.locator("#publish-form");
		await pf.locator('[name="summary"]').fill("Initial version.");
		await submitIn(page, pf, "Publish");
		assert.match(await page.locator("#flash").innerText(), /Published through the CSAF provider/);
		assert.equal(await page.locator("#state").innerText(), "Published");
		const file = await page.locator("#csaf-file").getAttribute("href");
		assert.match(file, new RegExp(`^/\\.well-known/csaf/white/\\d{4}/${tracking.toLowerCase()}\\.json$`));
		await checkPage(page, "advisory-published");
	}));

test("the public list and page link the CSAF file", (t) =>
	withPage(browser, t, async ({ page }) => {
		assert.ok(tracking, "the advisory was published");
		let resp = await page.goto(url("/advisories"));
		assert.equal(resp.status(), 200);
		const row = page.locator("#public-advisories tr", { hasText: tracking });
		assert.equal(await row.count(), 1);
		assert.match(await row.innerText(), new RegExp(TAG));
		await checkPage(page, "advisories-public-list");
		await Promise.all([page.waitForNavigation(), row.locator(`a[href="/advisories/${tracking}"]`).click()]);
		assert.equal(await page.locator("#doc-id").innerText(), tracking);
		assert.match(await page.locator("#csaf-doc").innerText(), /CVE-2026-31337/);
		const href = await page.locator("#csaf-link").getAttribute("href");
		await checkPage(page, "advisory-public");
		assert.match(href, new RegExp(`/${tracking.toLowerCase()}\\.json$`));
		resp = await page.request.get(url(href));
		if (resp.status() === 404 && !(await page.request.get(url("/.well-known/csaf/provider-metadata.json"))).ok()) {
			// this branch has the provider's placeholder (the trusted provider lands at merge)
			t.diagnostic("the CSAF file is not served: no CSAF provider in this build");
		} else {
			assert.equal(resp.status(), 200);
			const csaf = await resp.json();
			assert.equal(csaf.document.tracking.id, tracking);
			assert.equal(csaf.document.tracking.status, "final");
		}
	}));

test("the preview button works without JavaScript and stores nothing", (t) =>
	withPage(
		browser,
		t,
		async ({ page }) => {
			assert.ok(advisory, "the first test drafted the advisory");
			await login(page);
			await page.goto(url(advisory));
			const revs = await page.locator("#revisions tbody tr").count();
			const box = page.locator('#edit-form textarea[name="document"]');
			const doc = JSON.parse(await box.inputValue());
			doc.document.title = `Previewed only ${TAG}`;
			await box.fill(JSON.stringify(doc, null, 2));
			await submitIn(page, page.locator("#edit-form"), "Preview without saving");
			assert.equal(await page.locator("#doc-title").innerText(), `Previewed only ${TAG}`);
			assert.equal(await page.locator("#preview-unsaved").count(), 1);
			// what was typed stays in the box
			assert.match(await box.inputValue(), /Previewed only/);
			await screenshot(page, "advisory-preview-nojs");
			await page.goto(url(advisory));
			assert.notEqual(await page.locator("#doc-title").innerText(), `Previewed only ${TAG}`);
			assert.equal(await page.locator("#revisions tbody tr").count(), revs);
		},
		{ javaScriptEnabled: false },
	));
