/*
 * csaf.c - CSAF 2.0 documents into struct csaf_doc.
 *
 * Order of work: /document, then /product_tree (every product definition
 * collected, indexed by id, relationships resolved), then
 * /vulnerabilities, whose product and group references are checked
 * against the index as they are read so that a problem names its pointer.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/csaf.h"
#include "core/error.h"
#include "core/json.h"
#include "vuln/feed_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct parser {
	struct feed_ctx c;
	struct csaf_doc *d;
	size_t cap_products;
};

static const char *const status_names[CSAF_NSTATUS] = {
    [CSAF_FIRST_AFFECTED] = "first_affected",
    [CSAF_FIRST_FIXED] = "first_fixed",
    [CSAF_FIXED] = "fixed",
    [CSAF_KNOWN_AFFECTED] = "known_affected",
    [CSAF_KNOWN_NOT_AFFECTED] = "known_not_affected",
    [CSAF_LAST_AFFECTED] = "last_affected",
    [CSAF_RECOMMENDED] = "recommended",
    [CSAF_UNDER_INVESTIGATION] = "under_investigation",
};

const char *csaf_status_name(enum csaf_status s)
{
	return (unsigned)s < CSAF_NSTATUS ? status_names[s] : "?";
}

int csaf_status_from_name(const char *name)
{
	for (int i = 0; i < CSAF_NSTATUS; i++)
		if (strcmp(status_names[i], name) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------ problems */

/* "<kind> "<id>" <tail>" at pointer at (NULL: the current one). */
static int problem_at(struct parser *p, const char *at, const char *test, const char *kind,
		      const char *id, const char *tail)
{
	struct csaf_doc *d = p->d;
	char msg[800], text[300];
	struct csaf_problem *pr;

	d->n_problems_all++;
	if (d->n_problems >= CSAF_MAX_PROBLEMS)
		return VG_OK;
	if (!d->problems) {
		d->problems = vg_arena_array(p->c.arena, CSAF_MAX_PROBLEMS, sizeof(*d->problems));
		if (!d->problems)
			return feed_oom(&p->c);
	}
	snprintf(text, sizeof(text), "%s \"%.200s\" %s", kind, id, tail);
	snprintf(msg, sizeof(msg), "%s: %s: %s (CSAF %s)", p->c.file, at ? at : feed_ptr(&p->c),
		 text, test);
	pr = &d->problems[d->n_problems];
	pr->test = test;
	pr->msg = vg_arena_strdup(p->c.arena, msg);
	if (!pr->msg)
		return feed_oom(&p->c);
	d->n_problems++;
	return VG_OK;
}

static int problem(struct parser *p, const char *test, const char *kind, const char *id,
		   const char *tail)
{
	return problem_at(p, NULL, test, kind, id, tail);
}

/* ------------------------------------------------------------ helpers */

/* Each element of array member key of obj, with the pointer pushed. */
typedef int (*item_fn)(struct parser *p, const json_t *item, size_t i, void *out);

static int each(struct parser *p, const json_t *obj, const char *key, int required, size_t max,
		size_t elem, void **out, size_t *n, item_fn fn)
{
	const json_t *arr;
	unsigned char *items = NULL;
	size_t old, k, i;
	int rc;

	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if ((rc = feed_array(&p->c, obj, key, required, max, &arr)) != VG_OK || !arr)
		return rc;
	if (elem) {
		items = vg_arena_array(p->c.arena, json_array_size(arr), elem);
		if (!items)
			return feed_oom(&p->c);
	}
	old = feed_ptr_key(&p->c, key);
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *it = json_array_get(arr, i);
		k = feed_ptr_idx(&p->c, i);
		rc = fn(p, it, i, items ? items + i * elem : NULL);
		feed_ptr_pop(&p->c, k);
		if (rc != VG_OK)
			break;
	}
	feed_ptr_pop(&p->c, old);
	if (rc != VG_OK)
		return rc;
	if (out)
		*out = items;
	if (n)
		*n = json_array_size(arr);
	return VG_OK;
}

static int need_object(struct parser *p, const json_t *v)
{
	return json_is_object(v) ? VG_OK : feed_fail(&p->c, "expected an object");
}

static int note_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_note *n = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "category", 1, &n->category)) ||
	    (rc = feed_str(&p->c, j, "text", 1, &n->text)) ||
	    (rc = feed_str(&p->c, j, "title", 0, &n->title)))
		return rc;
	return feed_str(&p->c, j, "audience", 0, &n->audience);
}

