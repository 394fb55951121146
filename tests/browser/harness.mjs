// harness.mjs - drive Debian's chromium through playwright-core for the
// browser tests (node --test tests/browser/).
//
// Rules:
//  - The server is the one named by VIGIL_BASE; the user by VIGIL_TEST_USER /
//    VIGIL_TEST_PASSWORD (VIGIL_TEST_ROLE: the role the pages must show).
//    Missing settings or a missing chromium are errors, never a skip.
//  - Each test gets its own browser context (fresh cookies) through
//    withPage(); console errors, page errors and CSP violations of every
//    page opened there are collected and fail the test.
//  - A failing test leaves a PNG of each of its pages in tests/browser/out/.
import { mkdirSync, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = join(here, "out");

export const CHROMIUM = process.env.VIGIL_CHROMIUM || "/usr/bin/chromium";

function need(name) {
	const v = process.env[name];
	if (!v) throw new Error(`environment variable ${name} is not set`);
	return v;
}

export const BASE = need("VIGIL_BASE").replace(/\/+$/, "");
export const USER = need("VIGIL_TEST_USER");
export const PASSWORD = need("VIGIL_TEST_PASSWORD");
export const ROLE = process.env.VIGIL_TEST_ROLE || "";

// Chromium flags: no sandbox (containers, root), no GPU, and nothing that
// talks to the network on its own, so the only traffic is to the server.
const ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

// launch: a headless chromium with a fresh profile (launchPersistentContext
// would share one; playwright's launch() makes a temporary profile itself).
export async function launch() {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} not found: install Debian's chromium (scripts/deps.sh)`);
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

// url: absolute URL of a path on the server under test.
export function url(path) {
	return BASE + path;
}

function watch(page, problems) {
	page.on("console", (msg) => {
		// CSP violations are reported by chromium as console errors
		// ("Refused to load ... because it violates ...").
		if (msg.type() === "error" || /Content Security Policy/i.test(msg.text())) {
			const src = msg.location()?.url;
			problems.push(
				`console ${msg.type()} on ${page.url()}: ${msg.text()}` +
					(src && src !== page.url() ? ` (${src})` : ""),
			);
		}
	});
	page.on("pageerror", (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
}

function fileName(s) {
	return s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
}

// withPage(browser, t, fn, contextOptions): run fn({ context, page, problems })
// in a new context of browser, then fail when any page of it logged an error.
// t is node:test's test context (its name names the screenshots). On failure,
// every page of the context is saved as a PNG in OUT_DIR.
export async function withPage(browser, t, fn, contextOptions = {}) {
	const context = await browser.newContext(contextOptions);
	const problems = [];
	context.on("page", (p) => watch(p, problems));
	const page = await context.newPage();
	try {
		await fn({ context, page, problems });
		if (problems.length) throw new Error("problems in the browser:\n  " + problems.join("\n  "));
	} catch (e) {
		mkdirSync(OUT_DIR, { recursive: true });
		let k = 0;
		for (const p of context.pages()) {
			const file = join(OUT_DIR, `${fileName(t.name)}-${k++}.png`);
			await p.screenshot({ path: file, fullPage: true }).catch(() => {});
			console.error(`screenshot: ${file} (${p.url()})`);
		}
		throw e;
	} finally {
		await context.close();
	}
}

// login: fill and submit the login form; resolves to the response of the
// navigation the submit causes (after redirects: the page it lands on).
export async function login(page, user = USER, password = PASSWORD) {
	if (!page.url().endsWith("/ui/login")) await page.goto(url("/ui/login"));
	await page.fill("#user", user);
	await page.fill("#password", password);
	const [resp] = await Promise.all([page.waitForNavigation(), page.click("#login")]);
	return resp;
}

// screenshot: save a PNG of page as OUT_DIR/name.png (for people to look at).
export async function screenshot(page, name) {
	mkdirSync(OUT_DIR, { recursive: true });
	await page.screenshot({ path: join(OUT_DIR, `${fileName(name)}.png`), fullPage: true });
}

// VIGIL_BROWSER_SHOTS=1: checkPage keeps a PNG of every page at every width
// (for people to look at; a failing test keeps its pages' PNGs regardless).
const SHOTS = !!process.env.VIGIL_BROWSER_SHOTS && process.env.VIGIL_BROWSER_SHOTS !== "0";

// The widths every page is checked at: a laptop and a phone.
export const WIDTHS = [1366, 390];

let axeSource;
function axe() {
	if (!axeSource) {
		const file = join(here, "..", "node_modules", "axe-core", "axe.min.js");
		if (!existsSync(file)) throw new Error(`${file} not found: run scripts/deps.sh (npm ci in tests/)`);
		axeSource = readFileSync(file, "utf8");
	}
	return axeSource;
}

// checkPage(page, name): the checks every page of the product must pass, on
// the page as it is now (reload-free: forms keep what was typed).
//  - at each of WIDTHS (height 900) the document is no wider than the
//    viewport; with VIGIL_BROWSER_SHOTS=1 a full-page PNG is saved as
//    OUT_DIR/pages/<name>-<width>.png for people to look at;
//  - axe-core (WCAG 2.x A and AA rules) finds no serious or critical
//    violation (at the first width: its rules do not depend on it).
// Throws one error listing every problem; restores the viewport it found.
export async function checkPage(page, name, { widths = WIDTHS } = {}) {
	const problems = [];
	const before = page.viewportSize();
	const dir = join(OUT_DIR, "pages");
	mkdirSync(dir, { recursive: true });
	for (const width of widths) {
		await page.setViewportSize({ width, height: 900 });
		const wide = await page.evaluate(() => ({
			doc: document.documentElement.scrollWidth,
			view: window.innerWidth,
			widest: [...document.querySelectorAll("body *")]
				.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
				.slice(0, 3)
				.map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
					(e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : "")),
		}));
		if (wide.doc > wide.view)
			problems.push(`${name} at ${width} px: the page is ${wide.doc} px wide (${wide.widest.join(", ")})`);
		if (SHOTS) await page.screenshot({ path: join(dir, `${fileName(name)}-${width}.png`), fullPage: true });
		// axe's rules (names, roles, contrast, labels) read the same at every
		// width: run it once, at the first width; the layout is checked at each
		if (width !== widths[0]) continue;
		// page.evaluate is not subject to the page's Content-Security-Policy
		if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axe());
		const found = await page.evaluate(async () => {
			const r = await window.axe.run(document, {
				runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
				resultTypes: ["violations"],
			});
			return r.violations
				.filter((v) => v.impact === "serious" || v.impact === "critical")
				.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")})`);
		});
		for (const f of found) problems.push(`${name} at ${width} px: axe ${f}`);
	}
	if (before) await page.setViewportSize(before);
	if (problems.length) throw new Error("page checks failed:\n  " + [...new Set(problems)].join("\n  "));
}
