/*
 * quality.c - NTIA minimum elements and BSI TR-03183-2 checks on a parsed
 * SBOM (quality.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "sbom/quality.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "sbom/model.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define NTIA "NTIA Minimum Elements (2021) IV "
#define BSI  "BSI TR-03183-2 v2.0.0 "

const struct sbom_quality_rule sbom_quality_rules[] = {
    {"ntia.supplier", SBOM_PROFILE_NTIA, 1, 1, NTIA "Data Fields: Supplier Name",
     "each component names its supplier"},
    {"ntia.name", SBOM_PROFILE_NTIA, 1, 1, NTIA "Data Fields: Component Name",
     "each component has a name"},
    {"ntia.version", SBOM_PROFILE_NTIA, 1, 1, NTIA "Data Fields: Version of the Component",
     "each component has a version"},
    {"ntia.identifier", SBOM_PROFILE_NTIA, 1, 1, NTIA "Data Fields: Other Unique Identifiers",
     "each component has a package URL or a CPE"},
    {"ntia.dependency", SBOM_PROFILE_NTIA, 0, 1, NTIA "Data Fields: Dependency Relationship",
     "the primary component's dependencies are listed (at least one relationship from it)"},
    {"ntia.author", SBOM_PROFILE_NTIA, 0, 1, NTIA "Data Fields: Author of SBOM Data",
     "the document names its author (a person, organisation or tool)"},
    {"ntia.timestamp", SBOM_PROFILE_NTIA, 0, 1, NTIA "Data Fields: Timestamp",
     "the document has its creation time as an RFC 3339 date-time"},
    {"bsi.sbom.creator", SBOM_PROFILE_BSI, 0, 1, BSI "5.2.1 Creator of the SBOM",
     "the document names its creator with an email address or URL"},
    {"bsi.sbom.timestamp", SBOM_PROFILE_BSI, 0, 1, BSI "5.2.1 Timestamp",
     "the document has its creation time as an RFC 3339 date-time"},
    {"bsi.component.creator", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Component creator",
     "each component names its creator (supplier)"},
    {"bsi.component.name", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Component name",
     "each component has a name"},
    {"bsi.component.version", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Component version",
     "each component has a version"},
    {"bsi.component.filename", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Filename of the component",
     "each component has the property bsi:component:filename"},
    {"bsi.component.dependencies", SBOM_PROFILE_BSI, 1, 1,
     BSI "5.2.2 Dependencies on other components",
     "each component is in the dependency graph (depends on, or is depended on by, another)"},
    {"bsi.component.licence", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Distribution licences",
     "each component has its licence as a valid SPDX expression (not NOASSERTION or NONE)"},
    {"bsi.component.hash", SBOM_PROFILE_BSI, 1, 1,
     BSI "5.2.2 Hash value of the executable component", "each component has a SHA-512 hash"},
    {"bsi.component.executable", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Executable property",
     "each component has the property bsi:component:executable"},
    {"bsi.component.archive", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Archive property",
     "each component has the property bsi:component:archive"},
    {"bsi.component.structured", SBOM_PROFILE_BSI, 1, 1, BSI "5.2.2 Structured property",
     "each component has the property bsi:component:structured"},
    {"bsi.sbom.uri", SBOM_PROFILE_BSI, 0, 0, BSI "5.3 additional: SBOM-URI",
     "the document has a unique identifier (serialNumber, documentNamespace, spdxId)"},
    {"bsi.component.source_uri", SBOM_PROFILE_BSI, 1, 0, BSI "5.3 additional: Source code URI",
     "each component links its source code (a vcs or source-distribution reference)"},
    {"bsi.component.deployable_uri", SBOM_PROFILE_BSI, 1, 0,
     BSI "5.3 additional: URI of the executable form of the component",
     "each component links its deployable form (a distribution reference or download "
     "location)"},
    {"bsi.component.identifier", SBOM_PROFILE_BSI, 1, 0,
     BSI "5.3 additional: Other unique identifiers", "each component has a package URL or a CPE"},
};
const size_t sbom_quality_rule_count = sizeof(sbom_quality_rules) / sizeof(sbom_quality_rules[0]);

int sbom_quality_profile_parse(const char *s, enum sbom_quality_profile *out, struct vg_error *err)
{
	if (!s || !*s || strcmp(s, "none") == 0)
		*out = SBOM_PROFILE_NONE;
	else if (strcmp(s, "ntia") == 0)
		*out = SBOM_PROFILE_NTIA;
	else if (strcmp(s, "bsi-tr-03183-2") == 0)
		*out = SBOM_PROFILE_BSI;
	else
		return vg_error_set(err, VG_EINVAL,
				    "quality profile '%s': expected none, ntia or bsi-tr-03183-2",
				    s);
	return VG_OK;
}

const char *sbom_quality_profile_name(enum sbom_quality_profile p)
{
	return p == SBOM_PROFILE_NTIA ? "ntia" : p == SBOM_PROFILE_BSI ? "bsi-tr-03183-2" : NULL;
}

const struct sbom_quality_rule *sbom_quality_rule_find(const char *id)
{
	for (size_t i = 0; id && i < sbom_quality_rule_count; i++)
		if (strcmp(sbom_quality_rules[i].id, id) == 0)
			return &sbom_quality_rules[i];
	return NULL;
}

void sbom_quality_release(struct sbom_quality *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->checks[i].failing);
	free(q->checks);
	memset(q, 0, sizeof(*q));
}

/* ---- the checks ---- */

