// Validate an exported document with the reference tools:
//   node validate-export.mjs cyclonedx 1.6|1.7 FILE   (@cyclonedx/cyclonedx-library, strict JSON)
//   node validate-export.mjs spdx SCHEMA FILE          (ajv against the official SPDX 2.3 schema)
// Exit 0 when valid; prints the errors and exits 1 otherwise.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [kind, arg, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");

if (kind === "cyclonedx") {
	const CDX = require("@cyclonedx/cyclonedx-library");
	const v = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version[`v${arg.replace(".", "dot")}`]);
	const errors = await v.validate(text);
	if (errors === null) {
		console.log(`${file}: valid CycloneDX ${arg} (strict)`);
		process.exit(0);
	}
	console.log(JSON.stringify(errors, null, 2).slice(0, 4000));
	process.exit(1);
} else if (kind === "spdx") {
	const Ajv2019 = require("ajv/dist/2019").default;
	const addFormats = require("ajv-formats");
	const ajv = new Ajv2019({ strict: false, allErrors: true });
	addFormats(ajv);
	const validate = ajv.compile(JSON.parse(readFileSync(arg, "utf8")));
	if (validate(JSON.parse(text))) {
		console.log(`${file}: valid SPDX 2.3`);
		process.exit(0);
	}
	console.log(JSON.stringify(validate.errors, null, 2).slice(0, 4000));
	process.exit(1);
} else {
	console.error("usage: validate-export.mjs cyclonedx VERSION FILE | spdx SCHEMA FILE");
	process.exit(2);
}
