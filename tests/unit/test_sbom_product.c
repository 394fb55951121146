/* sbom's read interface (sbom/product.h): typed products and versions, the
 * views of migration 0013, and their JSON at the edges. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "sbom/inventory.h"
#include "sbom/product.h"
#include "store/store.h"
#include "testdb.h"

struct fx {
	char *url;
	struct store *s;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "%s\n", vg_error_msg(&err));
		return -1;
	}
	store_set_actor(f->s, "test", "local");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	return 0;
}

static const char doc[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":["
    "{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.21\","
    "\"purl\":\"pkg:npm/lodash@4.17.21\"}]}";

static void import(struct store *s, const char *product, const char *version)
{
	struct vg_error err = {0};
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	r.product = product;
	r.version = version;
	r.data = doc;
	r.n = strlen(doc);
	r.filename = "app.json";
	r.create_product = 1;
	if (sbom_import(s, &r, &res, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
}

static void test_read_interface(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct product p;
	struct product_list pl;
	struct product_version v, v2;
	struct product_version_list vl;
	struct sbom_revision r;
	struct product_info info = {.name = "gw", .vendor = "ACME", .cra_class = "important-1"};
	int64_t n = 0;
	json_t *j;

	assert_int_equal(product_create(f->s, &info, &err), VG_OK);
	import(f->s, "gw", "1.0");
	import(f->s, "gw", "1.0");
	import(f->s, "gw", "2");
	import(f->s, "other", "0.1");

	assert_int_equal(product_get(f->s, "gw", &p, &err), VG_OK);
	assert_string_equal(p.name, "gw");
	assert_string_equal(p.vendor, "ACME");
	assert_string_equal(p.cra_class, "important-1");
	assert_null(p.support_until);
	assert_int_equal(p.version_count, 2);
	j = product_to_json(&p);
	assert_string_equal(json_string_value(json_object_get(j, "cra_class")), "important-1");
	assert_int_equal(json_integer_value(json_object_get(j, "versions")), 2);
	assert_true(json_is_null(json_object_get(j, "support_until")));
	json_decref(j);

	{
		struct product q;
		assert_int_equal(product_get_by_id(f->s, p.id, &q, &err), VG_OK);
		assert_string_equal(q.name, "gw");
		product_release(&q);
	}
	{
		struct product q;
		assert_int_equal(product_get(f->s, "nope", &q, &err), VG_ENOTFOUND);
		assert_non_null(strstr(vg_error_msg(&err), "nope"));
		assert_null(q.name);
	}

	assert_int_equal(product_list(f->s, &pl, &err), VG_OK);
	assert_int_equal(pl.n, 2);
	assert_string_equal(pl.items[0].name, "gw");
	assert_string_equal(pl.items[1].name, "other");
	assert_null(pl.items[1].vendor);
	product_list_release(&pl);

	assert_int_equal(product_version_get(f->s, "gw", "1.0", &v, &err), VG_OK);
	assert_string_equal(v.product, "gw");
	assert_string_equal(v.vendor, "ACME");
	assert_string_equal(v.version, "1.0");
	assert_int_equal(v.revisions, 2);
	assert_true(v.latest_sbom_id > 0);
	assert_true(v.last_upload_at > 0);
	assert_int_equal(product_version_get_by_id(f->s, v.id, &v2, &err), VG_OK);
	assert_string_equal(v2.version, "1.0");
	assert_int_equal(v2.latest_sbom_id, v.latest_sbom_id);
	product_version_release(&v2);
	assert_int_equal(product_version_get(f->s, "gw", "9", &v2, &err), VG_ENOTFOUND);

	assert_int_equal(sbom_revision_get(f->s, v.latest_sbom_id, &r, &err), VG_OK);
	assert_int_equal(r.revision, 2);
	assert_int_equal(r.version_id, v.id);
	assert_string_equal(r.product, "gw");
	assert_string_equal(r.format, "cyclonedx");
	assert_int_equal(r.component_count, 1);
	assert_int_equal(r.latest_sbom_id, v.latest_sbom_id);
	sbom_revision_release(&r);
	assert_int_equal(sbom_revision_get(f->s, 4242, &r, &err), VG_ENOTFOUND);

	assert_int_equal(product_version_list(f->s, p.id, &vl, &err), VG_OK);
	assert_int_equal(vl.n, 2);
	assert_string_equal(vl.items[1].version, "2");
	j = product_version_to_json(&vl.items[1]);
	/* a version "2" stays a string */
	assert_string_equal(json_string_value(json_object_get(j, "version")), "2");
	assert_int_equal(json_integer_value(json_object_get(j, "revisions")), 1);
	json_decref(j);
	product_version_list_release(&vl);

	/* The views other rooms join. */
	assert_int_equal(store_query_int64(f->s, &n, &err,
					   "SELECT latest_sbom_id FROM sbom_version_view WHERE "
					   "product = ? AND version = ?",
					   "tt", "gw", "1.0"),
			 VG_OK);
	assert_int_equal(n, v.latest_sbom_id);
	assert_int_equal(
	    store_query_int64(f->s, &n, &err,
			      "SELECT COUNT(*) FROM sbom_component_view c JOIN "
			      "sbom_revision_view s ON s.sbom_id = c.sbom_id JOIN "
			      "sbom_version_view v ON v.version_id = s.version_id WHERE "
			      "v.product = 'gw' AND c.purl = 'pkg:npm/lodash@4.17.21'",
			      ""),
	    VG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_query_int64(f->s, &n, &err,
					   "SELECT COUNT(*) FROM sbom_product_view WHERE vendor = "
					   "'ACME' AND cra_class = 'important-1'",
					   ""),
			 VG_OK);
	assert_int_equal(n, 1);
	product_version_release(&v);
	product_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_interface, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
