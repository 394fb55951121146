// field-corpus-expected.mjs - builds tests/data/field-corpus-expected.tsv, the
// expected result of every document of shared/data/sbom/field-corpus under the
// strict and standard policies (issue 14), from the official validators and
// the spec text, never from vigil:
//   CycloneDX JSON   @cyclonedx/cyclonedx-library's JsonValidator (its schemas)
//   CycloneDX XML    xmllint --schema with the library's bom-1.x.SNAPSHOT.xsd
//   SPDX 2.2/2.3     ajv (draft 2019-09) with the official spdx-schema.json (2.3)
//   SPDX 3.0.1       ajv (draft 2020-12) with the official spdx-json-schema.json
//   tag-value        the fields of cardinality 1..1 in SPDX 2.2 / 2.3 chapters 6-8
// plus what the spec text asks beyond the schemas (dependency refs and
// relationship ends name an element of the document; bom-refs are unique).
// Run from tests/: node data/field-corpus-expected.mjs SHARED_DATA > data/field-corpus-expected.tsv
import fs from "fs";
import path from "path";
import { execFileSync } from "child_process";
import Ajv2019 from "ajv/dist/2019.js";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import * as CDX from "@cyclonedx/cyclonedx-library";

const shared = process.argv[2];
const dir = path.join(shared, "sbom/field-corpus/docs");
const cdxRes = "node_modules/@cyclonedx/cyclonedx-library/res/schema";
const a19 = new Ajv2019({ strict: false, allErrors: true });
addFormats(a19);
const spdx2 = a19.compile(JSON.parse(fs.readFileSync(path.join(shared, "sbom/spdx-spec/v2.3.1/schemas/spdx-schema.json"))));
const a20 = new Ajv2020({ strict: false, allErrors: true });
addFormats(a20);
const spdx3 = a20.compile(JSON.parse(fs.readFileSync(path.join(shared, "sbom/spdx-spec/v3.0.1/schema/spdx-json-schema.json"))));
const CTX3 = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

function first(errs) {
  const e = errs[0];
  return `${e.instancePath || "/"} ${e.message}`.replace(/\s+/g, " ").slice(0, 140);
}

// Tag-value: [section, tag, only in 2.2]
const TV = [["doc", "DataLicense"], ["doc", "SPDXID"], ["doc", "DocumentName"], ["doc", "DocumentNamespace"],
  ["doc", "Creator"], ["doc", "Created"], ["pkg", "SPDXID"], ["pkg", "PackageDownloadLocation"],
  ["pkg", "PackageLicenseConcluded", 1], ["pkg", "PackageLicenseDeclared", 1], ["pkg", "PackageCopyrightText", 1],
  ["file", "SPDXID"], ["file", "FileChecksum"], ["file", "LicenseConcluded", 1], ["file", "LicenseInfoInFile", 1],
  ["file", "FileCopyrightText", 1]];
function tagvalue(text) {
  const m = text.match(/^SPDXVersion:\s*(\S+)/m);
  if (!m) return { fatal: "no SPDXVersion line: not an SPDX tag-value document" };
  if (!["SPDX-2.2", "SPDX-2.3"].includes(m[1])) return { fatal: `${m[1]}: vigil reads SPDX 2.2 and 2.3` };
  const v22 = m[1] === "SPDX-2.2";
  const secs = [{ s: "doc", tags: new Set() }];
  let inText = false;
  for (const line of text.split("\n")) {
    if (inText) { if (line.includes("</text>")) inText = false; continue; }
    const c = line.indexOf(":");
    if (line.startsWith("#") || c < 0) continue;
    const tag = line.slice(0, c), val = line.slice(c + 1);
    if (val.includes("<text>") && !val.includes("</text>")) inText = true;
    if (tag === "PackageName") secs.push({ s: "pkg", tags: new Set() });
    else if (tag === "FileName") secs.push({ s: "file", tags: new Set() });
    else if (tag === "SnippetSPDXID" || tag === "LicenseID") secs.push({ s: "other", tags: new Set() });
    secs[secs.length - 1].tags.add(tag);
  }
  const miss = [];
  for (const sec of secs)
    for (const [s, t, only22] of TV)
      if (s === sec.s && (!only22 || v22) && !sec.tags.has(t)) miss.push(`${s} ${t}`);
  const fatal = miss.find((x) => /^doc (Created|Creator|SPDXID|DocumentNamespace)|SPDXID$/.test(x));
  return { miss, fatal: fatal ? `missing ${fatal} (mandatory, spec 2.x ch. 6-8)` : null };
}

function cdxRefs(doc) {
  const refs = new Set(), dups = [];
  const walk = (cs) => (cs || []).forEach((c) => {
    if (c && c["bom-ref"]) { if (refs.has(c["bom-ref"])) dups.push(c["bom-ref"]); refs.add(c["bom-ref"]); }
    if (c) { walk(c.components); walk(c.services); }
  });
  if (doc.metadata && doc.metadata.component) walk([doc.metadata.component]);
  walk(doc.components); walk(doc.services);
  const dangling = [];
  for (const d of doc.dependencies || []) {
    if (d && d.ref && !refs.has(d.ref)) dangling.push(d.ref);
    for (const r of (d && (d.dependsOn || d.provides)) || []) if (!refs.has(r)) dangling.push(r);
  }
  return { dups, dangling };
}