static int ref_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_reference *r = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "url", 1, &r->url)) ||
	    (rc = feed_str(&p->c, j, "summary", 1, &r->summary)))
		return rc;
	return feed_str(&p->c, j, "category", 0, &r->category);
}

static int revision_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_revision *r = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "date", 1, &r->date)) ||
	    (rc = feed_str(&p->c, j, "number", 1, &r->number)))
		return rc;
	return feed_str(&p->c, j, "summary", 1, &r->summary);
}

/* ------------------------------------------------------------ document */

static int parse_document(struct parser *p, const json_t *root)
{
	struct csaf_doc *d = p->d;
	const json_t *doc, *pub, *tr, *agg, *dist, *tlp;
	size_t old, k;
	int rc;

	if ((rc = feed_object(&p->c, root, "document", 1, &doc)) != VG_OK)
		return rc;
	old = feed_ptr_key(&p->c, "document");
	if ((rc = feed_str(&p->c, doc, "category", 1, &d->category)) ||
	    (rc = feed_str(&p->c, doc, "csaf_version", 1, &d->csaf_version)) ||
	    (rc = feed_str(&p->c, doc, "title", 1, &d->title)) ||
	    (rc = feed_str(&p->c, doc, "lang", 0, &d->lang)))
		goto out;
	if (strcmp(d->csaf_version, "2.0") != 0) {
		k = feed_ptr_key(&p->c, "csaf_version");
		rc = feed_fail(&p->c, "expected \"2.0\", found \"%.40s\"", d->csaf_version);
		feed_ptr_pop(&p->c, k);
		goto out;
	}
	if ((rc = feed_object(&p->c, doc, "publisher", 1, &pub)))
		goto out;
	k = feed_ptr_key(&p->c, "publisher");
	if (!(rc = feed_str(&p->c, pub, "category", 1, &d->publisher_category)) &&
	    !(rc = feed_str(&p->c, pub, "name", 1, &d->publisher_name)))
		rc = feed_str(&p->c, pub, "namespace", 1, &d->publisher_namespace);
	feed_ptr_pop(&p->c, k);
	if (rc)
		goto out;
	if ((rc = feed_object(&p->c, doc, "aggregate_severity", 0, &agg)))
		goto out;
	if (agg) {
		k = feed_ptr_key(&p->c, "aggregate_severity");
		rc = feed_str(&p->c, agg, "text", 1, &d->aggregate_severity);
		feed_ptr_pop(&p->c, k);
		if (rc)
			goto out;
	}
	if ((rc = feed_object(&p->c, doc, "distribution", 0, &dist)))
		goto out;
	if (dist) {
		k = feed_ptr_key(&p->c, "distribution");
		if (!(rc = feed_object(&p->c, dist, "tlp", 0, &tlp)) && tlp) {
			size_t k2 = feed_ptr_key(&p->c, "tlp");
			rc = feed_str(&p->c, tlp, "label", 1, &d->tlp);
			feed_ptr_pop(&p->c, k2);
		}
		feed_ptr_pop(&p->c, k);
		if (rc)
			goto out;
	}
	if ((rc = each(p, doc, "notes", 0, 100000, sizeof(struct csaf_note), (void **)&d->notes,
		       &d->n_notes, note_item)) ||
	    (rc = each(p, doc, "references", 0, 100000, sizeof(struct csaf_reference),
		       (void **)&d->refs, &d->n_refs, ref_item)))
		goto out;
	if ((rc = feed_object(&p->c, doc, "tracking", 1, &tr)))
		goto out;
	k = feed_ptr_key(&p->c, "tracking");
	if (!(rc = feed_str(&p->c, tr, "id", 1, &d->id)) &&
	    !(rc = feed_str(&p->c, tr, "status", 1, &d->status)) &&
	    !(rc = feed_str(&p->c, tr, "version", 1, &d->version)) &&
	    !(rc = feed_str(&p->c, tr, "current_release_date", 1, &d->current_release_date)) &&
	    !(rc = feed_str(&p->c, tr, "initial_release_date", 1, &d->initial_release_date)))
		rc = each(p, tr, "revision_history", 1, 100000, sizeof(struct csaf_revision),
			  (void **)&d->revisions, &d->n_revisions, revision_item);
	if (!rc && strcmp(d->status, "draft") != 0 && strcmp(d->status, "final") != 0 &&
	    strcmp(d->status, "interim") != 0) {
		size_t k2 = feed_ptr_key(&p->c, "status");
		rc = feed_fail(&p->c, "expected \"draft\", \"final\" or \"interim\"");
		feed_ptr_pop(&p->c, k2);
	}
	if (!rc && d->n_revisions == 0) {
		size_t k2 = feed_ptr_key(&p->c, "revision_history");
		rc = feed_fail(&p->c, "expected at least one revision");
		feed_ptr_pop(&p->c, k2);
	}
	feed_ptr_pop(&p->c, k);
out:
	feed_ptr_pop(&p->c, old);
	return rc;
}

