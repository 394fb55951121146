// cases.test.mjs - a vulnerability report from the portal to a filed Article
// 14 notification in a real browser: a researcher sends it through the
// public form at /report with JavaScript switched off (hardened browsers);
// the PSIRT lead (carol, JavaScript on) finds it on /ui/cases, acknowledges
// it, marks it actively exploited and drafts the early warning; four-eyes
// review is on (t0900-browser.sh adds a second PSIRT user, dave), so carol
// is not offered Approve on her own draft and dave approves; a notification
// recorded before the early warning is refused with the error at the reason
// field; carol files the early warning, drafts and fills the notification,
// dave approves, carol files it. Then a case is opened with "New case" and
// from findings, linked to a CVE and unlinked. Every case page is checked
// with checkPage() at 1366 and 390 px.
//
// t0900-browser.sh starts the server with psirt.form_min_seconds = 0 so the
// form may be sent at once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkPage, launch, login, screenshot, url, withPage } from "./harness.mjs";

// the second PSIRT user of t0900-browser.sh (four-eyes review)
const USER2 = process.env.VIGIL_TEST_USER2 || "dave";
const PASSWORD2 = process.env.VIGIL_TEST_PASSWORD2 || "pw-browser-8d2b";

let browser;
// a title no other test uses, with markup that must stay text
const TAG = `cases-${process.pid}-${Date.now()}`;
const TITLE = `Browser <b>${TAG}</b> login bypass`;
const REFERENCE = `ENISA-EW-${TAG}`;
let caseId = null;
let exposure = null;

// drop the console errors chromium logs for pages answered 4xx on purpose
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

test("a report is sent through the public form without JavaScript", (t) =>
	withPage(
		browser,
		t,
		async ({ page }) => {
			const resp = await page.goto(url("/report"));
			assert.equal(resp.status(), 200);
			const form = page.locator("form#report");
			await form.locator('[name="product"]').fill("acme-gateway");
			await form.locator('[name="version"]').fill("1.1.0");
			await form.locator('[name="title"]').fill(TITLE);
			await form
				.locator('[name="description"]')
				.fill("The admin login accepts an empty password.\n<script>alert('x')</script>");
			await form.locator('[name="impact"]').fill("Full control of the gateway.");
			await form.locator('[name="poc"]').fill("curl -d 'user=admin&password=' http://gw/login");
			await form.locator('[name="contact_name"]').fill("Rita Researcher");
			await form.locator('[name="contact_email"]').fill("rita@example.org");
			await form.locator('[name="credit"]').check();
			await form.locator('[name="attachment"]').setInputFiles({
				name: "poc.txt",
				mimeType: "text/plain",
				buffer: Buffer.from("POST /login user=admin&password=\n"),
			});
			const [done] = await Promise.all([
				page.waitForNavigation(),
				page.getByRole("button", { name: "Send report" }).click(),
			]);
			assert.equal(done.status(), 200, await page.locator("body").innerText());
			assert.match(await page.locator("body").innerText(), /Report received/);
			const link = page.locator("a#tracking-link");
			assert.equal(await link.count(), 1);
			assert.match(await link.getAttribute("href"), /^\/report\/track\/[A-Za-z0-9_-]{20,}$/);
			caseId = (await page.locator("#report-id").innerText()).trim();
			assert.match(caseId, /^[0-9]+$/);
			await screenshot(page, "cases-report-received");
		},
		{ javaScriptEnabled: false },
	));

