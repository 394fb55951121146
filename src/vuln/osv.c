/*
 * osv.c - OSV JSON and YAML records into struct advisory, and feed
 * readers for files, folders and zip dumps.
 */
#define _DEFAULT_SOURCE
#include "vuln/osv.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/jscan.h"
#include "vuln/feed_json.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "core/banned.h"

#define MAX_DIR_DEPTH 32

static int get_time(struct feed_ctx *c, const json_t *o, const char *key, int required,
		    int64_t *out)
{
	const char *s;
	struct vg_error e = {0};
	int rc = feed_str(c, o, key, required, &s);
	*out = 0;
	if (rc || !s)
		return rc;
	if (vg_time_parse(s, out, &e) != VG_OK) {
		size_t l = feed_ptr_key(c, key);
		rc = feed_fail(c, "expected an RFC 3339 time, got '%.40s'", s);
		feed_ptr_pop(c, l);
		return rc;
	}
	/* Go's vulndb repository writes 0001-01-01 for "set at publish". */
	if (*out < 0)
		*out = 0;
	return VG_OK;
}

static int parse_range(struct feed_ctx *c, const json_t *r, struct adv_range *out)
{
	const char *type;
	const json_t *evs;
	int rc = feed_str(c, r, "type", 1, &type);
	if (rc)
		return rc;
	if (strcmp(type, "ECOSYSTEM") == 0)
		out->type = ADV_RANGE_ECOSYSTEM;
	else if (strcmp(type, "SEMVER") == 0)
		out->type = ADV_RANGE_SEMVER;
	else if (strcmp(type, "GIT") == 0)
		out->type = ADV_RANGE_GIT;
	else {
		size_t l = feed_ptr_key(c, "type");
		rc = feed_fail(c, "expected ECOSYSTEM, SEMVER or GIT, got '%.40s'", type);
		feed_ptr_pop(c, l);
		return rc;
	}
	if ((rc = feed_str(c, r, "repo", 0, &out->repo)))
		return rc;
	if ((rc = feed_array(c, r, "events", 1, ADV_MAX_LIST, &evs)))
		return rc;
	if (json_array_size(evs) == 0) {
		size_t l = feed_ptr_key(c, "events");
		rc = feed_fail(c, "expected at least one event");
		feed_ptr_pop(c, l);
		return rc;
	}
	out->events = vg_arena_array(c->arena, json_array_size(evs), sizeof(*out->events));
	if (!out->events)
		return feed_oom(c);
	size_t l0 = feed_ptr_key(c, "events");
	for (size_t i = 0; i < json_array_size(evs); i++) {
		static const char *const kinds[] = {"introduced", "fixed", "last_affected",
						    "limit"};
		const json_t *e = json_array_get(evs, i);
		size_t l = feed_ptr_idx(c, i);
		int found = 0;
		if (!json_is_object(e)) {
			rc = feed_fail(c, "expected an object");
			break;
		}
		for (int k = 0; k < 4 && !rc; k++) {
			const char *v;
			if (!json_object_get(e, kinds[k]))
				continue;
			rc = feed_str(c, e, kinds[k], 1, &v);
			if (rc)
				break;
			if (found) {
				rc = feed_fail(c, "expected exactly one of introduced, fixed, "
						  "last_affected, limit");
				break;
			}
			if (!*v) {
				size_t l2 = feed_ptr_key(c, kinds[k]);
				rc = feed_fail(c, "expected a non-empty version");
				feed_ptr_pop(c, l2);
				break;
			}
			out->events[out->n_events].kind = (enum adv_event_kind)k;
			out->events[out->n_events].version = v;
			found = 1;
		}
		if (!rc && !found)
			rc =
			    feed_fail(c, "expected one of introduced, fixed, last_affected, limit");
		feed_ptr_pop(c, l);
		if (rc)
			break;
		out->n_events++;
	}
	feed_ptr_pop(c, l0);
	return rc;
}

