// products.test.mjs - the PSIRT's way from a new product to its findings in
// a real browser, as the test user (psirt): create a product (an error at
// its field first, what was typed kept), edit it, upload an SBOM (a bad
// file first: its errors by JSON pointer, nothing stored), see the
// findings the demo vulnerabilities give it; the feed status page; the
// evidence room filtered to the new product with CSV and JSON exports of
// the filter. Every page is checked by checkPage() at both widths. The
// product is this test's own (a unique name): other tests' data is never
// changed. Needs the demo data set (t0900 loads it).
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

const NAME = `edge-router-${Date.now().toString(36)}`;

function path(page) {
	return new URL(page.url()).pathname;
}

const GOOD = JSON.stringify({
	bomFormat: "CycloneDX",
	specVersion: "1.6",
	version: 1,
	metadata: { component: { type: "firmware", name: NAME, version: "2.0.0" } },
	components: [
		{ type: "library", name: "lodash", version: "4.17.20", purl: "pkg:npm/lodash@4.17.20" },
		{ type: "library", name: "express", version: "4.18.2", purl: "pkg:npm/express@4.18.2" },
		{ type: "library", name: "requests", version: "2.31.0", purl: "pkg:pypi/requests@2.31.0" },
		{ type: "library", name: "zlib", version: "1.2.13", purl: "pkg:generic/zlib@1.2.13" },
	],
});
// two schema errors: a type that does not exist, a name that is a number
const BAD = JSON.stringify({
	bomFormat: "CycloneDX",
	specVersion: "1.6",
	version: 1,
	components: [
		{ type: "library", name: "ok", version: "1" },
		{ type: "gizmo", name: "x", version: "1" },
		{ type: "library", name: 7, version: "1" },
	],
});

async function submit(page, selector) {
	await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test("create a product, upload an SBOM, see its findings", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.click("nav >> text=Products");
		assert.equal(path(page), "/ui/products");
		await checkPage(page, "products-list");

		// a bad date: the form comes back with the error at its field
		await page.fill("#pf-name", NAME);
		await page.fill("#pf-vendor", "Edge Devices");
		await page.selectOption("#pf-cra_class", "important-2");
		await page.fill("#pf-support_until", "2031-13");
		await submit(page, "#new-product button[type=submit]");
		assert.match(await page.locator("#pf-support_until-error").innerText(), /expected YYYY-MM/);
		assert.equal(await page.inputValue("#pf-name"), NAME);
		assert.equal(await page.inputValue("#pf-vendor"), "Edge Devices");
		assert.equal(await page.inputValue("#pf-cra_class"), "important-2");
		assert.equal(await page.getAttribute("#pf-support_until", "aria-invalid"), "true");
		await checkPage(page, "product-form-error");

		await page.fill("#pf-support_until", "2031-12");
		await submit(page, "#new-product button[type=submit]");
		assert.equal(path(page), `/ui/products/${NAME}`);
		assert.match(await page.locator("#flash").innerText(), /Product created/);
		assert.match(await page.locator("dl.facts").first().innerText(), /Important, class II/);
		await checkPage(page, "product-new");

		// edit
		await page.click("#edit-link");
		assert.equal(path(page), `/ui/products/${NAME}/edit`);
		await checkPage(page, "product-edit");
		await page.fill("#pf-vendor", "Edge Devices GmbH");
		await page.check("#pf-public");
		await submit(page, "#edit-product button[type=submit]");
		assert.match(await page.locator("#flash").innerText(), /Changes saved/);
		assert.match(await page.locator("dl.facts").first().innerText(), /Edge Devices GmbH/);
		assert.match(await page.locator("#product-public").innerText(), /^yes/);

		// a bad SBOM: its errors by JSON pointer, the version kept
		await page.fill("#up-version", "2.0.0");
		await page.setInputFiles("#up-file", {
			name: "router-bom.json",
			mimeType: "application/json",
			buffer: Buffer.from(BAD),
		});
		await submit(page, "#upload-sbom button[type=submit]");
		const errors = page.locator("#up-file-error");
		assert.match(await errors.innerText(), /router-bom\.json: the document breaks its official schema or spec/);
		const places = await page.locator("#validation-errors tbody tr td:first-child").allInnerTexts();
		assert.ok(places.includes("/components/1/type"), `pointers: ${places}`);
		assert.ok(places.includes("/components/2/name"), `pointers: ${places}`);
		assert.equal(await page.inputValue("#up-version"), "2.0.0");
		assert.match(await page.locator("#revisions tbody").innerText(), /No SBOM uploaded yet/);
		await checkPage(page, "sbom-upload-error");

		// the good one
		await page.setInputFiles("#up-file", {
			name: `${NAME}-2.0.0.cdx.json`,
			mimeType: "application/json",
			buffer: Buffer.from(GOOD),
		});
		await submit(page, "#upload-sbom button[type=submit]");
		assert.equal(path(page), `/ui/products/${NAME}/versions/2.0.0`);
		assert.match(await page.locator("#flash").innerText(), /stored: 2\.0\.0 revision 1, CycloneDX 1\.6, 5 components/);
		assert.equal(await page.locator("#components tbody tr").count(), 5);
		assert.match(await page.locator("#components tbody").innerText(), /Library/);
		await checkPage(page, "sbom-version");

		// downloads named after what they are
		const [download] = await Promise.all([
			page.waitForEvent("download"),
			page.click("#downloads a >> nth=0"),
		]);
		assert.equal(download.suggestedFilename(), `${NAME}-2.0.0.cdx.json`);

		// the findings the demo vulnerabilities give it
		await page.click("#findings-link");
		assert.equal(path(page), "/ui/findings");
		const text = await page.locator("main").innerText();
		assert.match(text, new RegExp(NAME));
		assert.match(text, /lodash/);
	}));

