// sso.test.mjs - single sign-on in a real browser (issue 24 item 3): the
// login page offers "Sign in with SSO"; a click goes to the OpenID provider
// (tests/tools/oidc-op.mjs, the npm package oidc-provider), its login and
// consent forms are filled, and the browser comes back signed in to vigil's
// home page as the user the provider named, with the role of its groups
// (sso-browser: vigil-psirt). A user of no mapped group (sso-stranger) sees
// the refusal page saying why. The login and refusal pages pass checkPage().
//
// The server must be configured for the provider: t0900-browser.sh starts
// one and exports VIGIL_TEST_OIDC_ISSUER. Without it every test here is
// skipped, saying so. The users are the provider's own (nobody else's test
// logs in as them); their accounts are made by the first login.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkPage, launch, url, withPage } from "./harness.mjs";

const ISSUER = process.env.VIGIL_TEST_OIDC_ISSUER || "";
const SKIP = ISSUER
	? false
	: "single sign-on is not configured on this server: set VIGIL_TEST_OIDC_ISSUER to the issuer " +
		"of tests/tools/oidc-op.mjs the server uses (t0900-browser.sh does)";
let browser;

// The expected refusals (403 page, 401 whoami) are not browser problems.
function allow(problems, status) {
	problems.splice(0, problems.length, ...problems.filter((p) => !p.includes(`status of ${status}`)));
}

before(async () => {
	if (!SKIP) browser = await launch();
});
after(async () => {
	if (browser) await browser.close();
});

// The provider's development pages import a web font: answered empty here,
// so that the only traffic is to the server and the provider.
async function offline(context) {
	await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (r) =>
		r.fulfill({ status: 200, contentType: "text/css", body: "" }),
	);
}

// Through the provider's login and consent forms; resolves once the browser
// is back on vigil.
async function viaProvider(page, user) {
	await page.goto(url("/ui/login"));
	await Promise.all([page.waitForURL((u) => u.href.startsWith(ISSUER)), page.click("#sso-login")]);
	await page.fill('input[name="login"]', user);
	await page.fill('input[name="password"]', "any-password");
	await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
	// the consent form (oidc-provider asks it of native clients every time)
	if (page.url().startsWith(ISSUER) && (await page.locator('input[name="prompt"][value="consent"]').count()))
		await Promise.all([page.waitForURL((u) => !u.href.startsWith(ISSUER)), page.click('button[type="submit"]')]);
}

test("the login page offers single sign-on", { skip: SKIP }, async (t) => {
	await withPage(browser, t, async ({ page }) => {
		const resp = await page.goto(url("/ui/login"));
		assert.equal(resp.status(), 200);
		const sso = page.locator("#sso-login");
		assert.equal(await sso.textContent(), "Sign in with SSO");
		assert.equal(await sso.getAttribute("href"), "/ui/login/sso");
		await checkPage(page, "login-sso");
	});
});

test("a PSIRT member signs in through the provider", { skip: SKIP }, async (t) => {
	await withPage(browser, t, async ({ context, page }) => {
		await offline(context);
		await viaProvider(page, "sso-browser");
		// the "Signed in" page moves on by itself to the home page
		await page.waitForURL(url("/ui/"));
		const body = await page.locator("body").textContent();
		assert.match(body, /sso-browser/, "the home page names the user");
		const who = await page.evaluate(async () => (await fetch("/api/v1/whoami")).json());
		assert.equal(who.role, "psirt");
		assert.equal(who.name ?? who.user, "sso-browser");
	});
});

test("a user of no mapped group is refused, saying why", { skip: SKIP }, async (t) => {
	await withPage(browser, t, async ({ context, page, problems }) => {
		await offline(context);
		await viaProvider(page, "sso-stranger");
		assert.ok(page.url().startsWith(url("/ui/oidc/callback")), page.url());
		assert.equal(await page.locator("h1").textContent(), "Single sign-on refused");
		assert.match(
			await page.locator("#sso-refused .error").textContent(),
			/sso-stranger has no group of oidc\.role_map in the claim groups/,
		);
		const who = await page.evaluate(async () => (await fetch("/api/v1/whoami")).status);
		assert.equal(who, 401, "no session");
		await checkPage(page, "sso-refused");
		allow(problems, 403);
		allow(problems, 401);
	});
});