static int parse_affected(struct feed_ctx *c, const json_t *a, struct adv_affected *out)
{
	const json_t *pkg, *ranges;
	int rc;
	if ((rc = feed_object(c, a, "package", 0, &pkg)))
		return rc;
	if (pkg) {
		size_t l = feed_ptr_key(c, "package");
		rc = feed_str(c, pkg, "ecosystem", 0, &out->ecosystem);
		if (!rc)
			rc = feed_str(c, pkg, "name", 0, &out->name);
		if (!rc)
			rc = feed_str(c, pkg, "purl", 0, &out->purl);
		if (!rc && (out->ecosystem != NULL) != (out->name != NULL))
			rc = feed_fail(c, "expected both ecosystem and name");
		feed_ptr_pop(c, l);
		if (rc)
			return rc;
	}
	if ((rc = feed_array(c, a, "ranges", 0, ADV_MAX_LIST, &ranges)))
		return rc;
	if (ranges && json_array_size(ranges)) {
		size_t l0 = feed_ptr_key(c, "ranges");
		out->ranges =
		    vg_arena_array(c->arena, json_array_size(ranges), sizeof(*out->ranges));
		if (!out->ranges)
			rc = feed_oom(c);
		for (size_t i = 0; !rc && i < json_array_size(ranges); i++) {
			const json_t *r = json_array_get(ranges, i);
			size_t l = feed_ptr_idx(c, i);
			if (!json_is_object(r))
				rc = feed_fail(c, "expected an object");
			else
				rc = parse_range(c, r, &out->ranges[out->n_ranges]);
			feed_ptr_pop(c, l);
			if (!rc)
				out->n_ranges++;
		}
		feed_ptr_pop(c, l0);
		if (rc)
			return rc;
	}
	return feed_str_list(c, a, "versions", 0, ADV_MAX_LIST, &out->versions, &out->n_versions);
}