test("the PSIRT lead acknowledges, marks exploited and drafts the early warning", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		assert.ok(caseId, "the report of the first test was received");
		await login(page);

		// the list: the new case, unacknowledged, its 48-hour clock pending
		let resp = await page.goto(url("/ui/cases?state=received"));
		assert.equal(resp.status(), 200);
		const row = page.locator("#cases tbody tr", { hasText: TAG });
		assert.equal(await row.count(), 1);
		assert.equal(await row.getAttribute("id"), `case-${caseId}`);
		assert.match(await row.locator("td").nth(6).innerText(), /pending: (1d 23h \d\dm \d\ds|2d 00h 00m 00s) left/);
		assert.equal(await row.locator("td.state").innerText(), "Received");
		await checkPage(page, "cases-list");
		await Promise.all([page.waitForNavigation(), row.locator("a").first().click()]);
		assert.equal(new URL(page.url()).pathname, `/ui/cases/${caseId}`);

		// the report as text, never as markup
		assert.match(await page.locator("h1").innerText(), new RegExp(`<b>${TAG}</b>`));
		assert.match(await page.locator("#case-description").innerText(), /<script>alert\('x'\)<\/script>/);
		assert.equal(await page.locator("#case-contact").innerText(), "Rita Researcher <rita@example.org>");
		assert.equal(await page.locator("#case-state").innerText(), "Received");
		const ack = page.locator("#clock-ack");
		assert.match(await ack.getAttribute("class"), /clock-pending/);
		assert.match(await ack.locator(".clock-state").innerText(), /on track/i);

		// the countdown is live: it changes while the page stays open
		const countdown = ack.locator(".countdown");
		await page.waitForFunction(() => document.querySelector("#clock-ack .countdown")?.dataset.live === "1");
		const before = await countdown.innerText();
		await page.waitForFunction(
			(b) => document.querySelector("#clock-ack .countdown").textContent !== b,
			before,
			{ timeout: 5000 },
		);
		assert.match(await countdown.innerText(), /^(1d 23h \d\dm \d\ds|2d 00h 00m 00s) left$/);
		await checkPage(page, "case-received");

		// 1. acknowledge
		await Promise.all([page.waitForNavigation(), page.click("#ack")]);
		assert.match(page.url(), /\?done=ack$/);
		assert.match(await page.locator("#flash").innerText(), /Acknowledged/);
		assert.equal(await page.locator("#case-state").innerText(), "Acknowledged");
		assert.match(await ack.getAttribute("class"), /clock-done/);
		assert.match(await ack.locator(".clock-done").innerText(), /acknowledged .*\(in time\)/);
		const ackRow = page.locator('#timeline-table tr[data-action="case.ack"]');
		assert.equal(await ackRow.count(), 1);
		assert.match(await ackRow.innerText(), /carol/);
		assert.match(await ackRow.locator("del").innerText(), /received/);
		assert.match(await ackRow.locator("ins").first().innerText(), /acknowledged/);

		// 2. actively exploited: awareness defaults to now; the clocks run
		assert.match(await page.inputValue("#aware-at"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		await page.fill("#evidence", "IDS alert: exploitation seen on a customer gateway");
		await page.fill('#exploited-form [name="member_states"]', "DE,FR");
		await Promise.all([page.waitForNavigation(), page.click("#mark-exploited")]);
		assert.match(await page.locator("#flash").innerText(), /actively exploited/);
		const ew = page.locator('li.clock[id$="-early-warning"]');
		assert.equal(await ew.count(), 1);
		exposure = (await ew.getAttribute("id")).match(/^clock-(\d+)-early-warning$/)[1];
		assert.match(await ew.getAttribute("class"), /clock-pending/);
		assert.match(await ew.locator(".countdown").innerText(), /^(23h \d\dm \d\ds|1d 00h 00m 00s) left$/);
		assert.match(await page.locator(`#clock-${exposure}-notification .countdown`).innerText(), /^[23]d \d\dh/);
		assert.match(await page.locator(`#clock-${exposure}-final`).innerText(), /no due time yet/);
		// the soonest deadline stands on top, in words and colour
		const next = page.locator("#next-deadline");
		assert.match(await next.innerText(), /on track.*Early warning/is);
		assert.match(await next.getAttribute("class"), /clock-pending/);
		assert.equal(await page.locator('#timeline-table tr[data-action="art14.aware"]').count(), 1);

		// 3. draft the early warning: every required field is known
		const col = page.locator(`#draft-${exposure}-early-warning`);
		assert.match(await col.innerText(), /No draft yet/);
		assert.match(await col.locator(".next-actor").innerText(), /any PSIRT member builds a draft/);
		await submitIn(page, col, "Build the draft");
		assert.match(await col.locator(".draft-version").innerText(), /Version 1 \(Art\. 14\(2\)\(a\)\)/);
		assert.equal(await col.locator("ul.checklist li.missing").count(), 0);
		assert.ok((await col.locator("ul.checklist li.have").count()) >= 5);
		assert.match(await col.innerText(), /Every required field has a value/);
		// four-eyes: carol built it, so she waits and has no Approve button
		assert.match(await col.locator(".next-actor").innerText(), /Waiting for approval by another PSIRT member/);
		assert.equal(await col.getByRole("button", { name: "Approve" }).count(), 0);
		assert.equal(await page.locator('#timeline-table tr[data-action="art14.draft"]').count(), 1);
		await checkPage(page, "case-draft-waiting");

		// 4. the notification before the early warning, without a reason: refused at the field
		const ncol = page.locator(`#draft-${exposure}-notification`);
		assert.match(await ncol.locator(".order-warning").innerText(), /Early warning is not recorded as filed yet/);
		await ncol.locator('[name="reference"]').fill("TOO-EARLY-1");
		const [r409] = await submitIn(page, ncol, "Record submission");
		assert.equal(r409.status(), 409);
		const err = page.locator(`#err-submitted-${exposure}-notification-reason`);
		assert.match(await err.innerText(), /needs a reason/);
		assert.match(await err.innerText(), /early warning is not recorded as filed yet/);
		assert.equal(await page.locator(`#f-submitted-${exposure}-notification-reference`).inputValue(), "TOO-EARLY-1");
		assert.equal(
			await page.locator(`#f-submitted-${exposure}-notification-reason`).getAttribute("aria-invalid"),
			"true",
		);
		assert.match(await page.locator(".error-summary").innerText(), /Go to the field/);
		await checkPage(page, "case-filing-refused");
		expect4xx(problems, /status of 409/);
	}));

