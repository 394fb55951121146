#define _POSIX_C_SOURCE 200809L
#include "sbom/inventory.h"
#include "sbom/support_hook.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "core/events.h"
#include "core/config.h"
#include "core/hash.h"
#include "core/text.h"
#include "sbom/model.h"
#include "sbom/parse.h"
#include "sbom/quality.h"
#include "ident/purl.h"
#include "sbom/validate.h"
#include "store/store.h"
#include "ident/version.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* ---- products ---- */

static const char *const cra_classes[] = {"default", "important-1", "important-2", "critical",
					  NULL};

int product_check(const struct product_info *p, int creating, const char **field,
		  struct vg_error *err)
{
	int64_t t;
	int rc;
	const char *dummy;
	if (!field)
		field = &dummy;
	*field = "name";
	if (creating && (!p->name || !*p->name || strlen(p->name) > 200))
		return vg_error_set(err, VG_EINVAL, "product name must be 1 to 200 characters");
	/* UTF-8, no control or direction-control characters (core/text.h) */
	if (creating && (rc = vg_text_check("product name", p->name, 200, 0, 1, err)))
		return rc;
	if (creating) {
		/* names appear in URL paths: no '/', no control characters */
		for (const unsigned char *c = (const unsigned char *)p->name; *c; c++)
			if (*c == '/' || *c == '\\' || *c < 0x20 || *c == 0x7f)
				return vg_error_set(err, VG_EINVAL,
						    "product name '%s': '/', '\\' and control "
						    "characters are not allowed",
						    p->name);
	}
	*field = "vendor";
	if ((rc = vg_text_check("vendor", p->vendor, 200, 0, 0, err)))
		return rc;
	*field = "cra_class";
	if (p->cra_class) {
		int ok = 0;
		for (int i = 0; cra_classes[i]; i++)
			ok |= strcmp(cra_classes[i], p->cra_class) == 0;
		if (!ok)
			return vg_error_set(err, VG_EINVAL,
					    "CRA class (--cra-class) '%s': expected default, "
					    "important-1, "
					    "important-2 or critical",
					    p->cra_class);
	}
	*field = "support_until";
	if (p->support_until) {
		char d[16];
		if (strlen(p->support_until) != 7 ||
		    (snprintf(d, sizeof(d), "%s-01", p->support_until), vg_time_parse(d, &t, NULL)))
			return vg_error_set(err, VG_EINVAL,
					    "support until (--support-until) '%s': expected "
					    "YYYY-MM, a year and month",
					    p->support_until);
	}
	*field = "placed_on_market";
	if (p->placed_on_market &&
	    (strlen(p->placed_on_market) != 10 || vg_time_parse(p->placed_on_market, &t, NULL)))
		return vg_error_set(err, VG_EINVAL,
				    "placed on market (--placed-on-market) '%s': "
				    "expected YYYY-MM-DD, a date",
				    p->placed_on_market);
	*field = "sbom_policy";
	if (p->sbom_policy && strcmp(p->sbom_policy, "default") &&
	    strcmp(p->sbom_policy, "strict") && strcmp(p->sbom_policy, "standard"))
		return vg_error_set(
		    err, VG_EINVAL,
		    "SBOM policy (--sbom-policy) '%s': expected strict, standard or "
		    "default (the setting sbom.policy)",
		    p->sbom_policy);
	*field = "quality_profile";
	if (p->quality_profile) {
		enum sbom_quality_profile qp;
		if ((rc = sbom_quality_profile_parse(p->quality_profile, &qp, err))) {
			vg_error_prefix(err, "--quality-profile");
			return rc;
		}
	}
	*field = NULL;
	return VG_OK;
}

/* The stored value of a policy or profile choice: NULL for the default. */
static const char *stored_choice(const char *v)
{
	return !v || !*v || !strcmp(v, "default") || !strcmp(v, "none") ? NULL : v;
}

static int check_product(const struct product_info *p, int creating, struct vg_error *err)
{
	return product_check(p, creating, NULL, err);
}

/* A product as audit records show it (no id, no version count). */
static int product_audit_json(struct store *s, const char *name, json_t **out, struct vg_error *err)
{
	struct product p;
	int rc = product_get(s, name, &p, err);
	if (rc)
		return rc;
	p.version_count = -1;
	*out = product_to_json(&p);
	product_release(&p);
	return VG_OK;
}

