// The verdicts of @secvisogram/csaf-validator-lib (the BSI reference
// library, MIT) on CSAF 2.0 documents, one JSON line per file:
//   {"file": F, "valid": bool, "failed": ["6.1.7", ...], "warned": ["6.2.1", ...]}
// valid: the strict 2.0 schema and every mandatory test pass; failed: the
// mandatory tests (and "schema") that fail; warned: the optional tests
// (section 6.2) that report. Used by t9401 to compare vigil's csaf_check.
//   node csaf-lib-verdicts.mjs FILE...
import { readFileSync } from "node:fs";
import validateStrict from "@secvisogram/csaf-validator-lib/validateStrict.js";
import * as mandatory from "@secvisogram/csaf-validator-lib/mandatoryTests.js";
import * as optional from "@secvisogram/csaf-validator-lib/optionalTests.js";
import { csaf_2_0_strict } from "@secvisogram/csaf-validator-lib/schemaTests.js";

// "mandatoryTest_6_1_27_10" -> "6.1.27.10"
const id = (name) => name.replace(/^[a-zA-Z]+Test_/, "").replace(/_/g, ".");

for (const file of process.argv.slice(2)) {
	const doc = JSON.parse(readFileSync(file, "utf8"));
	const m = await validateStrict([csaf_2_0_strict, ...Object.values(mandatory)], doc);
	const o = await validateStrict(Object.values(optional), doc);
	const failed = m.tests.filter((t) => t.errors.length).map((t) =>
		t.name.startsWith("csaf_2_0") ? "schema" : id(t.name));
	const warned = o.tests.filter((t) => t.warnings.length || t.errors.length).map((t) => id(t.name));
	console.log(JSON.stringify({ file, valid: m.isValid, failed, warned }));
}
