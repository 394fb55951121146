/*
 * eval.c - the evaluator: one instance tree against the compiled nodes of a
 * set. It returns 1 (valid), 0 (invalid) or -1 (could not run: the code and
 * message are in the context). Errors are collected only outside of trial
 * branches (anyOf, oneOf, not, if, contains): those report one summary
 * error at their own keyword.
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int path_push(struct path *p, const char *key, size_t idx)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		struct ptok *t = realloc(p->t, nc * sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		p->t = t;
		p->cap = nc;
	}
	p->t[p->n].key = key;
	p->t[p->n].idx = idx;
	p->n++;
	return VG_OK;
}

static int ptr_push(struct vg_buf *b, const char *tok);

/* prefix (may be NULL) then the tokens of p, escaped, into b (NUL-terminated). */
static int path_render(const struct path *p, const char *prefix, struct vg_buf *b)
{
	int rc = vg_buf_adds(b, prefix ? prefix : "");
	for (size_t i = 0; i < p->n && !rc; i++)
		rc = p->t[i].key ? ptr_push(b, p->t[i].key) : vg_buf_addf(b, "/%zu", p->t[i].idx);
	return rc;
}

struct ctx {
	const struct vg_jsonschema *s;
	struct vg_jsonschema_result *res;
	size_t max_errors;
	int max_depth;
	int assert_format;
	int depth;
	int quiet;            /* > 0 inside trial branches: no errors kept, stop at the first */
	struct path *ip, *sp; /* instance pointer, keyword location: rendered only for errors */
	const char *ip_prefix;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int code; /* set when evaluation could not run */
	struct vg_error *err;
	/* unevaluatedProperties: the members of object ev_inst evaluated so far by
	 * the schemas applied in place to it (indexes into its members). A schema
	 * that fails drops what it added, as the spec drops its annotations. */
	const struct jv *ev_inst;
	struct evset {
		size_t *m;
		size_t n, cap;
	} * ev;
};

/* Member m of the object being evaluated was evaluated here. */
static int ev_mark(struct ctx *c, const struct jv *inst, size_t m)
{
	struct evset *e = c->ev;
	if (!e || c->ev_inst != inst)
		return VG_OK;
	if (e->n == e->cap) {
		size_t nc = e->cap ? e->cap * 2 : 16;
		size_t *t = realloc(e->m, nc * sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		e->m = t;
		e->cap = nc;
	}
	e->m[e->n++] = m;
	return VG_OK;
}

static int ev_has(const struct evset *e, size_t m)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->m[i] == m)
			return 1;
	return 0;
}

