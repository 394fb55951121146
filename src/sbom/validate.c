/*
 * validate.c - SBOM schema validation (see validate.h for the rules).
 *
 * The compiled schemas live in one process-wide cache guarded by a mutex:
 * one JSON Schema set per CycloneDX version, one XSD per CycloneDX XML
 * version, one set for SPDX 2. A schema that fails to load is not cached, so
 * fixing the configuration works without a restart. The JSON sets and XSDs
 * are read-only once built, so validations run in parallel outside the lock.
 */
#define _POSIX_C_SOURCE 200809L

#include "sbom/validate.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/jscan.h"
#include "core/log.h"
#include "schema/jsonschema.h"
#include "sbom/parse.h"
#include "sbom/sbom_int.h"
#include "sbom/xml.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

#define CDX_MINOR_MAX 7 /* CycloneDX 1.0 .. 1.7 */
#define CDX_BASE_URI  "http://cyclonedx.org/schema/"
#define SPDX23_URI    "urn:vigil:schema:spdx-2.3"
#define SPDX22_URI    "urn:vigil:schema:spdx-2.2"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vg_jsonschema *cdx_json[CDX_MINOR_MAX + 1];
static char cdx_json_uri[CDX_MINOR_MAX + 1][512]; /* its name: base URI + file name */
static xmlSchemaPtr cdx_xsd[CDX_MINOR_MAX + 1];
static char cdx_xsd_path[CDX_MINOR_MAX + 1][512];
/*
 * SPDX 2.x JSON schemas: [0] is 2.2, [1] is 2.3. A 2.2 document is checked
 * against the official 2.2 schema when it is installed (spdx-2.2-schema.json,
 * copied by the build from spdx-spec v2.2.x when it was given one), else
 * against the 2.3 schema, which v->schema then names.
 */
static struct vg_jsonschema *spdx2_json[2];
static char spdx2_name[2][128]; /* their file names */
static int spdx2_tried[2];      /* looked for once: absent stays absent */
static struct vg_jsonschema *spdx3_json;
static char spdx3_name[128];
#define SPDX3_URI     "urn:vigil:schema:spdx-3.0.1"
#define SPDX3_CONTEXT "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"

void sbom_validate_cleanup(void)
{
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i <= CDX_MINOR_MAX; i++) {
		vg_jsonschema_free(cdx_json[i]);
		cdx_json[i] = NULL;
		if (cdx_xsd[i])
			xmlSchemaFree(cdx_xsd[i]);
		cdx_xsd[i] = NULL;
	}
	for (int i = 0; i < 2; i++) {
		vg_jsonschema_free(spdx2_json[i]);
		spdx2_json[i] = NULL;
		spdx2_tried[i] = 0;
	}
	vg_jsonschema_free(spdx3_json);
	spdx3_json = NULL;
	pthread_mutex_unlock(&cache_lock);
}

/* sbom.schema_dir, else the CycloneDX schemas vigil ships (vg_jsonschema_dir). */
static const char *schema_dir(char *buf, size_t size)
{
	const char *dir = vg_config_get("sbom.schema_dir", NULL);
	if (dir && *dir)
		return dir;
	vg_jsonschema_dir("cyclonedx", buf, size);
	return buf;
}

/* The first of the names that exists in dir, into path; 0 when none does. */
static int find_file(const char *dir, const char *const *names, char *path, size_t size)
{
	for (size_t i = 0; names[i]; i++) {
		snprintf(path, size, "%s/%s", dir, names[i]);
		if (access(path, R_OK) == 0)
			return 1;
	}
	return 0;
}

/* The file name of path: what messages and results name a schema by. The
 * server's folders are for its log only. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * Add the schema file at path as uri. A file that does not load is a fault
 * of the installation: the log gets the path and the reason, the caller a
 * message that names the schema by its name and the setting to look at.
 */
static int add_schema_file(struct vg_jsonschema *s, const char *path, const char *uri,
			   const char *key, struct vg_error *err)
{
	struct vg_error e = {0};
	int rc = vg_jsonschema_add_file(s, path, uri, &e);
	if (!rc)
		return VG_OK;
	vg_warn("schema %s: %s", path, vg_error_msg(&e));
	if (rc == VG_ENOMEM)
		return vg_error_set(err, rc, "schema %s: out of memory", uri);
	return vg_error_set(err, VG_EINTERNAL,
			    "schema %s (%s): not usable: the installed file is damaged "
			    "(%s; the server log names the file)",
			    uri, base_name(path), key);
}

static int add_cdx_file(struct vg_jsonschema *s, const char *path, struct vg_error *err)
{
	char uri[512];
	/* The bom schemas refer to their companions by file name, relative to their $id. */
	snprintf(uri, sizeof(uri), CDX_BASE_URI "%s", base_name(path));
	return add_schema_file(s, path, uri, "sbom.schema_dir", err);
}

/* Build (or find cached) the JSON Schema set of CycloneDX 1.<minor>. Under cache_lock. */
static int cdx_json_set(int minor, struct vg_error *err)
{
	char dirbuf[512], bom[512], name1[64], name2[64], path[512];
	const char *dir = schema_dir(dirbuf, sizeof(dirbuf));
	const char *bom_names[] = {name1, name2, NULL};
	static const char *const companions[][3] = {
	    {"spdx.SNAPSHOT.schema.json", "spdx.schema.json", NULL},
	    {"jsf-0.82.SNAPSHOT.schema.json", "jsf-0.82.schema.json", NULL},
	    {"cryptography-defs.SNAPSHOT.schema.json", "cryptography-defs.schema.json", NULL},
	};
	struct vg_jsonschema *s = NULL;
	int rc;

	if (cdx_json[minor])
		return VG_OK;
	snprintf(name1, sizeof(name1), "bom-1.%d.SNAPSHOT.schema.json", minor);
	snprintf(name2, sizeof(name2), "bom-1.%d.schema.json", minor);
	if (!find_file(dir, bom_names, bom, sizeof(bom))) {
		vg_warn("CycloneDX 1.%d JSON schema: neither %s nor %s in %s", minor, name1, name2,
			dir);
		return vg_error_set(err, VG_ENOTFOUND,
				    "CycloneDX 1.%d JSON schema (%s) is not installed (set "
				    "sbom.schema_dir or VIGIL_SBOM_SCHEMA_DIR; the log names the "
				    "folder searched)",
				    minor, name2);
	}
	if ((rc = vg_jsonschema_new(VG_JSONSCHEMA_DRAFT7, &s, err)))
		return rc;
	if ((rc = add_cdx_file(s, bom, err)))
		goto fail;
	for (size_t i = 0; i < sizeof(companions) / sizeof(companions[0]); i++)
		if (find_file(dir, companions[i], path, sizeof(path)) &&
		    (rc = add_cdx_file(s, path, err)))
			goto fail;
	cdx_json[minor] = s;
	snprintf(cdx_json_uri[minor], sizeof(cdx_json_uri[minor]), CDX_BASE_URI "%s",
		 base_name(bom));
	return VG_OK;
fail:
	vg_jsonschema_free(s);
	return rc;
}

