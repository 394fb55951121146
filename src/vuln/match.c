/*
 * match.c - OSV range evaluation and the (ecosystem, name) index.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/match.h"
#include "core/error.h"
#include "ident/purl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static int ev_cmp(const void *pa, const void *pb)
{
	const struct match_event *a = pa, *b = pb;
	int c;
	if (a->zero || b->zero)
		c = (b->zero - a->zero);
	else
		c = version_cmp_parsed(&a->v, &b->v);
	if (c)
		return c;
	/* Equal versions: introduced first, so "introduced X, fixed X" is empty. */
	return (int)a->kind - (int)b->kind;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void match_pkg_release(struct match_pkg *m)
{
	for (uint32_t r = 0; m->ranges && r < m->n_ranges; r++) {
		for (uint32_t e = 0; e < m->ranges[r].n; e++)
			version_release(&m->ranges[r].ev[e].v);
		free(m->ranges[r].ev);
	}
	free(m->ranges);
	free(m->versions); /* strings live in the same block */
	free(m->release);
	memset(m, 0, sizeof(*m));
}

static int oom(struct vg_error *err)
{
	return vg_error_set(err, VG_ENOMEM, "out of memory");
}

int match_pkg_compile(const struct adv_affected *af, struct match_pkg *out, struct vg_error *err)
{
	const char *colon = af->ecosystem ? strchr(af->ecosystem, ':') : NULL;
	memset(out, 0, sizeof(*out));
	out->scheme_ok =
	    af->ecosystem && version_scheme_lookup(af->ecosystem, &out->scheme, NULL) == VG_OK;
	if (colon && colon[1] && !(out->release = strdup(colon + 1)))
		return oom(err);
	if (af->n_versions) {
		/* One block: the pointer array, then the strings (PyPI and OSS-Fuzz
		 * records list hundreds of versions; one malloc each would dominate). */
		size_t total = 0;
		char *p;
		for (size_t i = 0; i < af->n_versions; i++)
			total += strlen(af->versions[i]) + 1;
		out->versions = malloc(af->n_versions * sizeof(char *) + total);
		if (!out->versions)
			return oom(err);
		p = (char *)(out->versions + af->n_versions);
		for (size_t i = 0; i < af->n_versions; i++) {
			size_t l = strlen(af->versions[i]) + 1;
			memcpy(p, af->versions[i], l);
			out->versions[i] = p;
			p += l;
		}
		out->n_versions = (uint32_t)af->n_versions;
		qsort(out->versions, out->n_versions, sizeof(char *), str_cmp);
	}
	if (af->n_ranges) {
		out->ranges = calloc(af->n_ranges, sizeof(*out->ranges));
		if (!out->ranges)
			return oom(err);
	}
	for (size_t r = 0; r < af->n_ranges; r++) {
		const struct adv_range *ar = &af->ranges[r];
		struct match_range *mr = &out->ranges[out->n_ranges++];
		enum version_scheme s = out->scheme;
		mr->type = (uint8_t)ar->type;
		if (ar->type == ADV_RANGE_GIT)
			continue;
		if (ar->type == ADV_RANGE_SEMVER)
			s = out->scheme_ok && out->scheme == VS_GO ? VS_GO : VS_SEMVER;
		else if (!out->scheme_ok) {
			out->bad_ranges++;
			continue;
		}
		mr->ev = calloc(ar->n_events ? ar->n_events : 1, sizeof(*mr->ev));
		if (!mr->ev)
			return oom(err);
		mr->usable = 1;
		for (size_t e = 0; e < ar->n_events; e++) {
			struct match_event *me = &mr->ev[mr->n];
			me->kind = (uint8_t)ar->events[e].kind;
			if (me->kind == ADV_INTRODUCED && strcmp(ar->events[e].version, "0") == 0) {
				me->zero = 1;
				mr->n++;
				continue;
			}
			{
				struct vg_error ve = {0};
				int vr = version_parse(s, ar->events[e].version, &me->v, &ve);
				if (vr == VG_ENOMEM)
					return oom(err);
				if (vr != VG_OK) {
					mr->usable = 0;
					break;
				}
			}
			mr->n++;
		}
		if (!mr->usable)
			out->bad_ranges++;
		else
			qsort(mr->ev, mr->n, sizeof(*mr->ev), ev_cmp);
	}
	return VG_OK;
}