static int hard(struct ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int hard(struct ctx *c, int code, const char *fmt, ...)
{
	if (!c->code) {
		va_list ap;
		char msg[900];
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		struct vg_buf sb = VG_BUF_INIT, ib = VG_BUF_INIT;
		int oom = path_render(c->sp, NULL, &sb) | path_render(c->ip, c->ip_prefix, &ib);
		const char *at = !oom && sb.len ? sb.data : "/";
		const char *in = !oom && ib.len ? ib.data : "/";
		/* keep the tails: the places are cut to what the message can hold */
		int cut_at = strlen(at) > 200, cut_in = strlen(in) > 200;
		c->code = code;
		vg_error_set(c->err, code, "json schema: %s (schema %s%s, instance %s%s)", msg,
			     cut_at ? "..." : "", cut_at ? at + strlen(at) - 200 : at,
			     cut_in ? "..." : "", cut_in ? in + strlen(in) - 200 : in);
		vg_buf_release(&sb);
		vg_buf_release(&ib);
	}
	return -1;
}

static void fail(struct ctx *c, const char *kw, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct ctx *c, const char *kw, const char *fmt, ...)
{
	struct vg_jsonschema_result *r = c->res;
	struct vg_jsonschema_error *e;
	struct vg_buf m = VG_BUF_INIT, s = VG_BUF_INIT, in = VG_BUF_INIT;
	va_list ap;

	if (c->quiet)
		return;
	if (r->n_errors >= c->max_errors) {
		r->n_dropped++;
		return;
	}
	if (!r->errors) {
		r->errors = calloc(c->max_errors, sizeof(*r->errors));
		if (!r->errors) {
			hard(c, VG_ENOMEM, "out of memory");
			return;
		}
	}
	va_start(ap, fmt);
	int rc = vg_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	rc |= path_render(c->sp, NULL, &s);
	rc |= vg_buf_addc(&s, '/');
	rc |= vg_buf_adds(&s, kw);
	rc |= path_render(c->ip, c->ip_prefix, &in);
	e = &r->errors[r->n_errors];
	e->instance = rc ? NULL : in.data ? vg_buf_detach(&in, NULL) : strdup("");
	if (rc || !e->instance) {
		free(e->instance);
		e->instance = NULL;
		vg_buf_release(&m);
		vg_buf_release(&s);
		vg_buf_release(&in);
		hard(c, VG_ENOMEM, "out of memory");
		return;
	}
	e->message = vg_buf_detach(&m, NULL);
	e->schema = vg_buf_detach(&s, NULL);
	r->n_errors++;
}

/* Append a JSON pointer token (escaped) to b. */
static int ptr_push(struct vg_buf *b, const char *tok)
{
	int rc = vg_buf_addc(b, '/');
	for (; *tok && !rc; tok++) {
		if (*tok == '~')
			rc = vg_buf_adds(b, "~0");
		else if (*tok == '/')
			rc = vg_buf_adds(b, "~1");
		else
			rc = vg_buf_addc(b, *tok);
	}
	return rc;
}

static const char *type_name(const struct jv *v)
{
	switch (v->t) {
	case JV_OBJECT:
		return "object";
	case JV_ARRAY:
		return "array";
	case JV_STRING:
		return "string";
	case JV_INT:
		return "integer";
	case JV_REAL:
		return "number";
	case JV_TRUE:
	case JV_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static int has_type(const struct jv *v, unsigned mask, int draft)
{
	switch (v->t) {
	case JV_NULL:
		return (mask & T_NULL) != 0;
	case JV_TRUE:
	case JV_FALSE:
		return (mask & T_BOOL) != 0;
	case JV_OBJECT:
		return (mask & T_OBJECT) != 0;
	case JV_ARRAY:
		return (mask & T_ARRAY) != 0;
	case JV_STRING:
		return (mask & T_STRING) != 0;
	case JV_INT:
		return (mask & (T_INTEGER | T_NUMBER)) != 0;
	default:
		if (mask & T_NUMBER)
			return 1;
		return (mask & T_INTEGER) && draft >= 6 && isfinite(v->u.d) &&
		       v->u.d == floor(v->u.d);
	}
}

static int is_number(const json_t *v)
{
	return json_is_integer(v) || json_is_real(v);
}

/* instance a < schema number b: -1, equal 0, a > b: 1; exact for two integers. */
static int num_cmp(const struct jv *a, const json_t *b)
{
	if (a->t == JV_INT && json_is_integer(b)) {
		long long x = a->u.i, y = (long long)json_integer_value(b);
		return x < y ? -1 : x > y;
	}
	double x = js_jv_num(a), y = json_number_value(b);
	return x < y ? -1 : x > y;
}

static size_t utf8_len(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* 1 match, 0 no match, -1 cannot js_run (code NULL: pat does not compile). */
static int regex_search(struct ctx *c, const pcre2_code *code, const char *pat, const char *subj,
			size_t n)
{
	int rc;
	if (!code)
		return hard(c, VG_EINVAL, "pattern /%s/ is not a valid regular expression", pat);
	rc = pcre2_match(code, (PCRE2_SPTR)subj, n, 0, 0, c->md, c->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT)
		return 0; /* too costly to decide: treated as not matching */
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		return 0;
	return hard(c, VG_EINVAL, "pattern /%s/: matching failed (%d)", pat, rc);
}

static int eval_cn(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		   const struct jv *inst);

/*
 * Evaluate schema sch with base URI base. With apply_id, sch was found inside
 * a schema whose base is base: its own $id changes the base first ($ref
 * beside it wins in draft 4-7). A schema object outside the compiled ones (a
 * $ref into a place no keyword leads to) is compiled for this use only.
 */
static int eval(struct ctx *c, const json_t *sch, const char *base, int draft,
		const struct jv *inst, int apply_id)
{
	const struct cnode *cn;
	struct cnode *tmp = NULL;
	char *own = NULL;
	int rc;

	if (json_is_true(sch))
		return 1;
	if (json_is_false(sch)) {
		fail(c, "false", "expected nothing here (the schema is false)");
		return 0;
	}
	if (!json_is_object(sch))
		return hard(c, VG_EINVAL, "expected a schema (object or boolean), got %s",
			    json_type_name(sch));
	if (!(cn = js_cmap_get(c->s, sch))) {
		if (!(tmp = js_cnode_compile(sch, base, draft)))
			return hard(c, VG_ENOMEM, "out of memory");
		cn = tmp;
	}
	if (apply_id) {
		const char *id = json_string_value(cn->kw[draft == 4 ? K_ID4 : K_ID]);
		if (id && id[0] != '#' && (draft >= 2019 || !cn->kw[K_REF])) {
			if (cn->own && cn->draft == draft &&
			    (cn->base == base || !strcmp(cn->base, base))) {
				base = cn->own;
			} else {
				if (!(own = vg_uri_resolve(base, id))) {
					js_cnode_free(tmp);
					return hard(c, VG_ENOMEM, "out of memory");
				}
				js_strip_empty_frag(own);
				base = own;
			}
		}
	}
	rc = eval_cn(c, cn, base, draft, inst);
	free(own);
	js_cnode_free(tmp);
	return rc;
}

/* Evaluate sub-schema sch under keyword path kw (and optional second token). */
static int sub(struct ctx *c, const json_t *sch, const char *base, int draft, const struct jv *inst,
	       const char *kw, const char *tok, size_t idx, int use_idx)
{
	size_t sl = c->sp->n;
	int rc = path_push(c->sp, kw, 0);
	if (!rc && tok)
		rc = path_push(c->sp, tok, 0);
	if (!rc && use_idx)
		rc = path_push(c->sp, NULL, idx);
	if (rc)
		return hard(c, VG_ENOMEM, "out of memory");
	rc = eval(c, sch, base, draft, inst, 1);
	c->sp->n = sl;
	return rc;
}

/* As sub(), moving into member key (or index i) of the instance. */
static int sub_in(struct ctx *c, const json_t *sch, const char *base, int draft,
		  const struct jv *inst, const char *key, size_t i, const char *kw, const char *tok,
		  size_t idx, int use_idx)
{
	size_t il = c->ip->n;
	if (path_push(c->ip, key, i))
		return hard(c, VG_ENOMEM, "out of memory");
	int rc = sub(c, sch, base, draft, inst, kw, tok, idx, use_idx);
	c->ip->n = il;
	return rc;
}

static int eval_ref(struct ctx *c, const json_t *sch, const char *ref, const char *kw,
		    const char *base, int draft, const struct jv *inst)
{
	const struct refsite *site = sch ? js_find_refsite(c->s, sch, base, draft) : NULL;
	char *abs, *nbase = NULL;
	const json_t *target;
	int ndraft = draft, oom, rc;
	if (site) {
		size_t sl = c->sp->n;
		if (path_push(c->sp, kw, 0))
			return hard(c, VG_ENOMEM, "out of memory");
		rc = eval(c, site->target, site->tbase, site->tdraft, inst, 0);
		c->sp->n = sl;
		return rc;
	}
	abs = vg_uri_resolve(base, ref);
	if (!abs)
		return hard(c, VG_ENOMEM, "out of memory");
	js_strip_empty_frag(abs);
	target = js_resolve(c->s, abs, &nbase, &ndraft, &oom);
	if (!target) {
		rc = oom ? hard(c, VG_ENOMEM, "out of memory")
			 : hard(c, VG_ENOTFOUND, "%s \"%s\" (%s) names no known schema", kw, ref,
				abs);
		free(abs);
		return rc;
	}
	free(abs);
	/* nbase already includes the target's own $id */
	{
		size_t sl = c->sp->n;
		if (path_push(c->sp, kw, 0))
			rc = hard(c, VG_ENOMEM, "out of memory");
		else
			rc = eval(c, target, nbase, ndraft, inst, 0);
		c->sp->n = sl;
	}
	free(nbase);
	return rc;
}

#define TRY(x)                            \
	do {                              \
		int r_ = (x);             \
		if (r_ < 0)               \
			return -1;        \
		if (!r_) {                \
			ok = 0;           \
			if (c->quiet)     \
				return 0; \
		}                         \
	} while (0)

static int eval_object(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		       const struct jv *inst)
{
	const json_t *addl = cn->kw[K_ADDITIONALPROPERTIES];
	const json_t *v, *kwv;
	int ok = 1;

	if ((kwv = cn->kw[K_REQUIRED]) && json_is_array(kwv)) {
		size_t i;
		json_array_foreach(kwv, i, v)
		{
			const char *name = json_string_value(v);
			if (name && !js_jv_get(inst, name, strlen(name))) {
				fail(c, "required", "expected property \"%s\"", name);
				ok = 0;
				if (c->quiet)
					return 0;
			}
		}
	}
	if ((kwv = cn->kw[K_MINPROPERTIES]) && json_is_integer(kwv) &&
	    (json_int_t)inst->n < json_integer_value(kwv)) {
		fail(c, "minProperties", "expected at least %lld properties, got %zu",
		     (long long)json_integer_value(kwv), inst->n);
		TRY(0);
	}
	if ((kwv = cn->kw[K_MAXPROPERTIES]) && json_is_integer(kwv) &&
	    (json_int_t)inst->n > json_integer_value(kwv)) {
		fail(c, "maxProperties", "expected at most %lld properties, got %zu",
		     (long long)json_integer_value(kwv), inst->n);
		TRY(0);
	}
	if (cn->n_props || cn->n_pp || addl) {
		for (size_t m = 0; m < inst->n; m++) {
			const char *k = inst->u.o[m].k;
			size_t kn = inst->u.o[m].kn;
			const struct jv *mv = &inst->u.o[m].v;
			int matched = 0;
			const json_t *ps = cn->n_props ? js_prop_get(cn, k, kn) : NULL;
			if ((ps || addl) && ev_mark(c, inst, m))
				return hard(c, VG_ENOMEM, "out of memory");
			if (ps) {
				matched = 1;
				TRY(sub_in(c, ps, base, draft, mv, k, 0, "properties", k, 0, 0));
			}
			for (size_t p = 0; p < cn->n_pp; p++) {
				int r = regex_search(c, cn->pp[p].code, cn->pp[p].pat, k, kn);
				if (r < 0)
					return -1;
				if (r) {
					matched = 1;
					if (ev_mark(c, inst, m))
						return hard(c, VG_ENOMEM, "out of memory");
					TRY(sub_in(c, cn->pp[p].sch, base, draft, mv, k, 0,
						   "patternProperties", cn->pp[p].pat, 0, 0));
				}
			}
			if (!matched && addl) {
				if (json_is_false(addl)) {
					size_t il = c->ip->n;
					if (path_push(c->ip, k, 0))
						return hard(c, VG_ENOMEM, "out of memory");
					fail(c, "additionalProperties",
					     "expected no property \"%s\" (not allowed here)", k);
					c->ip->n = il;
					TRY(0);
				} else {
					TRY(sub_in(c, addl, base, draft, mv, k, 0,
						   "additionalProperties", NULL, 0, 0));
				}
			}
		}
	}
	if ((kwv = cn->kw[K_PROPERTYNAMES]) && draft >= 6) {
		for (size_t m = 0; m < inst->n; m++) {
			struct jv name = {.t = JV_STRING, .n = inst->u.o[m].kn};
			name.u.s = inst->u.o[m].k;
			TRY(sub_in(c, kwv, base, draft, &name, inst->u.o[m].k, 0, "propertyNames",
				   NULL, 0, 0));
		}
	}
	/* dependencies (draft 4-7), dependentRequired / dependentSchemas (2019+) */
	{
		static const int kws[] = {K_DEPENDENCIES, K_DEPENDENTREQUIRED, K_DEPENDENTSCHEMAS};
		for (size_t t = 0; t < 3; t++) {
			const json_t *dep = cn->kw[kws[t]];
			const json_t *dv;
			const char *k;
			if (!json_is_object(dep))
				continue;
			if (t == 0 && draft >= 2019)
				continue;
			json_object_foreach((json_t *)dep, k, dv)
			{
				if (!js_jv_get(inst, k, strlen(k)))
					continue;
				if (json_is_array(dv) && t != 2) {
					size_t i;
					json_array_foreach(dv, i, v)
					{
						const char *name = json_string_value(v);
						if (name && !js_jv_get(inst, name, strlen(name))) {
							fail(c, js_kw_name[kws[t]],
							     "expected property \"%s\" (required "
							     "when \"%s\" is present)",
							     name, k);
							TRY(0);
						}
					}
				} else if ((json_is_object(dv) || json_is_boolean(dv)) && t != 1) {
					TRY(sub(c, dv, base, draft, inst, js_kw_name[kws[t]], k, 0,
						0));
				}
			}
		}
	}
	return ok;
}

static int eval_array(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		      const struct jv *inst)
{
	size_t n = inst->n, i, done = 0;
	const json_t *items = cn->kw[K_ITEMS];
	const json_t *kwv;
	int ok = 1;

	if ((kwv = cn->kw[K_MINITEMS]) && json_is_integer(kwv) &&
	    (json_int_t)n < json_integer_value(kwv)) {
		fail(c, "minItems", "expected at least %lld items, got %zu",
		     (long long)json_integer_value(kwv), n);
		TRY(0);
	}
	if ((kwv = cn->kw[K_MAXITEMS]) && json_is_integer(kwv) &&
	    (json_int_t)n > json_integer_value(kwv)) {
		fail(c, "maxItems", "expected at most %lld items, got %zu",
		     (long long)json_integer_value(kwv), n);
		TRY(0);
	}
	if ((kwv = cn->kw[K_UNIQUEITEMS]) && json_is_true(kwv)) {
		size_t a = 0, b = 0;
		int u = js_all_unique(inst, &a, &b);
		if (u < 0)
			return hard(c, VG_ENOMEM, "out of memory");
		if (!u) {
			fail(c, "uniqueItems", "expected unique items, items %zu and %zu are equal",
			     a, b);
			TRY(0);
		}
	}
	if (draft >= 2020) {
		const json_t *pre = cn->kw[K_PREFIXITEMS];
		if (json_is_array(pre)) {
			for (i = 0; i < n && i < json_array_size(pre); i++)
				TRY(sub_in(c, json_array_get(pre, i), base, draft, &inst->u.a[i],
					   NULL, i, "prefixItems", NULL, i, 1));
			done = i;
		}
		if (items)
			for (i = done; i < n; i++)
				TRY(sub_in(c, items, base, draft, &inst->u.a[i], NULL, i, "items",
					   NULL, 0, 0));
	} else if (json_is_array(items)) {
		const json_t *addi = cn->kw[K_ADDITIONALITEMS];
		for (i = 0; i < n && i < json_array_size(items); i++)
			TRY(sub_in(c, json_array_get(items, i), base, draft, &inst->u.a[i], NULL, i,
				   "items", NULL, i, 1));
		if (addi) {
			for (; i < n; i++) {
				if (json_is_false(addi)) {
					fail(c, "additionalItems",
					     "expected at most %zu items, got %zu",
					     json_array_size(items), n);
					TRY(0);
					break;
				}
				TRY(sub_in(c, addi, base, draft, &inst->u.a[i], NULL, i,
					   "additionalItems", NULL, 0, 0));
			}
		}
	} else if (items) {
		for (i = 0; i < n; i++)
			TRY(sub_in(c, items, base, draft, &inst->u.a[i], NULL, i, "items", NULL, 0,
				   0));
	}
	if ((kwv = cn->kw[K_CONTAINS]) && draft >= 6) {
		const json_t *minc = draft >= 2019 ? cn->kw[K_MINCONTAINS] : NULL;
		const json_t *maxc = draft >= 2019 ? cn->kw[K_MAXCONTAINS] : NULL;
		long long lo = json_is_integer(minc) ? json_integer_value(minc) : 1;
		long long hi = json_is_integer(maxc) ? json_integer_value(maxc) : -1;
		long long hits = 0;
		c->quiet++;
		for (i = 0; i < n; i++) {
			int r = sub_in(c, kwv, base, draft, &inst->u.a[i], NULL, i, "contains",
				       NULL, 0, 0);
			if (r < 0) {
				c->quiet--;
				return -1;
			}
			hits += r;
			if (hi < 0 && hits >= lo)
				break;
		}
		c->quiet--;
		if (hits < lo) {
			fail(c, "contains",
			     "expected at least %lld item(s) matching contains, got %lld", lo,
			     hits);
			TRY(0);
		}
		if (hi >= 0 && hits > hi) {
			fail(c, "maxContains",
			     "expected at most %lld item(s) matching contains, got %lld", hi, hits);
			TRY(0);
		}
	}
	return ok;
}

static int eval_number(struct ctx *c, const struct cnode *cn, int draft, const struct jv *inst)
{
	const json_t *kwv;
	int ok = 1;
	char buf[64];

	if ((kwv = cn->kw[K_MULTIPLEOF]) && is_number(kwv)) {
		int mult;
		if (json_is_integer(kwv) && inst->t == JV_INT && json_integer_value(kwv) > 0) {
			mult = inst->u.i % (long long)json_integer_value(kwv) == 0;
		} else {
			double q = js_jv_num(inst) / json_number_value(kwv);
			mult = isfinite(q) && fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
		}
		if (!mult) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(kwv));
			fail(c, "multipleOf", "expected a multiple of %s", buf);
			TRY(0);
		}
	}
	const json_t *mx = cn->kw[K_MAXIMUM];
	const json_t *mn = cn->kw[K_MINIMUM];
	const json_t *xmx = cn->kw[K_EXCLUSIVEMAXIMUM];
	const json_t *xmn = cn->kw[K_EXCLUSIVEMINIMUM];
	if (mx && is_number(mx)) {
		int excl = draft == 4 && json_is_true(xmx);
		int cmp = num_cmp(inst, mx);
		if (cmp > 0 || (excl && cmp == 0)) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(mx));
			fail(c, "maximum", "expected a number %s %s", excl ? "<" : "<=", buf);
			TRY(0);
		}
	}
	if (mn && is_number(mn)) {
		int excl = draft == 4 && json_is_true(xmn);
		int cmp = num_cmp(inst, mn);
		if (cmp < 0 || (excl && cmp == 0)) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(mn));
			fail(c, "minimum", "expected a number %s %s", excl ? ">" : ">=", buf);
			TRY(0);
		}
	}
	if (draft >= 6 && xmx && is_number(xmx) && num_cmp(inst, xmx) >= 0) {
		snprintf(buf, sizeof(buf), "%.17g", json_number_value(xmx));
		fail(c, "exclusiveMaximum", "expected a number < %s", buf);
		TRY(0);
	}
	if (draft >= 6 && xmn && is_number(xmn) && num_cmp(inst, xmn) <= 0) {
		snprintf(buf, sizeof(buf), "%.17g", json_number_value(xmn));
		fail(c, "exclusiveMinimum", "expected a number > %s", buf);
		TRY(0);
	}
	return ok;
}