static int cdx_xsd_load(int minor, struct vg_error *err)
{
	char dirbuf[512], path[512], name1[64], name2[64];
	const char *dir = schema_dir(dirbuf, sizeof(dirbuf));
	const char *names[] = {name1, name2, NULL};

	if (cdx_xsd[minor])
		return VG_OK;
	snprintf(name1, sizeof(name1), "bom-1.%d.SNAPSHOT.xsd", minor);
	snprintf(name2, sizeof(name2), "bom-1.%d.xsd", minor);
	if (!find_file(dir, names, path, sizeof(path)))
		return vg_error_set(err, VG_ENOTFOUND,
				    "CycloneDX 1.%d XSD: neither %s nor %s in %s (set "
				    "sbom.schema_dir or VIGIL_SBOM_SCHEMA_DIR)",
				    minor, name1, name2, dir);
	/* the one place that lets libxml2 read files (the XSD and its imports) */
	cdx_xsd[minor] = sbom_xml_schema_load(path);
	if (!cdx_xsd[minor])
		return vg_error_set(err, VG_EINVAL, "%s: not a usable XML schema", path);
	snprintf(cdx_xsd_path[minor], sizeof(cdx_xsd_path[minor]), "%s", path);
	return VG_OK;
}

/*
 * VG_OK with spdx2_json[i] set (i: 0 for 2.2, 1 for 2.3), VG_OK with it NULL
 * (not installed), or an error. The 2.3 schema is required once a schema
 * folder exists; the 2.2 one is optional.
 */
static int spdx2_set(int i, struct vg_error *err)
{
	const char *dir = vg_config_get("sbom.spdx_schema_dir", NULL);
	char dirbuf[512], path[512];
	static const char *const names23[] = {"spdx-schema.json", "spdx-2.3-schema.json", NULL};
	static const char *const names22[] = {"spdx-2.2-schema.json", NULL};
	struct vg_jsonschema *s = NULL;
	int rc;

	if (spdx2_json[i] || spdx2_tried[i])
		return VG_OK;
	if (!dir || !*dir) /* installed with vigil only when the build was given them */
		dir = vg_jsonschema_dir("spdx", dirbuf, sizeof(dirbuf));
	if (!dir)
		return VG_OK;
	if (!find_file(dir, i ? names23 : names22, path, sizeof(path))) {
		if (!i) {
			spdx2_tried[i] = 1;
			return VG_OK;
		}
		vg_warn("SPDX 2.3 JSON schema: no spdx-schema.json in %s", dir);
		return vg_error_set(err, VG_ENOTFOUND,
				    "SPDX 2.3 JSON schema (spdx-schema.json) is not installed "
				    "(sbom.spdx_schema_dir; the log names the folder searched)");
	}
	/* Each names its draft in "$schema" (2.2: draft 7; 2.3: 2019-09). */
	if ((rc = vg_jsonschema_new(VG_JSONSCHEMA_DRAFT2019_09, &s, err)))
		return rc;
	if ((rc = add_schema_file(s, path, i ? SPDX23_URI : SPDX22_URI, "sbom.spdx_schema_dir",
				  err))) {
		vg_jsonschema_free(s);
		return rc;
	}
	spdx2_json[i] = s;
	snprintf(spdx2_name[i], sizeof(spdx2_name[i]), "%s", base_name(path));
	return VG_OK;
}

/* VG_OK with spdx3_json set, VG_OK with it NULL (not installed), or an error. */
static int spdx3_set(struct vg_error *err)
{
	const char *dir = vg_config_get("sbom.spdx_schema_dir", NULL);
	char dirbuf[512], path[512];
	static const char *const names[] = {"spdx-3.0.1-schema.json", NULL};
	struct vg_jsonschema *s = NULL;
	int rc;

	if (spdx3_json)
		return VG_OK;
	if (!dir || !*dir)
		dir = vg_jsonschema_dir("spdx", dirbuf, sizeof(dirbuf));
	if (!dir)
		return VG_OK;
	if (!find_file(dir, names, path, sizeof(path))) {
		vg_warn("SPDX 3.0.1 JSON schema: no spdx-3.0.1-schema.json in %s", dir);
		return vg_error_set(
		    err, VG_ENOTFOUND,
		    "SPDX 3.0.1 JSON schema (spdx-3.0.1-schema.json) is not installed "
		    "(sbom.spdx_schema_dir; the log names the folder searched)");
	}
	if ((rc = vg_jsonschema_new(VG_JSONSCHEMA_DRAFT2020_12, &s, err)))
		return rc;
	if ((rc = add_schema_file(s, path, SPDX3_URI, "sbom.spdx_schema_dir", err))) {
		vg_jsonschema_free(s);
		return rc;
	}
	spdx3_json = s;
	snprintf(spdx3_name, sizeof(spdx3_name), "%s", base_name(path));
	return VG_OK;
}

/* ------------------------------------------------------------ results */

/*
 * Whether an error leaves the document without meaning (issue 14): every
 * error that is not a schema's (unparseable, unknown format or version, a
 * DTD, a parser's refusal) and the schema errors that say a document has no
 * creation time, creator or identity, or an element has no id.
 */
static int fatal_error(const char *pointer, const char *schema, const char *msg)
{
	static const char *const props[] = {"expected property \"creationInfo\"",
					    "expected property \"created\"",
					    "expected property \"creators\"",
					    "expected property \"SPDXID\"",
					    "expected property \"documentNamespace\"",
					    "expected property \"spdxVersion\"",
					    "expected property \"spdxId\"",
					    "expected property \"bomFormat\"",
					    "expected property \"specVersion\"",
					    NULL};
	if (!schema)
		return 1;
	for (size_t i = 0; props[i]; i++)
		if (!strcmp(msg, props[i]))
			return 1;
	/* a null where an element belongs: an element with no id */
	if (pointer && !strcmp(msg, "expected type object, got null")) {
		static const char *const arrays[] = {"/packages/", "/files/", "/snippets/",
						     "/@graph/", NULL};
		for (size_t i = 0; arrays[i]; i++) {
			size_t l = strlen(arrays[i]);
			if (!strncmp(pointer, arrays[i], l) && pointer[l] &&
			    strspn(pointer + l, "0123456789") == strlen(pointer + l))
				return 1;
		}
	}
	return 0;
}