static const char *const kind_names[] = {"introduced", "fixed", "last_affected", "limit"};
static const char *const type_names[] = {"ECOSYSTEM", "SEMVER", "GIT"};

static const char *ev_text(const struct match_event *e)
{
	return e->zero ? "0" : e->v.text;
}

/* Evaluate one sorted range; on a hit *from / *to are the events bounding
 * the interval (to may be -1: unbounded). */
static int range_test(const struct match_range *r, const struct version *v, int *from, int *to)
{
	int affected = 0, open = -1;
	for (uint32_t i = 0; i < r->n; i++) {
		const struct match_event *e = &r->ev[i];
		int c = e->zero ? 1 : version_cmp_parsed(v, &e->v);
		switch (e->kind) {
		case ADV_INTRODUCED:
			if (c >= 0 && !affected) {
				affected = 1;
				open = (int)i;
			}
			break;
		case ADV_FIXED:
			if (c >= 0)
				affected = 0;
			break;
		case ADV_LAST_AFFECTED:
			if (c > 0)
				affected = 0;
			break;
		case ADV_LIMIT:
			break;
		}
	}
	for (uint32_t i = 0; affected && i < r->n; i++)
		if (r->ev[i].kind == ADV_LIMIT && version_cmp_parsed(v, &r->ev[i].v) >= 0)
			affected = 0;
	if (!affected)
		return 0;
	*from = open;
	*to = -1;
	for (uint32_t i = (uint32_t)open + 1; i < r->n; i++)
		if (r->ev[i].kind != ADV_INTRODUCED) {
			*to = (int)i;
			break;
		}
	return 1;
}

void match_vcache_init(struct match_vcache *c, const char *text)
{
	memset(c, 0, sizeof(*c));
	c->text = text;
}

void match_vcache_release(struct match_vcache *c)
{
	/* the versions borrow c->text (vcache_get): nothing to free */
	memset(c->state, 0, sizeof(c->state));
}

static const struct version *vcache_get(struct match_vcache *c, enum version_scheme s)
{
	if (!c->text || !*c->text)
		return NULL;
	/* validated, not copied: c->text outlives the cache, and a query that
	 * cannot fail for memory cannot miss a match for it */
	if (!c->state[s]) {
		c->v[s].scheme = s;
		c->v[s].text = (char *)c->text;
		c->state[s] = version_validate(s, c->text, NULL) == VG_OK ? 1 : -1;
	}
	return c->state[s] == 1 ? &c->v[s] : NULL;
}

int match_pkg_test(const struct match_pkg *m, struct match_vcache *c, struct match_why *why)
{
	for (uint32_t r = 0; r < m->n_ranges; r++) {
		const struct match_range *mr = &m->ranges[r];
		const struct version *v = NULL;
		int from, to;
		if (!mr->usable)
			continue;
		for (uint32_t e = 0; e < mr->n && !v; e++)
			if (!mr->ev[e].zero)
				v = vcache_get(c, mr->ev[e].v.scheme);
		if (!v) {
			/* Only introduced "0": every version of the scheme. */
			int only_zero = 1;
			for (uint32_t e = 0; e < mr->n; e++)
				only_zero &= mr->ev[e].zero;
			if (!only_zero || !m->scheme_ok ||
			    !(v = vcache_get(c, mr->type == ADV_RANGE_SEMVER && m->scheme != VS_GO
						    ? VS_SEMVER
						    : m->scheme)))
				continue;
		}
		if (range_test(mr, v, &from, &to)) {
			if (why) {
				why->by_versions = 0;
				why->range = (int)r;
				if (to >= 0)
					snprintf(why->text, sizeof(why->text),
						 "%s introduced %s, %s %s", type_names[mr->type],
						 ev_text(&mr->ev[from]),
						 kind_names[mr->ev[to].kind], ev_text(&mr->ev[to]));
				else
					snprintf(why->text, sizeof(why->text), "%s introduced %s",
						 type_names[mr->type], ev_text(&mr->ev[from]));
			}
			return 1;
		}
	}
	if (c->text && m->n_versions &&
	    bsearch(&c->text, m->versions, m->n_versions, sizeof(char *), str_cmp)) {
		if (why) {
			why->by_versions = 1;
			why->range = -1;
			snprintf(why->text, sizeof(why->text), "versions list contains %s",
				 c->text);
		}
		return 1;
	}
	return 0;
}