test("a second PSIRT member approves; the lead files the early warning and the notification", async (t) => {
	assert.ok(exposure, "the previous test marked the case exploited");
	// dave approves the early warning
	await withPage(browser, t, async ({ page }) => {
		await login(page, USER2, PASSWORD2);
		await page.goto(url(`/ui/cases/${caseId}`));
		const col = page.locator(`#draft-${exposure}-early-warning`);
		assert.match(await col.locator(".next-actor").innerText(), /you may approve it/);
		await submitIn(page, col, "Approve");
		assert.match(await page.locator("#flash").innerText(), /Approval recorded/);
		assert.match(await col.locator(".approval-state").innerText(), /^Approved/);
		assert.match(await col.locator(".next-actor").innerText(), /Ready to file by any PSIRT member/);
		assert.equal(await col.getByRole("button", { name: "Approve" }).count(), 0);
	});
	// carol files it, then drafts and fills the notification
	await withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url(`/ui/cases/${caseId}`));
		const col = page.locator(`#draft-${exposure}-early-warning`);
		await col.locator('[name="reference"]').fill(REFERENCE);
		await submitIn(page, col, "Record submission");
		assert.match(await page.locator("#flash").innerText(), /Filing recorded/);
		const ew = page.locator(`#clock-${exposure}-early-warning`);
		assert.match(await ew.getAttribute("class"), /clock-done/);
		assert.match(await ew.innerText(), /submitted .*\(in time\)/);
		assert.equal(await col.locator(".reference").innerText(), REFERENCE);
		assert.match(await col.locator(".next-actor").innerText(), /Filed\./);

		const ncol = page.locator(`#draft-${exposure}-notification`);
		assert.equal(await ncol.locator(".order-warning").count(), 0);
		await submitIn(page, ncol, "Build the draft");
		assert.ok((await ncol.locator("ul.checklist li.missing").count()) >= 3);
		assert.match(await ncol.locator(".next-actor").innerText(), /fill in the missing fields/);
		const form = ncol.locator("form.edit-fields");
		assert.ok(await ncol.locator("details.edit-draft").evaluate((d) => d.open));
		await form.locator('[name="nature"]').fill("Authentication bypass: an empty password is accepted");
		await form.locator('[name="measures_taken"]').fill("Fixed in 1.1.1; exploit signatures shipped");
		await form.locator('[name="user_measures"]').fill("Update to 1.1.1 or block the admin port");
		await form.locator('[name="sensitivity"]').fill("amber");
		await checkPage(page, "case-notification-editing");
		await submitIn(page, ncol, "Save as a new version");
		assert.match(await page.locator("#flash").innerText(), /new version/);
		assert.equal(await ncol.locator("ul.checklist li.missing").count(), 0);
		assert.match(await ncol.locator(".draft-version").innerText(), /Version 2/);
		assert.match(await ncol.locator(".next-actor").innerText(), /Waiting for approval by another PSIRT member/);
	});
	// dave approves the notification
	await withPage(browser, t, async ({ page }) => {
		await login(page, USER2, PASSWORD2);
		await page.goto(url(`/ui/cases/${caseId}`));
		await submitIn(page, page.locator(`#draft-${exposure}-notification`), "Approve");
		assert.match(await page.locator("#flash").innerText(), /Approval recorded/);
	});
	// carol files the notification: in order and approved, no reason needed
	await withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url(`/ui/cases/${caseId}`));
		const ncol = page.locator(`#draft-${exposure}-notification`);
		assert.match(await ncol.locator(".next-actor").innerText(), /Ready to file by any PSIRT member/);
		await ncol.locator('[name="reference"]').fill(`ENISA-N-${TAG}`);
		await submitIn(page, ncol, "Record submission");
		assert.match(await page.locator("#flash").innerText(), /Filing recorded/);
		assert.match(await page.locator(`#clock-${exposure}-notification`).getAttribute("class"), /clock-done/);
		const subs = page.locator('#timeline-table tr[data-action="art14.submitted"]');
		assert.equal(await subs.count(), 2);
		assert.match(await subs.nth(1).innerText(), /carol/);
		assert.equal(await page.locator('#timeline-table tr[data-action="art14.approve"]', { hasText: USER2 }).count(), 2);
		// the next deadline is now the final report's (undetermined): no banner
		assert.equal(await page.locator("#next-deadline").count(), 0);
		assert.match(await page.locator("#user-notice-text").innerText(), /SECURITY NOTICE \(DRAFT\)/);
		await checkPage(page, "case-notification-filed");
		await screenshot(page, "cases-filed");
		// only the moves the workflow allows are offered, in words
		assert.deepEqual(await page.locator("#state-to option").allTextContents(), ["Triaged"]);
	});
});