int product_create(struct store *s, const struct product_info *p, struct vg_error *err)
{
	json_t *after;
	int rc = check_product(p, 1, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(s, err,
			"INSERT INTO products (name, vendor, cra_class, support_until, "
			"placed_on_market, created_at, public, sbom_policy, sbom_quality_profile) "
			"VALUES (?,?,?,?,?,?,?,?,?)",
			"tttttiitt", p->name, p->vendor, p->cra_class ? p->cra_class : "default",
			p->support_until, p->placed_on_market, vg_now(),
			(int64_t)(p->public_set && p->is_public), stored_choice(p->sbom_policy),
			stored_choice(p->quality_profile));
	if (rc == VG_EEXIST)
		vg_error_set(err, rc, "product '%s' already exists", p->name);
	if (!rc) {
		rc = product_audit_json(s, p->name, &after, err);
		if (!rc) {
			rc = store_audit(s, "product.create", "product", p->name, NULL, after, err);
			json_decref(after);
		}
	}
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int product_update(struct store *s, const struct product_info *p, struct vg_error *err)
{
	json_t *before = NULL, *after = NULL;
	int rc = check_product(p, 0, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = product_audit_json(s, p->name, &before, err);
	if (!rc && p->vendor)
		rc = store_exec(s, err, "UPDATE products SET vendor = ? WHERE name = ?", "tt",
				p->vendor, p->name);
	if (!rc && p->cra_class)
		rc = store_exec(s, err, "UPDATE products SET cra_class = ? WHERE name = ?", "tt",
				p->cra_class, p->name);
	if (!rc && p->support_until)
		rc = store_exec(s, err, "UPDATE products SET support_until = ? WHERE name = ?",
				"tt", p->support_until, p->name);
	if (!rc && p->placed_on_market)
		rc = store_exec(s, err, "UPDATE products SET placed_on_market = ? WHERE name = ?",
				"tt", p->placed_on_market, p->name);
	if (!rc && p->public_set)
		rc = store_exec(s, err, "UPDATE products SET public = ? WHERE name = ?", "it",
				(int64_t)(p->is_public != 0), p->name);
	if (!rc && p->sbom_policy)
		rc = store_exec(s, err, "UPDATE products SET sbom_policy = ? WHERE name = ?", "tt",
				stored_choice(p->sbom_policy), p->name);
	if (!rc && p->quality_profile)
		rc = store_exec(s, err,
				"UPDATE products SET sbom_quality_profile = ? WHERE name = ?", "tt",
				stored_choice(p->quality_profile), p->name);
	if (!rc)
		rc = product_audit_json(s, p->name, &after, err);
	if (!rc)
		rc = store_audit(s, "product.update", "product", p->name, before, after, err);
	json_decref(before);
	json_decref(after);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

/* ---- retention ---- */

static int64_t retention_end(const char *support_until, const char *placed, int64_t uploaded)
{
	int64_t end = 0, t;
	if (placed && vg_time_parse(placed, &t, NULL) == VG_OK)
		end = vg_time_add_months(t, 120);
	else
		end = vg_time_add_months(uploaded, 120);
	if (support_until) {
		char d[16];
		snprintf(d, sizeof(d), "%s-01", support_until);
		if (vg_time_parse(d, &t, NULL) == VG_OK) {
			t = vg_time_add_months(t, 1); /* through the end of that month */
			if (t > end)
				end = t;
		}
	}
	return end;
}

/* ---- import ---- */

int sbom_check(const char *data, size_t n, const char *filename, struct sbom_doc **out,
	       json_t **report, struct vg_error *err)
{
	struct sbom_doc *doc = NULL;
	struct sbom_validation v;
	const char *name = filename ? filename : "sbom";
	int rc;

	if (out)
		*out = NULL;
	if (report)
		*report = NULL;
	rc = sbom_validate(data, n, name, &v, err);
	if (report)
		*report = sbom_validation_to_json(&v);
	if (rc == VG_EPARSE && v.n_errors) {
		/* the first errors, each naming the file, the place and what was expected */
		struct vg_buf b = VG_BUF_INIT;
		size_t k = v.n_errors < 5 ? v.n_errors : 5;
		for (size_t i = 0; i < k; i++) {
			if (i)
				vg_buf_adds(&b, "; ");
			sbom_validation_error_text(&v, i, &b);
		}
		if (v.n_errors + v.n_dropped > k)
			vg_buf_addf(&b, " (and %zu more)", v.n_errors + v.n_dropped - k);
		vg_error_set(err, rc, "%s", b.data ? b.data : "invalid document");
		vg_buf_release(&b);
	}
	sbom_validation_release(&v);
	if (rc)
		return rc;
	rc = sbom_parse(data, n, name, &doc, err);
	if (rc)
		return rc;
	if (out)
		*out = doc;
	else
		sbom_doc_free(doc);
	return VG_OK;
}

/* ---- policy and violations ---- */

void sbom_violation_list_release(struct sbom_violation_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].pointer);
		free(l->items[i].schema);
		free(l->items[i].message);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Append one violation (strings copied); VG_ENOMEM. */
static int violation_add(struct sbom_violation_list *l, const char *pointer, int line,
			 const char *schema, const char *message, int fatal)
{
	struct sbom_validation_error *e;
	if (l->n >= SBOM_VALIDATE_MAX_ERRORS) {
		l->n_dropped++;
		return VG_OK;
	}
	e = realloc(l->items, (l->n + 1) * sizeof(*l->items));
	if (!e)
		return VG_ENOMEM;
	l->items = e;
	e = &l->items[l->n];
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->fatal = fatal;
	e->pointer = pointer ? strdup(pointer) : NULL;
	e->schema = schema ? strdup(schema) : NULL;
	e->message = strdup(message ? message : "");
	if ((pointer && !e->pointer) || (schema && !e->schema) || !e->message) {
		free(e->pointer);
		free(e->schema);
		free(e->message);
		return VG_ENOMEM;
	}
	l->n++;
	return VG_OK;
}

json_t *sbom_violations_to_json(const struct sbom_violation_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; l && i < l->n; i++) {
		const struct sbom_validation_error *e = &l->items[i];
		json_t *o = json_object();
		if (e->pointer)
			json_object_set_new(o, "pointer", json_string(e->pointer));
		if (e->line)
			json_object_set_new(o, "line", json_integer(e->line));
		json_object_set_new(o, "schema", vg_json_text(e->schema));
		json_object_set_new(o, "message", vg_json_text(e->message));
		json_object_set_new(o, "fatal", json_boolean(e->fatal));
		json_array_append_new(a, o);
	}
	return a;
}

int sbom_product_policy(struct store *s, const char *product, enum sbom_policy *out,
			struct vg_error *err)
{
	struct product p = {0};
	const char *v = NULL;
	int rc = product ? product_get(s, product, &p, err) : VG_ENOTFOUND;
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	if (!rc)
		v = p.sbom_policy;
	if (!v)
		v = vg_config_get("sbom.policy", "standard");
	rc = sbom_policy_parse(v, out, err);
	if (rc)
		vg_error_prefix(err, p.sbom_policy ? "the product's SBOM policy"
						   : "the setting sbom.policy");
	product_release(&p);
	return rc;
}

struct dangling_ctx {
	struct sbom_violation_list *viol;
	int oom;
};

static void on_dangling(void *arg, const char *where, long line, const char *ref)
{
	struct dangling_ctx *d = arg;
	char msg[400];
	snprintf(msg, sizeof(msg),
		 "dangling reference: no element of the document has the id \"%.200s\" (the "
		 "relationship is dropped)",
		 ref ? ref : "");
	if (violation_add(d->viol, where, (int)line, NULL, msg, 0))
		d->oom = 1;
}

int sbom_check_policy(const char *data, size_t n, const char *filename, enum sbom_policy policy,
		      struct sbom_doc **out, struct sbom_violation_list *viol, struct vg_error *err)
{
	struct sbom_violation_list own = {0};
	struct sbom_validation v;
	const char *name = filename ? filename : "sbom";
	struct dangling_ctx dc;
	int rc;

	if (out)
		*out = NULL;
	if (!viol)
		viol = &own;
	rc = sbom_validate_policy(data, n, name, policy, &v, err);
	/* the validation's errors become the list (moved, not copied) */
	viol->items = v.errors;
	viol->n = v.n_errors;
	viol->n_dropped = v.n_dropped;
	v.errors = NULL;
	v.n_errors = 0;
	sbom_validation_release(&v);
	if (rc == VG_EPARSE && viol->n) {
		/* the first in the message; every one is in the list */
		struct vg_buf b = VG_BUF_INIT;
		struct sbom_validation tmp = {.errors = viol->items, .n_errors = viol->n};
		snprintf(tmp.filename, sizeof(tmp.filename), "%s", name);
		size_t k = viol->n < 3 ? viol->n : 3;
		for (size_t i = 0; i < k; i++) {
			if (i)
				vg_buf_adds(&b, "; ");
			sbom_validation_error_text(&tmp, i, &b);
		}
		if (viol->n + viol->n_dropped > k)
			vg_buf_addf(&b, " (%zu violations in all under policy %s)",
				    viol->n + viol->n_dropped, sbom_policy_name(policy));
		vg_error_set(err, rc, "%s", b.data ? b.data : "invalid document");
		vg_buf_release(&b);
	}
	if (!rc) {
		struct sbom_parse_opts po = {0};
		struct sbom_doc *doc = NULL;
		dc.viol = viol;
		dc.oom = 0;
		po.allow_dangling = policy == SBOM_POLICY_STANDARD;
		po.dangling = on_dangling;
		po.dangling_arg = &dc;
		rc = sbom_parse_ex(data, n, name, &po, &doc, err);
		if (!rc && dc.oom)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		if (rc == VG_EPARSE && violation_add(viol, NULL, 0, NULL, vg_error_msg(err), 1))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		if (!rc && out)
			*out = doc;
		else
			sbom_doc_free(doc);
	} else if (rc != VG_ENOMEM && !viol->n &&
		   violation_add(viol, NULL, 0, NULL, vg_error_msg(err), 1)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	sbom_violation_list_release(&own);
	return rc;
}

static int store_violations(struct store *s, int64_t sbom_id, const struct sbom_violation_list *l,
			    struct vg_error *err)
{
	int rc = VG_OK;
	for (size_t i = 0; i < l->n && !rc; i++)
		rc = store_exec_cached(s, err,
				       "INSERT INTO sbom_violations (sbom_id, seq, pointer, line, "
				       "schema_place, message) VALUES (?,?,?,?,?,?)",
				       "iititt", sbom_id, (int64_t)i, l->items[i].pointer,
				       (int64_t)l->items[i].line, l->items[i].schema,
				       l->items[i].message);
	return rc;
}

int sbom_violations(struct store *s, int64_t sbom_id, struct sbom_violation_list *out,
		    struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
			   "SELECT pointer, line, schema_place, message FROM sbom_violations WHERE "
			   "sbom_id = ? ORDER BY seq",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, sbom_id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (violation_add(out, store_col_text(st, 0), (int)store_col_int64_or(st, 1, 0),
				  store_col_text(st, 2), store_col_text(st, 3), 0)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	if (rc == STORE_DONE) {
		int64_t dropped = 0;
		rc = store_query_int64(s, &dropped, err,
				       "SELECT violations_dropped FROM sboms WHERE id = ?", "i",
				       sbom_id);
		out->n_dropped = (size_t)dropped;
	}
	if (rc)
		sbom_violation_list_release(out);
	return rc;
}

static void component_identity(const struct sbom_component *c, const char *canon_identity,
			       struct vg_buf *out)
{
	vg_buf_reset(out);
	if (canon_identity) {
		vg_buf_adds(out, canon_identity);
		return;
	}
	vg_buf_adds(out, "name:");
	if (c->group && *c->group) {
		vg_buf_adds(out, c->group);
		vg_buf_addc(out, '/');
	}
	for (const char *p = c->name; p && *p; p++)
		vg_buf_addc(out, (char)tolower((unsigned char)*p));
	if (c->supplier && *c->supplier) {
		vg_buf_addc(out, '|');
		vg_buf_adds(out, c->supplier);
	}
}

/*
 * The hashes and the extra fields of a component are stored as JSON text,
 * written straight into a buffer: building jansson values and dumping them
 * took a quarter of the time of a 50,000-component import. The text is what
 * jansson's compact dump gives for the same values (same escapes, same key
 * order). Strings are valid UTF-8 (every parser checks its input); a byte that
 * is not becomes U+FFFD, so the column always holds valid JSON.
 */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
	if (*p < 0xc2 || *p > 0xf4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] > 0x9f) ||
	    (*p == 0xf0 && p[1] < 0x90) || (*p == 0xf4 && p[1] > 0x8f))
		return 0; /* overlong, surrogate, past U+10FFFF */
	return n;
}

static void add_json_str(struct vg_buf *b, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)str;

	if (!str) {
		vg_buf_adds(b, "null");
		return;
	}
	vg_buf_addc(b, '"');
	while (*p) {
		const unsigned char *run = p;
		size_t n;
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		vg_buf_add(b, run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p >= 0x80) {
			n = utf8_len(p);
			if (n)
				vg_buf_add(b, p, n);
			else
				vg_buf_adds(b, "\xef\xbf\xbd");
			p += n ? n : 1;
			continue;
		}
		vg_buf_addc(b, '\\');
		switch (*p) {
		case '"':
		case '\\':
			vg_buf_addc(b, (char)*p);
			break;
		case '\b':
			vg_buf_addc(b, 'b');
			break;
		case '\f':
			vg_buf_addc(b, 'f');
			break;
		case '\n':
			vg_buf_addc(b, 'n');
			break;
		case '\r':
			vg_buf_addc(b, 'r');
			break;
		case '\t':
			vg_buf_addc(b, 't');
			break;
		default:
			vg_buf_adds(b, "u00");
			vg_buf_addc(b, hex[*p >> 4]);
			vg_buf_addc(b, hex[*p & 15]);
		}
		p++;
	}
	vg_buf_addc(b, '"');
}