void match_pkg_fixed(const struct match_pkg *m, char *out, size_t outsz)
{
	size_t n = 0;
	if (!outsz)
		return;
	out[0] = '\0';
	for (uint32_t r = 0; r < m->n_ranges; r++)
		for (uint32_t e = 0; m->ranges[r].usable && e < m->ranges[r].n; e++) {
			const struct match_event *ev = &m->ranges[r].ev[e];
			int w;
			if (ev->kind != ADV_FIXED)
				continue;
			w = snprintf(out + n, outsz - n, "%s%s", n ? ", " : "", ev->v.text);
			if (w < 0 || (size_t)w >= outsz - n)
				return;
			n += (size_t)w;
		}
}

/* ---- releases ---- */

static const struct {
	const char *name, *num;
} codenames[] = {
    {"stretch", "9"}, {"buster", "10"},   {"bullseye", "11"}, {"bookworm", "12"},
    {"trixie", "13"}, {"focal", "20.04"}, {"jammy", "22.04"}, {"noble", "24.04"},
};

int match_release_ok(const char *rel, const char *comp)
{
	const char *c, *dash;
	size_t rl;
	if (!rel || !*rel || !comp || !*comp)
		return 1;
	c = comp;
	dash = strrchr(c, '-');
	if (dash)
		c = dash + 1;
	for (size_t i = 0; i < sizeof(codenames) / sizeof(codenames[0]); i++)
		if (strcasecmp(c, codenames[i].name) == 0)
			c = codenames[i].num;
	if (*c == 'v')
		c++;
	if (*rel == 'v')
		rel++;
	/* "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS": compare the numeric part. */
	while (*rel && !(*rel >= '0' && *rel <= '9'))
		rel = strchr(rel, ':') ? strchr(rel, ':') + 1 : rel + strlen(rel);
	if (!*rel)
		return 1;
	rl = strcspn(rel, ":");
	if (strncmp(c, rel, rl) == 0 && (c[rl] == '\0' || c[rl] == '.'))
		return 1;
	return 0;
}

int match_key_from_purl(const char *purl, struct match_key *out, struct vg_error *err)
{
	struct purl p = {0};
	const char *eco, *up, *distro;
	char *name = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = purl_parse(purl, 0, &p, err);
	if (rc)
		return rc;
	eco = purl_osv_ecosystem(&p);
	if (!eco) {
		rc = vg_error_set(err, VG_ENOTFOUND, "%.200s: no OSV ecosystem for purl type %s",
				  purl, p.type);
		goto out;
	}
	snprintf(out->eco, sizeof(out->eco), "%s", eco);
	up = purl_qualifier(&p, "upstream");
	if (!up)
		up = purl_qualifier(&p, "source");
	if (up && (strcmp(p.type, "deb") == 0 || strcmp(p.type, "rpm") == 0 ||
		   strcmp(p.type, "apk") == 0)) {
		size_t n = strcspn(up, " (@");
		if (n > 0 && n < sizeof(out->name)) {
			char tmp[512];
			memcpy(tmp, up, n);
			tmp[n] = '\0';
			/* An SRPM file name ("x-1.0-1.src.rpm") is not a package name. */
			if (!strstr(tmp, ".src.rpm"))
				advisory_norm_name(eco, tmp, out->name, sizeof(out->name));
		}
	}
	if (!out->name[0]) {
		name = purl_osv_name(&p);
		if (!name || advisory_norm_name(eco, name, out->name, sizeof(out->name)) != 0) {
			rc = vg_error_set(err, name ? VG_ETOOBIG : VG_ENOMEM,
					  "%.200s: package name too long", purl);
			goto out;
		}
	}
	if (p.version)
		snprintf(out->version, sizeof(out->version), "%s", p.version);
	distro = purl_qualifier(&p, "distro");
	if (distro)
		snprintf(out->release, sizeof(out->release), "%s", distro);
	/* Red Hat and SUSE advisories carry the full EVR: add the epoch qualifier. */
	if (p.version && strcmp(p.type, "rpm") == 0 && purl_qualifier(&p, "epoch") &&
	    !strchr(p.version, ':'))
		snprintf(out->version, sizeof(out->version), "%s:%s", purl_qualifier(&p, "epoch"),
			 p.version);
out:
	free(name);
	purl_release(&p);
	return rc;
}

