// shell.test.mjs - the web shell in a real browser: login, layout,
// navigation, the evidence room, security headers and cookies, the page
// without JavaScript, logout, and no console errors or CSP violations.
// Run: VIGIL_BASE=... VIGIL_TEST_USER=... VIGIL_TEST_PASSWORD=... node --test tests/browser/
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, USER, ROLE, launch, login, screenshot, url, withPage } from "./harness.mjs";

const ROOMS = ["Products", "Findings", "Feeds", "Cases", "Advisories", "Releases", "Rollouts", "Fleet", "Signers", "TUF", "Setup", "Evidence", "Programme"];

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

function path(page) {
	return new URL(page.url()).pathname;
}

test("anonymous visit to /ui/ goes to the login page", (t) =>
	withPage(browser, t, async ({ page }) => {
		const resp = await page.goto(url("/ui/"));
		assert.equal(path(page), "/ui/login");
		assert.equal(resp.status(), 200);
		assert.equal(await page.locator("form#login-form").count(), 1);
		assert.equal(await page.locator("input#password[type=password]").count(), 1);
		await screenshot(page, "login");
	}));

test("a wrong password shows an error and stays on the login page", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		const resp = await login(page, USER, "not-the-password");
		// chromium logs the 401 of the page itself as a console error; that
		// is the status we expect here, not a problem of the page
		problems.splice(0, problems.length, ...problems.filter((p) => !/status of 401/.test(p)));
		assert.equal(resp.status(), 401);
		assert.equal(path(page), "/ui/login");
		const error = page.locator(".error[role=alert]");
		assert.match(await error.innerText(), /wrong user name or password/);
		// the user name is kept, the password is not echoed back
		assert.equal(await page.inputValue("#user"), USER);
		assert.equal(await page.inputValue("#password"), "");
		assert.doesNotMatch(await page.content(), /not-the-password/);
		await screenshot(page, "login-error");
		const cookies = await page.context().cookies();
		assert.equal(cookies.find((c) => c.name === "vigil_session"), undefined);
	}));

test("the right password lands on the overview with navigation, name and role", (t) =>
	withPage(browser, t, async ({ page }) => {
		const resp = await login(page);
		assert.equal(resp.status(), 200);
		assert.equal(path(page), "/ui/");
		// the home page: "What needs you now" for admin and psirt, "Overview" for the others
		assert.match(await page.locator("main h1").innerText(), /^(Overview|What needs you now)$/);
		assert.match(await page.title(), /Overview|What needs you now/);
		const nav = page.locator("nav[aria-label=Rooms] li");
		assert.deepEqual(await nav.allInnerTexts(), ROOMS);
		assert.equal(await page.locator("header .who .user").innerText(), USER);
		const role = await page.locator("header .who .role").innerText();
		if (ROLE) assert.equal(role, ROLE);
		else assert.match(role, /^(admin|psirt|auditor|ci|device)$/);
		assert.equal(await page.locator("button#logout").count(), 1);
		await screenshot(page, "overview");
	}));

test("the evidence room shows an intact chain and the login", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await Promise.all([
			page.waitForNavigation(),
			page.click("nav[aria-label=Rooms] a:text-is('Evidence')"),
		]);
		assert.equal(path(page), "/ui/evidence");
		assert.equal(
			await page.locator("nav a[aria-current=page]").innerText(),
			"Evidence",
		);
		assert.match(await page.locator("#chain-status").innerText(), /^Audit chain intact/);
		// sign-ins are hidden unless asked for (the filter's check box)
		await page.check("#f-logins");
		await Promise.all([page.waitForNavigation(), page.click("#audit-filter button[type=submit]")]);
		const rows = await page.locator("table#audit tbody tr").evaluateAll((trs) =>
			trs.map((tr) => [...tr.cells].map((c) => c.innerText)),
		);
		// columns: #, time, actor, from, action (words and code), object, change
		const logins = rows.filter((r) => r[2] === USER && /\bauth\.login$/.test(r[4]));
		assert.ok(logins.length >= 1, `no auth.login by ${USER} in ${JSON.stringify(rows)}`);
		assert.equal(logins[0][3], "127.0.0.1");
		await screenshot(page, "evidence");
	}));