/* key then value; first says whether a comma goes before. */
static void add_json_member(struct vg_buf *b, int first, const char *key, const char *val)
{
	if (!first)
		vg_buf_addc(b, ',');
	add_json_str(b, key);
	vg_buf_addc(b, ':');
	add_json_str(b, val);
}

/* [{"alg":..,"content":..},...] into b, or NULL when there are no hashes. */
static const char *hashes_json(const struct sbom_component *c, struct vg_buf *b)
{
	int first = 1;
	vg_buf_reset(b);
	if (!c->n_hashes)
		return NULL;
	vg_buf_addc(b, '[');
	for (uint32_t i = 0; i < c->n_hashes; i++) {
		if (!c->hashes[i].alg || !c->hashes[i].value)
			continue;
		vg_buf_adds(b, first ? "{" : ",{");
		add_json_member(b, 1, "alg", c->hashes[i].alg);
		add_json_member(b, 0, "content", c->hashes[i].value);
		vg_buf_addc(b, '}');
		first = 0;
	}
	vg_buf_addc(b, ']');
	return b->data;
}

/* {"description", "scope", "parent", "externalReferences", "properties"}
 * into b (each only when present), or NULL when there is none of them. */
static const char *extra_json(const struct sbom_component *c, struct vg_buf *b)
{
	vg_buf_reset(b);
	vg_buf_addc(b, '{');
	if (c->description)
		add_json_member(b, b->len == 1, "description", c->description);
	if (c->scope)
		add_json_member(b, b->len == 1, "scope", c->scope);
	if (c->parent != SBOM_NONE)
		vg_buf_addf(b, "%s\"parent\":%lld", b->len == 1 ? "" : ",", (long long)c->parent);
	if (c->n_extrefs) {
		vg_buf_adds(b,
			    b->len == 1 ? "\"externalReferences\":[" : ",\"externalReferences\":[");
		for (uint32_t i = 0; i < c->n_extrefs; i++) {
			vg_buf_adds(b, i ? ",{" : "{");
			add_json_member(b, 1, "type", c->extrefs[i].type);
			add_json_member(b, 0, "url", c->extrefs[i].url);
			if (c->extrefs[i].comment)
				add_json_member(b, 0, "comment", c->extrefs[i].comment);
			vg_buf_addc(b, '}');
		}
		vg_buf_addc(b, ']');
	}
	if (c->n_properties) {
		vg_buf_adds(b, b->len == 1 ? "\"properties\":[" : ",\"properties\":[");
		for (uint32_t i = 0; i < c->n_properties; i++) {
			vg_buf_adds(b, i ? ",{" : "{");
			add_json_member(b, 1, "name", c->properties[i].name);
			add_json_member(b, 0, "value", c->properties[i].value);
			vg_buf_addc(b, '}');
		}
		vg_buf_addc(b, ']');
	}
	if (b->len == 1)
		return NULL;
	vg_buf_addc(b, '}');
	return b->data;
}

#define COMP_COLS  14
#define COMP_BATCH 200

static int insert_components(struct store *s, int64_t sbom_id, const struct sbom_doc *doc,
			     struct vg_error *err)
{
	struct store_stmt *full = NULL, *st;
	struct vg_buf sql = VG_BUF_INIT, ident = VG_BUF_INIT, hashes = VG_BUF_INIT,
		      extra = VG_BUF_INIT;
	size_t i = 0;
	int rc = VG_OK;