/* ------------------------------------------------------------ products */

static int hash_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_hash *h = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "algorithm", 1, &h->algorithm)))
		return rc;
	return feed_str(&p->c, j, "value", 1, &h->value);
}

static int file_hashes_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_file_hashes *h = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "filename", 1, &h->filename)))
		return rc;
	return each(p, j, "file_hashes", 1, 1000, sizeof(struct csaf_hash), (void **)&h->hashes,
		    &h->n_hashes, hash_item);
}

static int generic_uri_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_generic_uri *u = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "namespace", 1, &u->namespace_)))
		return rc;
	return feed_str(&p->c, j, "uri", 1, &u->uri);
}

static int parse_pih(struct parser *p, const json_t *fpn, struct csaf_pih *h)
{
	const json_t *j;
	size_t old;
	int rc;

	if ((rc = feed_object(&p->c, fpn, "product_identification_helper", 0, &j)) || !j)
		return rc;
	old = feed_ptr_key(&p->c, "product_identification_helper");
	if (!(rc = feed_str(&p->c, j, "cpe", 0, &h->cpe)) &&
	    !(rc = feed_str(&p->c, j, "purl", 0, &h->purl)) &&
	    !(rc = each(p, j, "hashes", 0, 1000, sizeof(struct csaf_file_hashes),
			(void **)&h->hashes, &h->n_hashes, file_hashes_item)) &&
	    !(rc = feed_str_list(&p->c, j, "model_numbers", 0, 10000, &h->model_numbers,
				 &h->n_model_numbers)) &&
	    !(rc =
		  feed_str_list(&p->c, j, "sbom_urls", 0, 10000, &h->sbom_urls, &h->n_sbom_urls)) &&
	    !(rc = feed_str_list(&p->c, j, "serial_numbers", 0, 10000, &h->serial_numbers,
				 &h->n_serial_numbers)) &&
	    !(rc = feed_str_list(&p->c, j, "skus", 0, 10000, &h->skus, &h->n_skus)))
		rc = each(p, j, "x_generic_uris", 0, 1000, sizeof(struct csaf_generic_uri),
			  (void **)&h->x_generic_uris, &h->n_x_generic_uris, generic_uri_item);
	feed_ptr_pop(&p->c, old);
	return rc;
}

static int add_product(struct parser *p, struct csaf_product *prod)
{
	struct csaf_doc *d = p->d;
	if (d->n_products == p->cap_products) {
		size_t cap = p->cap_products ? p->cap_products * 2 : 64;
		struct csaf_product **np = realloc(d->products, cap * sizeof(*np));
		if (!np)
			return vg_error_set(p->c.err, VG_ENOMEM, "%s: out of memory", p->c.file);
		d->products = np;
		p->cap_products = cap;
	}
	d->products[d->n_products++] = prod;
	return VG_OK;
}

/* A full_product_name object at the current pointer. */
static int parse_fpn(struct parser *p, const json_t *j, struct csaf_product **out)
{
	struct csaf_product *prod;
	int rc;

	*out = NULL;
	if ((rc = need_object(p, j)))
		return rc;
	prod = vg_arena_alloc(p->c.arena, sizeof(*prod));
	if (!prod)
		return feed_oom(&p->c);
	if ((rc = feed_str(&p->c, j, "name", 1, &prod->name)) ||
	    (rc = feed_str(&p->c, j, "product_id", 1, &prod->product_id)) ||
	    (rc = parse_pih(p, j, &prod->pih)))
		return rc;
	prod->ptr = vg_arena_strdup(p->c.arena, feed_ptr(&p->c));
	if (!prod->ptr)
		return feed_oom(&p->c);
	*out = prod;
	return add_product(p, prod);
}

