/*
 * techfile.c - the technical file of a product (issue 23 item 4): a signed
 * bundle (evidence/bundle.h: tar.zst, MANIFEST.json with the SHA-256 of
 * every file, its signed-note signature) holding what Art. 13(13) and
 * Annex VII ask to keep, each part made by the room that owns it.
 *
 * The parts are one table (parts[] below): a path, what it is, the article
 * it serves and a function that adds it. Adding a part (the advisories of
 * the advisory room) is one row and one function; the README inside the
 * bundle is written from the same table.
 */
#define _POSIX_C_SOURCE 200809L
#include "programme/techfile.h"
#include "advisory/csaf_adv.h"
#include "advisory/provider.h"
#include "audit/audit.h"
#include "audit/note.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "evidence/bundle.h"
#include "programme/programme.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/usernotice.h"
#include "sbom/inventory.h"
#include "sbom/product.h"
#include "store/store.h"
#include "triage/findings.h"
#include "triage/vex.h"
#include "update/release.h"
#include "update/signer_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

struct techfile_ctx {
	struct store *s;
	struct bundle_writer *w;
	const struct product *p;
	const char *version; /* NULL: every version */
	int64_t now;
	char note[256]; /* what the part holds, for the README ("3 revisions") */
};

/* A name part safe in a member name: [A-Za-z0-9._+-], others '_'. */
static void safe(char *out, size_t n, const char *in)
{
	size_t i = 0;
	for (; in && *in && i + 1 < n; in++)
		out[i++] = (strchr("._+-", *in) || (*in >= 'a' && *in <= 'z') ||
			    (*in >= 'A' && *in <= 'Z') || (*in >= '0' && *in <= '9'))
			       ? *in
			       : '_';
	out[i] = '\0';
	if (!i || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, n, "_%s", i ? out : "");
}

static int add_json(struct techfile_ctx *c, const char *name, json_t *v, struct vg_error *err)
{
	char *text;
	int rc;
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", name);
	text = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(v);
	if (!text)
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", name);
	rc = bundle_add(c->w, name, text, strlen(text), err);
	free(text);
	return rc;
}

static int wanted_version(const struct techfile_ctx *c, const char *version)
{
	return !c->version || (version && strcmp(c->version, version) == 0);
}

/* ---- the parts ---- */

static int part_sbom(struct techfile_ctx *c, struct vg_error *err)
{
	struct sbom_revision_list l;
	json_t *index = json_array();
	int rc = sbom_revision_list(c->s, c->p->name, c->version, &l, err);
	if (rc) {
		json_decref(index);
		return rc;
	}
	for (size_t i = 0; i < l.n && !rc; i++) {
		const struct sbom_revision *r = &l.items[i];
		char *data = NULL, ver[128], name[BUNDLE_NAME_MAX + 1];
		size_t n = 0;
		json_t *o;
		const char *ext = strcmp(r->encoding ? r->encoding : "", "xml") == 0    ? "xml"
				  : strcmp(r->encoding ? r->encoding : "", "json") == 0 ? "json"
											: "spdx";
		safe(ver, sizeof(ver), r->version);
		snprintf(name, sizeof(name), "sbom/%s/revision-%lld.%s.%s", ver,
			 (long long)r->revision, r->format ? r->format : "sbom", ext);
		rc = sbom_original(c->s, r->id, &data, &n, err);
		if (!rc)
			rc = bundle_add(c->w, name, data, n, err);
		free(data);
		o = sbom_revision_to_json(r);
		json_object_set_new(o, "file", json_string(name));
		json_array_append_new(index, o);
	}
	snprintf(c->note, sizeof(c->note), "%zu SBOM revision(s), byte for byte as uploaded", l.n);
	sbom_revision_list_release(&l);
	if (rc) {
		json_decref(index);
		return rc;
	}
	return add_json(c, "sbom/index.json", index, err);
}

/* The product's findings (every page), with the decisions on each (their
 * audit records). */