test("a case opened by hand and from findings, linked to a CVE and unlinked", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		let resp = await page.goto(url("/ui/cases"));
		await Promise.all([page.waitForNavigation(), page.click("#new-case")]);
		assert.equal(new URL(page.url()).pathname, "/ui/cases/new");
		await checkPage(page, "case-new");
		const form = page.locator("form#new-case");
		// an assignee is chosen from the people who may act
		const people = await form.locator('[name="assignee"] option').allTextContents();
		assert.ok(people.includes(USER2) && people.includes("carol"), people.join(","));
		assert.ok(!people.includes("auditor"), people.join(","));
		await form.locator('[name="product"]').fill("acme-gateway");
		await form.locator('[name="description"]').fill(`Found in code review ${TAG}`);
		await form.locator('[name="vulnerabilities"]').fill("CVE-26-1");
		const [bad] = await submitIn(page, form, "Open case");
		assert.equal(bad.status(), 400);
		assert.match(await page.locator("#err-new-case-title").innerText(), /title: required/);
		assert.equal(await page.locator("#f-new-case-description").inputValue(), `Found in code review ${TAG}`);
		await checkPage(page, "case-new-error");
		expect4xx(problems, /status of 400/);
		await page.locator("#f-new-case-title").fill(`Review ${TAG}`);
		await page.locator("#f-new-case-vulnerabilities").fill("CVE-2026-4242");
		await page.locator("#f-new-case-severity").selectOption("high");
		await page.locator("#f-new-case-assignee").selectOption(USER2);
		await submitIn(page, page.locator("form#new-case"), "Open case");
		assert.match(await page.locator("#flash").innerText(), /Case opened/);
		assert.equal(await page.locator("#case-severity").innerText(), "High");
		assert.equal(await page.locator("#case-assignee").innerText(), USER2);
		assert.match(await page.locator("#case-links").innerText(), /CVE-2026-4242/);

		// link: a bad id is refused at the field, a GHSA is linked, then removed
		const link = page.locator("form#link-form");
		await link.locator('[name="vuln"]').fill("GHSA-nope");
		const [bad2] = await submitIn(page, link, "Link");
		assert.equal(bad2.status(), 400);
		assert.match(await page.locator("#err-link-form-vuln").innerText(), /GHSA-xxxx-xxxx-xxxx/);
		expect4xx(problems, /status of 400/);
		await page.locator("#f-link-form-vuln").fill("GHSA-q6h7-4qgw-2j9p");
		await submitIn(page, page.locator("form#link-form"), "Link");
		assert.match(await page.locator("#flash").innerText(), /Link added/);
		const li = page.locator('#case-links li[data-value="GHSA-q6h7-4qgw-2j9p"]');
		assert.equal(await li.count(), 1);
		await checkPage(page, "case-opened-linked");
		await Promise.all([page.waitForNavigation(), li.getByRole("button").click()]);
		assert.match(await page.locator("#flash").innerText(), /Link removed/);
		assert.equal(await page.locator('#case-links li[data-value="GHSA-q6h7-4qgw-2j9p"]').count(), 0);
		assert.equal(await page.locator('#timeline-table tr[data-action="case.unlink"]').count(), 1);

		// from findings: pick one by its number, open the case
		const api = await page.request.get(url("/api/v1/findings?limit=1"));
		assert.equal(api.status(), 200);
		const finding = (await api.json()).findings[0];
		assert.ok(finding, "the demo data has findings");
		resp = await page.goto(url(`/ui/cases/from-findings?findings=${finding.id}`));
		assert.equal(resp.status(), 200);
		assert.ok(await page.locator(`#pick-${finding.id}`).isChecked());
		await checkPage(page, "case-from-findings");
		await submitIn(page, page.locator("form#from-findings"), "Open case");
		assert.match(await page.locator("#flash").innerText(), /Case opened/);
		assert.match(await page.locator("#case-links").innerText(), new RegExp(`#${finding.id}`));
		assert.match(await page.locator("h1").innerText(), new RegExp(finding.vuln_id));
	}));