static int has(const char *s)
{
	return s && *s && strcmp(s, "NOASSERTION") != 0 && strcmp(s, "NONE") != 0;
}

static int rfc3339(const char *s)
{
	int64_t t;
	/* a date-time: a date alone is not one */
	return s && strlen(s) >= 20 && s[10] == 'T' && vg_time_parse(s, &t, NULL) == VG_OK;
}

/* An email address or a URL somewhere in the author text. */
static int contactable(const char *s)
{
	return s && (strchr(s, '@') || strstr(s, "://"));
}

static int prop(const struct sbom_component *c, const char *name)
{
	for (uint32_t i = 0; i < c->n_properties; i++)
		if (c->properties[i].name && strcmp(c->properties[i].name, name) == 0 &&
		    c->properties[i].value && *c->properties[i].value)
			return 1;
	return 0;
}

static int extref(const struct sbom_component *c, const char *const *types)
{
	for (uint32_t i = 0; i < c->n_extrefs; i++)
		for (const char *const *t = types; *t; t++)
			if (c->extrefs[i].type && strcasecmp(c->extrefs[i].type, *t) == 0 &&
			    has(c->extrefs[i].url))
				return 1;
	return 0;
}

/* A SHA-512 of the component, or of its deployable form (a distribution
 * reference's hash, as TR-03183-2 asks for the executable form). */
static int sha512(const struct sbom_component *c)
{
	for (uint32_t i = 0; i < c->n_hashes; i++)
		if (c->hashes[i].alg && strcmp(c->hashes[i].alg, "SHA-512") == 0 &&
		    c->hashes[i].value && strlen(c->hashes[i].value) == 128)
			return 1;
	for (uint32_t i = 0; i < c->n_extrefs; i++)
		if (c->extrefs[i].sha512 && strlen(c->extrefs[i].sha512) == 128 &&
		    c->extrefs[i].type &&
		    (!strcmp(c->extrefs[i].type, "distribution") ||
		     !strcmp(c->extrefs[i].type, "distribution-intake")))
			return 1;
	return 0;
}

/*
 * An SPDX license expression (SPDX 2.3 annex D): ids (letters, digits, '.',
 * '-', a trailing '+'; LicenseRef-/DocumentRef- forms are ids too) joined
 * by AND / OR, an id WITH an exception id, parentheses. Names are not
 * checked against the license list.
 */
static int lic_id(const char **p)
{
	const char *s = *p;
	while (isalnum((unsigned char)**p) || **p == '.' || **p == '-' || **p == ':')
		(*p)++;
	if (**p == '+')
		(*p)++;
	return *p > s;
}

