/*
 * osv_scan.c - the readers' fast way: OSV JSON read with the pull scanner
 * (core/jscan.h) straight into struct advisory, without a jansson tree
 * (osv_scan(), osv.h). It accepts exactly the documents the tree's way
 * (vg_json_parse + osv_from_json) reads without a complaint and gives the
 * same advisories; at the first thing that way would refuse or name, it
 * gives up and the caller takes the tree's way, which says what is wrong.
 *
 * What the tree's way refuses and this file therefore checks: malformed
 * JSON, bytes that are not UTF-8, a duplicate member in any object
 * (JSON_REJECT_DUPLICATES), an integer outside 64 bits or a real that
 * overflows, a lone surrogate escape, nesting past its depth; and in a
 * record, everything osv_from_json() checks. Rare shapes it need not read
 * (escaped member names, objects of more than MAX_KEYS members, nesting
 * past MAX_DEPTH) also send the document the tree's way.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/osv.h"
#include "core/clock.h"
#include "core/jscan.h"
#include "core/text.h"
#include "vuln/feed_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define MAX_DEPTH 64 /* below VG_JSON_MAX_DEPTH: deeper documents go the tree's way */
#define MAX_KEYS  64 /* members of one object checked for duplicates */
#define GIVE_UP   (-1)
/* Arena blocks of the advisories of one document, all held until the
 * document is read: small, so that an array of many small records takes
 * about what they need (16 KiB each took 2 GiB for a 64 MiB array). */
#define SCAN_BLOCK 2048

struct sc {
	struct vg_jscan s;
	struct vg_arena *ar; /* the advisory being read */
};

/* Members seen in the current object, for the duplicate check. */
struct keys {
	struct vg_jstr k[MAX_KEYS];
	int n;
};

/* The next member of the object: 1 with *key, 0 at its end, GIVE_UP. */
static int next_key(struct sc *c, struct keys *ks, struct vg_jstr *key)
{
	int r = vg_jscan_key(&c->s, key);
	if (r != 1)
		return r == 0 ? 0 : GIVE_UP;
	if (key->escaped || ks->n == MAX_KEYS)
		return GIVE_UP;
	for (int i = 0; i < ks->n; i++)
		if (ks->k[i].len == key->len && memcmp(ks->k[i].raw, key->raw, key->len) == 0)
			return GIVE_UP; /* a duplicate: the tree's way refuses the document */
	ks->k[ks->n++] = *key;
	return 1;
}

static int is_key(const struct vg_jstr *k, const char *lit)
{
	size_t n = strlen(lit);
	return k->len == n && memcmp(k->raw, lit, n) == 0;
}

/* 1 for a high surrogate escape (\uD800-\uDBFF) at p, 2 for a low one,
 * 0 for anything else (n bytes available). */
static int surrogate_at(const char *p, size_t n)
{
	if (n < 6 || p[0] != '\\' || p[1] != 'u' || (p[2] != 'd' && p[2] != 'D'))
		return 0;
	if (strchr("89abAB", p[3]))
		return 1;
	return strchr("cdefCDEF", p[3]) ? 2 : 0;
}

/* An unpaired surrogate escape: jansson refuses it, the scanner's decoder
 * would make it U+FFFD; not for this path. A pair is read alike. */
static int surrogate_escape(const struct vg_jstr *j)
{
	for (size_t i = 0; i < j->len; i++) {
		int kind;
		if (j->raw[i] != '\\')
			continue;
		kind = surrogate_at(j->raw + i, j->len - i);
		if (kind == 2 || (kind == 1 && surrogate_at(j->raw + i + 6, j->len - i - 6) != 2))
			return 1;
		i += kind == 1 ? 11 : 1; /* the pair, or the escaped character */
	}
	return 0;
}

/* A number as jansson reads it: an integer must fit in 64 bits, a real
 * must not overflow. */
static int number_ok(const struct vg_jstr *raw, int integral)
{
	char buf[400], *end;
	if (raw->len >= sizeof(buf))
		return 0;
	memcpy(buf, raw->raw, raw->len);
	buf[raw->len] = '\0';
	errno = 0;
	if (integral) {
		(void)strtoll(buf, &end, 10);
		return errno != ERANGE;
	}
	{
		double d = strtod(buf, &end);
		return !(errno == ERANGE && (d > 1.0 || d < -1.0));
	}
}