/* ---- the index ---- */

struct entry {
	uint32_t adv;
	uint32_t next; /* next entry of the same key, UINT32_MAX at the end */
	struct match_pkg pkg;
};

struct slot {
	char *key; /* "eco\037name" */
	uint32_t hash;
	uint32_t head;
};

struct idslot {
	uint32_t hash;
	uint32_t adv; /* UINT32_MAX empty */
};

struct match_index {
	struct match_adv *advs;
	size_t n_advs, cap_advs;
	struct entry *ents;
	size_t n_ents, cap_ents;
	struct slot *slots;
	size_t n_slots, used_slots;
	struct idslot *ids;
	size_t n_ids, used_ids;
	size_t bad_ranges;
};

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

struct match_index *match_index_new(void)
{
	return calloc(1, sizeof(struct match_index));
}

static void adv_free(struct match_adv *a)
{
	free(a->id);
	free(a->vuln_id);
	for (size_t i = 0; a->aliases && a->aliases[i]; i++)
		free(a->aliases[i]);
	free(a->aliases);
}

void match_index_free(struct match_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n_advs; i++)
		adv_free(&ix->advs[i]);
	for (size_t i = 0; i < ix->n_ents; i++)
		match_pkg_release(&ix->ents[i].pkg);
	for (size_t i = 0; i < ix->n_slots; i++)
		free(ix->slots[i].key);
	free(ix->advs);
	free(ix->ents);
	free(ix->slots);
	free(ix->ids);
	free(ix);
}

static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t nc;
	void *np;
	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	np = realloc(*p, nc * sz);
	if (!np)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

static int rehash_slots(struct match_index *ix)
{
	size_t nn = ix->n_slots ? ix->n_slots * 2 : 1024;
	struct slot *ns = calloc(nn, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < ix->n_slots; i++) {
		size_t j;
		if (!ix->slots[i].key)
			continue;
		for (j = ix->slots[i].hash & (nn - 1); ns[j].key; j = (j + 1) & (nn - 1))
			;
		ns[j] = ix->slots[i];
	}
	free(ix->slots);
	ix->slots = ns;
	ix->n_slots = nn;
	return 0;
}

static int rehash_ids(struct match_index *ix)
{
	size_t nn = ix->n_ids ? ix->n_ids * 2 : 1024;
	struct idslot *ns = malloc(nn * sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < nn; i++)
		ns[i].adv = UINT32_MAX;
	for (size_t i = 0; i < ix->n_ids; i++) {
		size_t j;
		if (ix->ids[i].adv == UINT32_MAX)
			continue;
		for (j = ix->ids[i].hash & (nn - 1); ns[j].adv != UINT32_MAX;
		     j = (j + 1) & (nn - 1))
			;
		ns[j] = ix->ids[i];
	}
	free(ix->ids);
	ix->ids = ns;
	ix->n_ids = nn;
	return 0;
}

static struct slot *find_slot(const struct match_index *ix, const char *key, size_t kl, uint32_t h)
{
	if (!ix->n_slots)
		return NULL;
	for (size_t j = h & (ix->n_slots - 1);; j = (j + 1) & (ix->n_slots - 1)) {
		struct slot *s = &ix->slots[j];
		if (!s->key || (s->hash == h && strncmp(s->key, key, kl) == 0 && !s->key[kl]))
			return s;
	}
}

static size_t make_key(char *buf, size_t sz, const char *eco, const char *name)
{
	char base[48];
	int n;
	advisory_eco_base(eco, base, sizeof(base));
	n = snprintf(buf, sz, "%s\037%s", base, name);
	return n < 0 || (size_t)n >= sz ? 0 : (size_t)n;
}

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int match_index_add(struct match_index *ix, const struct advisory *a, const char *vuln_id,
		    struct vg_error *err)
{
	struct match_adv *ma;
	uint32_t ai, h = fnv(a->id, strlen(a->id));
	double score = -1;