static void ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n')
		(*p)++;
}

static int kw(const char **p, const char *w)
{
	size_t n = strlen(w);
	if (strncmp(*p, w, n) || isalnum((unsigned char)(*p)[n]))
		return 0;
	*p += n;
	return 1;
}

static int lic_expr(const char **p, int depth);

static int lic_term(const char **p, int depth)
{
	ws(p);
	if (**p == '(') {
		(*p)++;
		if (depth > 32 || !lic_expr(p, depth + 1))
			return 0;
		ws(p);
		if (**p != ')')
			return 0;
		(*p)++;
		return 1;
	}
	if (kw(p, "AND") || kw(p, "OR") || kw(p, "WITH") || !lic_id(p))
		return 0;
	ws(p);
	if (kw(p, "WITH")) {
		ws(p);
		return lic_id(p);
	}
	return 1;
}

static int lic_expr(const char **p, int depth)
{
	if (!lic_term(p, depth))
		return 0;
	for (;;) {
		ws(p);
		if (!kw(p, "AND") && !kw(p, "OR"))
			return 1;
		if (!lic_term(p, depth))
			return 0;
	}
}

static int spdx_expression(const char *s)
{
	if (!has(s))
		return 0;
	if (!lic_expr(&s, 0))
		return 0;
	ws(&s);
	return *s == '\0';
}

/* One component against one component rule. */
static int component_passes(const char *id, const struct sbom_component *c, const uint8_t *linked)
{
	static const char *const src[] = {"vcs", "source-distribution", NULL};
	static const char *const dist[] = {"distribution", "distribution-intake", "download", NULL};
	if (!strcmp(id, "ntia.supplier") || !strcmp(id, "bsi.component.creator"))
		return has(c->supplier);
	if (!strcmp(id, "ntia.name") || !strcmp(id, "bsi.component.name"))
		return has(c->name);
	if (!strcmp(id, "ntia.version") || !strcmp(id, "bsi.component.version"))
		return has(c->version);
	if (!strcmp(id, "ntia.identifier") || !strcmp(id, "bsi.component.identifier"))
		return has(c->purl) || has(c->cpe);
	if (!strcmp(id, "bsi.component.filename"))
		return prop(c, "bsi:component:filename");
	if (!strcmp(id, "bsi.component.dependencies"))
		return *linked;
	if (!strcmp(id, "bsi.component.licence"))
		return spdx_expression(c->licenses);
	if (!strcmp(id, "bsi.component.hash"))
		return sha512(c);
	if (!strcmp(id, "bsi.component.executable"))
		return prop(c, "bsi:component:executable");
	if (!strcmp(id, "bsi.component.archive"))
		return prop(c, "bsi:component:archive");
	if (!strcmp(id, "bsi.component.structured"))
		return prop(c, "bsi:component:structured");
	if (!strcmp(id, "bsi.component.source_uri"))
		return extref(c, src);
	if (!strcmp(id, "bsi.component.deployable_uri"))
		return extref(c, dist);
	return 0;
}

static int document_passes(const char *id, const struct sbom_doc *doc)
{
	if (!strcmp(id, "ntia.author"))
		return has(doc->author) || doc->n_tools > 0;
	if (!strcmp(id, "ntia.timestamp") || !strcmp(id, "bsi.sbom.timestamp"))
		return rfc3339(doc->created);
	if (!strcmp(id, "bsi.sbom.creator"))
		return contactable(doc->author);
	if (!strcmp(id, "bsi.sbom.uri"))
		return has(doc->serial);
	if (!strcmp(id, "ntia.dependency")) {
		if (doc->n_components == 1)
			return 1; /* nothing to depend on */
		for (size_t i = 0; doc->primary != SBOM_NONE && i < doc->n_edges; i++)
			if (doc->edges[i].from == doc->primary &&
			    doc->edges[i].kind != SBOM_EDGE_OTHER)
				return 1;
		return 0;
	}
	return 0;
}