static int add_error(struct sbom_validation *v, const char *pointer, int line, const char *schema,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int add_error(struct sbom_validation *v, const char *pointer, int line, const char *schema,
		     const char *fmt, ...)
{
	struct sbom_validation_error *e;
	struct vg_buf m = VG_BUF_INIT;
	va_list ap;
	int rc;

	v->valid = 0;
	if (v->n_errors >= SBOM_VALIDATE_MAX_ERRORS) {
		v->n_dropped++;
		return VG_OK;
	}
	if (!v->errors) {
		v->errors = calloc(SBOM_VALIDATE_MAX_ERRORS, sizeof(*v->errors));
		if (!v->errors)
			return VG_ENOMEM;
	}
	va_start(ap, fmt);
	rc = vg_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	e = &v->errors[v->n_errors];
	e->line = line;
	e->pointer = pointer ? strdup(pointer) : NULL;
	e->schema = schema ? strdup(schema) : NULL;
	if (rc || (pointer && !e->pointer) || (schema && !e->schema)) {
		free(e->pointer);
		free(e->schema);
		vg_buf_release(&m);
		memset(e, 0, sizeof(*e));
		return VG_ENOMEM;
	}
	e->message = vg_buf_detach(&m, NULL);
	e->fatal = fatal_error(pointer, schema, e->message);
	v->n_fatal += e->fatal ? 1 : 0;
	v->n_errors++;
	return VG_OK;
}

void sbom_validation_release(struct sbom_validation *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n_errors; i++) {
		free(v->errors[i].pointer);
		free(v->errors[i].schema);
		free(v->errors[i].message);
	}
	free(v->errors);
	v->errors = NULL;
	v->n_errors = 0;
	v->n_dropped = 0;
	v->n_fatal = 0;
}

int sbom_policy_parse(const char *s, enum sbom_policy *out, struct vg_error *err)
{
	if (s && !strcmp(s, "strict"))
		*out = SBOM_POLICY_STRICT;
	else if (s && !strcmp(s, "standard"))
		*out = SBOM_POLICY_STANDARD;
	else
		return vg_error_set(err, VG_EINVAL, "policy: expected strict or standard, got %s",
				    s ? s : "nothing");
	return VG_OK;
}

const char *sbom_policy_name(enum sbom_policy p)
{
	return p == SBOM_POLICY_STRICT ? "strict" : "standard";
}

int sbom_validation_error_text(const struct sbom_validation *v, size_t i, struct vg_buf *b)
{
	const struct sbom_validation_error *e;
	if (i >= v->n_errors)
		return VG_EINVAL;
	e = &v->errors[i];
	if (e->pointer)
		return vg_buf_addf(b, "%s: %s: %s", v->filename, *e->pointer ? e->pointer : "/",
				   e->message);
	if (e->line > 0)
		return vg_buf_addf(b, "%s: line %d: %s", v->filename, e->line, e->message);
	return vg_buf_addf(b, "%s: %s", v->filename, e->message);
}

json_t *sbom_validation_to_json(const struct sbom_validation *v)
{
	json_t *o = json_object(), *errs = json_array();
	int rc = 0;
	if (!o || !errs)
		goto fail;
	rc |= vg_json_set_str(o, "file", v->filename);
	rc |= vg_json_set_str(o, "format", v->format ? sbom_format_name(v->format) : NULL);
	rc |= vg_json_set_str(o, "encoding", v->encoding ? sbom_encoding_name(v->encoding) : NULL);
	rc |= vg_json_set_str(o, "spec_version", *v->spec_version ? v->spec_version : NULL);
	rc |= json_object_set_new(o, "valid", json_boolean(v->valid));
	rc |= json_object_set_new(o, "schema_checked", json_boolean(v->schema_checked));
	rc |= vg_json_set_str(o, "schema", *v->schema ? v->schema : NULL);
	for (size_t i = 0; i < v->n_errors && !rc; i++) {
		const struct sbom_validation_error *e = &v->errors[i];
		json_t *je = json_object();
		if (!je)
			goto fail;
		if (e->pointer)
			rc |= vg_json_set_str(je, "pointer", e->pointer);
		if (e->line > 0)
			rc |= json_object_set_new(je, "line", json_integer(e->line));
		if (e->schema)
			rc |= vg_json_set_str(je, "schema", e->schema);
		rc |= json_object_set_new(je, "fatal", json_boolean(e->fatal));
		rc |= vg_json_set_str(je, "message", e->message);
		rc |= json_array_append_new(errs, je);
	}
	rc |= json_object_set_new(o, "errors", errs);
	errs = NULL;
	rc |= json_object_set_new(o, "errors_dropped", json_integer((json_int_t)v->n_dropped));
	if (rc)
		goto fail;
	return o;
fail:
	json_decref(errs);
	json_decref(o);
	return NULL;
}

/* --------------------------------------------------------- detection */

/*
 * Validate doc against the schema named uri. For a part of the document,
 * ipfx is its JSON pointer and spfx the keyword location of uri, which are
 * put in front of the places reported (both NULL for the whole document).
 */
static int json_validate(const struct vg_jsonschema *s, const char *uri, const json_t *doc,
			 const char *ipfx, const char *spfx, struct sbom_validation *v,
			 struct vg_error *err)
{
	struct vg_jsonschema_result res;
	size_t room = v->n_errors < SBOM_VALIDATE_MAX_ERRORS
			  ? SBOM_VALIDATE_MAX_ERRORS - v->n_errors
			  : 1; /* one, to learn the verdict; add_error() counts it as dropped */
	struct vg_jsonschema_opts o = {
	    .max_errors = room, .assert_format = 1, .instance_prefix = ipfx};
	int rc = vg_jsonschema_validate(s, uri, doc, &o, &res, err);
	if (rc) {
		vg_error_prefix(err, "%s", v->filename);
		vg_jsonschema_result_release(&res);
		return rc;
	}
	v->schema_checked = 1;
	for (size_t i = 0; i < res.n_errors && !rc; i++) {
		char sch[1024];
		const char *sp = res.errors[i].schema;
		if (spfx) {
			snprintf(sch, sizeof(sch), "%s%s", spfx, sp);
			sp = sch;
		}
		rc = add_error(v, res.errors[i].instance, 0, sp, "%s", res.errors[i].message);
	}
	v->n_dropped += res.n_dropped;
	if (!res.valid)
		v->valid = 0;
	vg_jsonschema_result_release(&res);
	return rc;
}

/* ------------------------------------------- large CycloneDX JSON in parts */