struct branch_path {
	const char *category[CSAF_MAX_BRANCH_DEPTH + 1];
	const char *name[CSAF_MAX_BRANCH_DEPTH + 1];
	int depth;
};

static void apply_path(struct csaf_product *prod, const struct branch_path *bp)
{
	static const struct {
		const char *cat;
		size_t off;
	} map[] = {
	    {"vendor", offsetof(struct csaf_product, vendor)},
	    {"product_name", offsetof(struct csaf_product, product_name)},
	    {"product_version", offsetof(struct csaf_product, product_version)},
	    {"product_version_range", offsetof(struct csaf_product, product_version_range)},
	    {"product_family", offsetof(struct csaf_product, product_family)},
	    {"architecture", offsetof(struct csaf_product, architecture)},
	    {"patch_level", offsetof(struct csaf_product, patch_level)},
	    {"service_pack", offsetof(struct csaf_product, service_pack)},
	    {"language", offsetof(struct csaf_product, language)},
	    {"host_name", offsetof(struct csaf_product, host_name)},
	    {"legacy", offsetof(struct csaf_product, legacy)},
	    {"specification", offsetof(struct csaf_product, specification)},
	};
	for (int i = 0; i < bp->depth; i++)
		for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
			if (strcmp(bp->category[i], map[k].cat) == 0)
				*(const char **)((char *)prod + map[k].off) = bp->name[i];
}

static int parse_branches(struct parser *p, const json_t *obj, struct branch_path *bp);

static int parse_branch(struct parser *p, const json_t *j, struct branch_path *bp)
{
	const json_t *prodj;
	struct csaf_product *prod;
	int rc;

	if ((rc = need_object(p, j)))
		return rc;
	if (bp->depth >= CSAF_MAX_BRANCH_DEPTH)
		return feed_fail(&p->c, "branches nested deeper than %d levels",
				 CSAF_MAX_BRANCH_DEPTH);
	if ((rc = feed_str(&p->c, j, "category", 1, &bp->category[bp->depth])) ||
	    (rc = feed_str(&p->c, j, "name", 1, &bp->name[bp->depth])))
		return rc;
	bp->depth++;
	if (!(rc = feed_object(&p->c, j, "product", 0, &prodj)) && prodj) {
		size_t old = feed_ptr_key(&p->c, "product");
		rc = parse_fpn(p, prodj, &prod);
		if (rc == VG_OK)
			apply_path(prod, bp);
		feed_ptr_pop(&p->c, old);
	}
	if (rc == VG_OK)
		rc = parse_branches(p, j, bp);
	bp->depth--;
	return rc;
}

static int parse_branches(struct parser *p, const json_t *obj, struct branch_path *bp)
{
	const json_t *arr;
	size_t old, k, i;
	int rc;

	if ((rc = feed_array(&p->c, obj, "branches", 0, 1000000, &arr)) || !arr)
		return rc;
	old = feed_ptr_key(&p->c, "branches");
	for (i = 0; i < json_array_size(arr); i++) {
		k = feed_ptr_idx(&p->c, i);
		rc = parse_branch(p, json_array_get(arr, i), bp);
		feed_ptr_pop(&p->c, k);
		if (rc)
			break;
	}
	feed_ptr_pop(&p->c, old);
	return rc;
}

static int fpn_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_product *prod;
	(void)i;
	(void)out;
	return parse_fpn(p, j, &prod);
}

static int rel_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_relationship *r = out;
	const json_t *fpn;
	size_t old;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "category", 1, &r->category)) ||
	    (rc = feed_str(&p->c, j, "product_reference", 1, &r->product_reference)) ||
	    (rc = feed_str(&p->c, j, "relates_to_product_reference", 1,
			   &r->relates_to_product_reference)) ||
	    (rc = feed_object(&p->c, j, "full_product_name", 1, &fpn)))
		return rc;
	old = feed_ptr_key(&p->c, "full_product_name");
	rc = parse_fpn(p, fpn, &r->product);
	feed_ptr_pop(&p->c, old);
	if (rc == VG_OK)
		r->product->rel = r;
	return rc;
}

static int group_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_group *g = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "group_id", 1, &g->group_id)) ||
	    (rc = feed_str(&p->c, j, "summary", 0, &g->summary)))
		return rc;
	return feed_str_list(&p->c, j, "product_ids", 1, 1000000, &g->product_ids,
			     &g->n_product_ids);
}

