/*
 * bench_gen_sbom N OUT [--next] - write a CycloneDX 1.6 JSON BOM of N
 * components for `make bench` (scripts/bench.sh), valid against the official
 * schema: npm purls, SHA-256 and SHA-1 hashes, licenses (ids, names and
 * expressions), external references, properties, one nested component in
 * every hundred, and a dependency graph (the root depends on the first hundred
 * components, each component on up to three distinct later ones).
 *
 * --next writes the next release of the same product: every 20th component
 * (5%) has its patch version bumped, every 100th (1%) is gone together with
 * every edge naming it, and one new component per hundred (1%) is added.
 * bom-refs do not carry the version, so the graph of both releases is the same
 * apart from the removed components. Deterministic: the same arguments give
 * the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lic[] = {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC"};

/* splitmix64: a hash of (i, salt), so that both releases agree on a component */
static uint64_t mix(uint64_t i, uint64_t salt)
{
	uint64_t z = i * 0x9e3779b97f4a7c15ull + salt * 0xbf58476d1ce4e5b9ull + 1;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void hex(FILE *f, long i, int salt, int n)
{
	static const char d[] = "0123456789abcdef";
	for (int k = 0; k < n; k += 16) {
		uint64_t h = mix((uint64_t)i, (uint64_t)(salt * 8 + k / 16));
		for (int j = 0; j < 16 && k + j < n; j++, h >>= 4)
			fputc(d[h & 15], f);
	}
}

static int removed(long i, int next)
{
	return next && i % 100 == 7;
}

static int bumped(long i, int next)
{
	return next && i % 20 == 3;
}

static void version(long i, int next, char *out, size_t cap)
{
	snprintf(out, cap, "%ld.%ld.%ld", i % 7, i % 13, i % 5 + (bumped(i, next) ? 1 : 0));
}

/* The members of component i, without the closing brace; name is "pkg" or
 * "newpkg", ref its bom-ref. */
static void component(FILE *f, long i, int next, const char *name, const char *ref)
{
	char v[32];
	version(i, next, v, sizeof(v));
	fprintf(f,
		"{\"type\":\"library\",\"bom-ref\":\"%s\",\"supplier\":{\"name\":\"Vendor %ld\"},"
		"\"group\":\"@scope%ld\",\"name\":\"%s-%ld\",\"version\":\"%s\","
		"\"description\":\"Generated package number %ld for benchmarks\","
		"\"scope\":\"required\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"",
		ref, i % 50, i % 10, name, i, v, i);
	hex(f, i, bumped(i, next) ? 2 : 0, 64);
	fputs("\"},{\"alg\":\"SHA-1\",\"content\":\"", f);
	hex(f, i, bumped(i, next) ? 3 : 1, 40);
	fputs("\"}],\"licenses\":[", f);
	switch (i % 3) {
	case 0:
		fprintf(f, "{\"license\":{\"id\":\"%s\"}}", lic[i % 4]);
		break;
	case 1:
		fprintf(f, "{\"expression\":\"%s OR %s\"}", lic[i % 4], lic[(i + 1) % 4]);
		break;
	default:
		fprintf(f,
			"{\"license\":{\"id\":\"%s\"}},{\"license\":{\"name\":\"Custom License "
			"%ld\"}}",
			lic[i % 4], i % 9);
	}
	fprintf(f,
		"],\"purl\":\"pkg:npm/%%40scope%ld/%s-%ld@%s\",\"externalReferences\":["
		"{\"type\":\"vcs\",\"url\":\"https://git.example.com/%s-%ld.git\"},"
		"{\"type\":\"website\",\"url\":\"https://example.com/%s-%ld\"}],"
		"\"properties\":[{\"name\":\"cdx:npm:package:path\",\"value\":\"node_modules/"
		"%s-%ld\"}]",
		i % 10, name, i, v, name, i, name, i, name, i);
}

/* Up to three distinct later components that i depends on, in to[]. */
static int targets(long i, long n, int next, long to[3])
{
	int k = 0;
	for (int d = 1; d <= 3; d++) {
		long j = i + d * (long)(1 + mix((uint64_t)i, (uint64_t)(100 + d)) % 50);
		int dup = 0;
		for (int m = 0; m < k; m++)
			dup |= to[m] == j;
		if (j < n && !removed(j, next) && !dup)
			to[k++] = j;
	}
	return k;
}

int main(int argc, char **argv)
{
	long n, top = 0, nested = 0, added = 0, count = 0;
	int next;
	FILE *f;
	char ref[48];

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--next") != 0)) {
		fprintf(stderr, "usage: bench_gen_sbom N OUT [--next]\n");
		return 2;
	}
	n = strtol(argv[1], NULL, 10);
	next = argc == 4;
	if (n < 1 || n > 10000000) {
		fprintf(stderr, "bench_gen_sbom: N must be 1 to 10000000\n");
		return 2;
	}
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f,
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"serialNumber\":"
		"\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b7%c\",\"version\":1,"
		"\"metadata\":{\"timestamp\":\"2025-0%c-01T00:00:00Z\",\"tools\":{\"components\":"
		"[{\"type\":\"application\",\"name\":\"bench_gen_sbom\",\"version\":\"1\"}]},"
		"\"component\":{\"type\":\"application\",\"bom-ref\":\"root\",\"name\":"
		"\"bench-app\",\"version\":\"%s\"}},\"components\":[",
		next ? 'a' : '9', next ? '2' : '1', next ? "1.1.0" : "1.0.0");
	for (long i = 0; i < n; i++) {
		int with_child = i % 100 == 99 && i + 1 < n;
		if (removed(i, next))
			continue;
		fputs(top ? "," : "", f);
		snprintf(ref, sizeof(ref), "c-%ld", i);
		component(f, i, next, "pkg", ref);
		top++;
		if (with_child) {
			i++;
			snprintf(ref, sizeof(ref), "c-%ld", i);
			fputs(",\"components\":[", f);
			component(f, i, next, "subpkg", ref);
			fputs("}]", f);
			nested++;
		}
		fputs("}", f);
		if (next && i % 100 == 11) {
			snprintf(ref, sizeof(ref), "new-%ld", i);
			fputc(',', f);
			component(f, i, next, "newpkg", ref);
			fputs("}", f);
			added++;
		}
	}
	fputs("],\"dependencies\":[{\"ref\":\"root\",\"dependsOn\":[", f);
	for (long i = 0, k = 0; i < n && i < 100; i++)
		if (!removed(i, next))
			fprintf(f, "%s\"c-%ld\"", k++ ? "," : "", i);
	fputs("]}", f);
	for (long i = 0; i < n; i++) {
		long to[3];
		int k;
		if (removed(i, next))
			continue;
		k = targets(i, n, next, to);
		fprintf(f, ",{\"ref\":\"c-%ld\",\"dependsOn\":[", i);
		for (int m = 0; m < k; m++)
			fprintf(f, "%s\"c-%ld\"", m ? "," : "", to[m]);
		fputs("]}", f);
	}
	fputs("]}\n", f);
	if (ferror(f) | fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	count = top + nested + added;
	/* the count line is read by scripts/bench.sh */
	printf("components %ld\n", count);
	fprintf(stderr,
		"wrote %s: %ld components (%ld nested, %ld added in this release) + "
		"metadata.component\n",
		argv[2], count, nested, added);
	return 0;
}
