import { launch, login, url } from "/work/wt-queue/tests/browser/harness.mjs";
const b = await launch();
const page = await (await b.newContext({ viewport: { width: +(process.argv[3]||1366), height: 900 } })).newPage();
await login(page);
await page.goto(url(process.argv[2]));
if (process.argv[5]) await page.evaluate(process.argv[5]);
await page.screenshot({ fullPage: true, path: process.argv[4], clip: { x: 0, y: +(process.argv[6]||0), width: +(process.argv[3]||1366), height: 800 } });
await b.close();
