// a11y.test.mjs - every page of the web UI passes checkPage() (no horizontal
// overflow at 1366 and 390 px, axe-core finds no serious or critical
// violation), as psirt and as admin, plus the public pages and the shell's
// own pages (login, error pages): issue 17 item 8.
//
// The pages are the GET routes under /ui/ of the OpenAPI document (the route
// tables): each one without an id, and for each one with ids ({id}, {p} ...)
// the first link to it found on the pages already visited (the demo data).
// The shell's rules are checked on every page too: <html lang>, a <title>,
// a skip link to <main id="main">, every input labelled.
// Run: VIGIL_BASE=... VIGIL_TEST_USER=... VIGIL_TEST_PASSWORD=...
//      VIGIL_TEST_ADMIN_USER=... VIGIL_TEST_ADMIN_PASSWORD=... node --test browser/a11y.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, USER, PASSWORD, checkPage, launch, login, url, withPage } from "./harness.mjs";

const ADMIN = process.env.VIGIL_TEST_ADMIN_USER;
const ADMIN_PASSWORD = process.env.VIGIL_TEST_ADMIN_PASSWORD;

let browser;
let routes;
let tracking; // the token of our report's tracking page
before(async () => {
	browser = await launch();
	const r = await fetch(url("/api/v1/openapi.json"));
	assert.equal(r.status, 200);
	const doc = await r.json();
	routes = Object.entries(doc.paths)
		.filter(([p, ops]) => p.startsWith("/ui/") && ops.get)
		.map(([p]) => p)
		.filter((p) => p !== "/ui/login");
	assert.ok(routes.length > 5, "the OpenAPI document lists the pages");
	// our own case (the demo data has none): a report through the public API
	for (const body of [
		{ product: "acme-gateway", title: "a11y walk", description: "A case for the accessibility walk." },
		{ title: "a11y walk", description: "A case for the accessibility walk." },
	]) {
		const rep = await fetch(url("/api/v1/reports"), {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify(body),
		});
		if (rep.status < 300) {
			tracking = (await rep.json()).token;
			break;
		}
	}
});
after(async () => {
	await browser?.close();
});

// A route template as a regular expression over a path ({x}: one segment).
function pattern(route) {
	const parts = route.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"));
	return new RegExp("^" + parts.join("[^/]+") + "$");
}

// The shell's own rules, beyond axe: lang, title, skip link, main, labels.
async function shellRules(page, name) {
	const r = await page.evaluate(() => ({
		lang: document.documentElement.lang,
		title: document.title,
		skip: !!document.querySelector('a[href="#main"]'),
		main: !!document.querySelector("main#main"),
		unlabelled: [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
			.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute("aria-label") &&
				!e.getAttribute("aria-labelledby") && !e.closest("[hidden]"))
			.map((e) => e.name || e.id || e.tagName),
	}));
	const problems = [];
	if (!r.lang) problems.push(`${name}: no <html lang>`);
	if (!r.title) problems.push(`${name}: no <title>`);
	if (!r.skip) problems.push(`${name}: no skip link`);
	if (!r.main) problems.push(`${name}: no <main id="main">`);
	if (r.unlabelled.length) problems.push(`${name}: inputs without a label: ${r.unlabelled.join(", ")}`);
	return problems;
}

async function check(page, name, problems) {
	problems.push(...(await shellRules(page, name)));
	try {
		await checkPage(page, name);
	} catch (e) {
		problems.push(e.message.replace(/^page checks failed:\n\s*/, ""));
	}
}