static int part_findings(struct techfile_ctx *c, struct vg_error *err)
{
	struct findings_filter f = {0};
	json_t *all = json_array(), *decisions = json_array();
	int64_t total = 0;
	int rc = VG_OK;

	f.product = c->p->name;
	f.version = c->version;
	f.include_retracted = 1;
	f.sort = "id";
	f.limit = 1000;
	for (;;) {
		struct finding_list l;
		rc = findings_list(c->s, &f, &l, err);
		if (rc)
			break;
		for (size_t i = 0; i < l.n && !rc; i++) {
			struct audit_filter af = {0};
			json_t *h = NULL;
			char oid[32];
			json_array_append_new(all, finding_to_json(&l.v[i]));
			snprintf(oid, sizeof(oid), "%lld", (long long)l.v[i].id);
			af.otype = "finding";
			af.oid = oid;
			rc = audit_query_json(c->s, &af, &h, err);
			if (!rc)
				json_array_append_new(decisions, json_pack("{s:I, s:o}", "finding",
									   (json_int_t)l.v[i].id,
									   "history", h));
		}
		total += (int64_t)l.n;
		f.offset += (int64_t)l.n;
		{
			size_t got = l.n;
			finding_list_release(&l);
			if (rc || got < 1000)
				break;
		}
	}
	if (rc) {
		json_decref(all);
		json_decref(decisions);
		return rc;
	}
	snprintf(c->note, sizeof(c->note), "%lld finding(s) with their triage decisions",
		 (long long)total);
	rc = add_json(c, "vulnerability-handling/findings.json", all, err);
	if (!rc)
		rc = add_json(c, "vulnerability-handling/decisions.json", decisions, err);
	else
		json_decref(decisions);
	return rc;
}

static int part_vex(struct techfile_ctx *c, struct vg_error *err)
{
	struct product_version_list vl;
	size_t n = 0;
	int rc = product_version_list(c->s, c->p->id, &vl, err);
	for (size_t i = 0; !rc && i < vl.n; i++) {
		json_t *doc = NULL;
		char ver[128], name[BUNDLE_NAME_MAX + 1];
		if (!wanted_version(c, vl.items[i].version))
			continue;
		rc = vex_export(c->s, c->p->name, vl.items[i].version, VEX_CYCLONEDX, &doc, err);
		if (rc)
			break;
		safe(ver, sizeof(ver), vl.items[i].version);
		snprintf(name, sizeof(name), "vulnerability-handling/vex/%s.cdx.json", ver);
		rc = add_json(c, name, doc, err);
		n++;
	}
	product_version_list_release(&vl);
	snprintf(c->note, sizeof(c->note), "%zu VEX document(s) (CycloneDX)", n);
	return rc;
}

static int part_art14(struct techfile_ctx *c, struct vg_error *err)
{
	struct art14_report_list l;
	json_t *out = json_array();
	int64_t last = 0;
	size_t n = 0;
	int rc = art14_list(c->s, 0, c->now, &l, err);
	for (size_t i = 0; !rc && i < l.n; i++) {
		struct art14_exposure e;
		if (l.items[i].exposure_id == last)
			continue;
		last = l.items[i].exposure_id;
		rc = art14_get(c->s, last, &e, err);
		if (rc)
			break;
		if (e.product && strcmp(e.product, c->p->name) == 0 &&
		    (!c->version || !e.product_version || wanted_version(c, e.product_version))) {
			json_array_append_new(out, art14_exposure_to_json(&e));
			n++;
		}
		art14_exposure_release(&e);
	}
	art14_report_list_release(&l);
	if (rc) {
		json_decref(out);
		return rc;
	}
	snprintf(c->note, sizeof(c->note), "%zu exposure(s) with their reports and filing records",
		 n);
	return add_json(c, "article14/exposures.json", out, err);
}

/* Advisories: the product's PSIRT cases with the advisories linked to them
 * (link kind "advisory": an identifier or the address of the published
 * advisory), the fixed releases, and for a case with an Article 14
 * exposure its user notification (Art. 14(8), published with the
 * advisory). The CSAF documents themselves are the advisory room's, which
 * this build does not have: the part says so rather than leaving it out.
 * No reporter contact, report text or internal note is copied. */
/* The CSAF documents published for the cases in ids (the latest published
 * version of each), as advisories/csaf/<file name>; their names into names. */
