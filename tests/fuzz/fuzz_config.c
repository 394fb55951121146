/*
 * fuzz_config.c - an INI configuration file through vg_config_load() and the
 * typed getters. The input is written to a temporary file for each run.
 * Checks: no crash, no leak, no undefined behaviour in vg_config_int() (size
 * suffixes k/M/G multiply), a refusal carries a message. Every other run
 * has a table of known keys set, so an unknown key is refused naming its
 * line (vg_config_set_known, as vigil itself runs).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/config.h"
#include "core/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static const struct vg_config_key known[] = {{"server.listen", "-", "-"},
					     {"auth.failure_window", "-", "-"},
					     {"a.b", "-", "-"},
					     {NULL, NULL, NULL}};
static unsigned runs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
	    "server.listen", "server.max_body", "auth.failure_window", "a.b", "a.", ".b"};
	struct vg_error err = {0};
	FILE *fp;
	int rc;

	if (size > 1 << 16)
		return 0;
	if (!path[0]) {
		int fd;
		/* in memory when possible: a disk write per run is 20 times slower */
		snprintf(path, sizeof(path), "/dev/shm/vigil-fuzz-config.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0) {
			snprintf(path, sizeof(path), "/tmp/vigil-fuzz-config.XXXXXX");
			fd = mkstemp(path);
		}
		if (fd < 0)
			abort();
		close(fd);
	}
	fp = fopen(path, "wb");
	if (!fp)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	vg_config_set_known(runs++ % 2 ? known : NULL);
	rc = vg_config_load(path, &err);
	/* gone before anything can crash: libFuzzer does not run atexit handlers */
	unlink(path);
	if (rc != VG_OK && !vg_error_msg(&err)[0])
		abort();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		(void)vg_config_get(keys[i], NULL);
		(void)vg_config_int(keys[i], 7);
	}
	vg_config_free();
	return 0;
}
