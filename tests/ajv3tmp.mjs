import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fs from "fs";
const ajv = new Ajv2020({strict:false, allErrors:true});
addFormats(ajv);
const v = ajv.compile(JSON.parse(fs.readFileSync("/work/shared/data/sbom/spdx-spec/v3.0.1/schema/spdx-json-schema.json")));
for (const f of process.argv.slice(2)) {
  const d = JSON.parse(fs.readFileSync(f));
  const ok = v(d);
  console.log(ok, f.split("/").pop(), ok ? "" : JSON.stringify(v.errors.slice(0,3).map(e=>[e.instancePath,e.message,e.params])).slice(0,400));
}