	while (i < doc->n_components && !rc) {
		size_t n = doc->n_components - i < COMP_BATCH ? doc->n_components - i : COMP_BATCH;
		int k = 0;

		if (n == COMP_BATCH && full) {
			st = full;
			store_reset(st);
		} else {
			vg_buf_reset(&sql);
			vg_buf_adds(&sql, "INSERT INTO components (sbom_id, idx, ref, name, grp, "
					  "version, type, purl, identity, cpe, supplier, licenses, "
					  "hashes_json, extra_json) VALUES ");
			for (size_t j = 0; j < n; j++)
				vg_buf_adds(&sql, j ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
						    : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
			rc = store_prepare(s, sql.data, &st, err);
			if (rc)
				break;
			if (n == COMP_BATCH)
				full = st;
		}
		for (size_t j = 0; j < n; j++) {
			const struct sbom_component *c = &doc->components[i + j];
			struct purl p = {0};
			char *canon = NULL, *pid = NULL;
			const char *hj, *ej;

			if (c->purl) {
				int prc = purl_parse(c->purl, 0, &p, NULL);
				if (prc == VG_OK) {
					canon = purl_to_string(&p);
					pid = purl_identity(&p);
					if (!canon || !pid)
						prc = VG_ENOMEM;
				}
				if (prc == VG_ENOMEM) { /* not the purl's fault */
					purl_release(&p);
					free(canon);
					free(pid);
					rc = vg_error_set(err, VG_ENOMEM, "out of memory");
					break;
				}
			}
			purl_release(&p);
			component_identity(c, pid, &ident);
			hj = hashes_json(c, &hashes);
			ej = extra_json(c, &extra);
			if (vg_buf_failed(&ident) || vg_buf_failed(&hashes) ||
			    vg_buf_failed(&extra)) { /* never a row with a part missing */
				free(canon);
				free(pid);
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			store_bind_int64(st, ++k, sbom_id);
			store_bind_int64(st, ++k, (int64_t)(i + j));
			store_bind_text(st, ++k, c->ref);
			store_bind_text(st, ++k, c->name ? c->name : "");
			store_bind_text(st, ++k, c->group);
			store_bind_text(st, ++k, c->version);
			store_bind_text(st, ++k, c->type);
			store_bind_text(st, ++k, canon ? canon : c->purl);
			store_bind_text(st, ++k, ident.data ? ident.data : "");
			store_bind_text(st, ++k, c->cpe);
			store_bind_text(st, ++k, c->supplier);
			store_bind_text(st, ++k, c->licenses);
			/* binding copies the text, so the buffers serve every row */
			store_bind_text(st, ++k, hj);
			store_bind_text(st, ++k, ej);
			free(canon);
			free(pid);
		}
		if (rc) {
			if (st != full)
				store_finalize(st);
			break;
		}
		rc = store_step(st, err);
		rc = rc == STORE_DONE ? VG_OK : rc;
		if (st != full)
			store_finalize(st);
		i += n;
	}
	store_finalize(full);
	vg_buf_release(&sql);
	vg_buf_release(&ident);
	vg_buf_release(&hashes);
	vg_buf_release(&extra);
	return rc;
}

#define EDGE_BATCH 500

static int insert_edges(struct store *s, int64_t sbom_id, const struct sbom_doc *doc,
			struct vg_error *err)
{
	struct store_stmt *full = NULL, *st;
	struct vg_buf sql = VG_BUF_INIT;
	size_t i = 0;
	int rc = VG_OK;

	while (i < doc->n_edges && !rc) {
		size_t n = doc->n_edges - i < EDGE_BATCH ? doc->n_edges - i : EDGE_BATCH;
		int k = 0;

		/* one statement serves every full batch: preparing a 500-row INSERT
		 * each time cost a tenth of a large import */
		if (n == EDGE_BATCH && full) {
			st = full;
			store_reset(st);
		} else {
			vg_buf_reset(&sql);
			vg_buf_adds(&sql, "INSERT INTO dependencies (sbom_id, from_idx, to_idx, "
					  "kind) VALUES ");
			for (size_t j = 0; j < n; j++)
				vg_buf_adds(&sql, j ? ",(?,?,?,?)" : "(?,?,?,?)");
			rc = store_prepare(s, sql.data, &st, err);
			if (rc)
				break;
			if (n == EDGE_BATCH)
				full = st;
		}
		for (size_t j = 0; j < n; j++) {
			const struct sbom_edge *e = &doc->edges[i + j];
			store_bind_int64(st, ++k, sbom_id);
			store_bind_int64(st, ++k, e->from);
			store_bind_int64(st, ++k, e->to);
			store_bind_text(st, ++k,
					e->spdx_type ? e->spdx_type : sbom_edge_kind_name(e->kind));
		}
		rc = store_step(st, err);
		rc = rc == STORE_DONE ? VG_OK : rc;
		if (st != full)
			store_finalize(st);
		i += n;
	}
	store_finalize(full);
	vg_buf_release(&sql);
	return rc;
}

static int version_id(struct store *s, int64_t product_id, const char *version, int create,
		      int64_t *out, struct vg_error *err)
{
	int rc = store_query_int64(s, out, err,
				   "SELECT id FROM product_versions WHERE product_id = ? AND "
				   "version = ?",
				   "it", product_id, version);
	if (rc != VG_ENOTFOUND || !create)
		return rc;
	rc = store_exec(s, err,
			"INSERT INTO product_versions (product_id, version, created_at) VALUES "
			"(?,?,?)",
			"iti", product_id, version, vg_now());
	if (!rc)
		rc = store_query_int64(s, out, err,
				       "SELECT id FROM product_versions WHERE product_id = ? AND "
				       "version = ?",
				       "it", product_id, version);
	return rc;
}

/*
 * Hold revision sbom_id of version vid when it drops more than half of the
 * distinct components (by identity) of the version's newest revision in
 * force (not held, or approved). reason receives why; *held 1 when held.
 */
static int hold_on_drop(struct store *s, int64_t vid, int64_t sbom_id, int64_t now, int *held,
			char *reason, size_t reasonsz, struct vg_error *err)
{
	int64_t prev = 0, prev_rev = 0, total = 0, dropped = 0;
	int rc;
	*held = 0;
	rc = store_query_int64(s, &prev, err,
			       "SELECT COALESCE(MAX(id), 0) FROM sboms WHERE version_id = ? AND "
			       "id <> ? AND (held_reason IS NULL OR approved_at IS NOT NULL)",
			       "ii", vid, sbom_id);
	if (rc || !prev)
		return rc;
	rc = store_query_int64(s, &prev_rev, err, "SELECT revision FROM sboms WHERE id = ?", "i",
			       prev);
	if (!rc)
		rc = store_query_int64(
		    s, &total, err,
		    "SELECT COUNT(DISTINCT identity) FROM components WHERE sbom_id = ?", "i", prev);
	if (!rc && total)
		rc = store_query_int64(s, &dropped, err,
				       "SELECT COUNT(DISTINCT identity) FROM components WHERE "
				       "sbom_id = ? AND identity NOT IN (SELECT identity FROM "
				       "components WHERE sbom_id = ?)",
				       "ii", prev, sbom_id);
	if (rc || dropped * 2 <= total)
		return rc;
	snprintf(reason, reasonsz,
		 "drops %lld of the %lld components of revision %lld: held for a person to "
		 "approve before findings are retracted",
		 (long long)dropped, (long long)total, (long long)prev_rev);
	rc = store_exec(s, err, "UPDATE sboms SET held_reason = ?, held_at = ? WHERE id = ?", "tii",
			reason, now, sbom_id);
	if (!rc)
		*held = 1;
	return rc;
}

int sbom_import(struct store *s, const struct sbom_import_req *r, struct sbom_import_result *out,
		struct vg_error *err)
{
	return sbom_import_ex(s, r, out, NULL, err);
}

int sbom_import_ex(struct store *s, const struct sbom_import_req *r, struct sbom_import_result *out,
		   struct sbom_violation_list *viol, struct vg_error *err)
{
	struct sbom_doc *doc = NULL;
	struct product prod = {0};
	struct sbom_violation_list own = {0};
	struct sbom_quality q = {0};
	enum sbom_policy policy;
	json_t *after = NULL;
	int64_t vid, rev = 0, now = vg_now(), sbom_id = 0, event = 0;
	char sha[VG_SHA256_HEX], subject[64];
	int rc;

	memset(out, 0, sizeof(*out));
	if (viol)
		memset(viol, 0, sizeof(*viol));
	else
		viol = &own;
	if (!r->product || !*r->product)
		return vg_error_set(err, VG_EINVAL, "no product given");
	if (!r->version || !*r->version || strlen(r->version) > 200)
		return vg_error_set(err, VG_EINVAL, "version must be 1 to 200 characters");
	if ((rc = vg_text_check("version", r->version, 200, 0, 1, err)) ||
	    (rc = vg_text_check("file name", r->filename, 4096, 0, 0, err)))
		return rc;
	if ((rc = sbom_product_policy(s, r->product, &policy, err)))
		return rc;
	snprintf(out->policy, sizeof(out->policy), "%s", sbom_policy_name(policy));
	rc = sbom_check_policy(r->data, r->n, r->filename, policy, &doc, viol, err);
	if (!rc && sbom_quality_measure(doc, &q))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (rc)
		goto out;
	vg_sha256_hex(r->data, r->n, sha);
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc = product_get(s, r->product, &prod, err);
	if (rc == VG_ENOTFOUND && r->create_product) {
		struct product_info pi = {.name = r->product};
		store_tx_rollback(s);
		rc = product_create(s, &pi, err);
		if (rc && rc != VG_EEXIST)
			goto out;
		rc = store_tx_begin(s, err);
		if (!rc)
			rc = product_get(s, r->product, &prod, err);
	}
	if (rc)
		goto fail;
	rc = version_id(s, prod.id, r->version, 1, &vid, err);
	if (rc)
		goto fail;
	rc = store_query_int64(s, &rev, err,
			       "SELECT COALESCE(MAX(revision), 0) FROM sboms WHERE version_id = ?",
			       "i", vid);
	if (rc)
		goto fail;
	rev++;
	rc = store_blob_put(s, r->data, r->n, sha, "the original", err);
	if (rc)
		goto fail;
	rc = store_exec(
	    s, err,
	    "INSERT INTO sboms (version_id, revision, format, encoding, spec_version, serial, "
	    "original_sha256, filename, uploaded_by, uploaded_from, uploaded_at, retain_until, "
	    "component_count, edge_count, primary_idx) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    "iittttttttiiiii", vid, rev, sbom_format_name(doc->format),
	    sbom_encoding_name(doc->encoding), doc->spec_version ? doc->spec_version : "",
	    doc->serial, sha, r->filename, store_actor(s), store_remote(s), now,
	    sbom_retention_end(s, prod.id,
			       retention_end(prod.support_until, prod.placed_on_market, now)),
	    (int64_t)doc->n_components, (int64_t)doc->n_edges,
	    (int64_t)(doc->primary == SBOM_NONE ? -1 : (int64_t)doc->primary));
	if (!rc)
		rc = store_query_int64(s, &sbom_id, err,
				       "SELECT id FROM sboms WHERE version_id = ? AND revision = ?",
				       "ii", vid, rev);
	if (!rc)
		rc = insert_components(s, sbom_id, doc, err);
	if (!rc)
		rc = insert_edges(s, sbom_id, doc, err);
	if (!rc)
		rc = store_violations(s, sbom_id, viol, err);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE sboms SET policy = ?, violation_count = ?, violations_dropped = "
		    "? WHERE id = ?",
		    "tiii", sbom_policy_name(policy), (int64_t)(viol->n + viol->n_dropped),
		    (int64_t)viol->n_dropped, sbom_id);
	if (!rc)
		rc = sbom_quality_store(s, sbom_id, &q, err);
	if (!rc)
		rc = hold_on_drop(s, vid, sbom_id, now, &out->held, out->held_reason,
				  sizeof(out->held_reason), err);
	if (rc)
		goto fail;
	after =
	    json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:s?}", "product", r->product,
		      "version", r->version, "revision", (json_int_t)rev, "format",
		      sbom_format_name(doc->format), "encoding", sbom_encoding_name(doc->encoding),
		      "spec_version", doc->spec_version ? doc->spec_version : "", "sha256", sha,
		      "components", (json_int_t)doc->n_components, "edges",
		      (json_int_t)doc->n_edges, "filename", r->filename);
	if (after) {
		json_object_set_new(after, "policy", json_string(sbom_policy_name(policy)));
		json_object_set_new(after, "violations",
				    json_integer((json_int_t)(viol->n + viol->n_dropped)));
		json_object_set_new(after, "quality",
				    json_pack("{s:i, s:i}", "ntia", q.score[SBOM_PROFILE_NTIA],
					      "bsi-tr-03183-2", q.score[SBOM_PROFILE_BSI]));
	}
	if (after && out->held) {
		json_object_set_new(after, "held", json_true());
		json_object_set_new(after, "held_reason", json_string(out->held_reason));
	}
	snprintf(subject, sizeof(subject), "%lld", (long long)sbom_id);
	rc = store_audit(s, "sbom.import", "sbom", subject, NULL, after, err);
	if (rc)
		goto fail;
	/* the findings of the revision come from this event: kept with it */
	if (!after || json_object_set_new(after, "sbom_id", json_integer(sbom_id))) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto fail;
	}
	rc = store_event_record(s, "sbom.imported", after, &event, err);
	if (rc)
		goto fail;
	rc = store_tx_commit(s, err);
	if (rc)
		goto out;
	out->sbom_id = sbom_id;
	out->revision = rev;
	out->components = (int64_t)doc->n_components;
	out->edges = (int64_t)doc->n_edges;
	snprintf(out->sha256, sizeof(out->sha256), "%s", sha);
	snprintf(out->format, sizeof(out->format), "%s", sbom_format_name(doc->format));
	snprintf(out->encoding, sizeof(out->encoding), "%s", sbom_encoding_name(doc->encoding));
	snprintf(out->spec_version, sizeof(out->spec_version), "%s",
		 doc->spec_version ? doc->spec_version : "");
	out->violations = (int64_t)(viol->n + viol->n_dropped);
	out->quality_ntia = q.score[SBOM_PROFILE_NTIA];
	out->quality_bsi = q.score[SBOM_PROFILE_BSI];
	out->ntia_ok = q.ok[SBOM_PROFILE_NTIA];
	out->bsi_ok = q.ok[SBOM_PROFILE_BSI];
	store_event_deliver(s, event, "sbom.imported", after);
	if (out->held)
		vg_event_emit(s, "sbom.held", after);
	goto out;