static void name_failing(struct vg_buf *b, const struct sbom_component *c, int64_t nfail)
{
	if (nfail > SBOM_QUALITY_FAILING_KEPT)
		return;
	if (b->len)
		vg_buf_adds(b, "; ");
	vg_buf_adds(b, *c->name ? c->name : (c->ref ? c->ref : "(no name)"));
	if (c->version && *c->version) {
		vg_buf_addc(b, ' ');
		vg_buf_adds(b, c->version);
	}
}

int sbom_quality_measure(const struct sbom_doc *doc, struct sbom_quality *out)
{
	uint8_t *linked = NULL;
	double sum[3] = {0}, cnt[3] = {0};
	int rc = VG_OK;

	memset(out, 0, sizeof(*out));
	out->checks = calloc(sbom_quality_rule_count, sizeof(*out->checks));
	linked = calloc(doc->n_components ? doc->n_components : 1, 1);
	if (!out->checks || !linked) {
		free(linked);
		sbom_quality_release(out);
		return VG_ENOMEM;
	}
	out->n = sbom_quality_rule_count;
	for (size_t i = 0; i < doc->n_edges; i++) {
		/* a dependency (depends on, contains, provides): VARIANT_OF and
		 * the other SPDX relationships are no dependency */
		if (doc->edges[i].kind == SBOM_EDGE_OTHER)
			continue;
		if (doc->edges[i].from < doc->n_components)
			linked[doc->edges[i].from] = 1;
		if (doc->edges[i].to < doc->n_components)
			linked[doc->edges[i].to] = 1;
	}
	if (doc->n_components == 1)
		linked[0] = 1; /* alone: its dependencies are complete */
	out->ok[SBOM_PROFILE_NTIA] = out->ok[SBOM_PROFILE_BSI] = 1;
	for (size_t r = 0; r < sbom_quality_rule_count && !rc; r++) {
		const struct sbom_quality_rule *rule = &sbom_quality_rules[r];
		struct sbom_quality_check *ck = &out->checks[r];
		struct vg_buf fail = VG_BUF_INIT;
		ck->rule = rule;
		if (rule->per_component) {
			for (size_t i = 0; i < doc->n_components; i++) {
				ck->total++;
				if (component_passes(rule->id, &doc->components[i], &linked[i]))
					ck->passed++;
				else
					name_failing(&fail, &doc->components[i],
						     ck->total - ck->passed);
			}
		} else {
			ck->total = 1;
			ck->passed = document_passes(rule->id, doc);
		}
		if (fail.len && !(ck->failing = strdup(fail.data)))
			rc = VG_ENOMEM;
		vg_buf_release(&fail);
		sum[rule->profile] += ck->total ? (double)ck->passed / (double)ck->total : 0.0;
		cnt[rule->profile] += 1;
		if (rule->required && (!ck->total || ck->passed < ck->total))
			out->ok[rule->profile] = 0;
	}
	for (int p = 1; p < 3; p++)
		out->score[p] = cnt[p] ? (int)(100.0 * sum[p] / cnt[p] + 0.5) : 0;
	free(linked);
	if (rc)
		sbom_quality_release(out);
	return rc;
}

/* ---- stored ---- */

int sbom_quality_store(struct store *s, int64_t sbom_id, const struct sbom_quality *q,
		       struct vg_error *err)
{
	int rc = VG_OK;
	for (size_t i = 0; i < q->n && !rc; i++)
		rc =
		    store_exec_cached(s, err,
				      "INSERT INTO sbom_quality_checks (sbom_id, check_id, passed, "
				      "total, failing) VALUES (?,?,?,?,?)",
				      "itiit", sbom_id, q->checks[i].rule->id, q->checks[i].passed,
				      q->checks[i].total, q->checks[i].failing);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE sboms SET quality_ntia = ?, quality_bsi = ?, ntia_ok = ?, "
				"bsi_ok = ? WHERE id = ?",
				"iiiii", (int64_t)q->score[SBOM_PROFILE_NTIA],
				(int64_t)q->score[SBOM_PROFILE_BSI],
				(int64_t)q->ok[SBOM_PROFILE_NTIA], (int64_t)q->ok[SBOM_PROFILE_BSI],
				sbom_id);
	return rc;
}

