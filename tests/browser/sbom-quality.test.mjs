// sbom-quality.test.mjs - issue 14 in a real browser, as the test user
// (psirt): a new product with the strict SBOM policy and the BSI
// TR-03183-2 quality profile (chosen in the product form); an upload that
// breaks its schema is refused with every violation listed (place, what
// was expected, under which policy it is refused), nothing stored; the
// policy set to standard on the edit form, the same file is imported and
// its version page lists the violations kept and the quality checks; the
// product page's quality column marks the version below the profile.
// Every page is checked by checkPage() at both widths. The product is this
// test's own (a unique name).
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

const NAME = `quality-gw-${Date.now().toString(36)}`;

function path(page) {
	return new URL(page.url()).pathname;
}

// two schema violations, none fatal: a hash that is no hash, a scope that
// does not exist; no supplier anywhere (NTIA), no BSI properties
const DOC = JSON.stringify({
	bomFormat: "CycloneDX",
	specVersion: "1.6",
	version: 1,
	metadata: {
		timestamp: "2026-11-30T10:00:00Z",
		authors: [{ name: "Gateway Team", email: "gw@example.com" }],
		component: { type: "firmware", name: NAME, version: "3.0.0", "bom-ref": "fw" },
	},
	components: [
		{
			type: "library",
			name: "zlib",
			version: "1.3.1",
			"bom-ref": "zlib",
			purl: "pkg:generic/zlib@1.3.1",
			hashes: [{ alg: "SHA-256", content: "not-a-hash" }],
		},
		{ type: "library", name: "musl", version: "1.2.5", "bom-ref": "musl", scope: "sometimes" },
	],
	dependencies: [{ ref: "fw", dependsOn: ["zlib", "musl"] }],
});

async function submit(page, selector) {
	await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function upload(page) {
	await page.fill("#up-version", "3.0.0");
	await page.setInputFiles("#up-file", {
		name: "gw-bom.json",
		mimeType: "application/json",
		buffer: Buffer.from(DOC),
	});
	await submit(page, "#upload-sbom button[type=submit]");
}

test("policy and quality of a product's SBOMs", (t) =>
	withPage(browser, t, async ({ page }) => {
		await login(page);
		await page.goto(url("/ui/products"));
		await page.fill("#pf-name", NAME);
		await page.selectOption("#pf-sbom_policy", "strict");
		await page.selectOption("#pf-quality_profile", "bsi-tr-03183-2");
		await submit(page, "#new-product button[type=submit]");
		assert.equal(path(page), `/ui/products/${NAME}`);
		assert.match(await page.locator("#product-policy").innerText(), /Strict/);
		assert.match(await page.locator("#product-profile").innerText(), /BSI TR-03183-2/);

		// strict: refused, every violation listed, nothing stored
		await upload(page);
		const errors = page.locator("#up-file-error");
		assert.match(await errors.innerText(), /gw-bom\.json: the document breaks its official schema or spec/);
		const places = await page.locator("#validation-errors tbody tr td:first-child").allInnerTexts();
		assert.deepEqual(places, ["/components/0/hashes/0/content", "/components/1/scope"]);
		const under = await page.locator("#validation-errors tbody tr td:last-child").allInnerTexts();
		assert.deepEqual(under, ["strict", "strict"]);
		assert.match(await page.locator("#validation-errors caption").innerText(), /policy strict/);
		assert.match(await page.locator("#revisions tbody").innerText(), /No SBOM uploaded yet/);
		await checkPage(page, "sbom-quality-refused");

		// the edit form: standard
		await page.click("#edit-link");
		assert.equal(await page.inputValue("#pf-sbom_policy"), "strict");
		assert.equal(await page.inputValue("#pf-quality_profile"), "bsi-tr-03183-2");
		await checkPage(page, "sbom-quality-edit");
		await page.selectOption("#pf-sbom_policy", "standard");
		await submit(page, "#edit-product button[type=submit]");
		assert.match(await page.locator("#product-policy").innerText(), /Standard/);

		// standard: imported; the version page lists what was kept and the quality
		await upload(page);
		assert.equal(path(page), `/ui/products/${NAME}/versions/3.0.0`);
		assert.match(await page.locator("#flash").innerText(), /violations listed below/);
		const kept = await page.locator("#violation-list tbody tr td:first-child").allInnerTexts();
		assert.deepEqual(kept, ["/components/0/hashes/0/content", "/components/1/scope"]);
		assert.match(await page.locator("#quality-summary").innerText(), /NTIA minimum elements: \d+\/100, not met/);
		const supplier = page.locator("#quality-checks tr", { hasText: "ntia.supplier" });
		assert.match(await supplier.innerText(), /no, 0 of 3/);
		assert.match(await supplier.innerText(), /zlib 1\.3\.1/);
		assert.match(await page.locator("#quality-checks").innerText(), /BSI TR-03183-2 v2\.0\.0 5\.2\.2 Hash value/);
		await checkPage(page, "sbom-quality-version");

		// the product page: policy and quality columns, the version marked
		await page.goto(url(`/ui/products/${encodeURIComponent(NAME)}`));
		assert.match(await page.locator("#versions tbody").innerText(), /below profile/);
		const rev = await page.locator("#revisions tbody tr").first().innerText();
		assert.match(rev, /standard/);
		assert.match(rev, /NTIA \d+, BSI \d+/);
		await checkPage(page, "sbom-quality-product");
	}));