fail:
	store_tx_rollback(s);
out:
	product_release(&prod);
	json_decref(after);
	sbom_doc_free(doc);
	sbom_quality_release(&q);
	sbom_violation_list_release(&own);
	return rc;
}

/* ---- holding for a person ---- */

/* {product, version, revision, sbom_id[, reason]} of revision r; new reference. */
static json_t *hold_json(const struct sbom_revision *r, const char *reason)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:s?}", "product", r->product, "version", r->version,
			 "revision", (json_int_t)r->revision, "sbom_id", (json_int_t)r->id,
			 "held_reason", reason);
}

int sbom_hold(struct store *s, int64_t id, const char *reason, struct vg_error *err)
{
	struct sbom_revision r;
	char subject[32];
	json_t *after = NULL;
	int rc;
	if (!reason || !*reason)
		return vg_error_set(err, VG_EINVAL, "a hold needs a reason");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = sbom_revision_get(s, id, &r, err);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	if (SBOM_REVISION_HELD(&r)) {
		/* held already: the first reason stands */
		store_tx_rollback(s);
		sbom_revision_release(&r);
		return VG_OK;
	}
	rc = store_exec(s, err,
			"UPDATE sboms SET held_reason = ?, held_at = ?, approved_at = NULL, "
			"approved_by = NULL WHERE id = ?",
			"tii", reason, vg_now(), id);
	after = hold_json(&r, reason);
	snprintf(subject, sizeof(subject), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, "sbom.hold", "sbom", subject, NULL, after, err);
	rc = store_tx_end(s, rc, err);
	if (!rc)
		vg_event_emit(s, "sbom.held", after);
	json_decref(after);
	sbom_revision_release(&r);
	return rc;
}