static int parse_record(struct feed_ctx *c, const json_t *rec, struct advisory *out)
{
	const json_t *arr, *ds;
	int rc;

	if ((rc = get_time(c, rec, "modified", 1, &out->modified)) ||
	    (rc = get_time(c, rec, "published", 0, &out->published)) ||
	    (rc = get_time(c, rec, "withdrawn", 0, &out->withdrawn)))
		return rc;
	if ((rc = feed_str_list(c, rec, "aliases", 0, ADV_MAX_LIST, &out->aliases,
				&out->n_aliases)) ||
	    (rc = feed_str_list(c, rec, "related", 0, ADV_MAX_LIST, &out->related,
				&out->n_related)) ||
	    (rc = feed_str(c, rec, "summary", 0, &out->summary)) ||
	    (rc = feed_str(c, rec, "details", 0, &out->details)))
		return rc;

	if ((rc = feed_array(c, rec, "severity", 0, ADV_MAX_LIST, &arr)))
		return rc;
	if ((rc = feed_object(c, rec, "database_specific", 0, &ds)))
		return rc;
	{
		size_t n = json_array_size(arr) + 1;
		out->severity = vg_arena_array(c->arena, n, sizeof(*out->severity));
		if (!out->severity)
			return feed_oom(c);
		size_t l0 = feed_ptr_key(c, "severity");
		for (size_t i = 0; !rc && arr && i < json_array_size(arr); i++) {
			const json_t *s = json_array_get(arr, i);
			struct adv_severity *sv = &out->severity[out->n_severity];
			size_t l = feed_ptr_idx(c, i);
			if (!json_is_object(s))
				rc = feed_fail(c, "expected an object");
			if (!rc)
				rc = feed_str(c, s, "type", 1, &sv->type);
			if (!rc)
				rc = feed_str(c, s, "score", 1, &sv->score);
			feed_ptr_pop(c, l);
			if (!rc)
				out->n_severity++;
		}
		feed_ptr_pop(c, l0);
		if (rc)
			return rc;
		if (ds && json_is_string(json_object_get(ds, "severity"))) {
			struct adv_severity *sv = &out->severity[out->n_severity];
			size_t l = feed_ptr_key(c, "database_specific");
			rc = feed_str(c, ds, "severity", 1, &sv->score);
			feed_ptr_pop(c, l);
			if (rc)
				return rc;
			sv->type = "database_specific";
			out->n_severity++;
		}
	}

	if ((rc = feed_array(c, rec, "affected", 0, ADV_MAX_LIST, &arr)))
		return rc;
	if (arr && json_array_size(arr)) {
		size_t l0 = feed_ptr_key(c, "affected");
		out->affected =
		    vg_arena_array(c->arena, json_array_size(arr), sizeof(*out->affected));
		if (!out->affected)
			rc = feed_oom(c);
		for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
			const json_t *a = json_array_get(arr, i);
			size_t l = feed_ptr_idx(c, i);
			if (!json_is_object(a))
				rc = feed_fail(c, "expected an object");
			else
				rc = parse_affected(c, a, &out->affected[out->n_affected]);
			feed_ptr_pop(c, l);
			if (!rc)
				out->n_affected++;
		}
		feed_ptr_pop(c, l0);
		if (rc)
			return rc;
	}

	if ((rc = feed_array(c, rec, "references", 0, ADV_MAX_LIST, &arr)))
		return rc;
	if (arr && json_array_size(arr)) {
		size_t l0 = feed_ptr_key(c, "references");
		out->refs = vg_arena_array(c->arena, json_array_size(arr), sizeof(*out->refs));
		if (!out->refs)
			rc = feed_oom(c);
		for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
			const json_t *r = json_array_get(arr, i);
			size_t l = feed_ptr_idx(c, i);
			struct adv_reference *ref = &out->refs[out->n_refs];
			if (!json_is_object(r))
				rc = feed_fail(c, "expected an object");
			if (!rc)
				rc = feed_str(c, r, "type", 0, &ref->type);
			if (!rc)
				rc = feed_str(c, r, "url", 1, &ref->url);
			feed_ptr_pop(c, l);
			if (!rc)
				out->n_refs++;
		}
		feed_ptr_pop(c, l0);
	}
	return rc;
}

int osv_from_json(const json_t *rec, const char *file, struct advisory *out, struct vg_error *err)
{
	struct feed_ctx c;
	char label[512];
	const char *id = json_is_object(rec) ? vg_json_str(rec, "id") : NULL;
	int rc;

	snprintf(label, sizeof(label), "%s: %.200s", file ? file : "(input)",
		 id ? id : "(record without id)");
	feed_ctx_init(&c, label, &out->arena, err);
	if (!json_is_object(rec))
		return feed_fail(&c, "expected an OSV record (a JSON object)");
	if ((rc = feed_str(&c, rec, "id", 1, &out->id)))
		return rc;
	if (!*out->id)
		return feed_fail(&c, "/id: expected a non-empty string");
	out->source = "osv";
	out->file = vg_arena_strdup(&out->arena, file ? file : "(input)");
	rc = parse_record(&c, rec, out);
	return rc;
}

/* ---- YAML ---- */

struct ystack {
	json_t *node;
	json_t *key; /* pending mapping key (string) */
};

static json_t *scalar_json(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (n == 0 || (n == 1 && v[0] == '~') || (n == 4 && strncasecmp(v, "null", 4) == 0))
			return json_null();
		if (n == 4 && strncasecmp(v, "true", 4) == 0)
			return json_true();
		if (n == 5 && strncasecmp(v, "false", 5) == 0)
			return json_false();
	}
	return json_stringn(v, n);
}

static int yaml_fail(struct vg_error *err, const char *file, const yaml_mark_t *m, const char *what)
{
	return vg_error_set(err, VG_EPARSE, "%s: line %zu, column %zu: %s", file,
			    (size_t)m->line + 1, (size_t)m->column + 1, what);
}

