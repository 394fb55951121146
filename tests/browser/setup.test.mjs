// setup.test.mjs - reachability set up in the browser by the PSIRT user
// (carol), without the CLI (issue 17, item 2): a webhook channel (its secret
// typed once and never shown again), a rule, a test message; an on-call
// person, a rotation, an escalation policy and a drill; the security.txt
// settings and "Publish now". A refused form keeps what was typed and shows
// the error at its field. Every page passes checkPage() at 1366 and 390 px.
// The names made here start with "setup-" so no other test depends on them.
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

function expect(problems, status) {
	const re = new RegExp(`status of ${status}`);
	problems.splice(0, problems.length, ...problems.filter((p) => !re.test(p)));
}

async function submit(page, selector) {
	const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
	return resp;
}

test("notification channels and rules are set up in the browser", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		let resp = await page.goto(url("/ui/setup"));
		assert.equal(resp.status(), 200);
		await checkPage(page, "setup-hub");
		await page.click("a[href='/ui/notify']");
		await page.waitForURL(/\/ui\/notify$/);
		await checkPage(page, "setup-notify");

		// refused: a URL that is not http(s); the name is kept, the secret asked again
		await page.fill("#nf-name", "setup-hook");
		await page.selectOption("#nf-kind", "webhook");
		await page.fill("#nf-url", "https://hooks.invalid/in?token=typed-once-url");
		await page.fill("#nf-secret", "whsec-setup-typed-once");
		await page.evaluate(() => document.querySelector("#nf-url").setAttribute("type", "text"));
		await page.fill("#nf-url", "ftp://hooks.invalid/in");
		resp = await submit(page, "#add-channel-button");
		assert.equal(resp.status(), 400);
		expect(problems, 400);
		assert.ok(await page.locator("#nf-url-error").isVisible());
		assert.equal(await page.inputValue("#nf-name"), "setup-hook");
		assert.equal(await page.inputValue("#nf-secret"), "");
		await checkPage(page, "setup-notify-refused");

		await page.fill("#nf-url", "https://hooks.invalid/in?token=typed-once-url");
		await page.fill("#nf-secret", "whsec-setup-typed-once");
		resp = await submit(page, "#add-channel-button");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /added/);
		const html = await page.content();
		assert.doesNotMatch(html, /whsec-setup-typed-once/);
		assert.doesNotMatch(html, /typed-once-url/);
		assert.equal(await page.locator("#channel-setup-hook").count(), 1);

		// a rule and a test message
		await page.fill("#rule-event", "art14.*");
		await page.selectOption("#rule-severity", "high");
		await page.selectOption("#rule-channel", "setup-hook");
		resp = await submit(page, "#add-rule-button");
		assert.equal(resp.status(), 200);
		assert.equal(await page.locator("#rules tbody tr", { hasText: "art14.*" }).count() >= 1, true);
		resp = await submit(page, "#channel-setup-hook button:has-text('Test')");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /test message/i);
		assert.ok(await page.locator("#deliveries tbody tr", { hasText: "notify.test" }).count() >= 1);
		// the rule goes again (other tests' events must not go to this channel)
		resp = await submit(page, "#rules tbody tr:has-text('art14.*') button");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /rule was removed/);
		assert.equal(await page.locator("#rules tbody tr", { hasText: "art14.*" }).count(), 0);

		// the edit page shows no secret; an empty secret keeps it
		await page.goto(url("/ui/notify/channels/setup-hook"));
		assert.doesNotMatch(await page.content(), /whsec-setup-typed-once|typed-once-url/);
		await checkPage(page, "setup-notify-edit");
		await page.fill("#nf-url", "https://hooks2.invalid/in");
		resp = await submit(page, "#save-channel");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /saved/);
		assert.match(await page.locator("#channel-setup-hook").innerText(), /hooks2\.invalid/);
		assert.match(await page.locator("#channel-setup-hook").innerText(), /secret: \*\*\*/);
	}));