static int eval_string(struct ctx *c, const struct cnode *cn, const struct jv *inst)
{
	const char *s = inst->u.s;
	size_t n = inst->n, len = (size_t)-1;
	const json_t *kwv;
	int ok = 1;

	if ((kwv = cn->kw[K_MINLENGTH]) && json_is_integer(kwv)) {
		len = utf8_len(s, n);
		if ((json_int_t)len < json_integer_value(kwv)) {
			fail(c, "minLength", "expected at least %lld characters, got %zu",
			     (long long)json_integer_value(kwv), len);
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_MAXLENGTH]) && json_is_integer(kwv)) {
		if (len == (size_t)-1)
			len = utf8_len(s, n);
		if ((json_int_t)len > json_integer_value(kwv)) {
			fail(c, "maxLength", "expected at most %lld characters, got %zu",
			     (long long)json_integer_value(kwv), len);
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_PATTERN]) && json_is_string(kwv)) {
		int m = regex_search(c, cn->pattern, json_string_value(kwv), s, n);
		if (m < 0)
			return -1;
		if (!m) {
			fail(c, "pattern", "expected a string matching /%s/",
			     json_string_value(kwv));
			TRY(0);
		}
	}
	if (c->assert_format && cn->fmt && !js_format_check(cn->fmt, s, n)) {
		fail(c, "format", "expected a string of format %s",
		     json_string_value(cn->kw[K_FORMAT]));
		TRY(0);
	}
	return ok;
}