struct ranked {
	const struct csaf_product *p;
	size_t pos;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->p->product_id, y->p->product_id);
	if (c)
		return c;
	/* definition order among duplicates: the first one wins */
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

const struct csaf_product *csaf_product_find(const struct csaf_doc *d, const char *product_id)
{
	size_t lo = 0, hi = d->n_index;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->index[mid]->product_id, product_id);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->n_index && strcmp(d->index[lo]->product_id, product_id) == 0)
		return d->index[lo];
	return NULL;
}

const struct csaf_group *csaf_group_find(const struct csaf_doc *d, const char *group_id)
{
	for (size_t i = 0; i < d->n_groups; i++)
		if (strcmp(d->groups[i].group_id, group_id) == 0)
			return &d->groups[i];
	return NULL;
}

/* A product id referenced at the current pointer (plus key/index pushed by
 * the caller) must be defined. */
static int check_product_ref(struct parser *p, const char *id)
{
	if (csaf_product_find(p->d, id))
		return VG_OK;
	return problem(p, "6.1.1", "product id", id, "is not defined in /product_tree");
}

static int check_product_list(struct parser *p, const char *key, const char **ids, size_t n)
{
	size_t old = feed_ptr_key(&p->c, key);
	int rc = VG_OK;
	for (size_t i = 0; i < n && rc == VG_OK; i++) {
		size_t k = feed_ptr_idx(&p->c, i);
		rc = check_product_ref(p, ids[i]);
		feed_ptr_pop(&p->c, k);
	}
	feed_ptr_pop(&p->c, old);
	return rc;
}

static int check_group_list(struct parser *p, const char *key, const char **ids, size_t n)
{
	size_t old = feed_ptr_key(&p->c, key);
	int rc = VG_OK;
	for (size_t i = 0; i < n && rc == VG_OK; i++) {
		size_t k = feed_ptr_idx(&p->c, i);
		if (!csaf_group_find(p->d, ids[i]))
			rc = problem(p, "6.1.4", "group id", ids[i],
				     "is not defined in /product_tree/product_groups");
		feed_ptr_pop(&p->c, k);
	}
	feed_ptr_pop(&p->c, old);
	return rc;
}

/* Does following relationship-made products from prod lead back to target? */
static int leads_to(const struct csaf_product *prod, const struct csaf_product *target, int depth)
{
	const struct csaf_relationship *r;
	if (!prod || depth > CSAF_MAX_REL_DEPTH)
		return 0;
	if (prod == target && depth > 0)
		return 1;
	r = prod->rel;
	if (!r)
		return 0;
	return leads_to(r->component, target, depth + 1) ||
	       leads_to(r->platform, target, depth + 1);
}

