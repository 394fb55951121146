/*
 * validate.c - the public face of the schema room: validating a jansson
 * value or JSON text against a schema of a set, the per-thread scratch, the
 * result, and looking a schema node up by URI.
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct vg_jsonschema_scratch *vg_jsonschema_scratch_new(void)
{
	struct vg_jsonschema_scratch *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	/* the tree of one item of a large document at a time: big blocks, reused */
	vg_arena_init_block(&x->a, 0, SCRATCH_BLOCK);
	x->md = pcre2_match_data_create(1, NULL);
	x->mc = pcre2_match_context_create(NULL);
	if (!x->md || !x->mc) {
		vg_jsonschema_scratch_free(x);
		return NULL;
	}
	pcre2_set_match_limit(x->mc, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(x->mc, REGEX_DEPTH_LIMIT);
	return x;
}

void vg_jsonschema_scratch_free(struct vg_jsonschema_scratch *x)
{
	if (!x)
		return;
	vg_arena_release(&x->a);
	free(x->jb.vs);
	free(x->jb.ms);
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mc);
	free(x->ip.t);
	free(x->sp.t);
	free(x->uri);
	free(x->base);
	free(x);
}

/* Find (or take from the scratch's last use) the schema named uri. */
static int find_root(const struct vg_jsonschema *s, const char *uri,
		     struct vg_jsonschema_scratch *x, struct vg_error *err)
{
	char *abs, *nbase = NULL;
	const json_t *root;
	int draft = s->default_draft, oom;

	if (x->s == s && x->uri && !strcmp(x->uri, uri))
		return VG_OK;
	free(x->uri);
	free(x->base);
	x->uri = x->base = NULL;
	x->s = NULL;
	if (!(abs = strdup(uri)))
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	js_strip_empty_frag(abs);
	root = js_resolve(s, abs, &nbase, &draft, &oom);
	free(abs);
	if (!root)
		return oom ? vg_error_set(err, VG_ENOMEM, "json schema: out of memory")
			   : vg_error_set(err, VG_ENOTFOUND, "json schema: %s: no such schema",
					  uri);
	if (!(x->uri = strdup(uri))) {
		free(nbase);
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	}
	x->s = s;
	x->root = root;
	x->base = nbase;
	x->draft = draft;
	return VG_OK;
}

int vg_jsonschema_validate(const struct vg_jsonschema *s, const char *uri, const json_t *instance,
			   const struct vg_jsonschema_opts *opts, struct vg_jsonschema_result *res,
			   struct vg_error *err)
{
	struct vg_jsonschema_scratch *x;
	struct jv inst;
	int r;

	memset(res, 0, sizeof(*res));
	if (!(x = vg_jsonschema_scratch_new()))
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	if ((r = find_root(s, uri, x, err)))
		goto out;
	if ((r = js_jv_from_json(&x->a, instance, &inst, 0))) {
		r = r == VG_ENOMEM ? vg_error_set(err, r, "json schema: out of memory")
				   : vg_error_set(err, r, "json schema: instance nested too deep");
		goto out;
	}
	r = js_run(s, x, &inst, opts, res, err);
out:
	vg_jsonschema_scratch_free(x);
	return r;
}

int vg_jsonschema_validate_text(const struct vg_jsonschema *s, const char *uri, const char *text,
				size_t n, const struct vg_jsonschema_opts *opts,
				struct vg_jsonschema_scratch *scratch, uint64_t *hash,
				struct vg_jsonschema_result *res, struct vg_error *err)
{
	struct vg_jsonschema_scratch *x = scratch;
	struct jbuild *b;
	struct jv inst;
	int r;

	memset(res, 0, sizeof(*res));
	if (!x && !(x = vg_jsonschema_scratch_new()))
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	if ((r = find_root(s, uri, x, err)))
		goto out;
	vg_arena_reset(&x->a);
	b = &x->jb;
	b->a = &x->a;
	b->nv = b->nm = 0;
	b->oom = 0;
	vg_jscan_init(&b->js, text, n, VG_JSON_MAX_DEPTH);
	if (js_jb_value(b, &inst) || vg_jscan_end(&b->js)) {
		char where[256];
		r = b->oom ? vg_error_set(err, VG_ENOMEM, "json schema: out of memory")
			   : vg_error_set(err, VG_EPARSE, "%s",
					  vg_jscan_error(&b->js, where, sizeof(where)));
		goto out;
	}
	if (hash)
		*hash = js_jv_hash(&inst);
	r = js_run(s, x, &inst, opts, res, err);
out:
	if (x != scratch)
		vg_jsonschema_scratch_free(x);
	return r;
}

void vg_jsonschema_result_release(struct vg_jsonschema_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_errors; i++) {
		free(res->errors[i].instance);
		free(res->errors[i].schema);
		free(res->errors[i].message);
	}
	free(res->errors);
	memset(res, 0, sizeof(*res));
}

const json_t *vg_jsonschema_node(const struct vg_jsonschema *s, const char *uri)
{
	char *abs = strdup(uri), *nbase = NULL;
	const json_t *node;
	int draft, oom;
	if (!abs)
		return NULL;
	js_strip_empty_frag(abs);
	node = js_resolve(s, abs, &nbase, &draft, &oom);
	free(abs);
	free(nbase);
	return node;
}