static int eval_logic(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		      const struct jv *inst)
{
	const json_t *kwv, *v;
	size_t i;
	int ok = 1;

	if ((kwv = cn->kw[K_ALLOF]) && json_is_array(kwv))
		json_array_foreach(kwv, i, v)
		    TRY(sub(c, v, base, draft, inst, "allOf", NULL, i, 1));
	if ((kwv = cn->kw[K_ANYOF]) && json_is_array(kwv)) {
		int any = 0;
		c->quiet++;
		json_array_foreach(kwv, i, v)
		{
			int r = sub(c, v, base, draft, inst, "anyOf", NULL, i, 1);
			if (r < 0) {
				c->quiet--;
				return -1;
			}
			if (r) {
				any = 1;
				/* every branch's annotations count for unevaluatedProperties */
				if (!c->ev || c->ev_inst != inst)
					break;
			}
		}
		c->quiet--;
		if (!any) {
			fail(c, "anyOf", "expected a value matching at least one of %zu schemas",
			     json_array_size(kwv));
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_ONEOF]) && json_is_array(kwv)) {
		int hits = 0;
		size_t first = 0, second = 0;
		c->quiet++;
		json_array_foreach(kwv, i, v)
		{
			int r = sub(c, v, base, draft, inst, "oneOf", NULL, i, 1);
			if (r < 0) {
				c->quiet--;
				return -1;
			}
			if (r) {
				if (hits == 0)
					first = i;
				else
					second = i;
				if (++hits > 1)
					break;
			}
		}
		c->quiet--;
		if (hits == 0) {
			fail(c, "oneOf",
			     "expected a value matching exactly one of %zu schemas, none "
			     "matched",
			     json_array_size(kwv));
			TRY(0);
		} else if (hits > 1) {
			fail(c, "oneOf",
			     "expected a value matching exactly one of %zu schemas, %zu and %zu "
			     "matched",
			     json_array_size(kwv), first, second);
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_NOT])) {
		int r;
		size_t keep = c->ev && c->ev_inst == inst ? c->ev->n : 0;
		c->quiet++;
		r = sub(c, kwv, base, draft, inst, "not", NULL, 0, 0);
		c->quiet--;
		if (c->ev && c->ev_inst == inst)
			c->ev->n = keep;
		if (r < 0)
			return -1;
		if (r) {
			fail(c, "not", "expected a value not matching the schema under \"not\"");
			TRY(0);
		}
	}
	if (draft >= 7 && (kwv = cn->kw[K_IF])) {
		const json_t *th = cn->kw[K_THEN], *el = cn->kw[K_ELSE];
		int r;
		if (th || el) {
			c->quiet++;
			r = sub(c, kwv, base, draft, inst, "if", NULL, 0, 0);
			c->quiet--;
			if (r < 0)
				return -1;
			if (r && th)
				TRY(sub(c, th, base, draft, inst, "then", NULL, 0, 0));
			else if (!r && el)
				TRY(sub(c, el, base, draft, inst, "else", NULL, 0, 0));
		}
	}
	return ok;
}