/*
 * A tree of a whole large SBOM costs about ten times the file in memory, and
 * nearly all of it is the top-level "components" and "dependencies" arrays.
 * When the schema allows it (those arrays are checked only by "type",
 * "uniqueItems" and "items"), the document is validated as a skeleton with
 * the two arrays emptied, then item by item against the "items" schema, one
 * small tree at a time; uniqueItems is checked with a hash of each item and
 * an exact comparison of the items whose hashes are equal. Instance pointers
 * and keyword locations read as they would for the whole tree.
 */
#define SPLIT_ARRAYS 2

static const char *const split_names[SPLIT_ARRAYS] = {"components", "dependencies"};

struct split_arr {
	const char *name; /* NULL: not in the document (or not an array) */
	size_t open;      /* offset of its '[' */
	size_t close;     /* offset of its ']' */
	size_t *off, *len;
	size_t n, cap;
};

struct split {
	struct split_arr a[SPLIT_ARRAYS];
	int found;
};

static void split_release(struct split *sp)
{
	for (int i = 0; i < SPLIT_ARRAYS; i++) {
		free(sp->a[i].off);
		free(sp->a[i].len);
	}
	memset(sp, 0, sizeof(*sp));
}

static int split_push(struct split_arr *a, size_t off, size_t len)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 1024;
		size_t *o = realloc(a->off, nc * sizeof(*o));
		if (!o)
			return VG_ENOMEM;
		a->off = o;
		size_t *l = realloc(a->len, nc * sizeof(*l));
		if (!l)
			return VG_ENOMEM;
		a->len = l;
		a->cap = nc;
	}
	a->off[a->n] = off;
	a->len[a->n] = len;
	a->n++;
	return VG_OK;
}

/*
 * Find the item spans of the split arrays of a top-level object. 1 when at
 * least one was found, 0 when the document is not for splitting (or not
 * well-formed: the whole-tree parser then says where), VG_ENOMEM as -1.
 */
static int split_scan(const char *data, size_t n, struct split *sp)
{
	struct vg_jscan js;
	struct vg_jstr key;
	int r;

	memset(sp, 0, sizeof(*sp));
	vg_jscan_init(&js, data, n, VG_JSON_MAX_DEPTH);
	if (vg_jscan_object(&js))
		return 0;
	while ((r = vg_jscan_key(&js, &key)) == 1) {
		struct split_arr *a = NULL;
		for (int i = 0; i < SPLIT_ARRAYS; i++)
			if (!key.escaped && vg_jstr_eq(&key, split_names[i]))
				a = &sp->a[i];
		if (!a || a->name || vg_jscan_peek(&js) != VG_JT_ARRAY) {
			/* a repeated key stays in the skeleton, whose parser refuses it */
			if (vg_jscan_skip(&js))
				return 0;
			continue;
		}
		a->name = split_names[a - sp->a];
		a->open = (size_t)(js.p - data);
		if (vg_jscan_array(&js))
			return 0;
		while ((r = vg_jscan_item(&js)) == 1) {
			size_t at;
			if (vg_jscan_peek(&js) == VG_JT_ERROR)
				return 0;
			at = (size_t)(js.p - data);
			if (vg_jscan_skip(&js))
				return 0;
			if (split_push(a, at, (size_t)(js.p - data) - at))
				return -1;
		}
		if (r < 0)
			return 0;
		a->close = (size_t)(js.p - data) - 1;
		sp->found = 1;
	}
	if (r < 0 || vg_jscan_end(&js))
		return 0;
	return sp->found;
}

/* The document without the items of the split arrays, into b. */
static int split_skeleton(const char *data, size_t n, const struct split *sp, struct vg_buf *b)
{
	size_t at = 0;
	int rc = VG_OK;
	for (;;) {
		const struct split_arr *next = NULL;
		for (int i = 0; i < SPLIT_ARRAYS; i++)
			if (sp->a[i].name && sp->a[i].open >= at &&
			    (!next || sp->a[i].open < next->open))
				next = &sp->a[i];
		if (!next)
			break;
		rc |= vg_buf_add(b, data + at, next->open + 1 - at);
		at = next->close;
	}
	rc |= vg_buf_add(b, data + at, n - at);
	return rc ? VG_ENOMEM : VG_OK;
}

/* 1 when the schema at uri lets the split arrays be validated item by item. */
static int split_allowed(const struct vg_jsonschema *s, const char *uri, const struct split *sp)
{
	static const char *const root_kw[] = {
	    "$schema",    "$id",         "type",     "title",
	    "$comment",   "description", "required", "additionalProperties",
	    "properties", "definitions", "$defs",    NULL};
	static const char *const arr_kw[] = {"type",        "items",    "uniqueItems", "title",
					     "description", "$comment", NULL};
	const json_t *root = vg_jsonschema_node(s, uri), *props, *v;
	const char *k;

	if (!json_is_object(root) || !json_is_object(props = json_object_get(root, "properties")))
		return 0;
	json_object_foreach((json_t *)root, k, v)
	{
		size_t i = 0;
		while (root_kw[i] && strcmp(root_kw[i], k))
			i++;
		if (!root_kw[i])
			return 0;
	}
	for (int a = 0; a < SPLIT_ARRAYS; a++) {
		const json_t *arr = json_object_get(props, split_names[a]);
		if (!sp->a[a].name)
			continue;
		const char *type = json_string_value(json_object_get(arr, "type"));
		if (!json_is_object(arr) || !type || strcmp(type, "array") ||
		    !json_object_get(arr, "items"))
			return 0;
		json_object_foreach((json_t *)arr, k, v)
		{
			size_t i = 0;
			while (arr_kw[i] && strcmp(arr_kw[i], k))
				i++;
			if (!arr_kw[i])
				return 0;
		}
	}
	return 1;
}

static int add_parse_error(struct sbom_validation *v, const char *where,
			   const struct vg_error *perr)
{
	/* perr.msg already starts with the file name */
	const char *msg = perr->msg;
	size_t fl = strlen(v->filename);
	if (!strncmp(msg, v->filename, fl) && msg[fl] == ':')
		msg += fl + 2;
	if (where)
		return add_error(v, NULL, 0, NULL, "%s: %s", where, msg);
	return add_error(v, NULL, 0, NULL, "%s", msg);
}

struct item_hash {
	uint64_t h;
	size_t i;
};

