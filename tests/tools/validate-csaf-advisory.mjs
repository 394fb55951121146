// Validate a CSAF 2.0 security advisory with the BSI reference library
// (@secvisogram/csaf-validator-lib): the strict 2.0 JSON schema, every
// mandatory test (6.1.x) and the recommended tests (6.2.x, listed as
// warnings; they never fail the run).
//   node validate-csaf-advisory.mjs FILE
// Prints {"valid": bool, "errors": [...], "warnings": [...]}: exit 0 when
// valid (schema and mandatory), 1 otherwise.
import { readFileSync } from "node:fs";
import validateStrict from "@secvisogram/csaf-validator-lib/validateStrict.js";
import validate from "@secvisogram/csaf-validator-lib/validate.js";
import * as mandatory from "@secvisogram/csaf-validator-lib/mandatoryTests.js";
import * as optional from "@secvisogram/csaf-validator-lib/optionalTests.js";
import { csaf_2_0_strict } from "@secvisogram/csaf-validator-lib/schemaTests.js";

const file = process.argv[2];
if (!file) {
	console.error("usage: validate-csaf-advisory.mjs FILE");
	process.exit(2);
}
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
console.log(JSON.stringify({ valid: strict.isValid, errors, warnings }, null, 1));
process.exit(strict.isValid ? 0 : 1);