int sbom_approve(struct store *s, int64_t id, struct vg_error *err)
{
	struct sbom_revision r;
	char subject[32];
	json_t *after = NULL;
	int64_t event = 0;
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = sbom_revision_get(s, id, &r, err);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	if (!SBOM_REVISION_HELD(&r)) {
		store_tx_rollback(s);
		rc = vg_error_set(err, VG_ESTATE,
				  r.held_reason ? "SBOM %lld was approved already"
						: "SBOM %lld is not held",
				  (long long)id);
		sbom_revision_release(&r);
		return rc;
	}
	rc = store_exec(s, err, "UPDATE sboms SET approved_at = ?, approved_by = ? WHERE id = ?",
			"iti", vg_now(), store_actor(s), id);
	after = hold_json(&r, r.held_reason);
	snprintf(subject, sizeof(subject), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, "sbom.approve", "sbom", subject, NULL, after, err);
	if (!rc)
		rc = after ? store_event_record(s, "sbom.approved", after, &event, err)
			   : vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_tx_end(s, rc, err);
	if (!rc)
		store_event_deliver(s, event, "sbom.approved", after);
	json_decref(after);
	sbom_revision_release(&r);
	return rc;
}

/* ---- reading ---- */

int sbom_latest(struct store *s, const char *product, const char *version, int64_t *id,
		struct vg_error *err)
{
	int rc =
	    store_query_int64(s, id, err,
			      "SELECT b.id FROM sboms b JOIN product_versions v ON v.id = "
			      "b.version_id JOIN products p ON p.id = v.product_id WHERE p.name "
			      "= ? AND v.version = ? ORDER BY b.revision DESC LIMIT 1",
			      "tt", product, version);
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, rc, "no SBOM for %s version %s", product, version);
	return rc;
}

void sbom_contents_release(struct sbom_contents *c)
{
	if (!c)
		return;
	sbom_revision_release(&c->rev);
	sbom_violation_list_release(&c->violations);
	vg_arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

/* Growable arrays of elements of size sz whose strings live in an arena: the
 * array itself is malloc'ed while it grows and moved into the arena at the
 * end. */
struct rows {
	char *data;
	size_t n, cap, sz;
};

static void *rows_next(struct rows *r)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		char *nd = realloc(r->data, nc * r->sz);
		if (!nd)
			return NULL;
		r->data = nd;
		r->cap = nc;
	}
	memset(r->data + r->n * r->sz, 0, r->sz);
	return r->data + r->n++ * r->sz;
}

static void *rows_into(struct rows *r, struct vg_arena *a)
{
	void *p = vg_arena_alloc_raw(a, r->n * r->sz);
	if (p && r->n)
		memcpy(p, r->data, r->n * r->sz);
	free(r->data);
	r->data = NULL;
	return p;
}

#define COMPONENT_COLS                                                                  \
	"idx, ref, name, grp, version, type, purl, identity, cpe, supplier, licenses, " \
	"hashes_json, extra_json FROM components "

static int load_components(struct store_stmt *st, struct sbom_contents *c, struct vg_error *err)
{
	struct rows r = {NULL, 0, 0, sizeof(struct sbom_stored_component)};
	int rc, oom = 0;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct sbom_stored_component *e = rows_next(&r);
		if (!e) {
			oom = 1;
			break;
		}
		e->idx = store_col_int64(st, 0);
		e->ref = store_col_adup(st, 1, &c->arena, &oom);
		e->name = store_col_adup(st, 2, &c->arena, &oom);
		e->group = store_col_adup(st, 3, &c->arena, &oom);
		e->version = store_col_adup(st, 4, &c->arena, &oom);
		e->type = store_col_adup(st, 5, &c->arena, &oom);
		e->purl = store_col_adup(st, 6, &c->arena, &oom);
		e->identity = store_col_adup(st, 7, &c->arena, &oom);
		e->cpe = store_col_adup(st, 8, &c->arena, &oom);
		e->supplier = store_col_adup(st, 9, &c->arena, &oom);
		e->licenses = store_col_adup(st, 10, &c->arena, &oom);
		e->hashes_json = store_col_adup(st, 11, &c->arena, &oom);
		e->extra_json = store_col_adup(st, 12, &c->arena, &oom);
		if (oom)
			break;
	}
	store_finalize(st);
	c->n_components = r.n;
	c->components = rows_into(&r, &c->arena);
	if (oom || (r.n && !c->components))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc == STORE_DONE ? VG_OK : rc;
}

static int load_edges(struct store_stmt *st, struct sbom_contents *c, struct vg_error *err)
{
	struct rows r = {NULL, 0, 0, sizeof(struct sbom_stored_edge)};
	int rc, oom = 0;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct sbom_stored_edge *e = rows_next(&r);
		if (!e) {
			oom = 1;
			break;
		}
		e->from = store_col_int64(st, 0);
		e->to = store_col_int64(st, 1);
		e->kind = store_col_adup(st, 2, &c->arena, &oom);
		if (oom)
			break;
	}
	store_finalize(st);
	c->n_edges = r.n;
	c->edges = rows_into(&r, &c->arena);
	if (oom || (r.n && !c->edges))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc == STORE_DONE ? VG_OK : rc;
}

int sbom_show(struct store *s, int64_t id, struct sbom_contents *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	vg_arena_init_block(&out->arena, 0, 64 * 1024);
	rc = sbom_revision_get(s, id, &out->rev, err);
	if (!rc)
		rc = store_prepare(s, "SELECT " COMPONENT_COLS "WHERE sbom_id = ? ORDER BY idx",
				   &st, err);
	if (!rc) {
		store_bind_int64(st, 1, id);
		rc = load_components(st, out, err);
	}
	if (!rc)
		rc = store_prepare(s,
				   "SELECT from_idx, to_idx, kind FROM dependencies WHERE sbom_id "
				   "= ? ORDER BY from_idx, to_idx",
				   &st, err);
	if (!rc) {
		store_bind_int64(st, 1, id);
		rc = load_edges(st, out, err);
	}
	if (!rc)
		rc = sbom_violations(s, id, &out->violations, err);
	if (rc)
		sbom_contents_release(out);
	return rc;
}

int sbom_original(struct store *s, int64_t id, char **data, size_t *n, struct vg_error *err)
{
	char *want = NULL, what[64], subject[32];
	json_t *a;
	int rc;

	*data = NULL;
	*n = 0;
	rc = store_query_text(s, &want, err, "SELECT original_sha256 FROM sboms WHERE id = ?", "i",
			      id);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no SBOM with id %lld", (long long)id);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "original of SBOM %lld", (long long)id);
	rc = store_blob_get(s, want, data, n, what, err);
	if (!rc) {
		a = json_pack("{s:s, s:I}", "sha256", want, "bytes", (json_int_t)*n);
		snprintf(subject, sizeof(subject), "%lld", (long long)id);
		rc = store_audit(s, "sbom.read_original", "sbom", subject, NULL, a, err);
		json_decref(a);
		if (rc) {
			free(*data);
			*data = NULL;
			*n = 0;
		}
	}
	free(want);
	return rc;
}

/* A revision as audit records show it: as listed, with primary_idx. */
static json_t *revision_audit_json(const struct sbom_revision *r)
{
	json_t *o = sbom_revision_to_json(r);
	json_object_set_new(o, "primary_idx", json_integer(r->primary_idx));
	return o;
}

