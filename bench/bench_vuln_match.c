/*
 * bench_vuln_match DB SBOM RUNS - the match index of a vigil database:
 * cold start (every stored advisory loaded and compiled into the in-memory
 * index, as `vigil serve` does at start) and warm matching of one
 * CycloneDX JSON SBOM's components against it (purl to match key, index
 * lookup, range evaluation), RUNS times. Prints one line of key=value
 * figures: load_ms, rss_mib (after the load), advisories, entries,
 * components, hits, match_best_ms, match_median_ms.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "store/store.h"
#include "vuln/match.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = atol(line + 6);
	if (f)
		fclose(f);
	return kib;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* Nanoseconds, monotonic: a warm match is a few milliseconds. */
static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct vg_error err = {0};
	struct store *s = NULL;
	struct match_index *ix;
	struct vg_buf b;
	json_t *doc, *comps, *c;
	const char **purls;
	size_t n = 0, i, advs = 0, ents = 0, hits = 0;
	long long t0, load_ns, *runs;
	int nruns;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_vuln_match DB SBOM RUNS\n");
		return 2;
	}
	nruns = atoi(argv[3]) > 0 ? atoi(argv[3]) : 5;
	if (store_open(argv[1], 0, &s, &err) != VG_OK) {
		fprintf(stderr, "bench_vuln_match: %s\n", vg_error_msg(&err));
		return 1;
	}
	ix = match_index_new();
	t0 = now_ns();
	if (!ix || vulndb_load_index(s, ix, &err) != VG_OK) {
		fprintf(stderr, "bench_vuln_match: %s\n", vg_error_msg(&err));
		return 1;
	}
	load_ns = now_ns() - t0;
	match_index_stats(ix, &advs, &ents, NULL);

	vg_buf_init(&b, 1u << 30);
	if (vg_buf_read_file(&b, argv[2], 1u << 30, &err) != VG_OK ||
	    !(doc = vg_json_parse(b.data, b.len, argv[2], &err))) {
		fprintf(stderr, "bench_vuln_match: %s\n", vg_error_msg(&err));
		return 1;
	}
	comps = json_object_get(doc, "components");
	purls = calloc(json_array_size(comps) + 1, sizeof(char *));
	json_array_foreach(comps, i, c) if (vg_json_str(c, "purl")) purls[n++] =
	    vg_json_str(c, "purl");
	runs = calloc((size_t)nruns, sizeof(long long));
	for (int r = 0; r < nruns; r++) {
		size_t h = 0;
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			struct match_key k;
			if (match_key_from_purl(purls[i], &k, NULL) == VG_OK)
				h += match_index_query(ix, &k, NULL, NULL);
		}
		runs[r] = now_ns() - t0;
		hits = h;
	}
	qsort(runs, (size_t)nruns, sizeof(long long), cmp_ll);
	printf("load_ms=%.1f rss_mib=%.1f advisories=%zu entries=%zu components=%zu hits=%zu "
	       "match_best_ms=%.2f match_median_ms=%.2f\n",
	       (double)load_ns / 1e6, (double)rss_kib() / 1024.0, advs, ents, n, hits,
	       (double)runs[0] / 1e6, (double)runs[nruns / 2] / 1e6);
	free(runs);
	free(purls);
	json_decref(doc);
	vg_buf_release(&b);
	match_index_free(ix);
	store_close(s);
	return 0;
}
