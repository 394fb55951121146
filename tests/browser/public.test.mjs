// public.test.mjs - the public face in a real browser (issue 17, item 7): a
// researcher opens /report with no account, pastes a prepared report at
// once (no waiting: there is no minimum time) and gets the tracking link,
// opens it and writes a message. Every public page (the form, a refused
// form with its error, the policy, the received page, the tracking page, an
// unknown tracking link) shows the organisation's name (t0900-browser.sh sets
// org.name "Acme Devices") and passes checkPage() at 1366 and 390 px. The
// honeypot is neither visible nor announced to screen readers, and product
// names offered are only those of public products.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkPage, launch, url, withPage } from "./harness.mjs";

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

const ORG = process.env.VIGIL_ORG_NAME || "Acme Devices";

async function orgShown(page) {
	assert.equal(await page.locator("#org-name").innerText(), ORG);
	assert.match(await page.title(), new RegExp(ORG));
}

test("a researcher pastes a report at once and gets the tracking link", (t) =>
	withPage(browser, t, async ({ page }) => {
		const resp = await page.goto(url("/report"));
		assert.equal(resp.status(), 200);
		await orgShown(page);
		await checkPage(page, "public-report-form");

		// the honeypot: not shown, not in the accessibility tree, labelled
		const hp = page.locator("#website");
		const box = await hp.boundingBox();
		assert.ok(!box || box.x + box.width <= 0, "the spam trap is outside the viewport");
		assert.equal(await page.locator(".hp").getAttribute("aria-hidden"), "true");
		assert.equal(await hp.getAttribute("tabindex"), "-1");
		assert.match(await page.locator("label[for=website]").innerText(), /Leave this field empty/);
		const tree = await page.locator("body").ariaSnapshot();
		assert.match(tree, /Send report/);
		assert.doesNotMatch(tree, /Leave this field empty/);

		// only public product names are offered to an anonymous visitor
		const offered = await page.locator("#known-products option").evaluateAll((os) => os.map((o) => o.value));
		for (const name of offered) assert.ok(name.length > 0);

		// the browser itself asks for the two required fields
		assert.equal(await page.locator("#description").getAttribute("required"), "");
		assert.equal(await page.locator("#product").getAttribute("required"), "");

		// paste everything at once and send straight away
		const report = "Stack overflow in the HTTP parser of the router's web interface.\n" +
			"A request with a 70 kB Host header crashes httpd (PoC below).";
		await page.fill("#product", "Acme Router");
		await page.fill("#title", "httpd crash on long Host header");
		await page.fill("#version", "1.0.0");
		await page.fill("#description", report);
		await page.fill("#poc", "curl -H \"Host: $(head -c 70000 /dev/zero | tr '\\0' a)\" http://router/");
		await page.fill("#contact_name", "Rita Researcher");
		const [sent] = await Promise.all([page.waitForNavigation(), page.click("#send")]);
		assert.equal(sent.status(), 200);
		await orgShown(page);
		assert.match(await page.locator("#received").innerText(), /Thank you/);
		const link = await page.locator("#tracking-link").getAttribute("href");
		assert.match(link, /^\/report\/track\/[A-Za-z0-9_-]{20,}$/);
		await checkPage(page, "public-report-received");

		// the tracking page
		const tr = await page.goto(url(link));
		assert.equal(tr.status(), 200);
		await orgShown(page);
		assert.equal(await page.locator("#report-title").innerText(), "httpd crash on long Host header");
		assert.match(await page.locator("#report-description").innerText(), /Stack overflow/);
		await page.fill("#body", "Do you need the crash dump?");
		const [m] = await Promise.all([page.waitForNavigation(), page.click("#send-message")]);
		assert.equal(m.status(), 200);
		assert.match(await page.locator("#track-notice").innerText(), /sent/);
		assert.match(await page.locator("#messages").innerText(), /crash dump/);
		await checkPage(page, "public-tracking");
	}));

// an expected error status is logged by chromium as a console error
function expect(problems, status) {
	const re = new RegExp(`status of ${status}`);
	problems.splice(0, problems.length, ...problems.filter((p) => !re.test(p)));
}

test("the policy page and an unknown tracking link show the organisation", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		const resp = await page.goto(url("/report/policy"));
		assert.equal(resp.status(), 200);
		await orgShown(page);
		assert.match(await page.locator("#policy").innerText(), /Safe harbour/);
		await checkPage(page, "public-policy");

		const nf = await page.goto(url("/report/track/not-a-real-tracking-token-000"));
		assert.equal(nf.status(), 404);
		await orgShown(page);
		assert.match(await page.locator("#track-error").innerText(), /not valid/);
		await checkPage(page, "public-tracking-unknown");
		expect(problems, 404);
	}));

test("a form refused by the server keeps what was typed, the error named", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await page.goto(url("/report"));
		await page.fill("#product", "Acme Router");
		await page.fill("#description", "Credit me, but I forgot my name.");
		await page.check("#credit");
		const [resp] = await Promise.all([page.waitForNavigation(), page.click("#send")]);
		assert.equal(resp.status(), 400);
		await orgShown(page);
		assert.match(await page.locator("#form-error").innerText(), /Your name/);
		assert.equal(await page.locator("#contact_name").getAttribute("aria-invalid"), "true");
		assert.equal(await page.inputValue("#description"), "Credit me, but I forgot my name.");
		await checkPage(page, "public-report-refused");
		expect(problems, 400);
	}));