/* The draft 2019+ references beside other keywords. 1 / 0 / -1 as eval(). */
static int eval_refs2019(struct ctx *c, const struct cnode *cn, const char *base, int draft,
			 const struct jv *inst)
{
	static const int dk[] = {K_RECURSIVEREF, K_DYNAMICREF};
	const json_t *kwv = cn->kw[K_REF];
	int ok = 1, r;

	if (cn->kw[K_UNEVALUATEDITEMS])
		return hard(c, VG_EINVAL, "keyword %s is not supported",
			    js_kw_name[K_UNEVALUATEDITEMS]);
	if (json_is_string(kwv)) {
		r = eval_ref(c, cn->node, json_string_value(kwv), "$ref", base, draft, inst);
		if (r < 0)
			return -1;
		if (!r) {
			ok = 0;
			if (c->quiet)
				return 0;
		}
	}
	/* without dynamic anchors these are plain references */
	for (size_t i = 0; i < 2; i++) {
		const char *ref = json_string_value(cn->kw[dk[i]]);
		if (!ref)
			continue;
		char *abs = vg_uri_resolve(base, ref), *nb = NULL;
		int nd, oom;
		const json_t *t;
		if (!abs)
			return hard(c, VG_ENOMEM, "out of memory");
		js_strip_empty_frag(abs);
		t = js_resolve(c->s, abs, &nb, &nd, &oom);
		free(abs);
		free(nb);
		if (t && (json_is_true(json_object_get(t, "$recursiveAnchor")) ||
			  json_object_get(t, "$dynamicAnchor")))
			return hard(c, VG_EINVAL, "keyword %s to a dynamic anchor is not supported",
				    js_kw_name[dk[i]]);
		r = eval_ref(c, NULL, ref, js_kw_name[dk[i]], base, draft, inst);
		if (r < 0)
			return -1;
		if (!r) {
			ok = 0;
			if (c->quiet)
				return 0;
		}
	}
	return ok;
}

