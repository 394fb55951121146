// Validate a CSAF 2.0 document with the BSI reference library
// (@secvisogram/csaf-validator-lib): the strict 2.0 JSON schema and every
// mandatory test (section 6.1 of the standard, including the csaf_vex
// profile tests 6.1.27.*).
//   node validate-csaf.mjs FILE
// Exit 0 when valid; prints the failing tests and exits 1 otherwise.
import { readFileSync } from "node:fs";
import validateStrict from "@secvisogram/csaf-validator-lib/validateStrict.js";
import * as mandatory from "@secvisogram/csaf-validator-lib/mandatoryTests.js";
import { csaf_2_0_strict } from "@secvisogram/csaf-validator-lib/schemaTests.js";

const file = process.argv[2];
if (!file) {
	console.error("usage: validate-csaf.mjs FILE");
	process.exit(2);
}
const doc = JSON.parse(readFileSync(file, "utf8"));
const result = await validateStrict([csaf_2_0_strict, ...Object.values(mandatory)], doc);
if (result.isValid) {
	console.log(`${file}: valid CSAF 2.0 (schema and ${Object.keys(mandatory).length} mandatory tests)`);
	process.exit(0);
}
for (const t of result.tests) {
	if (t.errors.length)
		console.log(`${t.name}: ${JSON.stringify(t.errors).slice(0, 1500)}`);
}
process.exit(1);