async function judge(f) {
  const buf = fs.readFileSync(path.join(dir, f));
  let text = buf.toString("utf8").replace(/^\uFEFF/, "");
  const t = text.trimStart();
  if (t.startsWith("<")) {
    if (/<!DOCTYPE/i.test(text)) return ["cyclonedx-xml", "n/a", "refuse", "refuse", "a DTD (XXE probe): vigil never reads DTDs"];
    const ns = text.match(/xmlns(?::\w+)?="http:\/\/cyclonedx\.org\/schema\/bom\/1\.(\d)"/);
    if (!ns) return ["xml", "n/a", "refuse", "refuse", "no CycloneDX namespace"];
    try {
      execFileSync("xmllint", ["--noout", "--nonet", "--schema", `${cdxRes}/bom-1.${ns[1]}.SNAPSHOT.xsd`, path.join(dir, f)], { stdio: "pipe" });
    } catch (e) {
      const msg = e.stderr.toString().split("\n")[0].replace(/^[^:]*:\d+: /, "").slice(0, 140);
      return [`cyclonedx-1.${ns[1]}-xml`, "invalid", "refuse", "accept", `XSD: ${msg}`];
    }
    const refs = new Set([...text.matchAll(/bom-ref="([^"]*)"/g)].map((m) => m[1]));
    // the dependency graph only: compositions and formulation have dependency lists of their own
    const graph = text.replace(/<compositions>[\s\S]*?<\/compositions>/g, "").replace(/<formulation>[\s\S]*?<\/formulation>/g, "");
    const dang = [...graph.matchAll(/<(?:\w+:)?dependency\s+ref="([^"]*)"/g)].map((m) => m[1]).find((r) => !refs.has(r));
    if (dang) return [`cyclonedx-1.${ns[1]}-xml`, "valid", "refuse", "accept", `dependency ref ${dang} names no bom-ref (XSD-valid; spec: refs name a component or service)`];
    return [`cyclonedx-1.${ns[1]}-xml`, "valid", "accept", "accept", "valid against the official XSD"];
  }
  if (!t.startsWith("{")) {
    const r = tagvalue(text);
    if (r.fatal && !r.miss) return ["tag-value", "n/a", "refuse", "refuse", r.fatal];
    if (r.fatal) return ["spdx-tag-value", "invalid", "refuse", "refuse", r.fatal];
    if (r.miss.length) return ["spdx-tag-value", "invalid", "refuse", "accept", `missing ${r.miss[0]} (mandatory in its version)`];
    return ["spdx-tag-value", "valid", "accept", "accept", "every mandatory field of its version"];
  }
  let doc;
  try { doc = JSON.parse(text); } catch (e) { return ["json", "n/a", "refuse", "refuse", `not JSON: ${e.message.slice(0, 80)}`]; }
  if (doc && (doc.bomFormat || (doc.specVersion && !doc.spdxVersion))) {
    const sv = String(doc.specVersion);
    if (doc.bomFormat !== "CycloneDX") return ["cyclonedx-json", "invalid", "refuse", "refuse", `bomFormat ${JSON.stringify(doc.bomFormat)}: the document does not say it is CycloneDX (no document identity)`];
    if (doc.serialNumber !== undefined && typeof doc.serialNumber !== "string") return ["cyclonedx-json", "invalid", "refuse", "refuse", "serialNumber not a string: the document identity is unreadable"];
    if (!/^1\.[2-7]$/.test(sv)) return ["cyclonedx-json", "n/a", "refuse", "refuse", `specVersion ${sv}: no JSON schema before 1.2`];
    const v = new CDX.Validation.JsonValidator(sv);
    let errs;
    try { errs = await v.validate(text); } catch (e) { errs = [String(e)]; }
    const { dups, dangling } = cdxRefs(doc);
    if (dups.length) return [`cyclonedx-${sv}-json`, errs ? "invalid" : "valid", "refuse", "refuse", `duplicate bom-ref ${dups[0]}: an element with no identity of its own (spec: bom-ref unique)`];
    const space = text.match(/"url"\s*:\s*"([^"]* [^"]*)"/);
    if (!errs && space) errs = [`"${space[1]}" is no iri-reference (format of url): RFC 3987 allows no space`];
    if (errs) return [`cyclonedx-${sv}-json`, "invalid", "refuse", "accept", `schema: ${JSON.stringify(errs[0] || errs).slice(0, 140)}`];
    if (dups.length) return [`cyclonedx-${sv}-json`, "valid", "refuse", "refuse", `duplicate bom-ref ${dups[0]}: an element with no identity of its own (spec: bom-ref unique)`];
    if (dangling.length) return [`cyclonedx-${sv}-json`, "valid", "refuse", "accept", `dependency ref ${dangling[0]} names no bom-ref (schema-valid; spec: refs name a component or service)`];
    return [`cyclonedx-${sv}-json`, "valid", "accept", "accept", "valid against the official JSON schema"];
  }
  if (doc && doc.spdxVersion !== undefined) {
    if (!["SPDX-2.2", "SPDX-2.3"].includes(doc.spdxVersion)) return ["spdx-json", "n/a", "refuse", "refuse", `spdxVersion ${JSON.stringify(doc.spdxVersion)}: vigil reads SPDX 2.2 and 2.3`];
    const ok = spdx2(doc);
    const ci = doc.creationInfo;
    const pk = (doc.packages || []).findIndex((p) => !p || !p.SPDXID);
    let fatal = null;
    if (!ci) fatal = "no creationInfo (no creation time or creator)";
    else if (!ci.created) fatal = "/creationInfo: no created";
    else if (!Array.isArray(ci.creators) || !ci.creators.length) fatal = "/creationInfo: no creators";
    else if (!doc.SPDXID || !doc.documentNamespace) fatal = "no SPDXID or documentNamespace (no document identity)";
    else if (pk >= 0) fatal = `/packages/${pk}: no SPDXID (an element with no id)`;
    const fmt = `spdx-${doc.spdxVersion.slice(5)}-json`;
    const seen = new Set();
    const dupId = [doc.SPDXID].concat(["packages", "files", "snippets"].flatMap((k) => (doc[k] || []).map((e) => e && e.SPDXID))).find((id) => id && (seen.has(id) || !seen.add(id)));
    if (!fatal && dupId) fatal = `duplicate SPDXID ${dupId}: two elements share one id`;
    if (fatal) return [fmt, ok ? "valid" : "invalid", "refuse", "refuse", fatal];
    if (!ok) return [fmt, "invalid", "refuse", "accept", `schema: ${first(spdx2.errors)}`];
    const ids = new Set([doc.SPDXID, ...["packages", "files", "snippets"].flatMap((k) => (doc[k] || []).map((e) => e && e.SPDXID))]);
    const ends = [...(doc.relationships || []).flatMap((r) => [r && r.spdxElementId, r && r.relatedSpdxElement]), ...(doc.documentDescribes || [])];
    const dang = ends.find((e) => typeof e === "string" && !ids.has(e) && !e.startsWith("DocumentRef-") && e !== "NONE" && e !== "NOASSERTION");
    if (dang) return [fmt, "valid", "refuse", "accept", `relationship end ${dang} names no element (schema-valid; spec 2.x ch. 11: an SPDX element of the document)`];
    return [fmt, "valid", "accept", "accept", "valid against the official SPDX 2.3 JSON schema"];
  }
  if (doc && doc["@context"] !== undefined) {
    const c = doc["@context"];
    const ctx = Array.isArray(c) ? c.find((x) => typeof x === "string" && x.includes("spdx.org/rdf/")) : c;
    if (ctx !== CTX3) return ["spdx-3-jsonld", "n/a", "refuse", "refuse", `@context ${ctx}: vigil reads SPDX 3.0.1`];
    const d2 = Array.isArray(c) ? { ...doc, "@context": CTX3 } : doc;
    // classes whose individuals are blank nodes in the model (no spdxId): Element subclasses are not
    const blank = ["CreationInfo", "Hash", "PackageVerificationCode", "ExternalIdentifier", "ExternalRef", "ExternalMap", "NamespaceMap", "DictionaryEntry", "PositiveIntegerRange"];
    const g = doc["@graph"] || [];
    const noid = g.findIndex((e) => e && e.type && !blank.includes(e.type) && !e.spdxId && !e["@id"]);
    if (noid >= 0) return ["spdx-3.0.1-jsonld", "invalid", "refuse", "refuse", `/@graph/${noid}: an element with no spdxId`];
    if (!g.some((e) => e && e.type === "CreationInfo") || g.some((e) => e && e.type === "CreationInfo" && !(e.specVersion && e.created && (e.createdBy || []).length)))
      return ["spdx-3.0.1-jsonld", spdx3(d2) ? "valid" : "invalid", "refuse", "refuse", "a CreationInfo without specVersion, created or createdBy (no creation time or creator)"];
    if (!spdx3(d2)) return ["spdx-3.0.1-jsonld", "invalid", "refuse", "accept", `schema: ${first(spdx3.errors)}`];
    return ["spdx-3.0.1-jsonld", "valid", "accept", "accept", Array.isArray(c) ? "valid; @context in the documented array form" : "valid against the official SPDX 3.0.1 schema"];
  }
  return ["json", "n/a", "refuse", "refuse", "neither CycloneDX nor SPDX"];
}

console.log("# file\tformat\tschema\tstrict\tstandard\treason (generated by data/field-corpus-expected.mjs; see its header)");
for (const f of fs.readdirSync(dir).sort()) {
  const r = await judge(f);
  r[4] = String(r[4]).replace(/[\t\r\n]+/g, " ");
  console.log([f, ...r].join("\t"));
}