static int add_csaf_documents(struct techfile_ctx *c, const int64_t *ids, size_t nids,
			      json_t *names, struct vg_error *err)
{
	struct csaf_adv_list al;
	int rc = advisory_list(c->s, 0, &al, err);
	for (size_t i = 0; !rc && i < al.n; i++) {
		struct csaf_adv a;
		char file[256], path[300];
		int mine = 0;
		for (size_t j = 0; j < nids && !mine; j++)
			mine = ids[j] == al.items[i].case_id;
		if (!mine || al.items[i].csaf_version < 1)
			continue;
		memset(&a, 0, sizeof(a));
		rc = advisory_get(c->s, al.items[i].id, &a, err);
		if (!rc && a.published_doc && !csaf_file_name(a.tracking_id, file, sizeof(file))) {
			snprintf(path, sizeof(path), "advisories/csaf/%s", file);
			rc = bundle_add(c->w, path, a.published_doc, strlen(a.published_doc), err);
			if (!rc)
				json_array_append_new(names, json_string(path));
		}
		csaf_adv_release(&a);
	}
	csaf_adv_list_release(&al);
	return rc;
}

static int part_advisories(struct techfile_ctx *c, struct vg_error *err)
{
	struct psirt_case_list l;
	json_t *cases = json_array(), *docs = json_array();
	size_t n = 0, nadv = 0, nnotice = 0;
	int64_t *ids = NULL;
	int rc = case_list(c->s, NULL, &l, err);
	if (!rc && l.n && !(ids = calloc(l.n, sizeof(*ids))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < l.n; i++) {
		struct psirt_case k;
		json_t *o, *adv, *fixes;
		if (!l.items[i].product || strcmp(l.items[i].product, c->p->name) != 0 ||
		    (c->version && l.items[i].product_version &&
		     !wanted_version(c, l.items[i].product_version)))
			continue;
		memset(&k, 0, sizeof(k));
		rc = case_get(c->s, l.items[i].id, &k, err);
		if (rc)
			break;
		adv = json_array();
		fixes = json_array();
		for (size_t j = 0; j < k.nlinks; j++)
			if (k.links[j].kind && strcmp(k.links[j].kind, "advisory") == 0) {
				json_array_append_new(adv, json_string(k.links[j].value));
				nadv++;
			}
		for (size_t j = 0; j < k.nfixes; j++)
			json_array_append_new(
			    fixes, json_pack("{s:s?, s:s?, s:s?, s:o}", "product",
					     k.fixes[j].product, "version", k.fixes[j].version,
					     "vulnerabilities", k.fixes[j].vulns, "published_at",
					     vg_json_time(k.fixes[j].published_at)));
		o = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o}", "case",
			      (json_int_t)k.id, "title", k.title, "state", k.state, "version",
			      k.product_version, "severity", k.severity, "received_at",
			      vg_json_time(k.received_at), "closed_at",
			      k.closed_at ? vg_json_time(k.closed_at) : json_null(), "advisories",
			      adv, "fixed_in", fixes);
		if (k.nexposures) {
			struct user_notice un;
			memset(&un, 0, sizeof(un));
			rc = user_notice_build(c->s, k.id, &un, err);
			if (!rc) {
				json_object_set_new(o, "user_notification",
						    user_notice_to_json(&un));
				nnotice++;
			}
			user_notice_release(&un);
		}
		ids[n] = k.id;
		psirt_case_release(&k);
		if (o)
			json_array_append_new(cases, o);
		n++;
	}
	psirt_case_list_release(&l);
	if (!rc)
		rc = add_csaf_documents(c, ids, n, docs, err);
	free(ids);
	if (rc) {
		json_decref(cases);
		json_decref(docs);
		return rc;
	}
	snprintf(c->note, sizeof(c->note),
		 "%zu case(s), %zu advisory link(s), %zu user notification(s), %zu published CSAF "
		 "document(s)",
		 n, nadv, nnotice, json_array_size(docs));
	return add_json(c, "advisories/advisories.json",
			json_pack("{s:s, s:o, s:o}", "product", c->p->name, "cases", cases,
				  "csaf_documents", docs),
			err);
}