static int skip_value(struct sc *c);

static int skip_object(struct sc *c)
{
	struct keys ks;
	struct vg_jstr k;
	int r;
	ks.n = 0;
	if (vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1)
		if (skip_value(c))
			return GIVE_UP;
	return r;
}

/* Any value, checked as the tree's way would check it. */
static int skip_value(struct sc *c)
{
	struct vg_jstr j;
	int r, integral;
	switch (vg_jscan_peek(&c->s)) {
	case VG_JT_OBJECT:
		return skip_object(c);
	case VG_JT_ARRAY:
		if (vg_jscan_array(&c->s))
			return GIVE_UP;
		while ((r = vg_jscan_item(&c->s)) == 1)
			if (skip_value(c))
				return GIVE_UP;
		return r == 0 ? 0 : GIVE_UP;
	case VG_JT_STRING:
		if (vg_jscan_string(&c->s, &j) || (j.escaped && surrogate_escape(&j)))
			return GIVE_UP;
		return 0;
	case VG_JT_NUMBER:
		if (vg_jscan_number(&c->s, &j, &integral) || !number_ok(&j, integral))
			return GIVE_UP;
		return 0;
	case VG_JT_TRUE:
	case VG_JT_FALSE:
	case VG_JT_NULL:
		return vg_jscan_skip(&c->s) ? GIVE_UP : 0;
	default:
		return GIVE_UP;
	}
}

/* A string value copied into the arena (feed_str_value's rules: no NUL,
 * at most FEED_MAX_STR bytes). */
static int string(struct sc *c, const char **out)
{
	struct vg_jstr j;
	char *p;
	size_t n;
	if (vg_jscan_peek(&c->s) != VG_JT_STRING || vg_jscan_string(&c->s, &j))
		return GIVE_UP;
	if (j.len > FEED_MAX_STR || (j.escaped && surrogate_escape(&j)))
		return GIVE_UP;
	if (!j.escaped) { /* the common case: a packed copy */
		*out = vg_arena_strndup(c->ar, j.raw, j.len);
		return *out ? 0 : GIVE_UP;
	}
	if (!(p = vg_arena_alloc_raw(c->ar, j.len + 1)))
		return GIVE_UP;
	n = vg_jstr_decode(&j, p);
	if (memchr(p, '\0', n))
		return GIVE_UP; /* "string contains a NUL byte" */
	*out = p;
	return 0;
}

/* An optional string member: null is absent. */
static int opt_string(struct sc *c, const char **out)
{
	if (vg_jscan_peek(&c->s) == VG_JT_NULL) {
		*out = NULL;
		return vg_jscan_skip(&c->s) ? GIVE_UP : 0;
	}
	return string(c, out);
}

/* Grow a list being read (elements of size sz) by one: the arena's copy. */
static void *grow(struct sc *c, void *arr, size_t n, size_t *cap, size_t sz)
{
	if (n >= ADV_MAX_LIST)
		return NULL;
	return vg_arena_grow(c->ar, arr, n, cap, sz, 4);
}

/* An array member of strings (feed_str_list): null is absent. */
static int string_list(struct sc *c, const char ***out, size_t *n)
{
	const char **v = NULL;
	size_t cap = 0;
	int r;
	*out = NULL;
	*n = 0;
	if (vg_jscan_peek(&c->s) == VG_JT_NULL)
		return vg_jscan_skip(&c->s) ? GIVE_UP : 0;
	if (vg_jscan_peek(&c->s) != VG_JT_ARRAY || vg_jscan_array(&c->s))
		return GIVE_UP;
	while ((r = vg_jscan_item(&c->s)) == 1) {
		if (!(v = grow(c, v, *n, &cap, sizeof(*v))) || string(c, &v[*n]))
			return GIVE_UP;
		(*n)++;
	}
	*out = v;
	return r == 0 ? 0 : GIVE_UP;
}

/* Enter an array member; 1 when there is one, 0 for null (absent). */
static int open_array(struct sc *c)
{
	enum vg_jtype t = vg_jscan_peek(&c->s);
	if (t == VG_JT_NULL)
		return vg_jscan_skip(&c->s) ? GIVE_UP : 0;
	if (t != VG_JT_ARRAY || vg_jscan_array(&c->s))
		return GIVE_UP;
	return 1;
}