static int index_products(struct parser *p)
{
	struct csaf_doc *d = p->d;
	size_t old, k;
	int rc = VG_OK;

	struct ranked *rk = malloc((d->n_products ? d->n_products : 1) * sizeof(*rk));
	d->index = malloc((d->n_products ? d->n_products : 1) * sizeof(*d->index));
	if (!d->index || !rk) {
		free(rk);
		return vg_error_set(p->c.err, VG_ENOMEM, "%s: out of memory", p->c.file);
	}
	for (size_t i = 0; i < d->n_products; i++) {
		rk[i].p = d->products[i];
		rk[i].pos = i;
	}
	qsort(rk, d->n_products, sizeof(*rk), cmp_ranked);
	for (size_t i = 0; i < d->n_products; i++)
		d->index[i] = rk[i].p;
	d->n_index = d->n_products;
	free(rk);

	/* 6.1.2: one definition per id */
	for (size_t i = 1; i < d->n_index && rc == VG_OK; i++)
		if (strcmp(d->index[i]->product_id, d->index[i - 1]->product_id) == 0)
			rc = problem_at(p, d->index[i]->ptr, "6.1.2", "product id",
					d->index[i]->product_id, "is defined more than once");
	if (rc)
		return rc;

	/* relationships: resolve, then 6.1.1 and 6.1.3 */
	old = feed_ptr_key(&p->c, "relationships");
	for (size_t i = 0; i < d->n_rels && rc == VG_OK; i++) {
		struct csaf_relationship *r = &d->rels[i];
		r->component = csaf_product_find(d, r->product_reference);
		r->platform = csaf_product_find(d, r->relates_to_product_reference);
		k = feed_ptr_idx(&p->c, i);
		size_t k2 = feed_ptr_key(&p->c, "product_reference");
		rc = check_product_ref(p, r->product_reference);
		feed_ptr_pop(&p->c, k2);
		if (rc == VG_OK) {
			k2 = feed_ptr_key(&p->c, "relates_to_product_reference");
			rc = check_product_ref(p, r->relates_to_product_reference);
			feed_ptr_pop(&p->c, k2);
		}
		feed_ptr_pop(&p->c, k);
	}
	for (size_t i = 0; i < d->n_rels && rc == VG_OK; i++) {
		const struct csaf_product *self =
		    csaf_product_find(d, d->rels[i].product->product_id);
		if (self != d->rels[i].product)
			continue; /* a duplicate id: reported as 6.1.2 */
		if (!leads_to(self, self, 0))
			continue;
		k = feed_ptr_idx(&p->c, i);
		rc = problem(p, "6.1.3", "product id", self->product_id,
			     "is defined in terms of itself");
		feed_ptr_pop(&p->c, k);
	}
	feed_ptr_pop(&p->c, old);
	if (rc)
		return rc;

	/* groups: 6.1.5 and 6.1.1 */
	old = feed_ptr_key(&p->c, "product_groups");
	for (size_t i = 0; i < d->n_groups && rc == VG_OK; i++) {
		k = feed_ptr_idx(&p->c, i);
		for (size_t j = 0; j < i && rc == VG_OK; j++)
			if (strcmp(d->groups[i].group_id, d->groups[j].group_id) == 0) {
				size_t k2 = feed_ptr_key(&p->c, "group_id");
				rc = problem(p, "6.1.5", "group id", d->groups[i].group_id,
					     "is defined more than once");
				feed_ptr_pop(&p->c, k2);
			}
		if (rc == VG_OK)
			rc = check_product_list(p, "product_ids", d->groups[i].product_ids,
						d->groups[i].n_product_ids);
		feed_ptr_pop(&p->c, k);
	}
	feed_ptr_pop(&p->c, old);
	return rc;
}

static int parse_product_tree(struct parser *p, const json_t *root)
{
	struct csaf_doc *d = p->d;
	const json_t *pt;
	struct branch_path bp;
	size_t old;
	int rc;

	if ((rc = feed_object(&p->c, root, "product_tree", 0, &pt)))
		return rc;
	old = feed_ptr_key(&p->c, "product_tree");
	memset(&bp, 0, sizeof(bp));
	if (pt && !(rc = parse_branches(p, pt, &bp)) &&
	    !(rc = each(p, pt, "full_product_names", 0, 1000000, 0, NULL, NULL, fpn_item)) &&
	    !(rc = each(p, pt, "relationships", 0, 1000000, sizeof(struct csaf_relationship),
			(void **)&d->rels, &d->n_rels, rel_item)))
		rc = each(p, pt, "product_groups", 0, 1000000, sizeof(struct csaf_group),
			  (void **)&d->groups, &d->n_groups, group_item);
	if (rc == VG_OK)
		rc = index_products(p);
	feed_ptr_pop(&p->c, old);
	return rc;
}

/* ------------------------------------------------------------ vulnerabilities */

static int parse_ids(struct parser *p, const json_t *j, const char *pkey, struct csaf_ids *ids,
		     int groups)
{
	int rc;
	if ((rc = feed_str_list(&p->c, j, pkey, 0, 1000000, &ids->product_ids,
				&ids->n_product_ids)) ||
	    (rc = check_product_list(p, pkey, ids->product_ids, ids->n_product_ids)))
		return rc;
	if (!groups)
		return VG_OK;
	if ((rc = feed_str_list(&p->c, j, "group_ids", 0, 1000000, &ids->group_ids,
				&ids->n_group_ids)))
		return rc;
	return check_group_list(p, "group_ids", ids->group_ids, ids->n_group_ids);
}

static int vid_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_vuln_id *v = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) ||
	    (rc = feed_str(&p->c, j, "system_name", 1, &v->system_name)))
		return rc;
	return feed_str(&p->c, j, "text", 1, &v->text);
}

static int parse_cvss(struct parser *p, const json_t *score, const char *key, int v3,
		      struct csaf_cvss *cv)
{
	const json_t *j;
	size_t old;
	int rc;