/* Attach v (stolen) to the container on top of the stack. */
static int attach(struct ystack *st, int depth, json_t *v)
{
	struct ystack *top = &st[depth - 1];
	if (json_is_array(top->node))
		return json_array_append_new(top->node, v);
	if (!top->key) {
		if (!json_is_string(v)) {
			json_decref(v);
			return -2;
		}
		top->key = v;
		return 0;
	}
	int r = json_object_set_new(top->node, json_string_value(top->key), v);
	json_decref(top->key);
	top->key = NULL;
	return r;
}

int osv_yaml_to_json(const char *data, size_t n, const char *file, json_t **out,
		     struct vg_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct ystack st[OSV_YAML_MAX_DEPTH + 1];
	int depth = 0, rc = VG_OK, done = 0;
	json_t *root = NULL;

	*out = NULL;
	if (n > ADV_MAX_RECORD)
		return vg_error_set(err, VG_ETOOBIG, "%s: larger than %u bytes", file,
				    ADV_MAX_RECORD);
	if (!yaml_parser_initialize(&p))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, n);
	while (!done && rc == VG_OK) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = yaml_fail(err, file, &p.problem_mark,
				       p.problem ? p.problem : "malformed YAML");
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (root)
				done = 1;
			break;
		case YAML_ALIAS_EVENT:
			rc = yaml_fail(err, file, &ev.start_mark, "YAML aliases are not accepted");
			break;
		case YAML_SCALAR_EVENT: {
			json_t *v = scalar_json(&ev);
			if (depth == 0) {
				json_decref(root);
				root = v;
			} else if (attach(st, depth, v) != 0)
				rc = yaml_fail(err, file, &ev.start_mark,
					       "expected a scalar mapping key");
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= OSV_YAML_MAX_DEPTH) {
				rc = yaml_fail(err, file, &ev.start_mark, "nested too deeply");
				break;
			}
			st[depth].node =
			    ev.type == YAML_SEQUENCE_START_EVENT ? json_array() : json_object();
			st[depth].key = NULL;
			if (!st[depth].node) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			json_t *v = st[--depth].node;
			json_decref(st[depth].key);
			st[depth].key = NULL;
			if (depth == 0) {
				json_decref(root);
				root = v;
			} else if (attach(st, depth, v) != 0)
				rc = yaml_fail(err, file, &ev.start_mark,
					       "expected a scalar mapping key");
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	while (depth > 0) {
		depth--;
		json_decref(st[depth].node);
		json_decref(st[depth].key);
	}
	yaml_parser_delete(&p);
	if (rc == VG_OK && !root)
		rc = vg_error_set(err, VG_EPARSE, "%s: empty YAML document", file);
	if (rc != VG_OK) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return VG_OK;
}

/* ---- feeds ---- */

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

static int is_yaml(const char *name)
{
	return has_ext(name, ".yaml") || has_ext(name, ".yml");
}

/* What one reading hands on: the callbacks, and the counters. */
struct rd {
	osv_record_fn fn;
	osv_skip_fn skip;
	const struct osv_known *known; /* NULL: no content hashes */
	void *arg;
	struct osv_read_stats *st;
	int64_t cb_us; /* time spent in known->skipped, which is not reading */
	char *buf;     /* read_file's, reused */
	size_t cap;
};

static void skip_msg(struct rd *r, const char *msg)
{
	if (r->st)
		r->st->skipped++;
	if (r->skip)
		r->skip(r->arg, msg);
}

static void lap(struct rd *r, int64_t *t0, int64_t *bucket)
{
	int64_t t = vg_mono_us();
	if (r->st)
		*bucket += t - *t0;
	*t0 = t;
}