static int time_of(const char *s, int64_t *out)
{
	*out = 0;
	if (!s)
		return 0;
	if (vg_time_parse(s, out, NULL) != VG_OK)
		return GIVE_UP;
	if (*out < 0) /* Go's 0001-01-01: see osv.c */
		*out = 0;
	return 0;
}

static int event(struct sc *c, struct adv_event *ev)
{
	static const char *const kinds[] = {"introduced", "fixed", "last_affected", "limit"};
	struct keys ks;
	struct vg_jstr k;
	int r, found = 0;
	ks.n = 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		int kind = -1;
		for (int i = 0; i < 4; i++)
			if (is_key(&k, kinds[i]))
				kind = i;
		if (kind < 0) {
			if (skip_value(c))
				return GIVE_UP;
			continue;
		}
		if (found || string(c, &ev->version) || !*ev->version)
			return GIVE_UP; /* two kinds, null, not a string, empty */
		ev->kind = (enum adv_event_kind)kind;
		found = 1;
	}
	return r == 0 && found ? 0 : GIVE_UP;
}

static int range(struct sc *c, struct adv_range *out)
{
	struct keys ks;
	struct vg_jstr k;
	const char *type = NULL;
	size_t cap = 0;
	int r, has_events = 0;
	ks.n = 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		if (is_key(&k, "type")) {
			if (opt_string(c, &type))
				return GIVE_UP;
		} else if (is_key(&k, "repo")) {
			if (opt_string(c, &out->repo))
				return GIVE_UP;
		} else if (is_key(&k, "events")) {
			int m;
			if ((m = open_array(c)) != 1)
				return GIVE_UP; /* required */
			has_events = 1;
			while ((m = vg_jscan_item(&c->s)) == 1) {
				struct adv_event *ev;
				if (!(ev = grow(c, out->events, out->n_events, &cap, sizeof(*ev))))
					return GIVE_UP;
				out->events = ev;
				if (event(c, &out->events[out->n_events]))
					return GIVE_UP;
				out->n_events++;
			}
			if (m != 0)
				return GIVE_UP;
		} else if (skip_value(c)) {
			return GIVE_UP;
		}
	}
	if (r != 0 || !type || !has_events || !out->n_events)
		return GIVE_UP;
	if (strcmp(type, "ECOSYSTEM") == 0)
		out->type = ADV_RANGE_ECOSYSTEM;
	else if (strcmp(type, "SEMVER") == 0)
		out->type = ADV_RANGE_SEMVER;
	else if (strcmp(type, "GIT") == 0)
		out->type = ADV_RANGE_GIT;
	else
		return GIVE_UP;
	return 0;
}

static int package(struct sc *c, struct adv_affected *out)
{
	struct keys ks;
	struct vg_jstr k;
	int r;
	ks.n = 0;
	if (vg_jscan_peek(&c->s) == VG_JT_NULL)
		return vg_jscan_skip(&c->s) ? GIVE_UP : 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		int bad;
		if (is_key(&k, "ecosystem"))
			bad = opt_string(c, &out->ecosystem);
		else if (is_key(&k, "name"))
			bad = opt_string(c, &out->name);
		else if (is_key(&k, "purl"))
			bad = opt_string(c, &out->purl);
		else
			bad = skip_value(c);
		if (bad)
			return GIVE_UP;
	}
	if (r != 0 || (out->ecosystem != NULL) != (out->name != NULL))
		return GIVE_UP; /* "expected both ecosystem and name" */
	return 0;
}

static int affected(struct sc *c, struct adv_affected *out)
{
	struct keys ks;
	struct vg_jstr k;
	size_t cap = 0;
	int r;
	ks.n = 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		if (is_key(&k, "package")) {
			if (package(c, out))
				return GIVE_UP;
		} else if (is_key(&k, "ranges")) {
			int m = open_array(c);
			if (m < 0)
				return GIVE_UP;
			while (m == 1 && (m = vg_jscan_item(&c->s)) == 1) {
				struct adv_range *rg;
				if (!(rg = grow(c, out->ranges, out->n_ranges, &cap, sizeof(*rg))))
					return GIVE_UP;
				out->ranges = rg;
				memset(&out->ranges[out->n_ranges], 0, sizeof(*rg));
				if (range(c, &out->ranges[out->n_ranges]))
					return GIVE_UP;
				out->n_ranges++;
			}
			if (m < 0)
				return GIVE_UP;
		} else if (is_key(&k, "versions")) {
			if (string_list(c, &out->versions, &out->n_versions))
				return GIVE_UP;
		} else if (skip_value(c)) {
			return GIVE_UP;
		}
	}
	if (!out->n_ranges)
		out->ranges = NULL;
	return r == 0 ? 0 : GIVE_UP;
}

