// sbom.test.mjs - the Products pages in a real browser: the product list,
// a product's versions and SBOM revisions with upload metadata, a version's
// components with search, the diff between two versions, and creating a
// product through the form. Needs the demo data set (t0900 loads it).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, screenshot, url, withPage } from "./harness.mjs";

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

test("products, versions, SBOM revisions and upload metadata", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.click("nav >> text=Products");
		assert.equal(path(page), "/ui/products");
		const row = page.locator("#products tbody tr", { hasText: "acme-gateway" });
		assert.equal(await row.count(), 1);
		assert.match(await row.innerText(), /Important, class I\b/); // the class in plain words
		await row.locator("a").click();
		assert.equal(path(page), "/ui/products/acme-gateway");
		const versions = await page.locator("#versions tbody tr td:first-child").allInnerTexts();
		assert.deepEqual(versions, ["1.0.0", "1.1.0"]);
		const revs = page.locator("#revisions tbody tr");
		assert.equal(await revs.count(), 2);
		const first = await revs.first().innerText();
		assert.match(first, /CycloneDX 1\.6 \(JSON\)/);
		assert.match(first, /demo/); // who uploaded
		assert.match(first, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/); // when
		assert.match(first, /2036-03-01T00:00:00Z/); // kept until (placed on market + 10 y)
		await screenshot(page, "product");
	}));

test("components of a version, with search", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/products/acme-gateway/versions/1.1.0"));
		assert.equal(await page.locator("#components tbody tr").count(), 9);
		await page.fill("input[name=q]", "LODASH");
		await Promise.all([page.waitForNavigation(), page.click("#search button")]);
		const rows = page.locator("#components tbody tr");
		assert.equal(await rows.count(), 1);
		assert.match(await rows.innerText(), /lodash\s+4\.17\.21/);
		assert.match(await rows.innerText(), /pkg:npm\/lodash@4\.17\.21/);
		await page.fill("input[name=q]", "apache-2.0");
		await Promise.all([page.waitForNavigation(), page.click("#search button")]);
		assert.equal(await page.locator("#components tbody tr").count(), 2); // by license
		await screenshot(page, "components");
	}));

test("the diff between two versions", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/products/acme-gateway"));
		await page.selectOption("select[name=from]", "1.0.0");
		await page.selectOption("select[name=to]", "1.1.0");
		await Promise.all([page.waitForNavigation(), page.click("#diff-form button")]);
		assert.equal(path(page), "/ui/products/acme-gateway/diff");
		const up = await page.locator("#diff-upgraded tbody").innerText();
		assert.match(up, /openssl\s+3\.0\.11\s+3\.0\.13/);
		assert.match(up, /lodash\s+4\.17\.20\s+4\.17\.21/);
		assert.match(up, /requests\s+2\.31\.0\s+2\.32\.3/);
		assert.match(await page.locator("#diff-added").innerText(), /mosquitto/);
		assert.match(await page.locator("#diff-removed").innerText(), /jackson-databind/);
		await screenshot(page, "diff");
	}));

test("a product created through the form, without JavaScript", (t) =>
	withPage(
		browser,
		t,
		async ({ page }) => {
			await login(page);
			await page.goto(url("/ui/products"));
			await page.fill("#new-product input[name=name]", "browser-made <script>x");
			await page.fill("#new-product input[name=vendor]", "ACME");
			await page.selectOption("#new-product select[name=cra_class]", "critical");
			await page.fill("#new-product input[name=support_until]", "2032-06");
			await Promise.all([page.waitForNavigation(), page.click("#new-product button")]);
			assert.equal(decodeURIComponent(path(page)), "/ui/products/browser-made <script>x");
			// the name is shown as text, never as markup
			assert.equal(await page.locator("main h1").innerText(), "Product browser-made <script>x");
			assert.equal(await page.locator("main h1 script").count(), 0);
			await page.goto(url("/ui/products"));
			const row = page.locator("#products tbody tr", { hasText: "browser-made" });
			assert.match(await row.innerText(), /Critical/);
			assert.match(await row.innerText(), /2032-06/);
		},
		{ javaScriptEnabled: false },
	));