static int item_hash_cmp(const void *a, const void *b)
{
	const struct item_hash *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* 1 when items i and j of a are equal, 0 not, -1 they do not parse. */
static int items_equal(const char *data, const struct split_arr *a, size_t i, size_t j)
{
	json_t *x = vg_json_parse(data + a->off[i], a->len[i], "item", NULL);
	json_t *y = vg_json_parse(data + a->off[j], a->len[j], "item", NULL);
	int eq = x && y ? vg_jsonschema_equal(x, y) : -1;
	json_decref(x);
	json_decref(y);
	return eq;
}

/*
 * Validate the items of split array a against uri's "items"; unique ones if
 * the schema says. Each item is validated from its text (no jansson tree),
 * with one scratch for the whole array.
 */
static int validate_items(const struct vg_jsonschema *s, const char *uri, const char *data,
			  const struct split_arr *a, struct sbom_validation *v,
			  struct vg_error *err)
{
	char iuri[700], spfx[128], ipfx[96], arrptr[64];
	const json_t *arr;
	struct item_hash *h = NULL;
	struct vg_jsonschema_scratch *x;
	int rc = VG_OK;

	snprintf(iuri, sizeof(iuri), "%s#/properties/%s", uri, a->name);
	arr = vg_jsonschema_node(s, iuri);
	if (!arr)
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", v->filename);
	snprintf(iuri, sizeof(iuri), "%s#/properties/%s/items", uri, a->name);
	snprintf(spfx, sizeof(spfx), "/properties/%s/items", a->name);
	snprintf(arrptr, sizeof(arrptr), "/%s", a->name);
	if (!(x = vg_jsonschema_scratch_new()))
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", v->filename);
	if (json_is_true(json_object_get(arr, "uniqueItems")) && a->n > 1 &&
	    !(h = malloc(a->n * sizeof(*h)))) {
		vg_jsonschema_scratch_free(x);
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", v->filename);
	}
	for (size_t i = 0; i < a->n && !rc; i++) {
		struct vg_jsonschema_result res;
		struct vg_error perr = {0};
		size_t room =
		    v->n_errors < SBOM_VALIDATE_MAX_ERRORS
			? SBOM_VALIDATE_MAX_ERRORS - v->n_errors
			: 1; /* one, to learn the verdict; add_error() counts it dropped */
		struct vg_jsonschema_opts o = {
		    .max_errors = room, .assert_format = 1, .instance_prefix = ipfx};
		uint64_t hv = 0;

		snprintf(ipfx, sizeof(ipfx), "/%s/%zu", a->name, i);
		rc = vg_jsonschema_validate_text(s, iuri, data + a->off[i], a->len[i], &o, x,
						 h ? &hv : NULL, &res, &perr);
		if (rc == VG_EPARSE) {
			/* malformed inside an item (jscan does not check all the parser
			 * does): like a whole-tree parse, that is the one error reported */
			vg_jsonschema_result_release(&res);
			sbom_validation_release(v);
			v->schema_checked = 0;
			rc = add_error(v, NULL, 0, NULL, "%s (the item at byte %zu): %s", ipfx,
				       a->off[i], perr.msg);
			free(h);
			vg_jsonschema_scratch_free(x);
			return rc ? rc : VG_EPARSE;
		}
		if (rc) {
			vg_jsonschema_result_release(&res);
			if (err)
				*err = perr;
			vg_error_prefix(err, "%s", v->filename);
			break;
		}
		v->schema_checked = 1;
		for (size_t e = 0; e < res.n_errors && !rc; e++) {
			char sch[1024];
			snprintf(sch, sizeof(sch), "%s%s", spfx, res.errors[e].schema);
			rc = add_error(v, res.errors[e].instance, 0, sch, "%s",
				       res.errors[e].message);
		}
		v->n_dropped += res.n_dropped;
		if (!res.valid)
			v->valid = 0;
		vg_jsonschema_result_release(&res);
		if (h) {
			h[i].h = hv;
			h[i].i = i;
		}
	}
	vg_jsonschema_scratch_free(x);
	if (h && !rc) {
		int dup = 0;
		qsort(h, a->n, sizeof(*h), item_hash_cmp);
		for (size_t p = 0; p < a->n && !dup && !rc; p++)
			for (size_t q = p + 1; q < a->n && h[q].h == h[p].h; q++) {
				int eq = items_equal(data, a, h[p].i, h[q].i);
				if (eq < 0) {
					rc = vg_error_set(err, VG_ENOMEM, "%s: out of memory",
							  v->filename);
					break;
				}
				if (eq) {
					size_t lo = h[p].i < h[q].i ? h[p].i : h[q].i;
					size_t hi = h[p].i < h[q].i ? h[q].i : h[p].i;
					snprintf(spfx, sizeof(spfx), "/properties/%s/uniqueItems",
						 a->name);
					rc = add_error(v, arrptr, 0, spfx,
						       "expected unique items, items %zu and %zu "
						       "are equal",
						       lo, hi);
					dup = 1;
					break;
				}
			}
	}
	free(h);
	return rc;
}

static int is_cyclonedx(const json_t *doc)
{
	return json_object_get(doc, "bomFormat") ||
	       (json_object_get(doc, "specVersion") && !json_object_get(doc, "spdxVersion"));
}

static int validate_json(const char *data, size_t n, struct sbom_validation *v,
			 struct vg_error *err)
{
	struct vg_error perr = {0};
	struct split sp;
	json_t *doc = NULL;
	const json_t *jv;
	int rc = VG_OK, split = split_scan(data, n, &sp);

	if (split < 0) {
		split_release(&sp);
		return VG_ENOMEM;
	}
	if (split) {
		struct vg_buf skel = VG_BUF_INIT;
		if (split_skeleton(data, n, &sp, &skel)) {
			vg_buf_release(&skel);
			split_release(&sp);
			return VG_ENOMEM;
		}
		doc = vg_json_parse(skel.data, skel.len, v->filename, NULL);
		vg_buf_release(&skel);
		if (!doc || !json_is_object(doc) || !is_cyclonedx(doc)) {
			json_decref(doc);
			doc = NULL;
			split = 0;
		}
	}
	if (!split)
		split_release(&sp);
whole:
	if (!doc)
		doc = vg_json_parse(data, n, v->filename, &perr);
	if (!doc)
		return add_parse_error(v, NULL, &perr);
	if (!json_is_object(doc)) {
		rc = add_error(v, "", 0, NULL, "expected a JSON object at the top, got %s",
			       json_is_array(doc) ? "an array" : "a scalar");
		goto out;
	}
	v->encoding = SBOM_ENC_JSON;
	if (is_cyclonedx(doc)) {
		const char *sv = json_string_value(json_object_get(doc, "specVersion"));
		int minor;
		v->format = SBOM_FORMAT_CYCLONEDX;
		if (!sv || strlen(sv) != 3 || strncmp(sv, "1.", 2) || sv[2] < '2' ||
		    sv[2] > '0' + CDX_MINOR_MAX) {
			rc = add_error(v, "/specVersion", 0, NULL,
				       "expected a CycloneDX spec version 1.2 to 1.%d, got %s",
				       CDX_MINOR_MAX, sv ? sv : "no string");
			goto out;
		}
		snprintf(v->spec_version, sizeof(v->spec_version), "%s", sv);
		minor = sv[2] - '0';
		pthread_mutex_lock(&cache_lock);
		rc = cdx_json_set(minor, err);
		pthread_mutex_unlock(&cache_lock);
		if (rc)
			goto out;
		snprintf(v->schema, sizeof(v->schema), "%s", cdx_json_uri[minor]);
		{
			const char *uri = cdx_json_uri[minor];
			if (split && !split_allowed(cdx_json[minor], uri, &sp)) {
				/* a schema that looks at the arrays as a whole: whole tree */
				split_release(&sp);
				split = 0;
				json_decref(doc);
				doc = NULL;
				goto whole;
			}
			rc = json_validate(cdx_json[minor], uri, doc, NULL, NULL, v, err);
			for (int i = 0; split && i < SPLIT_ARRAYS && !rc; i++)
				if (sp.a[i].name)
					rc = validate_items(cdx_json[minor], uri, data, &sp.a[i], v,
							    err);
		}
	} else if ((jv = json_object_get(doc, "spdxVersion"))) {
		const char *sv = json_string_value(jv);
		v->format = SBOM_FORMAT_SPDX;
		if (!sv || (strcmp(sv, "SPDX-2.2") && strcmp(sv, "SPDX-2.3"))) {
			char *t = vg_json_canonical(jv);
			rc = add_error(v, "/spdxVersion", 0, NULL,
				       "expected \"SPDX-2.2\" or \"SPDX-2.3\", got %s",
				       t ? t : "another value");
			free(t);
			goto out;
		}
		snprintf(v->spec_version, sizeof(v->spec_version), "%s", sv + 5);
		int k = strcmp(sv, "SPDX-2.2") == 0 ? 0 : 1;
		pthread_mutex_lock(&cache_lock);
		rc = spdx2_set(k, err);
		if (!rc && k == 0 && !spdx2_json[0]) { /* 2.2 without its own schema: 2.3's */
			k = 1;
			rc = spdx2_set(k, err);
		}
		pthread_mutex_unlock(&cache_lock);
		if (rc || !spdx2_json[k])
			goto out;
		snprintf(v->schema, sizeof(v->schema), "%s", spdx2_name[k]);
		rc = json_validate(spdx2_json[k], k ? SPDX23_URI : SPDX22_URI, doc, NULL, NULL, v,
				   err);
	} else if ((jv = json_object_get(doc, "@context"))) {
		/* SPDX 3: the context names the version */
		const char *ctx = json_string_value(jv);
		v->format = SBOM_FORMAT_SPDX;
		v->encoding = SBOM_ENC_JSONLD;
		if (json_is_array(jv)) {
			size_t i;
			const json_t *e;
			json_array_foreach(jv, i,
					   e) if (json_is_string(e) &&
						  strstr(json_string_value(e), "spdx.org/rdf/"))
			    ctx = json_string_value(e);
		}
		if (!ctx || !strstr(ctx, "spdx.org/rdf/3.0.1/")) {
			rc = add_error(v, "/@context", 0, NULL,
				       "expected the SPDX 3.0.1 context "
				       "https://spdx.org/rdf/3.0.1/spdx-context.jsonld, got %s",
				       ctx ? ctx : "no SPDX context");
			goto out;
		}
		snprintf(v->spec_version, sizeof(v->spec_version), "3.0.1");
		if (!json_is_array(json_object_get(doc, "@graph"))) {
			rc = add_error(v, "/@graph", 0, NULL, "expected an array of elements");
			goto out;
		}
		pthread_mutex_lock(&cache_lock);
		rc = spdx3_set(err);
		pthread_mutex_unlock(&cache_lock);
		if (rc || !spdx3_json)
			goto out;
		/* an element with no id means nothing (refused under every policy) */
		{
			static const char *const idless[] = {"CreationInfo",
							     "Hash",
							     "PackageVerificationCode",
							     "ExternalIdentifier",
							     "ExternalRef",
							     "ExternalMap",
							     "NamespaceMap",
							     "DictionaryEntry",
							     "PositiveIntegerRange",
							     NULL};
			const json_t *g = json_object_get(doc, "@graph"), *e;
			size_t gi;
			json_array_foreach(g, gi, e)
			{
				const char *ty = json_string_value(json_object_get(e, "type"));
				int exempt = !ty;
				for (size_t k = 0; ty && idless[k] && !exempt; k++)
					exempt = !strcmp(ty, idless[k]);
				if (!exempt && !json_object_get(e, "spdxId") &&
				    !json_object_get(e, "@id")) {
					char ptr[64];
					snprintf(ptr, sizeof(ptr), "/@graph/%zu", gi);
					if ((rc = add_error(v, ptr, 0, NULL,
							    "expected spdxId: a %s element with no "
							    "id",
							    ty)))
						goto out;
				}
			}
		}
		/* the documented array form of @context (the SPDX context and local
		 * terms) means the same as the URL the schema names */
		if (json_is_array(jv) &&
		    json_object_set_new(doc, "@context", json_string(SPDX3_CONTEXT))) {
			rc = VG_ENOMEM;
			goto out;
		}
		snprintf(v->schema, sizeof(v->schema), "%s", spdx3_name);
		rc = json_validate(spdx3_json, SPDX3_URI, doc, NULL, NULL, v, err);
	} else {
		rc = add_error(v, "", 0, NULL,
			       "expected a CycloneDX (bomFormat, specVersion) or SPDX "
			       "(spdxVersion, @context) document");
	}
out:
	split_release(&sp);
	json_decref(doc);
	return rc;
}

struct xml_errs {
	struct sbom_validation *v;
	int rc;
};

static void xml_error(void *ud, const xmlError *e)
{
	struct xml_errs *x = ud;
	char msg[1024];
	size_t len;
	if (!e || x->rc || e->level < XML_ERR_ERROR)
		return; /* warnings repeat the error before them */
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "invalid");
	len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	x->rc = add_error(x->v, NULL, e->line, "XSD",
			  "expected a document valid against the XSD: %s", msg);
}

