// Validate a CSAF 2.0 security advisory with the BSI reference library
// (@secvisogram/csaf-validator-lib): the strict 2.0 JSON schema, every
// mandatory test (6.1.x) and the recommended tests (6.2.x, listed as
// warnings; they never fail the run).
//   node validate-csaf-advisory.mjs FILE [FILE...]
// Prints {"valid": bool, "errors": [...], "warnings": [...]} for one FILE,
// an array of them (each with "file") for several: exit 0 when every file is
// valid (schema and mandatory), 1 otherwise.
import { readFileSync } from "node:fs";
import validateStrict from "@secvisogram/csaf-validator-lib/validateStrict.js";
import validate from "@secvisogram/csaf-validator-lib/validate.js";
import * as mandatory from "@secvisogram/csaf-validator-lib/mandatoryTests.js";
import * as optional from "@secvisogram/csaf-validator-lib/optionalTests.js";
import { csaf_2_0_strict } from "@secvisogram/csaf-validator-lib/schemaTests.js";

const files = process.argv.slice(2);
if (!files.length) {
	console.error("usage: validate-csaf-advisory.mjs FILE [FILE...]");
	process.exit(2);
}
async function check(file) {
	const doc = JSON.parse(readFileSync(file, "utf8"));
	const strict = await validateStrict([csaf_2_0_strict, ...Object.values(mandatory)], doc);
	const rec = await validate(Object.values(optional), doc);
	const errors = [];
	const warnings = [];
	for (const t of strict.tests)
		for (const e of t.errors) errors.push({ test: t.name, path: e.instancePath, message: e.message });
	for (const t of rec.tests) {
		for (const w of [...(t.warnings || []), ...(t.errors || [])])
			warnings.push({ test: t.name, path: w.instancePath, message: w.message });
	}
	return { file, valid: strict.isValid, errors, warnings };
}
const results = [];
for (const f of files) results.push(await check(f));
console.log(JSON.stringify(files.length === 1 ? results[0] : results, null, 1));
process.exit(results.every((r) => r.valid) ? 0 : 1);