/* One severity entry {type, score}, both required strings. */
static int severity(struct sc *c, struct adv_severity *out)
{
	struct keys ks;
	struct vg_jstr k;
	int r;
	ks.n = 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		int bad;
		if (is_key(&k, "type"))
			bad = opt_string(c, &out->type);
		else if (is_key(&k, "score"))
			bad = opt_string(c, &out->score);
		else
			bad = skip_value(c);
		if (bad)
			return GIVE_UP;
	}
	return r == 0 && out->type && out->score ? 0 : GIVE_UP;
}

/* One reference {type, url}: url required. */
static int reference(struct sc *c, struct adv_reference *out)
{
	struct keys ks;
	struct vg_jstr k;
	int r;
	ks.n = 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		int bad;
		if (is_key(&k, "type"))
			bad = opt_string(c, &out->type);
		else if (is_key(&k, "url"))
			bad = opt_string(c, &out->url);
		else
			bad = skip_value(c);
		if (bad)
			return GIVE_UP;
	}
	return r == 0 && out->url ? 0 : GIVE_UP;
}

/* database_specific: only a textual severity is read. */
static int db_specific(struct sc *c, const char **sev)
{
	struct keys ks;
	struct vg_jstr k;
	int r;
	ks.n = 0;
	*sev = NULL;
	if (vg_jscan_peek(&c->s) == VG_JT_NULL)
		return vg_jscan_skip(&c->s) ? GIVE_UP : 0;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		int bad;
		if (is_key(&k, "severity") && vg_jscan_peek(&c->s) == VG_JT_STRING)
			bad = string(c, sev);
		else
			bad = skip_value(c);
		if (bad)
			return GIVE_UP;
	}
	return r == 0 ? 0 : GIVE_UP;
}