int sbom_delete(struct store *s, int64_t id, struct vg_error *err)
{
	struct sbom_revision r = {0};
	struct product p = {0};
	json_t *m = NULL;
	char subject[64], ts[VG_TIME_BUFSZ];
	int64_t end, now = vg_now();
	int rc;

	snprintf(subject, sizeof(subject), "%lld", (long long)id);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = sbom_revision_get(s, id, &r, err);
	if (!rc)
		rc = product_get_by_id(s, r.product_id, &p, err);
	if (rc)
		goto fail;
	end = sbom_retention_end(s, p.id,
				 retention_end(p.support_until, p.placed_on_market, r.uploaded_at));
	if (r.retain_until > end)
		end = r.retain_until;
	if (now < end) {
		json_t *a = json_pack("{s:s, s:s}", "refused", "retention period has not ended",
				      "retain_until", vg_time_format(end, ts, sizeof(ts)));
		store_tx_rollback(s);
		/* The refusal itself is evidence: audited in its own transaction. */
		{
			struct vg_error ae = {0};
			if (store_audit(s, "sbom.delete_refused", "sbom", subject, NULL, a, &ae))
				vg_warn("refused deletion of SBOM %s not audited: %s", subject,
					vg_error_msg(&ae));
		}
		json_decref(a);
		sbom_revision_release(&r);
		product_release(&p);
		return vg_error_set(err, VG_ERETAIN,
				    "SBOM %lld must be kept until %s (retention: support end or "
				    "placing on the market + 10 years)",
				    (long long)id, ts);
	}
	rc = store_exec(s, err, "DELETE FROM dependencies WHERE sbom_id = ?", "i", id);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM components WHERE sbom_id = ?", "i", id);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM sboms WHERE id = ?", "i", id);
	if (!rc)
		rc = store_exec(s, err,
				"DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM "
				"sboms WHERE original_sha256 = ?)",
				"tt", r.sha256, r.sha256);
	if (!rc) {
		m = revision_audit_json(&r);
		rc = store_audit(s, "sbom.delete", "sbom", subject, m, NULL, err);
	}
	if (rc)
		goto fail;
	json_decref(m);
	sbom_revision_release(&r);
	product_release(&p);
	return store_tx_commit(s, err);
fail:
	json_decref(m);
	sbom_revision_release(&r);
	product_release(&p);
	store_tx_rollback(s);
	return rc;
}