static int part_update(struct techfile_ctx *c, struct vg_error *err)
{
	struct update_signer_list sl;
	struct ci_key_list kl;
	struct release_filter f = {0};
	struct release_list rl;
	json_t *rels = json_array();
	size_t n = 0;
	int rc = update_signer_list(c->s, &sl, err);
	if (rc) {
		json_decref(rels);
		return rc;
	}
	rc = add_json(c, "update-delivery/signers.json", update_signer_list_to_json(&sl), err);
	update_signer_list_release(&sl);
	if (!rc && !(rc = ci_key_list(c->s, &kl, err))) {
		json_t *keys = json_array();
		for (size_t i = 0; i < kl.n; i++)
			json_array_append_new(keys, ci_key_to_json(&kl.items[i]));
		ci_key_list_release(&kl);
		rc = add_json(c, "update-delivery/ci-keys.json", keys, err);
	}
	f.product = c->p->name;
	if (!rc)
		rc = release_list(c->s, &f, &rl, err);
	if (rc) {
		json_decref(rels);
		return rc;
	}
	for (size_t i = 0; !rc && i < rl.n; i++) {
		struct release_detail d;
		if (!wanted_version(c, rl.items[i].version))
			continue;
		rc = release_get(c->s, rl.items[i].id, &d, err);
		if (rc)
			break;
		json_array_append_new(rels, release_detail_to_json(&d));
		release_detail_release(&d);
		n++;
	}
	release_list_release(&rl);
	if (rc) {
		json_decref(rels);
		return rc;
	}
	snprintf(c->note, sizeof(c->note),
		 "%zu release(s) with their artifacts and gate results; signers; CI keys", n);
	return add_json(c, "update-delivery/releases.json", rels, err);
}

static int part_scope(struct techfile_ctx *c, struct vg_error *err)
{
	struct scope_list l;
	json_t *arr = json_array();
	size_t n = 0;
	int rc = scope_list(c->s, NULL, &l, NULL, err);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct scope_system *x = &l.items[i];
		json_t *o = scope_system_to_json(x, c->now), *pr = json_object_get(o, "products"),
		       *v;
		size_t k;
		int serves = 0;
		json_array_foreach(pr, k, v) serves |=
		    strcmp(json_string_value(v), c->p->name) == 0;
		/* the infrastructure every product relies on, and what names this one */
		if (serves || strcmp(x->cls, "business-it") != 0) {
			json_array_append_new(arr, o);
			n++;
		} else {
			json_decref(o);
		}
	}
	scope_list_release(&l);
	snprintf(c->note, sizeof(c->note), "%zu system(s)", n);
	return add_json(c, "programme/scope-map.json",
			json_pack("{s:s, s:o}", "product", c->p->name, "systems", arr), err);
}

static int part_support(struct techfile_ctx *c, struct vg_error *err)
{
	struct support_period p;
	int rc = support_get(c->s, c->p->name, &p, err);
	if (rc)
		return rc;
	snprintf(c->note, sizeof(c->note), "support ends %s",
		 p.support_end[0] ? p.support_end : "(not set)");
	return add_json(c, "programme/support-period.json", support_period_to_json(&p), err);
}

static const struct techfile_part parts[] = {
    {"sbom/", "The product's SBOMs: every revision's original file, byte for byte, and an index",
     "Annex I Part II (1); Annex VII (2)(b)", part_sbom},
    {"vulnerability-handling/findings.json, decisions.json",
     "Every finding (component x vulnerability) and the decisions taken on it, from the audit "
     "trail",
     "Annex I Part II (2), (3); Annex VII (2)(b)", part_findings},
    {"vulnerability-handling/vex/",
     "VEX documents of each version (the triage room's export, CycloneDX)", "Annex I Part II (4)",
     part_vex},
    {"article14/exposures.json",
     "Actively exploited vulnerabilities and severe incidents: the early warnings, notifications "
     "and final reports with their due times and filing records",
     "Art. 14(1)-(4), 14(8)", part_art14},
    {"advisories/advisories.json",
     "The product's vulnerability cases with the advisories linked to them, the releases that "
     "fixed them and the Article 14(8) user notifications",
     "Annex I Part II (4), (8); Art. 14(8)", part_advisories},
    {"update-delivery/",
     "Update signers (PKCS#11 or development keys), trusted CI keys, releases with their "
     "artifacts and the verification gate's results",
     "Annex I Part I (2)(c); Annex I Part II (7), (8)", part_update},
    {"programme/scope-map.json",
     "The scope map extract: systems that serve this product and the CRA-critical "
     "infrastructure",
     "the programme record; Annex VII (2)", part_scope},
    {"programme/support-period.json",
     "Placing on the market, the end of the support period, the retention end and the "
     "availability of updates",
     "Art. 13(8), 13(9), 13(13), 13(19); Annex VII (8)", part_support},
    {NULL, NULL, NULL, NULL},
};

const struct techfile_part *techfile_parts(void)
{
	return parts;
}

