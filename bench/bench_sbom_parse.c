/*
 * bench_sbom_parse FILE [ROUNDS] - time sbom_parse() on FILE (best of ROUNDS,
 * default 5) and print MB/s, milliseconds, component and edge counts and the
 * peak resident set size of the process.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/error.h"
#include "core/buf.h"
#include "sbom/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct vg_buf b = VG_BUF_INIT;
	struct vg_error err = {0};
	struct rusage ru;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_sbom_parse FILE [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	if (rounds < 1)
		rounds = 1;
	if (vg_buf_read_file(&b, argv[1], 0, &err)) {
		fprintf(stderr, "%s\n", vg_error_msg(&err));
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	long rss_before = ru.ru_maxrss;
	double best = 1e18;
	size_t comps = 0, edges = 0;
	for (int r = 0; r < rounds; r++) {
		struct sbom_doc *doc;
		double t0 = now_ms();
		if (sbom_parse(b.data, b.len, argv[1], &doc, &err)) {
			fprintf(stderr, "%s\n", vg_error_msg(&err));
			vg_buf_release(&b);
			return 1;
		}
		double t1 = now_ms();
		comps = doc->n_components;
		edges = doc->n_edges;
		sbom_doc_free(doc);
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("sbom_parse %s: %.1f MB in %.1f ms (best of %d) = %.1f MB/s; %zu components, "
	       "%zu edges; peak RSS %.1f MB (%.1f MB before parsing, file included)\n",
	       argv[1], b.len / 1e6, best, rounds, b.len / 1e3 / best, comps, edges,
	       ru.ru_maxrss / 1024.0, rss_before / 1024.0);
	vg_buf_release(&b);
	return 0;
}