int sbom_components(struct store *s, const char *product, const char *version, const char *q,
		    int64_t limit, int64_t offset, struct sbom_contents *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t id;
	char like[300];
	int rc;
	memset(out, 0, sizeof(*out));
	vg_arena_init_block(&out->arena, 0, 64 * 1024);
	rc = sbom_latest(s, product, version, &id, err);
	if (!rc)
		rc = sbom_revision_get(s, id, &out->rev, err);
	if (rc) {
		sbom_contents_release(out);
		return rc;
	}
	snprintf(like, sizeof(like), "%%%s%%", q ? q : "");
	for (char *p = like; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	rc = store_prepare(s,
			   "SELECT " COMPONENT_COLS "WHERE sbom_id = ? AND (LOWER(name) LIKE ? OR "
			   "LOWER(COALESCE(purl, '')) LIKE ? OR LOWER(COALESCE(licenses, '')) "
			   "LIKE ?) ORDER BY name, version, idx LIMIT ? OFFSET ?",
			   &st, err);
	if (!rc) {
		store_bind_int64(st, 1, id);
		store_bind_text(st, 2, like);
		store_bind_text(st, 3, like);
		store_bind_text(st, 4, like);
		store_bind_int64(st, 5, limit);
		store_bind_int64(st, 6, offset);
		rc = load_components(st, out, err);
	}
	if (rc)
		sbom_contents_release(out);
	return rc;
}

/* ---- diff ---- */

struct centry {
	const char *identity, *version, *licenses, *purl, *name;
};

static int centry_cmp(const void *a, const void *b)
{
	const struct centry *x = a, *y = b;
	int c = strcmp(x->identity, y->identity);
	if (c)
		return c;
	return strcmp(x->version ? x->version : "", y->version ? y->version : "");
}

/* The components of revision id, sorted by identity and version, strings in
 * the arena; *out malloc'ed. */
static int load_entries(struct store *s, int64_t id, struct vg_arena *ar, struct centry **out,
			size_t *n, struct vg_error *err)
{
	struct rows r = {NULL, 0, 0, sizeof(struct centry)};
	struct store_stmt *st = NULL;
	int rc, oom = 0;
	*out = NULL;
	*n = 0;
	rc = store_prepare(s,
			   "SELECT identity, name, version, licenses, purl FROM components WHERE "
			   "sbom_id = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct centry *e = rows_next(&r);
		if (!e) {
			oom = 1;
			break;
		}
		e->identity = store_col_adup(st, 0, ar, &oom);
		e->name = store_col_adup(st, 1, ar, &oom);
		e->version = store_col_adup(st, 2, ar, &oom);
		e->licenses = store_col_adup(st, 3, ar, &oom);
		e->purl = store_col_adup(st, 4, ar, &oom);
		if (!e->identity)
			e->identity = "";
		if (oom)
			break;
	}
	store_finalize(st);
	if (oom) {
		free(r.data);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (rc != STORE_DONE) {
		free(r.data);
		return rc;
	}
	if (r.n)
		qsort(r.data, r.n, sizeof(struct centry), centry_cmp);
	*out = (struct centry *)r.data;
	*n = r.n;
	return VG_OK;
}

/* Order of two versions in the ecosystem of the purl, or 2 when unknown. */
static int order_of(const char *purl_str, const char *a, const char *b)
{
	struct purl p = {0};
	const char *eco = NULL;
	int c = 2;
	if (!a || !b)
		return 2;
	if (purl_str && purl_parse(purl_str, 0, &p, NULL) == VG_OK)
		eco = purl_osv_ecosystem(&p);
	if (!eco || version_compare(eco, a, b, &c, NULL) != VG_OK) {
		c = 2;
		if (version_compare("semver", a, b, &c, NULL) != VG_OK)
			c = 2;
	}
	purl_release(&p);
	return c;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

void sbom_diff_release(struct sbom_diff *d)
{
	if (!d)
		return;
	vg_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

const char *sbom_change_kind_name(enum sbom_change_kind k)
{
	static const char *const names[SBOM_CHANGE_KINDS] = {
	    "added", "removed", "upgraded", "downgraded", "changed", "license_changes"};
	return (unsigned)k < SBOM_CHANGE_KINDS ? names[k] : "?";
}

/* Append a change of kind k; NULL when out of memory. */
static struct sbom_change *change(struct rows *ch, enum sbom_change_kind k)
{
	return rows_next(&ch[k]);
}

static int add_entry(struct rows *ch, enum sbom_change_kind k, const struct centry *e)
{
	struct sbom_change *c = change(ch, k);
	if (!c)
		return -1;
	c->identity = e->identity;
	c->name = e->name;
	c->version = e->version;
	c->purl = e->purl;
	c->licenses = e->licenses;
	return 0;
}

static int add_license(struct rows *ch, const struct centry *a, const struct centry *b)
{
	struct sbom_change *c = change(ch, SBOM_LICENSE_CHANGED);
	if (!c)
		return -1;
	c->identity = a->identity;
	c->name = b->name;
	c->version = b->version;
	c->from = a->licenses;
	c->to = b->licenses;
	return 0;
}

int sbom_diff(struct store *s, const char *product, const char *from, const char *to,
	      struct sbom_diff *out, struct vg_error *err)
{
	struct rows ch[SBOM_CHANGE_KINDS];
	struct centry *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < SBOM_CHANGE_KINDS; k++)
		ch[k] = (struct rows){NULL, 0, 0, sizeof(struct sbom_change)};
	vg_arena_init_block(&out->arena, 0, 64 * 1024);
	rc = sbom_latest(s, product, from, &out->from_sbom, err);
	if (!rc)
		rc = sbom_latest(s, product, to, &out->to_sbom, err);
	if (!rc)
		rc = load_entries(s, out->from_sbom, &out->arena, &a, &na, err);
	if (!rc)
		rc = load_entries(s, out->to_sbom, &out->arena, &b, &nb, err);
	if (rc)
		goto out;
	out->product = vg_arena_strdup(&out->arena, product);
	out->from = vg_arena_strdup(&out->arena, from);
	out->to = vg_arena_strdup(&out->arena, to);
	oom = !out->product || !out->from || !out->to;
	while (!oom && (i < na || j < nb)) {
		int c;
		size_t ie = i, je = j;
		if (i >= na)
			c = 1;
		else if (j >= nb)
			c = -1;
		else
			c = strcmp(a[i].identity, b[j].identity);
		if (c < 0) {
			oom = add_entry(ch, SBOM_REMOVED, &a[i++]);
			continue;
		}
		if (c > 0) {
			oom = add_entry(ch, SBOM_ADDED, &b[j++]);
			continue;
		}
		/* same identity: the group of entries on each side */
		while (ie < na && strcmp(a[ie].identity, a[i].identity) == 0)
			ie++;
		while (je < nb && strcmp(b[je].identity, b[j].identity) == 0)
			je++;
		if (ie - i == 1 && je - j == 1) {
			if (!same_str(a[i].version, b[j].version)) {
				int o = order_of(b[j].purl ? b[j].purl : a[i].purl, a[i].version,
						 b[j].version);
				struct sbom_change *e =
				    change(ch, o < 0             ? SBOM_UPGRADED
					       : o > 0 && o != 2 ? SBOM_DOWNGRADED
								 : SBOM_CHANGED);
				if (e) {
					e->identity = a[i].identity;
					e->name = b[j].name;
					e->from = a[i].version;
					e->to = b[j].version;
					e->purl = b[j].purl;
				} else
					oom = 1;
			}
			if (!oom && !same_str(a[i].licenses, b[j].licenses))
				oom = add_license(ch, &a[i], &b[j]);
		} else {
			/* several instances: versions only on one side are removed / added */
			size_t x = i, y = j;
			while (!oom && (x < ie || y < je)) {
				int d;
				if (x >= ie)
					d = 1;
				else if (y >= je)
					d = -1;
				else
					d = strcmp(a[x].version ? a[x].version : "",
						   b[y].version ? b[y].version : "");
				if (d < 0)
					oom = add_entry(ch, SBOM_REMOVED, &a[x++]);
				else if (d > 0)
					oom = add_entry(ch, SBOM_ADDED, &b[y++]);
				else {
					if (!same_str(a[x].licenses, b[y].licenses))
						oom = add_license(ch, &a[x], &b[y]);
					x++;
					y++;
				}
			}
		}
		i = ie;
		j = je;
	}
	for (int k = 0; k < SBOM_CHANGE_KINDS; k++) {
		out->n[k] = ch[k].n;
		out->changes[k] = rows_into(&ch[k], &out->arena);
		if (ch[k].n && !out->changes[k])
			oom = 1;
	}
	if (oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
out:
	for (int k = 0; k < SBOM_CHANGE_KINDS; k++)
		free(ch[k].data);
	free(a);
	free(b);
	if (rc)
		sbom_diff_release(out);
	return rc;
}

/* ---- JSON at the edges ---- */

/* Stored JSON text as JSON (a string when it does not parse), null for NULL. */
static json_t *stored_json(const char *text)
{
	json_t *v;
	if (!text)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

json_t *sbom_component_to_json(const struct sbom_stored_component *c, int flags)
{
	json_t *o = json_object();
	json_object_set_new(o, "idx", json_integer(c->idx));
	json_object_set_new(o, "ref", vg_json_text(c->ref));
	json_object_set_new(o, "name", vg_json_text(c->name));
	json_object_set_new(o, "group", vg_json_text(c->group));
	json_object_set_new(o, "version", vg_json_text(c->version));
	json_object_set_new(o, "type", vg_json_text(c->type));
	json_object_set_new(o, "purl", vg_json_text(c->purl));
	if (flags & SBOM_COMPONENT_FULL)
		json_object_set_new(o, "identity", vg_json_text(c->identity));
	json_object_set_new(o, "cpe", vg_json_text(c->cpe));
	json_object_set_new(o, "supplier", vg_json_text(c->supplier));
	json_object_set_new(o, "licenses", vg_json_text(c->licenses));
	json_object_set_new(o, "hashes", stored_json(c->hashes_json));
	if (flags & SBOM_COMPONENT_FULL)
		json_object_set_new(o, "extra", stored_json(c->extra_json));
	return o;
}

json_t *sbom_contents_to_json(const struct sbom_contents *c)
{
	json_t *o = sbom_revision_to_json(&c->rev), *comps = json_array(), *deps = json_array();
	json_object_set_new(o, "primary_idx", json_integer(c->rev.primary_idx));
	for (size_t i = 0; i < c->n_components; i++)
		json_array_append_new(
		    comps, sbom_component_to_json(&c->components[i], SBOM_COMPONENT_FULL));
	for (size_t i = 0; i < c->n_edges; i++)
		json_array_append_new(
		    deps, json_pack("{s:I, s:I, s:s?}", "from", (json_int_t)c->edges[i].from, "to",
				    (json_int_t)c->edges[i].to, "kind", c->edges[i].kind));
	json_object_set_new(o, "component_list", comps);
	json_object_set_new(o, "dependency_list", deps);
	json_object_set_new(o, "violation_list", sbom_violations_to_json(&c->violations));
	json_object_set_new(o, "violations_dropped",
			    json_integer((json_int_t)c->violations.n_dropped));
	return o;
}

static json_t *change_json(enum sbom_change_kind k, const struct sbom_change *c)
{
	switch (k) {
	case SBOM_ADDED:
	case SBOM_REMOVED:
		return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "identity", c->identity, "name",
				 c->name, "version", c->version, "purl", c->purl, "licenses",
				 c->licenses);
	case SBOM_LICENSE_CHANGED:
		return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "identity", c->identity, "name",
				 c->name, "version", c->version, "from", c->from, "to", c->to);
	default:
		return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "identity", c->identity, "name",
				 c->name, "from", c->from, "to", c->to, "purl", c->purl);
	}
}

json_t *sbom_diff_to_json(const struct sbom_diff *d)
{
	json_t *o = json_object(), *sum = json_object();
	json_object_set_new(o, "product", vg_json_text(d->product));
	json_object_set_new(o, "from", vg_json_text(d->from));
	json_object_set_new(o, "to", vg_json_text(d->to));
	json_object_set_new(o, "from_sbom", json_integer(d->from_sbom));
	json_object_set_new(o, "to_sbom", json_integer(d->to_sbom));
	for (int k = 0; k < SBOM_CHANGE_KINDS; k++)
		json_object_set_new(sum, sbom_change_kind_name(k),
				    json_integer((json_int_t)d->n[k]));
	json_object_set_new(o, "summary", sum);
	for (int k = 0; k < SBOM_CHANGE_KINDS; k++) {
		json_t *arr = json_array();
		for (size_t i = 0; i < d->n[k]; i++)
			json_array_append_new(arr, change_json(k, &d->changes[k][i]));
		json_object_set_new(o, sbom_change_kind_name(k), arr);
	}
	return o;
}
