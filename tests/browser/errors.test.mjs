// errors.test.mjs - errors for people (issue 17, item 5) in a real browser:
// a form sent after the session ended completes after the login (with and
// without JavaScript), a stale CSRF token keeps what was typed, an unknown
// /ui/ path is a 404 page in the layout, an /api/ path stays JSON.
// Each test makes its own product (a unique name), so no other test's data
// is touched.
// Run: VIGIL_BASE=... VIGIL_TEST_USER=... VIGIL_TEST_PASSWORD=... node --test browser/errors.test.mjs
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

const NEW = 'form[action="/ui/products"]';

function unique(what) {
	return `${what}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

function path(page) {
	return new URL(page.url()).pathname;
}

// chromium logs the status of a refused page as a console error: expected
// here, not a problem of the page
function allow(problems, status) {
	problems.splice(0, problems.length, ...problems.filter((p) => !p.includes(`status of ${status}`)));
}

// The session ends: its cookie is gone (as after it expired), the rest stays.
async function endSession(context) {
	const keep = (await context.cookies()).filter((c) => c.name !== "vigil_session");
	await context.clearCookies();
	if (keep.length) await context.addCookies(keep);
}

async function sendAfterLogin(t, contextOptions, label) {
	await withPage(
		browser,
		t,
		async ({ context, page, problems }) => {
			const name = unique(label);
			await login(page);
			await page.goto(url("/ui/products"));
			await page.fill(`${NEW} [name=name]`, name);
			await page.fill(`${NEW} [name=vendor]`, "Kept & Sons <ltd>");
			await endSession(context);
			await Promise.all([page.waitForNavigation(), page.click(`${NEW} button[type=submit]`)]);
			// the login page, saying a form waits
			assert.equal(path(page), "/ui/login");
			assert.match(await page.locator("#pending-notice").innerText(), /logged out before your form was sent/);
			if (contextOptions.javaScriptEnabled !== false) await checkPage(page, `errors-login-pending-${label}`);
			const resp = await login(page);
			assert.equal(resp.status(), 200);
			assert.equal(path(page), "/ui/resume");
			// nothing was done before the person says so
			const before = await page.request.get(url(`/api/v1/products/${encodeURIComponent(name)}`));
			assert.equal(before.status(), 404, "the form was not replayed by itself");
			assert.equal(await page.locator("main h1").innerText(), "You were logged out before this was sent");
			const kept = await page.locator("dl.kept").innerText();
			assert.match(kept, new RegExp(name));
			assert.match(kept, /Kept & Sons <ltd>/);
			if (contextOptions.javaScriptEnabled !== false) await checkPage(page, `errors-resume-${label}`);
			await Promise.all([page.waitForNavigation(), page.click("#send-now")]);
			assert.equal(path(page), `/ui/products/${name}`);
			const done = await page.request.get(url(`/api/v1/products/${encodeURIComponent(name)}`));
			assert.equal(done.status(), 200);
			assert.equal((await done.json()).vendor, "Kept & Sons <ltd>");
			// offered once
			await page.goto(url("/ui/resume"));
			assert.equal(await page.locator("main h1").innerText(), "Nothing waiting to be sent");
			allow(problems, 404);
		},
		contextOptions,
	);
}

test("a form sent after the session ended is sent after the login", (t) => sendAfterLogin(t, {}, "js"));

test("the same without JavaScript", (t) => sendAfterLogin(t, { javaScriptEnabled: false }, "nojs"));

test("a stale CSRF token keeps what was typed and asks to send again", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		const name = unique("stale");
		await login(page);
		await page.goto(url("/ui/products"));
		await page.fill(`${NEW} [name=name]`, name);
		// an older copy of the page: its token is not the session's
		await page.$eval(`${NEW} [name=csrf]`, (i) => (i.value = "a-token-of-an-earlier-session"));
		const [resp] = await Promise.all([page.waitForNavigation(), page.click(`${NEW} button[type=submit]`)]);
		allow(problems, 403);
		assert.equal(resp.status(), 403);
		assert.equal(await page.locator("main h1").innerText(), "This form had expired");
		assert.match(await page.locator("dl.kept").innerText(), new RegExp(name));
		assert.equal((await page.request.get(url(`/api/v1/products/${name}`))).status(), 404);
		await checkPage(page, "errors-stale-csrf");
		await Promise.all([page.waitForNavigation(), page.click("#send-now")]);
		assert.equal(path(page), `/ui/products/${name}`);
		allow(problems, 404);
	}));

test("an unknown /ui/ path is a 404 page in the layout; /api/ stays JSON", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		const resp = await page.goto(url("/ui/no/such/page"));
		allow(problems, 404);
		assert.equal(resp.status(), 404);
		assert.match(resp.headers()["content-type"], /^text\/html/);
		assert.equal(await page.locator("main h1").innerText(), "Page not found");
		assert.equal(await page.locator("nav[aria-label=Rooms]").count(), 1);
		assert.match(await page.title(), /Page not found/);
		assert.equal(await page.getAttribute("html", "lang"), "en");
		await checkPage(page, "errors-404");
		const api = await page.request.get(url("/api/v1/no/such/thing"));
		assert.equal(api.status(), 404);
		assert.match(api.headers()["content-type"], /^application\/json/);
		assert.equal((await api.json()).error.code, "not_found");
	}));