/* Hand a read record on, with its content hash (sha may be NULL). */
static int hand_on(struct rd *r, struct advisory *a, const uint8_t *sha, struct vg_error *err)
{
	if (sha) {
		char hex[VG_SHA256_HEX];
		vg_hex(sha, VG_SHA256_LEN, hex);
		if (!(a->content_hash = vg_arena_strdup(&a->arena, hex)))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (r->st)
		r->st->records++;
	return r->fn(r->arg, a, err);
}

/* Hand one parsed record on; sha (may be NULL) is its content hash. */
static int one_record(struct rd *r, const json_t *rec, const char *name, const uint8_t *sha,
		      struct vg_error *err)
{
	struct advisory a;
	struct vg_error e = {0};
	int64_t t0 = vg_mono_us();
	int rc;

	advisory_init(&a);
	rc = osv_from_json(rec, name, &a, &e);
	if (r->st)
		r->st->us_validate += vg_mono_us() - t0;
	if (rc == VG_ENOMEM) {
		advisory_release(&a);
		*err = e;
		return rc;
	}
	if (rc) {
		skip_msg(r, vg_error_msg(&e));
		advisory_release(&a);
		return VG_OK;
	}
	rc = hand_on(r, &a, sha, err);
	advisory_release(&a);
	return rc;
}

/*
 * Ask r->known about each element of a top-level JSON array without
 * building a tree: sha gets the SHA-256 of each element's text (n of them,
 * at most cap) and known[i] the answer. 1 when the scan found a well-formed
 * array of at most cap elements, 0 otherwise (the caller parses as usual and
 * reports what is wrong).
 */
static int scan_array(struct rd *r, const char *data, size_t len, uint8_t (*sha)[VG_SHA256_LEN],
		      char *known, size_t cap, size_t *n, int *rc, struct vg_error *err)
{
	struct vg_jscan s;
	int more;
	*n = 0;
	vg_jscan_init(&s, data, len, VG_JSON_MAX_DEPTH);
	if (vg_jscan_array(&s) != 0)
		return 0;
	while ((more = vg_jscan_item(&s)) == 1) {
		const char *from;
		int k = 0;
		if (*n == cap || vg_jscan_peek(&s) != VG_JT_OBJECT)
			return 0;
		from = s.p;
		if (vg_jscan_skip(&s) != 0)
			return 0;
		vg_sha256(from, (size_t)(s.p - from), sha[*n]);
		if ((*rc = r->known->ask(r->arg, sha[*n], &k, err)) != VG_OK)
			return 1;
		known[(*n)++] = (char)k;
	}
	return more == 0 && vg_jscan_end(&s) == 0;
}

#define MAX_HASHED 65536 /* array elements hashed in one file */

/* A record left unparsed because its bytes are stored already. */
static int known_skipped(struct rd *r, struct vg_error *err)
{
	int64_t t0 = vg_mono_us();
	int rc;
	if (r->st)
		r->st->known++;
	rc = r->known->skipped(r->arg, err);
	r->cb_us += vg_mono_us() - t0;
	return rc;
}

/* The known path of a JSON file: a whole-file hash for one record, one
 * hash per element for an array. *done is 1 when nothing is left to parse. */
static int hash_buffer(struct rd *r, const char *data, size_t n, uint8_t (**sha)[VG_SHA256_LEN],
		       char **known, size_t *count, int *done, struct vg_error *err)
{
	size_t i = 0;
	int rc = VG_OK, k = 0;
	*done = 0;
	*count = 0;
	while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < n && data[i] == '{') {
		*sha = malloc(sizeof(**sha));
		if (!*sha)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		vg_sha256(data, n, (*sha)[0]);
		if ((rc = r->known->ask(r->arg, (*sha)[0], &k, err)) != VG_OK)
			return rc;
		*count = 1;
		if (k && (rc = known_skipped(r, err)) == VG_OK)
			*done = 1;
		return rc;
	}
	if (i < n && data[i] == '[') {
		size_t cap = n / 2 + 1 < MAX_HASHED ? n / 2 + 1 : MAX_HASHED, got = 0, nk = 0;
		*sha = malloc(cap * sizeof(**sha));
		*known = malloc(cap);
		if (!*sha || !*known)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		if (!scan_array(r, data, n, *sha, *known, cap, &got, &rc, err) || rc) {
			*count = 0;
			return rc;
		}
		for (size_t j = 0; j < got; j++)
			nk += (size_t)(*known)[j];
		*count = got;
		if (nk == got) { /* nothing new in the file: no tree built */
			for (size_t j = 0; rc == VG_OK && j < got; j++)
				rc = known_skipped(r, err);
			*done = 1;
		}
	}
	return rc;
}