	if ((rc = feed_object(&p->c, score, key, 0, &j)) || !j)
		return rc;
	old = feed_ptr_key(&p->c, key);
	cv->present = 1;
	if (!(rc = feed_str(&p->c, j, "version", 1, &cv->version)) &&
	    !(rc = feed_str(&p->c, j, "vectorString", 1, &cv->vector)) &&
	    !(rc = feed_num(&p->c, j, "baseScore", 1, &cv->base_score, NULL)) && v3)
		rc = feed_str(&p->c, j, "baseSeverity", 1, &cv->base_severity);
	if (rc == VG_OK && (cv->base_score < 0 || cv->base_score > 10)) {
		size_t k = feed_ptr_key(&p->c, "baseScore");
		rc = feed_fail(&p->c, "%g is outside 0..10", cv->base_score);
		feed_ptr_pop(&p->c, k);
	}
	feed_ptr_pop(&p->c, old);
	return rc;
}

static int score_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_score *s = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) ||
	    (rc = feed_str_list(&p->c, j, "products", 1, 1000000, &s->products, &s->n_products)) ||
	    (rc = check_product_list(p, "products", s->products, s->n_products)) ||
	    (rc = parse_cvss(p, j, "cvss_v3", 1, &s->cvss_v3)))
		return rc;
	return parse_cvss(p, j, "cvss_v2", 0, &s->cvss_v2);
}

static int remediation_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_remediation *r = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "category", 1, &r->category)) ||
	    (rc = feed_str(&p->c, j, "details", 1, &r->details)) ||
	    (rc = feed_str(&p->c, j, "url", 0, &r->url)) ||
	    (rc = feed_str(&p->c, j, "date", 0, &r->date)))
		return rc;
	return parse_ids(p, j, "product_ids", &r->ids, 1);
}

static int threat_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_threat *t = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "category", 1, &t->category)) ||
	    (rc = feed_str(&p->c, j, "details", 1, &t->details)) ||
	    (rc = feed_str(&p->c, j, "date", 0, &t->date)))
		return rc;
	return parse_ids(p, j, "product_ids", &t->ids, 1);
}

static int flag_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_flag *f = out;
	int rc;
	(void)i;
	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "label", 1, &f->label)) ||
	    (rc = feed_str(&p->c, j, "date", 0, &f->date)))
		return rc;
	return parse_ids(p, j, "product_ids", &f->ids, 1);
}

static int vuln_item(struct parser *p, const json_t *j, size_t i, void *out)
{
	struct csaf_vuln *v = out;
	const json_t *cwe, *ps;
	int rc;
	(void)i;

	if ((rc = need_object(p, j)) || (rc = feed_str(&p->c, j, "cve", 0, &v->cve)) ||
	    (rc = feed_str(&p->c, j, "title", 0, &v->title)) ||
	    (rc = feed_str(&p->c, j, "discovery_date", 0, &v->discovery_date)) ||
	    (rc = feed_str(&p->c, j, "release_date", 0, &v->release_date)) ||
	    (rc = feed_object(&p->c, j, "cwe", 0, &cwe)))
		return rc;
	if (cwe) {
		size_t k = feed_ptr_key(&p->c, "cwe");
		if (!(rc = feed_str(&p->c, cwe, "id", 1, &v->cwe_id)))
			rc = feed_str(&p->c, cwe, "name", 1, &v->cwe_name);
		feed_ptr_pop(&p->c, k);
		if (rc)
			return rc;
	}
	if ((rc = each(p, j, "ids", 0, 10000, sizeof(struct csaf_vuln_id), (void **)&v->ids,
		       &v->n_ids, vid_item)) ||
	    (rc = each(p, j, "notes", 0, 100000, sizeof(struct csaf_note), (void **)&v->notes,
		       &v->n_notes, note_item)) ||
	    (rc = each(p, j, "references", 0, 100000, sizeof(struct csaf_reference),
		       (void **)&v->refs, &v->n_refs, ref_item)) ||
	    (rc = feed_object(&p->c, j, "product_status", 0, &ps)))
		return rc;
	if (ps) {
		size_t k = feed_ptr_key(&p->c, "product_status");
		for (int s = 0; s < CSAF_NSTATUS && rc == VG_OK; s++)
			rc = parse_ids(p, ps, status_names[s], &v->status[s], 0);
		feed_ptr_pop(&p->c, k);
		if (rc)
			return rc;
	}
	if ((rc = each(p, j, "scores", 0, 100000, sizeof(struct csaf_score), (void **)&v->scores,
		       &v->n_scores, score_item)) ||
	    (rc = each(p, j, "remediations", 0, 100000, sizeof(struct csaf_remediation),
		       (void **)&v->remediations, &v->n_remediations, remediation_item)) ||
	    (rc = each(p, j, "threats", 0, 100000, sizeof(struct csaf_threat), (void **)&v->threats,
		       &v->n_threats, threat_item)))
		return rc;
	return each(p, j, "flags", 0, 100000, sizeof(struct csaf_flag), (void **)&v->flags,
		    &v->n_flags, flag_item);
}