/* xmlStructuredErrorFunc's pointer type differs between libxml2 versions. */
static void xml_error_cb(void *ud, xmlErrorPtr e)
{
	xml_error(ud, e);
}

static int validate_xml(const char *data, size_t n, struct sbom_validation *v, struct vg_error *err)
{
	struct sbom_xml_fault f;
	struct vg_error xerr = {0};
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	const char *ns;
	int rc = VG_OK, minor;

	v->encoding = SBOM_ENC_XML;
	/* encodings, DTDs and entities: refused by the one reader of XML */
	rc = sbom_xml_read(data, n, v->filename, NULL, &doc, &f, &xerr);
	if (rc == VG_ENOMEM)
		return rc;
	if (rc) {
		int arc = f.malformed ? add_error(v, NULL, (int)f.line, NULL,
						  "expected well-formed XML: %s", f.what)
				      : add_error(v, NULL, (int)f.line, NULL, "%s", f.what);
		if (rc == VG_ETOOBIG) {
			if (err)
				*err = xerr;
			return rc;
		}
		return arc;
	}
	root = xmlDocGetRootElement(doc);
	ns = root && root->ns ? (const char *)root->ns->href : "";
	if (!root || strcmp((const char *)root->name, "bom") ||
	    strncmp(ns, "http://cyclonedx.org/schema/bom/1.", 34)) {
		rc = add_error(v, NULL, root ? root->line : 0, NULL,
			       "expected a CycloneDX <bom> element in namespace "
			       "http://cyclonedx.org/schema/bom/1.N, got <%s> in \"%s\"",
			       root ? (const char *)root->name : "", ns);
		goto out;
	}
	v->format = SBOM_FORMAT_CYCLONEDX;
	if (strlen(ns) != 35 || ns[34] < '0' || ns[34] > '0' + CDX_MINOR_MAX) {
		rc = add_error(v, NULL, root->line, NULL,
			       "expected a CycloneDX XML namespace of version 1.0 to 1.%d, got %s",
			       CDX_MINOR_MAX, ns);
		goto out;
	}
	minor = ns[34] - '0';
	snprintf(v->spec_version, sizeof(v->spec_version), "1.%d", minor);
	pthread_mutex_lock(&cache_lock);
	rc = cdx_xsd_load(minor, err);
	pthread_mutex_unlock(&cache_lock);
	if (rc)
		goto out;
	snprintf(v->schema, sizeof(v->schema), "%s", base_name(cdx_xsd_path[minor]));
	{
		xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(cdx_xsd[minor]);
		struct xml_errs x = {v, VG_OK};
		int r;
		if (!vc) {
			rc = VG_ENOMEM;
			goto out;
		}
		xmlSchemaSetValidStructuredErrors(vc, xml_error_cb, &x);
		r = xmlSchemaValidateDoc(vc, doc);
		xmlSchemaFreeValidCtxt(vc);
		v->schema_checked = 1;
		if (x.rc)
			rc = x.rc;
		else if (r > 0 && v->n_errors == 0)
			rc = add_error(v, NULL, 0, NULL,
				       "expected a document valid against the XSD");
		else if (r < 0)
			rc = vg_error_set(err, VG_EINTERNAL, "%s: XSD validation could not run",
					  v->filename);
	}
out:
	xmlFreeDoc(doc);
	return rc;
}