/* unevaluatedProperties: each member no schema applied in place evaluated. */
static int eval_unevaluated(struct ctx *c, const json_t *sch, const char *base, int draft,
			    const struct jv *inst)
{
	int ok = 1;
	for (size_t m = 0; m < inst->n; m++) {
		const char *k = inst->u.o[m].k;
		if (c->ev && ev_has(c->ev, m))
			continue;
		if (json_is_false(sch)) {
			size_t il = c->ip->n;
			if (path_push(c->ip, k, 0))
				return hard(c, VG_ENOMEM, "out of memory");
			fail(c, "unevaluatedProperties",
			     "expected no property \"%s\" (no schema here allows it)", k);
			c->ip->n = il;
			TRY(0);
		} else {
			TRY(sub_in(c, sch, base, draft, &inst->u.o[m].v, k, 0,
				   "unevaluatedProperties", NULL, 0, 0));
		}
	}
	if (c->ev)
		for (size_t m = 0; m < inst->n; m++)
			if (!ev_has(c->ev, m) && ev_mark(c, inst, m))
				return hard(c, VG_ENOMEM, "out of memory");
	return ok;
}

static int eval_cn(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		   const struct jv *inst)
{
	const json_t *kwv;
	int ok = 1, r;
	/* a new object instance gets its own set of evaluated members */
	struct evset own_ev = {0}, *save_ev = c->ev;
	const struct jv *save_inst = c->ev_inst;
	size_t ev_keep = 0;

	if (++c->depth > c->max_depth) {
		c->depth--;
		return hard(c, VG_ETOOBIG, "schema recursion deeper than %d levels", c->max_depth);
	}
	if (inst->t == JV_OBJECT && draft >= 2019) {
		if (c->ev_inst != inst) {
			c->ev = &own_ev;
			c->ev_inst = inst;
		}
		ev_keep = c->ev->n;
	} else {
		c->ev = NULL;
		c->ev_inst = NULL;
	}

	/* draft 4-7: $ref replaces the whole schema, $id beside it included */
	kwv = cn->kw[K_REF];
	if (json_is_string(kwv) && draft < 2019) {
		r = eval_ref(c, cn->node, json_string_value(kwv), "$ref", base, draft, inst);
		c->depth--;
		return r;
	}
	if (draft >= 2019) {
		r = eval_refs2019(c, cn, base, draft, inst);
		if (r <= 0) {
			ok = r;
			if (r < 0 || c->quiet)
				goto out;
		}
	}

	if ((kwv = cn->kw[K_TYPE]) && !cn->type_all && !has_type(inst, cn->tmask, draft)) {
		if (json_is_string(kwv)) {
			fail(c, "type", "expected type %s, got %s", json_string_value(kwv),
			     type_name(inst));
		} else {
			char *t = vg_json_canonical(kwv);
			fail(c, "type", "expected one of the types %s, got %s", t ? t : "[...]",
			     type_name(inst));
			free(t);
		}
		ok = 0;
		goto out; /* the other keywords would only repeat the mismatch */
	}
	if ((kwv = cn->kw[K_ENUM]) && json_is_array(kwv) && !js_enum_has(cn, inst)) {
		char *t = vg_json_canonical(kwv);
		if (t && strlen(t) > 200)
			snprintf(t + 190, strlen(t + 190) + 1, "...]");
		fail(c, "enum", "expected one of %s", t ? t : "the enum values");
		free(t);
		ok = 0;
		if (c->quiet)
			goto out;
	}
	if (draft >= 6 && (kwv = cn->kw[K_CONST]) && !js_jv_eq(&cn->cv, inst)) {
		char *t = vg_json_canonical(kwv);
		if (t && strlen(t) > 200)
			snprintf(t + 190, strlen(t + 190) + 1, "...");
		fail(c, "const", "expected %s", t ? t : "the const value");
		free(t);
		ok = 0;
		if (c->quiet)
			goto out;
	}
	r = 1;
	if (inst->t == JV_OBJECT) {
		if (cn->groups & G_OBJ)
			r = eval_object(c, cn, base, draft, inst);
	} else if (inst->t == JV_ARRAY) {
		if (cn->groups & G_ARR)
			r = eval_array(c, cn, base, draft, inst);
	} else if (inst->t == JV_INT || inst->t == JV_REAL) {
		if (cn->groups & G_NUM)
			r = eval_number(c, cn, draft, inst);
	} else if (inst->t == JV_STRING) {
		if (cn->groups & G_STR)
			r = eval_string(c, cn, inst);
	}
	if (r < 0) {
		ok = -1;
		goto out;
	}
	if (!r) {
		ok = 0;
		if (c->quiet)
			goto out;
	}
	if (cn->groups & G_LOGIC) {
		r = eval_logic(c, cn, base, draft, inst);
		if (r <= 0) {
			ok = r;
			if (r < 0 || c->quiet)
				goto out;
		}
	}
	if (draft >= 2019 && inst->t == JV_OBJECT && (kwv = cn->kw[K_UNEVALUATEDPROPERTIES])) {
		r = eval_unevaluated(c, kwv, base, draft, inst);
		if (r <= 0)
			ok = r;
	}
out:
	if (c->ev && c->ev_inst == inst && ok == 0)
		c->ev->n = ev_keep; /* a failed schema's annotations are dropped */
	free(own_ev.m);
	c->ev = save_ev;
	c->ev_inst = save_inst;
	c->depth--;
	return ok;
}

/* Validate inst against the root found by find_root(). */
int js_run(const struct vg_jsonschema *s, struct vg_jsonschema_scratch *x, const struct jv *inst,
	   const struct vg_jsonschema_opts *opts, struct vg_jsonschema_result *res,
	   struct vg_error *err)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.res = res;
	c.err = err;
	c.max_errors = opts && opts->max_errors ? opts->max_errors : VG_JSONSCHEMA_MAX_ERRORS;
	c.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : VG_JSONSCHEMA_MAX_DEPTH;
	c.assert_format = opts ? opts->assert_format : 0;
	c.ip_prefix = opts ? opts->instance_prefix : NULL;
	c.md = x->md;
	c.mc = x->mc;
	x->ip.n = x->sp.n = 0;
	c.ip = &x->ip;
	c.sp = &x->sp;
	/* The keyword location starts empty so messages read "/properties/x/type". */
	r = eval(&c, x->root, x->base, x->draft, inst, 0);
	if (r < 0)
		return c.code ? c.code : VG_EINTERNAL;
	res->valid = r == 1;
	return VG_OK;
}