// Visit every page as the logged-in user; answer the list of problems.
async function walk(page, role) {
	const problems = [];
	const visited = [];
	const links = new Set();
	const fixed = routes.filter((p) => !p.includes("{"));
	const templated = routes.filter((p) => p.includes("{"));
	async function visit(path, name) {
		let resp;
		try {
			resp = await page.goto(url(path));
		} catch (e) {
			// downloads (exports, originals) are files, not pages
			if (/Download is starting/.test(e.message)) return;
			throw e;
		}
		if (!resp || resp.status() >= 400) {
			problems.push(`${name}: ${path} answered ${resp?.status()}`);
			return;
		}
		visited.push(path);
		for (const h of await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href"))))
			if (h.startsWith("/ui/")) links.add(h.split("#")[0]);
		await check(page, name, problems);
	}
	for (const p of fixed) await visit(p, `${role}${p.replace(/\//g, "_")}`);
	// pages with an id: the first link found to each kind; links found on
	// those pages count too (a version page is reached from a product page)
	const left = new Set(templated);
	for (let round = 0; round < 3 && left.size; round++) {
		for (const t of [...left]) {
			const re = pattern(t);
			const href = [...links].find((h) => re.test(h.split("?")[0]));
			if (!href) continue;
			left.delete(t);
			await visit(href, `${role}${t.replace(/[{}]/g, "").replace(/\//g, "_")}`);
		}
	}
	return { problems, visited, missing: [...left] };
}

for (const who of [
	{ role: "psirt", user: USER, password: PASSWORD },
	{ role: "admin", user: ADMIN, password: ADMIN_PASSWORD },
]) {
	test(`every page passes the checks as ${who.role}`, { timeout: 600000 }, (t) =>
		withPage(browser, t, async ({ page }) => {
			assert.ok(who.user && who.password, `no ${who.role} user: set VIGIL_TEST_ADMIN_USER and VIGIL_TEST_ADMIN_PASSWORD`);
			await login(page, who.user, who.password);
			const { problems, visited, missing } = await walk(page, `a11y-${who.role}`);
			t.diagnostic(`${visited.length} pages checked; no link found to: ${missing.join(", ") || "-"}`);
			assert.ok(visited.length >= routes.filter((p) => !p.includes("{")).length);
			assert.deepEqual(problems, [], "accessibility problems:\n  " + problems.join("\n  "));
		}));
}

test("the public pages and the shell's own pages pass the checks", { timeout: 300000 }, (t) =>
	withPage(browser, t, async ({ page, problems: console }) => {
		const problems = [];
		for (const [path, name] of [
			["/ui/login", "a11y-login"],
			["/report", "a11y-report"],
			["/report/policy", "a11y-report-policy"],
			...(tracking ? [[`/report/track/${tracking}`, "a11y-report-track"]] : []),
		]) {
			const resp = await page.goto(url(path));
			assert.equal(resp.status(), 200, path);
			await check(page, name, problems);
		}
		// an error page, anonymous (chromium logs its 404 as a console error)
		const resp = await page.goto(url("/ui/no-such-page"));
		assert.equal(resp.status(), 404);
		console.splice(0, console.length, ...console.filter((p) => !/status of 404/.test(p)));
		await check(page, "a11y-404-anonymous", problems);
		// the login form refused with its fields in error
		await page.goto(url("/ui/login"));
		await page.fill("#user", "");
		await page.$eval("#login-form", (f) => {
			for (const i of f.querySelectorAll("[required]")) i.removeAttribute("required");
		});
		await Promise.all([page.waitForNavigation(), page.click("#login")]);
		console.splice(0, console.length, ...console.filter((p) => !/status of 400/.test(p)));
		assert.equal(await page.locator("#error-summary").count(), 1);
		assert.equal(await page.getAttribute("#user", "aria-invalid"), "true");
		await check(page, "a11y-login-errors", problems);
		// security.txt is text, not a page
		const txt = await fetch(url("/.well-known/security.txt"));
		assert.match(txt.headers.get("content-type") || "", /^text\/plain/);
		assert.deepEqual(problems, [], "accessibility problems:\n  " + problems.join("\n  "));
	}));

test("the skip link is the first thing a keyboard reaches and shows itself", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.keyboard.press("Tab");
		const focused = await page.evaluate(() => ({
			href: document.activeElement.getAttribute("href"),
			text: document.activeElement.textContent,
			top: document.activeElement.getBoundingClientRect().top,
			outline: getComputedStyle(document.activeElement).outlineStyle,
		}));
		assert.equal(focused.href, "#main");
		assert.match(focused.text, /Skip to the main content/);
		assert.ok(focused.top >= 0, "the focused skip link is on the screen");
		assert.notEqual(focused.outline, "none", "the focus is visible");
		assert.match(BASE, /^http/);
	}));
