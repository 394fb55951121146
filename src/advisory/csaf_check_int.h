/*
 * csaf_check_int.h - inside the CSAF checker (csaf_check.c, the mandatory
 * tests; csaf_check_rec.c, the recommended tests and the CWE names): the
 * walk over the document that both share. Not for other files.
 */
#ifndef VIGIL_ADVISORY_CSAF_CHECK_INT_H
#define VIGIL_ADVISORY_CSAF_CHECK_INT_H

#include "advisory/csaf_check.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

#define CSAF_PATH 512

struct csaf_ctx;
typedef void (*csaf_node_fn)(struct csaf_ctx *x, const json_t *node, const char *path);
typedef void (*csaf_ref_fn)(struct csaf_ctx *x, const char *id, const char *path, int vuln,
			    void *arg);

struct csaf_ctx {
	json_t *doc;
	struct csaf_check_result *r;
	int rc;         /* VG_ENOMEM once memory ran out */
	json_t *defs;   /* product id -> JSON pointer of its definition */
	json_t *groups; /* group id -> the product group */
	json_t *rec;    /* what the recommended tests collect */
	csaf_node_fn product_cb, branch_cb, rec_product_cb;
};

struct csaf_ver {
	int ok, semver, has_build;
	long long major, minor, patch;
	const char *pre; /* pre-release identifiers (not NUL-terminated) */
	size_t pre_len;
};

int csaf_issue(struct csaf_ctx *x, enum csaf_check_kind kind, const char *test, const char *path,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
json_t *csaf_at(const json_t *v, const char *a, const char *b);
void csaf_path(char *out, size_t n, const char *base, const char *key, long idx);
int csaf_date(const char *s, int64_t *out_us);
int csaf_version(const char *s, struct csaf_ver *v);
int csaf_version_cmp(const struct csaf_ver *a, const struct csaf_ver *b);
extern const char *const csaf_status_names[];
void csaf_walk_products(struct csaf_ctx *x);
void csaf_each_product_ref(struct csaf_ctx *x, csaf_ref_fn cb, void *arg);
void csaf_each_group_ref(struct csaf_ctx *x, csaf_ref_fn cb, void *arg);

/* The name of a CWE id in vigil's table of CWE names, NULL when the id is
 * not in it (test 6.1.11 then cannot judge the name). */
const char *csaf_cwe_name(const char *id);

/* csaf_check_rec.c: set up before the product walk, run after the mandatory tests. */
void csaf_rec_prepare(struct csaf_ctx *x);
void csaf_rec_tests(struct csaf_ctx *x);
void csaf_rec_branch(struct csaf_ctx *x, const json_t *branch, const char *path);

#endif