test("the feed status page", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.click("nav >> text=Feeds");
		assert.equal(path(page), "/ui/feeds");
		assert.ok((await page.locator("#feeds").count()) === 1);
		assert.match(await page.locator("#sync-run").innerText(), /Last sync run/);
		// the test user is psirt: reading, not syncing
		assert.equal(await page.locator("#sync-now").count(), 0);
		await checkPage(page, "feeds");
	}));

test("the evidence room: filters, paging, exports that honour the filter", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/audit"));
		await checkPage(page, "evidence");
		assert.match(await page.locator("#chain-status").innerText(), /Audit chain intact/);
		// sign-ins are hidden unless asked for
		assert.doesNotMatch(await page.locator("#audit tbody").innerText(), /auth\.login\b/);

		// a bad date: the error at its field, the rest kept
		await page.fill("#f-from", "yesterday");
		await page.fill("#f-action", "product.*");
		await submit(page, "#audit-filter button[type=submit]");
		assert.match(await page.locator("#f-from-error").innerText(), /expected a date/);
		assert.equal(await page.inputValue("#f-action"), "product.*");
		await checkPage(page, "evidence-error");

		await page.fill("#f-from", "");
		await page.fill("#f-otype", "product");
		await page.fill("#f-oid", NAME);
		await page.selectOption("#f-size", "25");
		await submit(page, "#audit-filter button[type=submit]");
		const rows = page.locator("#audit tbody tr");
		// created by the first test, then changed
		assert.equal(await rows.count(), 2);
		const all = await page.locator("#audit tbody").innerText();
		assert.match(all, /Product created/);
		assert.match(all, /Product changed/);
		// the change as a difference, not JSON
		assert.match(await page.locator("#audit dl.change").first().innerText(), /Edge Devices/);
		assert.match(await page.locator("#audit-range").innerText(), /Records 1 to 2 of 2/);
		await checkPage(page, "evidence-filtered");

		const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
		assert.match(csv.suggestedFilename(), /^vigil-audit-\d{4}-\d{2}-\d{2}\.csv$/);
		const body = await (await csv.createReadStream()).toArray();
		const lines = Buffer.concat(body).toString("utf8").trim().split("\r\n");
		assert.equal(lines.length, 3, lines.join("\n")); // header and the two records
		assert.ok(lines.slice(1).every((l) => l.includes(`"${NAME}"`)));

		const [json] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
		const doc = JSON.parse(Buffer.concat(await (await json.createReadStream()).toArray()).toString("utf8"));
		assert.deepEqual(
			doc.records.map((r) => r.action),
			["product.create", "product.update"],
		);
	}));