/* ------------------------------------------------------------ entry points */

void csaf_doc_free(struct csaf_doc *d)
{
	if (!d)
		return;
	free(d->products);
	free(d->index);
	vg_arena_release(&d->arena);
	free(d);
}

int csaf_parse(const char *data, size_t n, const char *file, struct csaf_doc **out,
	       struct vg_error *err)
{
	struct parser p;
	json_t *root;
	const char *what = file ? file : "(input)";
	int rc;

	*out = NULL;
	if (n > CSAF_MAX_BYTES)
		return vg_error_set(err, VG_ETOOBIG, "%s: CSAF documents are limited to %u bytes",
				    what, CSAF_MAX_BYTES);
	root = vg_json_parse(data, n, what, err);
	if (!root)
		return VG_EPARSE;
	memset(&p, 0, sizeof(p));
	p.d = calloc(1, sizeof(*p.d));
	if (!p.d) {
		json_decref(root);
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", what);
	}
	vg_arena_init(&p.d->arena, CSAF_MAX_MEM);
	feed_ctx_init(&p.c, what, &p.d->arena, err);
	if (!json_is_object(root))
		rc = feed_fail(&p.c, "expected a CSAF document (a JSON object)");
	else if (!(rc = parse_document(&p, root)) && !(rc = parse_product_tree(&p, root)))
		rc = each(&p, root, "vulnerabilities", 0, 100000, sizeof(struct csaf_vuln),
			  (void **)&p.d->vulns, &p.d->n_vulns, vuln_item);
	json_decref(root);
	if (rc != VG_OK) {
		csaf_doc_free(p.d);
		return rc;
	}
	*out = p.d;
	return VG_OK;
}

/* ------------------------------------------------------------ queries */

const char *csaf_product_purl(const struct csaf_product *p)
{
	for (int depth = 0; p && depth <= CSAF_MAX_REL_DEPTH; depth++) {
		if (p->pih.purl)
			return p->pih.purl;
		p = p->rel ? p->rel->component : NULL;
	}
	return NULL;
}

const char *csaf_product_cpe(const struct csaf_product *p)
{
	for (int depth = 0; p && depth <= CSAF_MAX_REL_DEPTH; depth++) {
		if (p->pih.cpe)
			return p->pih.cpe;
		p = p->rel ? p->rel->component : NULL;
	}
	return NULL;
}

const struct csaf_product *csaf_product_platform(const struct csaf_product *p)
{
	return p && p->rel ? p->rel->platform : NULL;
}

int csaf_vuln_foreach(const struct csaf_doc *d, const struct csaf_vuln *v, unsigned mask,
		      csaf_product_cb cb, void *ctx)
{
	for (int s = 0; s < CSAF_NSTATUS; s++) {
		if (!(mask & CSAF_MASK(s)))
			continue;
		for (size_t i = 0; i < v->status[s].n_product_ids; i++) {
			const char *id = v->status[s].product_ids[i];
			int r = cb(ctx, (enum csaf_status)s, id, csaf_product_find(d, id));
			if (r)
				return r;
		}
	}
	return 0;
}

int csaf_ids_foreach(const struct csaf_doc *d, const struct csaf_ids *ids, csaf_id_cb cb, void *ctx)
{
	int r;
	for (size_t i = 0; i < ids->n_product_ids; i++)
		if ((r = cb(ctx, ids->product_ids[i], csaf_product_find(d, ids->product_ids[i]))))
			return r;
	for (size_t g = 0; g < ids->n_group_ids; g++) {
		const struct csaf_group *grp = csaf_group_find(d, ids->group_ids[g]);
		if (!grp)
			continue;
		for (size_t i = 0; i < grp->n_product_ids; i++)
			if ((r = cb(ctx, grp->product_ids[i],
				    csaf_product_find(d, grp->product_ids[i]))))
				return r;
	}
	return 0;
}