/*
 * The mandatory fields of SPDX 2.2 / 2.3 tag-value (spec chapters 6-8:
 * "Cardinality: 1..1" / "1..*"; 2.3 made the licence and copyright fields
 * of packages and files optional). Each section missing one gets an error
 * at the line the section starts on.
 */
enum tv_sec { TV_DOC, TV_PKG, TV_FILE, TV_OTHER };
struct tv_need {
	enum tv_sec sec;
	int v22_only;
	const char *tag;
};
static const struct tv_need tv_needs[] = {
    {TV_DOC, 0, "DataLicense"},
    {TV_DOC, 0, "SPDXID"},
    {TV_DOC, 0, "DocumentName"},
    {TV_DOC, 0, "DocumentNamespace"},
    {TV_DOC, 0, "Creator"},
    {TV_DOC, 0, "Created"},
    {TV_PKG, 0, "SPDXID"},
    {TV_PKG, 0, "PackageDownloadLocation"},
    {TV_PKG, 1, "PackageLicenseConcluded"},
    {TV_PKG, 1, "PackageLicenseDeclared"},
    {TV_PKG, 1, "PackageCopyrightText"},
    {TV_FILE, 0, "SPDXID"},
    {TV_FILE, 0, "FileChecksum"},
    {TV_FILE, 1, "LicenseConcluded"},
    {TV_FILE, 1, "LicenseInfoInFile"},
    {TV_FILE, 1, "FileCopyrightText"},
};
#define TV_NEEDS (sizeof(tv_needs) / sizeof(tv_needs[0]))

/* The first n1-byte needle in the n-byte haystack h, or NULL (no memmem in C11). */
static const char *mem_find(const char *h, size_t n, const char *needle, size_t n1)
{
	for (size_t i = 0; n >= n1 && i <= n - n1; i++)
		if (!memcmp(h + i, needle, n1))
			return h + i;
	return NULL;
}

static int tv_close(struct sbom_validation *v, enum tv_sec sec, int line, const char *name,
		    const unsigned char *seen, int v22)
{
	static const char *const what[] = {"the document", "package", "file", ""};
	for (size_t k = 0; k < TV_NEEDS; k++) {
		int rc;
		if (tv_needs[k].sec != sec || seen[k] || (tv_needs[k].v22_only && !v22))
			continue;
		int fatal = !strcmp(tv_needs[k].tag, "SPDXID") ||
			    !strcmp(tv_needs[k].tag, "Created") ||
			    !strcmp(tv_needs[k].tag, "Creator") ||
			    !strcmp(tv_needs[k].tag, "DocumentNamespace");
		if (sec == TV_DOC)
			rc = add_error(v, NULL, line, NULL,
				       "expected %s (mandatory in SPDX %s documents)",
				       tv_needs[k].tag, v22 ? "2.2" : "2.3");
		else
			rc = add_error(v, NULL, line, NULL,
				       "expected %s for %s \"%.80s\" (mandatory in SPDX %s)",
				       tv_needs[k].tag, what[sec], name, v22 ? "2.2" : "2.3");
		if (rc)
			return rc;
		if (!fatal && v->n_errors && v->errors[v->n_errors - 1].fatal) {
			v->errors[v->n_errors - 1].fatal = 0; /* a field vigil does not need */
			v->n_fatal--;
		}
	}
	return VG_OK;
}