test("strict Content-Security-Policy; session cookie HttpOnly and SameSite=Strict", (t) =>
	withPage(browser, t, async ({ page, context }) => {
		const checkCsp = (resp) => {
			const csp = resp.headers()["content-security-policy"];
			assert.ok(csp, `no Content-Security-Policy on ${resp.url()}`);
			const dir = Object.fromEntries(
				csp.split(";").map((d) => {
					const [k, ...v] = d.trim().split(/\s+/);
					return [k, v.join(" ")];
				}),
			);
			assert.equal(dir["default-src"], "'none'");
			for (const k of ["script-src", "style-src"]) {
				assert.ok(dir[k] !== undefined, `${k} missing in ${csp}`);
				assert.doesNotMatch(dir[k], /unsafe|\*|https?:|data:/, `${k} is not strict`);
			}
			assert.equal(dir["frame-ancestors"], "'none'");
			assert.equal(dir["form-action"], "'self'");
			assert.equal(resp.headers()["x-content-type-options"], "nosniff");
		};
		checkCsp(await page.goto(url("/ui/login")));
		const loginCookie = (await context.cookies()).find((c) => c.name === "vigil_login");
		assert.ok(loginCookie, "login page sets its CSRF cookie");
		assert.equal(loginCookie.httpOnly, true);
		assert.equal(loginCookie.sameSite, "Strict");
		checkCsp(await login(page));
		const session = (await context.cookies()).find((c) => c.name === "vigil_session");
		assert.ok(session, "no vigil_session cookie after login");
		assert.equal(session.httpOnly, true);
		assert.equal(session.sameSite, "Strict");
		assert.equal(session.path, "/");
		// HttpOnly: page scripts cannot read the session
		assert.doesNotMatch(await page.evaluate(() => document.cookie), /vigil_session/);
		checkCsp(await page.goto(url("/ui/evidence")));
	}));

test("the login form works with JavaScript disabled", (t) =>
	withPage(
		browser,
		t,
		async ({ page }) => {
			await page.goto(url("/ui/"));
			assert.equal(path(page), "/ui/login");
			const resp = await login(page);
			assert.equal(resp.status(), 200);
			assert.equal(path(page), "/ui/");
			assert.equal(await page.locator("header .who .user").innerText(), USER);
			assert.deepEqual(await page.locator("nav[aria-label=Rooms] li").allInnerTexts(), ROOMS);
		},
		{ javaScriptEnabled: false },
	));

test("logout returns to the login page and ends the session", (t) =>
	withPage(browser, t, async ({ page, context }) => {
		await login(page);
		assert.equal(path(page), "/ui/");
		await Promise.all([page.waitForNavigation(), page.click("button#logout")]);
		assert.equal(path(page), "/ui/login");
		const cookies = await context.cookies();
		assert.equal(cookies.find((c) => c.name === "vigil_session"), undefined);
		await page.goto(url("/ui/"));
		assert.equal(path(page), "/ui/login");
		await page.goto(url("/ui/evidence"));
		assert.equal(path(page), "/ui/login");
	}));

test("no console errors or CSP violations on any page", (t) =>
	withPage(browser, t, async ({ page }) => {
		const seen = new Set();
		const visit = async (p) => {
			const resp = await page.goto(url(p));
			assert.ok(resp.ok(), `${p}: status ${resp.status()}`);
			seen.add(path(page));
		};
		await visit("/ui/login");
		await login(page);
		await visit("/ui/");
		const links = await page
			.locator("header a[href^='/'], main a[href^='/']")
			.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
		for (const href of new Set(links)) await visit(href);
		assert.ok(seen.has("/ui/evidence"), `pages visited: ${[...seen]}`);
		// the assets the pages use load from the server itself
		for (const asset of ["/static/app.css", "/static/app.js"]) {
			const r = await page.request.get(BASE + asset);
			assert.equal(r.status(), 200, asset);
		}
	}));

test("the CSP violation detector itself works", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await page.goto(url("/ui/login"));
		// an inline style is refused by style-src 'self'; the harness must see it
		const refused = page.waitForEvent("console", (m) =>
			/Content Security Policy/i.test(m.text()),
		);
		await page.evaluate(() => {
			const s = document.createElement("style");
			s.textContent = "body { color: red }";
			document.head.appendChild(s);
		});
		await refused;
		const found = problems.filter((p) => /Content Security Policy/i.test(p));
		assert.ok(found.length >= 1, `no CSP violation reported: ${JSON.stringify(problems)}`);
		problems.length = 0;
	}));