test("on call is set up in the browser: person, rotation, policy, drill", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		let resp = await page.goto(url("/ui/oncall/setup"));
		assert.equal(resp.status(), 200);
		await checkPage(page, "setup-oncall");

		// a channel for the people made here (through the notifications page)
		await page.goto(url("/ui/notify"));
		await page.fill("#nf-name", "setup-oncall-hook");
		await page.selectOption("#nf-kind", "webhook");
		await page.fill("#nf-url", "https://pager.invalid/in");
		await submit(page, "#add-channel-button");
		await page.goto(url("/ui/oncall/setup"));

		await page.fill("#person-name", "setup-ana");
		await page.selectOption("#person-channel", "setup-oncall-hook");
		resp = await submit(page, "#add-person");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /person/);
		await page.fill("#person-name", "setup-ben");
		await page.selectOption("#person-channel", "setup-oncall-hook");
		await submit(page, "#add-person");

		// refused: an unknown time zone; what was typed is kept
		await page.fill("#rotation-name", "setup-rota");
		await page.fill("#rotation-members", "setup-ana,setup-ben");
		await page.fill("#rotation-tz", "Mars/Olympus");
		const start = new Date(Date.now() - 8 * 86400e3).toISOString().slice(0, 10);
		await page.fill("#rotation-start", start);
		resp = await submit(page, "#add-rotation");
		assert.equal(resp.status(), 400);
		expect(problems, 400);
		assert.ok(await page.locator("#rotation-tz-error").isVisible());
		assert.equal(await page.inputValue("#rotation-members"), "setup-ana,setup-ben");
		await checkPage(page, "setup-oncall-refused");
		await page.fill("#rotation-tz", "Europe/Berlin");
		resp = await submit(page, "#add-rotation");
		assert.equal(resp.status(), 200);
		assert.ok(await page.locator("#rotations-table tbody tr", { hasText: "setup-rota" }).count() === 1);

		await page.fill("#policy-name", "setup-policy");
		await page.selectOption("#policy-kind1", "rotation");
		await page.fill("#policy-target1", "setup-rota");
		await page.fill("#policy-minutes1", "10");
		await page.selectOption("#policy-kind2", "person");
		await page.fill("#policy-target2", "setup-ben");
		resp = await submit(page, "#add-policy");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#policies-list").innerText(), /setup-policy/);

		await page.selectOption("#drill-policy", "setup-policy");
		resp = await submit(page, "#start-drill");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /drill/);
		assert.ok(await page.locator("#drills-table tbody tr", { hasText: "pending" }).count() >= 1);
		await checkPage(page, "setup-oncall-done");
	}));

test("security.txt is set up and published in the browser", (t) =>
	withPage(browser, t, async ({ page, problems }) => {
		await login(page);
		let resp = await page.goto(url("/ui/securitytxt"));
		assert.equal(resp.status(), 200);
		await checkPage(page, "setup-securitytxt");

		await page.fill("#st-contact", "http://insecure.invalid/contact");
		await page.fill("#st-languages", "en, de");
		resp = await submit(page, "#save-st");
		assert.equal(resp.status(), 400);
		expect(problems, 400);
		assert.ok(await page.locator("#st-contact-error").isVisible());
		assert.equal(await page.inputValue("#st-contact"), "http://insecure.invalid/contact");
		assert.equal(await page.inputValue("#st-languages"), "en, de");
		await checkPage(page, "setup-securitytxt-refused");

		await page.fill("#st-contact", "mailto:psirt@example.com");
		resp = await submit(page, "#save-st");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /saved/);
		resp = await submit(page, "#publish-st");
		assert.equal(resp.status(), 200);
		assert.match(await page.locator("#flash").innerText(), /published/);
		assert.match(await page.locator("#st-body").innerText(), /Preferred-Languages: en, de/);

		const st = await page.goto(url("/.well-known/security.txt"));
		assert.equal(st.status(), 200);
		assert.match(await st.text(), /Preferred-Languages: en, de/);
	}));