static int read_buffer(struct rd *r, const char *data, size_t n, const char *name,
		       struct vg_error *err)
{
	struct vg_error e = {0};
	json_t *doc = NULL;
	uint8_t(*sha)[VG_SHA256_LEN] = NULL;
	char *known = NULL;
	size_t nsha = 0;
	int rc = VG_OK, done = 0;
	int64_t t0 = vg_mono_us();

	if (r->st)
		r->st->files++;
	if (r->known && !is_yaml(name) && n <= ADV_MAX_RECORD * 4) {
		r->cb_us = 0;
		rc = hash_buffer(r, data, n, &sha, &known, &nsha, &done, err);
		t0 += r->cb_us;
		lap(r, &t0, r->st ? &r->st->us_read : NULL);
		if (rc || done)
			goto out;
	}
	if (!is_yaml(name) && n <= ADV_MAX_RECORD * 4) {
		/* the scanner's way first; the tree's way for what it refuses */
		struct advisory *v = NULL;
		size_t nv = 0;
		int ok = osv_scan(data, n, name, &v, &nv);
		lap(r, &t0, r->st ? &r->st->us_parse : NULL);
		if (ok) {
			int hashed = known ? nsha == nv : nsha == 1 && nv == 1;
			for (size_t i = 0; rc == VG_OK && i < nv; i++) {
				if (hashed && known && known[i])
					rc = known_skipped(r, err);
				else
					rc = hand_on(r, &v[i], hashed ? sha[i] : NULL, err);
			}
			osv_scan_free(v, nv);
			goto out;
		}
	}
	if (is_yaml(name))
		rc = osv_yaml_to_json(data, n, name, &doc, &e);
	else if (n > ADV_MAX_RECORD * 4)
		rc = vg_error_set(&e, VG_ETOOBIG, "%s: larger than %u bytes", name,
				  ADV_MAX_RECORD * 4);
	else if (!(doc = vg_json_parse(data, n, name, &e)))
		rc = e.code ? e.code : VG_EPARSE;
	lap(r, &t0, r->st ? &r->st->us_parse : NULL);
	if (rc == VG_ENOMEM) {
		*err = e;
		goto out;
	}
	if (rc) {
		skip_msg(r, vg_error_msg(&e));
		rc = VG_OK;
		goto out;
	}
	if (json_is_array(doc)) {
		/* the hashes are the elements' when the scan saw the same array */
		int hashed = known && nsha == json_array_size(doc);
		for (size_t i = 0; rc == VG_OK && i < json_array_size(doc); i++) {
			if (hashed && known[i]) {
				rc = known_skipped(r, err);
				continue;
			}
			rc = one_record(r, json_array_get(doc, i), name, hashed ? sha[i] : NULL,
					err);
		}
	} else {
		rc = one_record(r, doc, name, nsha == 1 && !known ? sha[0] : NULL, err);
	}
out:
	json_decref(doc);
	free(sha);
	free(known);
	return rc;
}

int osv_read_buffer(const char *data, size_t n, const char *name, osv_record_fn fn,
		    osv_skip_fn skip, void *arg, struct osv_read_stats *st, struct vg_error *err)
{
	struct rd r = {fn, skip, NULL, arg, st, 0, NULL, 0};
	return read_buffer(&r, data, n, name, err);
}

