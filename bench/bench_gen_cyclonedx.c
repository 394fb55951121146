/*
 * bench_gen_cyclonedx N OUT - write a CycloneDX 1.6 JSON BOM with N
 * components (npm-style purls, two hashes each, licenses as ids, names and
 * expressions, external references, properties, one nested component in
 * every hundred) and a dependency graph (each component depends on up to
 * three later ones; the root on the first hundred). Deterministic: the same N
 * gives the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void hex(FILE *f, int n)
{
	static const char d[] = "0123456789abcdef";
	for (int i = 0; i < n; i++)
		fputc(d[next() & 15], f);
}

static void component(FILE *f, long i, int nested_child)
{
	static const char *const lic[] = {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC"};
	fprintf(
	    f,
	    "{\"type\":\"library\",\"bom-ref\":\"pkg:npm/%spkg-%ld@%ld.%ld.%ld\","
	    "\"supplier\":{\"name\":\"Vendor %ld\"},\"group\":\"@scope%ld\",\"name\":\"%spkg-%ld\","
	    "\"version\":\"%ld.%ld.%ld\",\"description\":\"Generated package number %ld for "
	    "benchmarks\",\"scope\":\"required\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"",
	    nested_child ? "sub" : "", i, i % 7, i % 13, i % 5, i % 50, i % 10,
	    nested_child ? "sub" : "", i, i % 7, i % 13, i % 5, i);
	hex(f, 64);
	fputs("\"},{\"alg\":\"SHA-1\",\"content\":\"", f);
	hex(f, 40);
	fputs("\"}],\"licenses\":[", f);
	switch (i % 3) {
	case 0:
		fprintf(f, "{\"license\":{\"id\":\"%s\"}}", lic[i % 4]);
		break;
	case 1:
		fprintf(f, "{\"expression\":\"%s OR %s\"}", lic[i % 4], lic[(i + 1) % 4]);
		break;
	default:
		fprintf(
		    f,
		    "{\"license\":{\"id\":\"%s\"}},{\"license\":{\"name\":\"Custom License %ld\"}}",
		    lic[i % 4], i % 9);
	}
	fprintf(f,
		"],\"purl\":\"pkg:npm/%%40scope%ld/%spkg-%ld@%ld.%ld.%ld\","
		"\"externalReferences\":[{\"type\":\"vcs\",\"url\":\"https://git.example.com/"
		"pkg-%ld.git\"},"
		"{\"type\":\"website\",\"url\":\"https://example.com/pkg-%ld\"}],"
		"\"properties\":[{\"name\":\"cdx:npm:package:path\",\"value\":\"node_modules/"
		"pkg-%ld\"}]",
		i % 10, nested_child ? "sub" : "", i, i % 7, i % 13, i % 5, i, i, i);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_gen_cyclonedx N OUT\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	FILE *f = fopen(argv[2], "w");
	if (n < 1 || !f) {
		fprintf(stderr, "bench_gen_cyclonedx: bad N or cannot open %s\n", argv[2]);
		return 1;
	}
	long top = 0, nested = 0;
	fputs("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
	      "\"serialNumber\":\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\",\"version\":1,"
	      "\"metadata\":{\"timestamp\":\"2025-01-01T00:00:00Z\",\"tools\":{\"components\":["
	      "{\"type\":\"application\",\"name\":\"bench_gen_cyclonedx\",\"version\":\"1\"}]},"
	      "\"component\":{\"type\":\"application\",\"bom-ref\":\"root\",\"name\":\"bench-app\","
	      "\"version\":\"1.0.0\"}},\"components\":[",
	      f);
	/* Every hundredth component carries one nested child, so N counts both. */
	for (long i = 0; i < n; i++) {
		int with_child = i % 100 == 99 && i + 1 < n;
		fputs(top ? "," : "", f);
		component(f, i, 0);
		top++;
		if (with_child) {
			fputs(",\"components\":[", f);
			component(f, ++i, 1);
			fputs("}]", f);
			nested++;
		}
		fputs("}", f);
	}
	fputs("],\"dependencies\":[{\"ref\":\"root\",\"dependsOn\":[", f);
	for (long i = 0; i < n && i < 100; i++)
		fprintf(f, "%s\"pkg:npm/pkg-%ld@%ld.%ld.%ld\"", i ? "," : "", i, i % 7, i % 13,
			i % 5);
	fputs("]}", f);
	for (long i = 0; i < n; i++) {
		int child = i % 100 == 0 && i > 0; /* i-1 had a nested child i */
		fprintf(f, ",{\"ref\":\"pkg:npm/%spkg-%ld@%ld.%ld.%ld\",\"dependsOn\":[",
			child ? "sub" : "", i, i % 7, i % 13, i % 5);
		int k = 0;
		long seen[3];
		for (long d = 1; d <= 3; d++) {
			long j = i + d * (long)(1 + next() % 50);
			int dup = 0;
			if (j >= n || (j % 100 == 0 && j > 0))
				continue;
			/* the schema wants dependsOn items unique: a repeat is left out */
			for (int m = 0; m < k; m++)
				dup |= seen[m] == j;
			if (dup)
				continue;
			seen[k] = j;
			fprintf(f, "%s\"pkg:npm/pkg-%ld@%ld.%ld.%ld\"", k++ ? "," : "", j, j % 7,
				j % 13, j % 5);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
	if (fclose(f) != 0) {
		perror(argv[2]);
		return 1;
	}
	fprintf(stderr, "wrote %s: %ld components (%ld nested) + metadata.component\n", argv[2],
		top + nested, nested);
	return 0;
}