/* One record object into out (advisory_init()ed). */
static int record(struct sc *c, const char *file, struct advisory *out)
{
	struct keys ks;
	struct vg_jstr k;
	const char *modified = NULL, *published = NULL, *withdrawn = NULL, *dsev = NULL;
	size_t cap_sev = 0, cap_aff = 0, cap_ref = 0;
	int r, m;

	ks.n = 0;
	c->ar = &out->arena;
	if (vg_jscan_peek(&c->s) != VG_JT_OBJECT || vg_jscan_object(&c->s))
		return GIVE_UP;
	while ((r = next_key(c, &ks, &k)) == 1) {
		int bad = 0;
		if (is_key(&k, "id"))
			bad = opt_string(c, &out->id);
		else if (is_key(&k, "modified"))
			bad = opt_string(c, &modified);
		else if (is_key(&k, "published"))
			bad = opt_string(c, &published);
		else if (is_key(&k, "withdrawn"))
			bad = opt_string(c, &withdrawn);
		else if (is_key(&k, "aliases"))
			bad = string_list(c, &out->aliases, &out->n_aliases);
		else if (is_key(&k, "related"))
			bad = string_list(c, &out->related, &out->n_related);
		else if (is_key(&k, "summary"))
			bad = opt_string(c, &out->summary);
		else if (is_key(&k, "details"))
			bad = opt_string(c, &out->details);
		else if (is_key(&k, "database_specific"))
			bad = db_specific(c, &dsev);
		else if (is_key(&k, "severity")) {
			m = open_array(c);
			while (m == 1 && (m = vg_jscan_item(&c->s)) == 1) {
				struct adv_severity *sv =
				    grow(c, out->severity, out->n_severity, &cap_sev, sizeof(*sv));
				if (!sv)
					return GIVE_UP;
				out->severity = sv;
				memset(&sv[out->n_severity], 0, sizeof(*sv));
				if (severity(c, &sv[out->n_severity]))
					return GIVE_UP;
				out->n_severity++;
			}
			bad = m < 0;
		} else if (is_key(&k, "affected")) {
			m = open_array(c);
			while (m == 1 && (m = vg_jscan_item(&c->s)) == 1) {
				struct adv_affected *af =
				    grow(c, out->affected, out->n_affected, &cap_aff, sizeof(*af));
				if (!af)
					return GIVE_UP;
				out->affected = af;
				memset(&af[out->n_affected], 0, sizeof(*af));
				if (affected(c, &af[out->n_affected]))
					return GIVE_UP;
				out->n_affected++;
			}
			bad = m < 0;
		} else if (is_key(&k, "references")) {
			m = open_array(c);
			while (m == 1 && (m = vg_jscan_item(&c->s)) == 1) {
				struct adv_reference *rf =
				    grow(c, out->refs, out->n_refs, &cap_ref, sizeof(*rf));
				if (!rf)
					return GIVE_UP;
				out->refs = rf;
				memset(&rf[out->n_refs], 0, sizeof(*rf));
				if (reference(c, &rf[out->n_refs]))
					return GIVE_UP;
				out->n_refs++;
			}
			bad = m < 0;
		} else {
			bad = skip_value(c);
		}
		if (bad)
			return GIVE_UP;
	}
	if (r != 0 || !out->id || !*out->id || !modified)
		return GIVE_UP;
	if (time_of(modified, &out->modified) || time_of(published, &out->published) ||
	    time_of(withdrawn, &out->withdrawn))
		return GIVE_UP;
	if (dsev) { /* after the severity array, as osv_from_json() puts it */
		struct adv_severity *sv =
		    grow(c, out->severity, out->n_severity, &cap_sev, sizeof(*sv));
		if (!sv)
			return GIVE_UP;
		out->severity = sv;
		sv[out->n_severity].type = "database_specific";
		sv[out->n_severity].score = dsev;
		out->n_severity++;
	}
	if (!out->n_affected)
		out->affected = NULL;
	if (!out->n_refs)
		out->refs = NULL;
	out->source = "osv";
	out->file = vg_arena_strdup(&out->arena, file ? file : "(input)");
	return out->file ? 0 : GIVE_UP;
}

/* Every byte UTF-8 (what jansson checks in strings; outside them anything
 * but ASCII is a syntax error anyway). */
static int utf8_ok(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t l;
		if (!((unsigned char)p[i] & 0x80)) {
			i++;
			continue;
		}
		if (!(l = vg_utf8_decode(p + i, n - i, &cp)))
			return 0;
		i += l;
	}
	return 1;
}

void osv_scan_free(struct advisory *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		advisory_release(&v[i]);
	free(v);
}

int osv_scan(const char *data, size_t n, const char *file, struct advisory **out, size_t *nout)
{
	struct sc c;
	struct advisory *v = NULL;
	size_t cap = 0, k = 0;
	int ok = 0;

	*out = NULL;
	*nout = 0;
	if (!utf8_ok(data, n))
		return 0;
	vg_jscan_init(&c.s, data, n, MAX_DEPTH);
	if (vg_jscan_peek(&c.s) == VG_JT_OBJECT) {
		if (!(v = malloc(sizeof(*v))))
			return 0;
		advisory_init(&v[0]);
		vg_arena_init_block(&v[0].arena, ADV_ARENA_MAX, SCAN_BLOCK);
		k = 1;
		ok = record(&c, file, &v[0]) == 0 && vg_jscan_end(&c.s) == 0;
	} else if (vg_jscan_peek(&c.s) == VG_JT_ARRAY && vg_jscan_array(&c.s) == 0) {
		int r;
		ok = 1;
		while (ok && (r = vg_jscan_item(&c.s)) == 1) {
			if (k == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct advisory *nv = realloc(v, nc * sizeof(*nv));
				if (!nv) {
					ok = 0;
					break;
				}
				v = nv;
				cap = nc;
			}
			advisory_init(&v[k]);
			vg_arena_init_block(&v[k].arena, ADV_ARENA_MAX, SCAN_BLOCK);
			ok = record(&c, file, &v[k++]) == 0;
		}
		ok = ok && r == 0 && vg_jscan_end(&c.s) == 0;
	}
	if (!ok) {
		osv_scan_free(v, k);
		return 0;
	}
	*out = v;
	*nout = k;
	return 1;
}