/* The bytes of path into r->buf (kept from file to file: a folder of small
 * records allocates once), with vg_buf_read_file()'s messages. */
static int slurp(struct rd *r, int dirfd, const char *name, const char *path, size_t *len,
		 struct vg_error *err)
{
	const size_t max = ADV_MAX_RECORD * 4;
	struct stat sb;
	size_t n = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC), rc = VG_OK;
	if (fd < 0)
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				    "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &sb) == 0 && sb.st_size >= 0 && (size_t)sb.st_size + 1 > r->cap &&
	    (size_t)sb.st_size < max) {
		char *nb = realloc(r->buf, (size_t)sb.st_size + 1);
		if (nb) {
			r->buf = nb;
			r->cap = (size_t)sb.st_size + 1;
		}
	}
	for (;;) {
		ssize_t got;
		if (n + 1 >= r->cap) { /* grew since fstat, or no size known */
			size_t nc = r->cap ? r->cap * 2 : 65536;
			char *nb = nc <= max + 1 ? realloc(r->buf, nc) : NULL;
			if (!nb) {
				rc = nc > max + 1
					 ? vg_error_set(err, VG_ETOOBIG,
							"%s: larger than the limit of "
							"%zu bytes",
							path, max)
					 : vg_error_set(err, VG_ENOMEM, "%s: out of memory", path);
				break;
			}
			r->buf = nb;
			r->cap = nc;
		}
		got = read(fd, r->buf + n, r->cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = vg_error_set(err, VG_EIO, "%s: read error: %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			rc = vg_error_set(err, VG_ETOOBIG, "%s: larger than the limit of %zu bytes",
					  path, max);
			break;
		}
	}
	close(fd);
	if (!rc)
		r->buf[n] = '\0';
	*len = n;
	return rc;
}

/* The file name in the folder dirfd (AT_FDCWD: name is a path); path names
 * it in messages and records. */
static int read_file(struct rd *r, int dirfd, const char *name, const char *path,
		     struct vg_error *err)
{
	struct vg_error e = {0};
	int64_t t0 = vg_mono_us();
	size_t n = 0;
	int rc = slurp(r, dirfd, name, path, &n, &e);
	lap(r, &t0, r->st ? &r->st->us_read : NULL);
	if (rc == VG_ENOMEM) {
		*err = e;
		return rc;
	}
	if (rc) {
		skip_msg(r, vg_error_msg(&e));
		if (r->st)
			r->st->files++;
		return VG_OK;
	}
	return read_buffer(r, r->buf, n, path, err);
}

static int read_zip(struct rd *r, const char *path, struct vg_error *err)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *ent;
	struct vg_buf b;
	int rc = VG_OK, r2;

	if (!ar)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	archive_read_support_format_zip(ar);
	if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
		rc = vg_error_set(err, VG_EIO, "%s: not a readable zip archive: %s", path,
				  archive_error_string(ar));
		archive_read_free(ar);
		return rc;
	}
	vg_buf_init(&b, ADV_MAX_RECORD);
	while (rc == VG_OK && (r2 = archive_read_next_header(ar, &ent)) == ARCHIVE_OK) {
		const char *en = archive_entry_pathname(ent);
		char name[1024];
		char chunk[65536];
		la_ssize_t got;
		int too_big = 0;
		int64_t t0;

		if (!en || archive_entry_filetype(ent) != AE_IFREG ||
		    !(has_ext(en, ".json") || is_yaml(en)))
			continue;
		snprintf(name, sizeof(name), "%s!%s", path, en);
		vg_buf_reset(&b);
		t0 = vg_mono_us();
		while ((got = archive_read_data(ar, chunk, sizeof(chunk))) > 0)
			if (vg_buf_add(&b, chunk, (size_t)got) != VG_OK)
				too_big = 1;
		lap(r, &t0, r->st ? &r->st->us_read : NULL);
		if (got < 0) {
			rc = vg_error_set(err, VG_EIO, "%s: %s", name, archive_error_string(ar));
			break;
		}
		if (too_big) {
			char m[1200];
			snprintf(m, sizeof(m), "%s: larger than %u bytes", name, ADV_MAX_RECORD);
			if (r->st)
				r->st->files++;
			skip_msg(r, m);
			continue;
		}
		rc = read_buffer(r, b.data ? b.data : "", b.len, name, err);
	}
	if (rc == VG_OK && r2 != ARCHIVE_EOF && r2 != ARCHIVE_OK)
		rc = vg_error_set(err, VG_EIO, "%s: %s", path, archive_error_string(ar));
	vg_buf_release(&b);
	archive_read_free(ar);
	return rc;
}