int sbom_quality_get(struct store *s, int64_t sbom_id, struct sbom_quality *out,
		     struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t score[3] = {0}, ok[3] = {0};
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
			   "SELECT quality_ntia, quality_bsi, ntia_ok, bsi_ok FROM sboms WHERE "
			   "id = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, sbom_id);
	rc = store_step(st, err);
	if (rc == STORE_ROW && !store_col_isnull(st, 0)) {
		score[1] = store_col_int64(st, 0);
		score[2] = store_col_int64(st, 1);
		ok[1] = store_col_int64(st, 2);
		ok[2] = store_col_int64(st, 3);
		rc = VG_OK;
	} else if (rc == STORE_ROW || rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND,
				  rc == STORE_ROW ? "SBOM %lld was imported before quality was "
						    "measured: check its original with vigil sbom "
						    "quality FILE"
						  : "no SBOM with id %lld",
				  (long long)sbom_id);
	}
	store_finalize(st);
	if (rc)
		return rc;
	out->checks = calloc(sbom_quality_rule_count, sizeof(*out->checks));
	if (!out->checks)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (int p = 1; p < 3; p++) {
		out->score[p] = (int)score[p];
		out->ok[p] = ok[p] != 0;
	}
	rc = store_prepare(s,
			   "SELECT check_id, passed, total, failing FROM sbom_quality_checks "
			   "WHERE sbom_id = ?",
			   &st, err);
	if (rc) {
		sbom_quality_release(out);
		return rc;
	}
	store_bind_int64(st, 1, sbom_id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const struct sbom_quality_rule *r = sbom_quality_rule_find(store_col_text(st, 0));
		if (!r)
			continue; /* a rule since retired */
		struct sbom_quality_check *ck = &out->checks[r - sbom_quality_rules];
		ck->rule = r;
		ck->passed = store_col_int64(st, 1);
		ck->total = store_col_int64(st, 2);
		ck->failing = store_col_dup(st, 3, &oom);
	}
	store_finalize(st);
	if (rc != STORE_DONE || oom) {
		sbom_quality_release(out);
		return oom ? vg_error_set(err, VG_ENOMEM, "out of memory") : rc;
	}
	/* keep rule order, without the rules not measured then */
	size_t k = 0;
	for (size_t i = 0; i < sbom_quality_rule_count; i++)
		if (out->checks[i].rule)
			out->checks[k++] = out->checks[i];
	out->n = k;
	return VG_OK;
}

/* ---- JSON at the edge ---- */

json_t *sbom_quality_to_json(const struct sbom_quality *q)
{
	json_t *o = json_object(), *checks = json_array();
	for (int p = 1; p < 3; p++)
		json_object_set_new(o, sbom_quality_profile_name((enum sbom_quality_profile)p),
				    json_pack("{s:i, s:b}", "score", q->score[p], "ok", q->ok[p]));
	for (size_t i = 0; i < q->n; i++) {
		const struct sbom_quality_check *ck = &q->checks[i];
		json_t *fail = json_array();
		const char *f = ck->failing;
		while (f && *f) {
			const char *e = strstr(f, "; ");
			size_t n = e ? (size_t)(e - f) : strlen(f);
			json_array_append_new(fail, json_stringn(f, n));
			f = e ? e + 2 : NULL;
		}
		json_array_append_new(
		    checks,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:o}", "id",
			      ck->rule->id, "profile", sbom_quality_profile_name(ck->rule->profile),
			      "source", ck->rule->source, "expected", ck->rule->expect, "scope",
			      ck->rule->per_component ? "component" : "document", "required",
			      ck->rule->required, "pass", ck->total && ck->passed == ck->total,
			      "passed", (json_int_t)ck->passed, "total", (json_int_t)ck->total,
			      "failing", fail));
	}
	json_object_set_new(o, "checks", checks);
	return o;
}