	/* Replace an older copy with the same id. */
	if ((ix->used_ids + 1) * 2 > ix->n_ids && rehash_ids(ix))
		return oom(err);
	size_t j;
	for (j = h & (ix->n_ids - 1); ix->ids[j].adv != UINT32_MAX; j = (j + 1) & (ix->n_ids - 1))
		if (ix->ids[j].hash == h && strcmp(ix->advs[ix->ids[j].adv].id, a->id) == 0)
			break;
	if (grow((void **)&ix->advs, &ix->cap_advs, ix->n_advs + 1, sizeof(*ix->advs)))
		return oom(err);
	ai = (uint32_t)ix->n_advs;
	ma = &ix->advs[ai];
	memset(ma, 0, sizeof(*ma));
	ma->id = dup(a->id);
	ma->vuln_id = dup(vuln_id ? vuln_id : advisory_canonical_id(a));
	ma->aliases = calloc(a->n_aliases + 1, sizeof(char *));
	if (!ma->id || !ma->vuln_id || !ma->aliases) {
		adv_free(ma);
		return oom(err);
	}
	for (size_t i = 0; i < a->n_aliases; i++)
		if (!(ma->aliases[i] = dup(a->aliases[i]))) {
			adv_free(ma);
			return oom(err);
		}
	ix->n_advs++;
	ma->severity = advisory_severity(a, &score);
	ma->score = score;
	ma->modified = a->modified;
	snprintf(ma->source, sizeof(ma->source), "%s", a->source ? a->source : "osv");
	ma->withdrawn = a->withdrawn != 0;
	if (ix->ids[j].adv != UINT32_MAX) {
		ix->advs[ix->ids[j].adv].removed = 1;
	} else {
		ix->ids[j].hash = h;
		ix->used_ids++;
	}
	ix->ids[j].adv = ai;

	for (size_t i = 0; i < a->n_affected; i++) {
		const struct adv_affected *af = &a->affected[i];
		char key[640], norm[512];
		size_t kl;
		uint32_t kh;
		struct slot *s;
		struct entry *e;
		if (!af->ecosystem || !af->name ||
		    advisory_norm_name(af->ecosystem, af->name, norm, sizeof(norm)) != 0)
			continue;
		kl = make_key(key, sizeof(key), af->ecosystem, norm);
		if (!kl)
			continue;
		if ((ix->used_slots + 1) * 2 > ix->n_slots && rehash_slots(ix))
			return oom(err);
		if (grow((void **)&ix->ents, &ix->cap_ents, ix->n_ents + 1, sizeof(*ix->ents)))
			return oom(err);
		e = &ix->ents[ix->n_ents];
		memset(e, 0, sizeof(*e));
		if (match_pkg_compile(af, &e->pkg, err)) {
			match_pkg_release(&e->pkg);
			return VG_ENOMEM;
		}
		ix->bad_ranges += e->pkg.bad_ranges;
		e->adv = ai;
		kh = fnv(key, kl);
		s = find_slot(ix, key, kl, kh);
		if (!s->key) {
			if (!(s->key = strdup(key))) {
				match_pkg_release(&e->pkg);
				return oom(err);
			}
			s->hash = kh;
			s->head = UINT32_MAX;
			ix->used_slots++;
		}
		e->next = s->head;
		s->head = (uint32_t)ix->n_ents;
		ix->n_ents++;
	}
	return VG_OK;
}

void match_index_stats(const struct match_index *ix, size_t *advisories, size_t *entries,
		       size_t *bad_ranges)
{
	if (advisories)
		*advisories = ix->used_ids;
	if (entries)
		*entries = ix->n_ents;
	if (bad_ranges)
		*bad_ranges = ix->bad_ranges;
}

size_t match_index_query(const struct match_index *ix, const struct match_key *k, match_hit_fn fn,
			 void *arg)
{
	char key[640];
	size_t kl = make_key(key, sizeof(key), k->eco, k->name), hits = 0;
	struct match_vcache vc;
	struct slot *s;

	if (!kl || !k->version[0])
		return 0;
	s = find_slot(ix, key, kl, fnv(key, kl));
	if (!s || !s->key)
		return 0;
	match_vcache_init(&vc, k->version);
	for (uint32_t i = s->head; i != UINT32_MAX; i = ix->ents[i].next) {
		const struct entry *e = &ix->ents[i];
		const struct match_adv *a = &ix->advs[e->adv];
		struct match_why why;
		if (a->removed || a->withdrawn || !match_release_ok(e->pkg.release, k->release))
			continue;
		if (match_pkg_test(&e->pkg, &vc, &why)) {
			hits++;
			if (fn)
				fn(arg, a, &e->pkg, &why);
		}
	}
	match_vcache_release(&vc);
	return hits;
}