static int read_dir(struct rd *r, const char *path, int depth, struct vg_error *err)
{
	struct dirent **ents = NULL;
	int n, rc = VG_OK, dfd;
	int64_t t0 = vg_mono_us();

	if (depth > MAX_DIR_DEPTH)
		return VG_OK;
	n = scandir(path, &ents, NULL, alphasort);
	/* files are opened relative to the folder, and the entry's type saves
	 * a stat() when the file system gives it (a folder of 4,291 records
	 * spent a fifth of a re-import walking paths) */
	dfd = n < 0 ? -1 : open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	lap(r, &t0, r->st ? &r->st->us_read : NULL);
	if (n < 0)
		return vg_error_set(err, VG_EIO, "%s: cannot read the folder", path);
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		char full[4096];
		struct stat sb;
		int isdir, isreg, known_type = 0;
		if (rc != VG_OK || nm[0] == '.') {
			free(ents[i]);
			continue;
		}
		snprintf(full, sizeof(full), "%s/%s", path, nm);
		t0 = vg_mono_us();
#ifdef DT_REG
		if (dfd >= 0 && (ents[i]->d_type == DT_REG || ents[i]->d_type == DT_DIR)) {
			isdir = ents[i]->d_type == DT_DIR;
			isreg = !isdir;
			known_type = 1;
		}
#endif
		if (!known_type) {
			known_type = stat(full, &sb) == 0;
			isdir = known_type && S_ISDIR(sb.st_mode);
			isreg = known_type && S_ISREG(sb.st_mode);
		}
		if (known_type) {
			lap(r, &t0, r->st ? &r->st->us_read : NULL);
			if (isdir)
				rc = read_dir(r, full, depth + 1, err);
			else if (isreg && (has_ext(nm, ".json") || is_yaml(nm)))
				rc = read_file(r, dfd >= 0 ? dfd : AT_FDCWD, dfd >= 0 ? nm : full,
					       full, err);
			else if (isreg && has_ext(nm, ".zip"))
				rc = read_zip(r, full, err);
		}
		free(ents[i]);
	}
	free(ents);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int osv_read_path_known(const char *path, osv_record_fn fn, osv_skip_fn skip,
			const struct osv_known *known, void *arg, struct osv_read_stats *stats,
			struct vg_error *err)
{
	struct rd r = {fn, skip, known, arg, stats, 0, NULL, 0};
	struct stat sb;
	int rc;
	if (stat(path, &sb) != 0)
		return vg_error_set(err, VG_EIO, "%s: no such file or folder", path);
	if (S_ISDIR(sb.st_mode))
		rc = read_dir(&r, path, 0, err);
	else if (has_ext(path, ".zip"))
		rc = read_zip(&r, path, err);
	else
		rc = read_file(&r, AT_FDCWD, path, path, err);
	free(r.buf);
	return rc;
}

int osv_read_path(const char *path, osv_record_fn fn, osv_skip_fn skip, void *arg,
		  struct osv_read_stats *stats, struct vg_error *err)
{
	return osv_read_path_known(path, fn, skip, NULL, arg, stats, err);
}