/* The signer of the manifest: the key file given, else the audit key file
 * (created when missing). */
static int load_signer(const char *key, struct note_signer *sg, struct vg_error *err)
{
	const char *path = key && *key ? key : note_key_file_path();
	struct stat st;
	if (!(key && *key) && stat(path, &st) != 0) {
		int rc = note_key_file_create(path, "vigil-technical-file", err);
		if (rc && rc != VG_EEXIST)
			return rc;
	}
	return note_key_file_load(path, sg, err);
}

int techfile_export(struct store *s, const struct techfile_req *r, struct techfile_result *res,
		    struct vg_error *err)
{
	struct product prod = {0};
	struct techfile_ctx c = {0};
	struct note_signer sg;
	struct bundle_info info = {0};
	struct vg_buf readme = VG_BUF_INIT;
	json_t *scope = NULL, *partsj = json_array();
	char ts[VG_TIME_BUFSZ];
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&sg, 0, sizeof(sg));
	if (!r->product || !*r->product || !r->out || !*r->out) {
		json_decref(partsj);
		return vg_error_set(err, VG_EUSAGE, "--product and -o are required");
	}
	rc = product_get(s, r->product, &prod, err);
	if (!rc && r->version) {
		struct product_version v = {0};
		rc = product_version_get(s, r->product, r->version, &v, err);
		product_version_release(&v);
	}
	if (!rc)
		rc = load_signer(r->key, &sg, err);
	if (rc) {
		product_release(&prod);
		json_decref(partsj);
		return rc;
	}
	c.s = s;
	c.p = &prod;
	c.version = r->version;
	c.now = vg_now();
	rc = bundle_create(r->out, &c.w, err);
	vg_buf_addf(
	    &readme,
	    "# Technical file of %s%s%s\n\nMade by vigil on %s. Every file is listed in "
	    "MANIFEST.json with its SHA-256 and size; MANIFEST.json.sig is a signed note "
	    "(C2SP signed-note, Ed25519) over it. Check it offline with `vigil techfile verify "
	    "FILE`.\n\nKept for the period of Art. 13(13): see "
	    "programme/support-period.json (retention_end).\n\n## Parts\n\n",
	    prod.name, r->version ? " version " : "", r->version ? r->version : "",
	    vg_time_format(c.now, ts, sizeof(ts)));
	for (size_t i = 0; !rc && parts[i].path; i++) {
		c.note[0] = '\0';
		rc = parts[i].add(&c, err);
		if (rc) {
			vg_error_prefix(err, "technical file, part %s", parts[i].path);
			break;
		}
		vg_buf_addf(&readme, "- `%s`: %s. Serves: %s. Holds: %s.\n", parts[i].path,
			    parts[i].what, parts[i].article, c.note);
		json_array_append_new(partsj,
				      json_pack("{s:s, s:s, s:s}", "path", parts[i].path, "article",
						parts[i].article, "holds", c.note));
		res->parts++;
	}
	if (!rc)
		rc = bundle_add(c.w, "README.md", readme.data, readme.len, err);
	if (!rc) {
		scope = json_pack("{s:s, s:s?, s:o}", "product", prod.name, "version", r->version,
				  "parts", partsj);
		partsj = NULL;
		info.kind = "technical-file";
		info.scope = scope;
		info.created = c.now;
		rc = bundle_finish(c.w, &info, &sg, err);
		c.w = NULL;
	}
	if (c.w)
		bundle_abort(c.w);
	if (!rc) {
		json_t *a = json_pack("{s:s, s:s?, s:s, s:i}", "product", prod.name, "version",
				      r->version, "file", r->out, "parts", res->parts);
		rc = store_audit(s, "techfile.export", "product", prod.name, NULL, a, err);
		json_decref(a);
	}
	json_decref(scope);
	json_decref(partsj);
	vg_buf_release(&readme);
	note_signer_release(&sg);
	product_release(&prod);
	return rc;
}

int techfile_verify(const char *path, const char *vkey, struct bundle_report *rep,
		    struct vg_error *err)
{
	struct note_verifier v;
	int rc;
	memset(rep, 0, sizeof(*rep));
	if (vkey && *vkey) {
		rc = note_vkey_parse(vkey, &v, err);
		if (rc)
			return rc;
		return bundle_verify(path, &v, 1, NULL, rep, err);
	}
	return bundle_verify(path, NULL, 0, NULL, rep, err);
}