static int tagvalue_mandatory(const char *data, size_t n, struct sbom_validation *v)
{
	unsigned char seen[TV_NEEDS];
	enum tv_sec sec = TV_DOC;
	int v22 = !strcmp(v->spec_version, "2.2"), line = 1, start = 1, in_text = 0, rc;
	char name[96] = "";
	size_t i = 0;

	memset(seen, 0, sizeof(seen));
	while (i < n) {
		const char *p = data + i, *eol = memchr(p, '\n', n - i), *colon;
		size_t len = eol ? (size_t)(eol - p) : n - i;
		if (in_text) {
			if (mem_find(p, len, "</text>", 7))
				in_text = 0;
		} else if (len && p[0] != '#' && (colon = memchr(p, ':', len))) {
			size_t tl = (size_t)(colon - p);
			const char *val = colon + 1, *end = p + len;
			enum tv_sec next;
			while (val < end && (*val == ' ' || *val == '\t'))
				val++;
			while (end > val && (end[-1] == '\r' || end[-1] == ' '))
				end--;
			if (mem_find(val, (size_t)(end - val), "<text>", 6) &&
			    !mem_find(val, (size_t)(end - val), "</text>", 7))
				in_text = 1;
			int starts = 1;
			if (tl == 11 && !strncmp(p, "PackageName", 11))
				next = TV_PKG;
			else if (tl == 8 && !strncmp(p, "FileName", 8))
				next = TV_FILE;
			else if ((tl == 13 && !strncmp(p, "SnippetSPDXID", 13)) ||
				 (tl == 9 && !strncmp(p, "LicenseID", 9)))
				next = TV_OTHER;
			else
				starts = 0;
			if (starts) { /* a new section: the one before must be complete */
				if (sec != TV_OTHER &&
				    (rc = tv_close(v, sec, start, name, seen, v22)))
					return rc;
				memset(seen, 0, sizeof(seen));
				sec = next;
				start = line;
				snprintf(name, sizeof(name), "%.*s", (int)(end - val), val);
			}
			for (size_t k = 0; k < TV_NEEDS; k++)
				if (tv_needs[k].sec == sec && strlen(tv_needs[k].tag) == tl &&
				    !strncmp(tv_needs[k].tag, p, tl))
					seen[k] = 1;
		}
		i += len + 1;
		line++;
	}
	return sec == TV_OTHER ? VG_OK : tv_close(v, sec, start, name, seen, v22);
}

static int validate_tagvalue(const char *data, size_t n, struct sbom_validation *v)
{
	size_t i = 0;
	int line = 1;
	struct sbom_doc *doc = NULL;
	struct vg_error perr = {0};

	v->encoding = SBOM_ENC_TAGVALUE;
	while (i < n) {
		const char *p = data + i, *eol = memchr(p, '\n', n - i);
		size_t len = eol ? (size_t)(eol - p) : n - i;
		if (len >= 12 && !strncmp(p, "SPDXVersion:", 12)) {
			const char *val = p + 12, *end = p + len;
			while (val < end && (*val == ' ' || *val == '\t'))
				val++;
			while (end > val && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
				end--;
			v->format = SBOM_FORMAT_SPDX;
			if ((end - val == 8 && !strncmp(val, "SPDX-2.2", 8)) ||
			    (end - val == 8 && !strncmp(val, "SPDX-2.3", 8))) {
				snprintf(v->spec_version, sizeof(v->spec_version), "%.3s", val + 5);
				break;
			}
			return add_error(v, NULL, line, NULL,
					 "expected SPDXVersion SPDX-2.2 or SPDX-2.3, got %.*s",
					 (int)(end - val > 40 ? 40 : end - val), val);
		}
		i += len + 1;
		line++;
	}
	if (!v->format)
		return add_error(v, NULL, 0, NULL,
				 "expected a CycloneDX or SPDX document (JSON, XML or SPDX "
				 "tag-value with an SPDXVersion line)");
	/* no schema exists for tag-value: the mandatory fields of its version
	 * and the parser's checks stand in for it */
	if (tagvalue_mandatory(data, n, v))
		return VG_ENOMEM;
	if (!v->valid)
		return VG_OK;
	if (sbom_spdx_parse_tagvalue(data, n, v->filename, NULL, &doc, &perr) != VG_OK) {
		const char *msg = perr.msg;
		size_t fl = strlen(v->filename);
		if (!strncmp(msg, v->filename, fl) && msg[fl] == ':')
			msg += fl + 2;
		return add_error(v, NULL, 0, NULL, "%s", msg);
	}
	sbom_doc_free(doc);
	return VG_OK;
}

int sbom_validate(const char *data, size_t n, const char *filename, struct sbom_validation *out,
		  struct vg_error *err)
{
	struct vg_error ierr = {0};
	size_t i = 0, start = 0;
	int rc, wide;

	memset(out, 0, sizeof(*out));
	snprintf(out->filename, sizeof(out->filename), "%s", filename ? filename : "(input)");
	out->valid = 1;
	/* XML in UTF-16 (or in a refused wide encoding) is the XML reader's to judge */
	wide = sbom_xml_foreign(data, n);
	rc = wide ? VG_OK : sbom_input_check(data, n, out->filename, NULL, &ierr);
	if (rc) {
		const char *msg = ierr.msg;
		size_t fl = strlen(out->filename);
		if (!strncmp(msg, out->filename, fl) && msg[fl] == ':')
			msg += fl + 2;
		if (add_error(out, NULL, 0, NULL, "%s", msg))
			return vg_error_set(err, VG_ENOMEM, "%s: out of memory", out->filename);
		if (err)
			*err = ierr;
		return rc;
	}
	if (n >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = start = 3; /* a UTF-8 byte-order mark is allowed, and skipped */
	while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	/* the parsers get the text from the byte-order mark on, so lines count right */
	if (wide)
		rc = validate_xml(data, n, out, err);
	else if (i < n && data[i] == '{')
		rc = validate_json(data + start, n - start, out, err);
	else if (i < n && data[i] == '<')
		rc = validate_xml(data, n, out, err);
	else
		rc = validate_tagvalue(data, n, out);
	if (rc) {
		if (rc == VG_ENOMEM)
			vg_error_set(err, VG_ENOMEM, "%s: out of memory", out->filename);
		out->valid = 0;
		return rc;
	}
	if (!out->valid) {
		struct vg_buf b = VG_BUF_INIT;
		if (out->n_errors)
			sbom_validation_error_text(out, 0, &b);
		vg_error_set(err, VG_EPARSE, "%s (%zu error%s)", b.data ? b.data : out->filename,
			     out->n_errors + out->n_dropped,
			     out->n_errors + out->n_dropped == 1 ? "" : "s");
		vg_buf_release(&b);
		return VG_EPARSE;
	}
	return VG_OK;
}

int sbom_validate_policy(const char *data, size_t n, const char *filename, enum sbom_policy policy,
			 struct sbom_validation *out, struct vg_error *err)
{
	int rc = sbom_validate(data, n, filename, out, err);
	if (rc == VG_EPARSE && policy == SBOM_POLICY_STANDARD && out->n_errors && !out->n_fatal &&
	    !out->n_dropped && out->format)
		return VG_OK; /* out->valid stays 0: the errors are its violations */
	return rc;
}
