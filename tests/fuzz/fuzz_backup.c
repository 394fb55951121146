/*
 * fuzz_backup.c - a backup file (`vigil restore FILE`, outside input: it may
 * come from another host or an old copy) through backup_check_file(): the
 * zstd/gzip/plain tar reader, the manifest (JSON, format and schema
 * versions), member names (no path escapes) and their sizes and SHA-256.
 * The input is written to a temporary file for each run; the scratch folder
 * is under /dev/shm when it exists. Checks: no crash, leak or undefined
 * behaviour; a refusal carries a message; nothing is left in the scratch
 * folder.
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "core/config.h"
#include "core/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	FILE *fp;
	int rc;

	if (size > 1 << 20)
		return 0;
	if (!path[0]) {
		int fd;
		snprintf(path, sizeof(path), "/dev/shm/vigil-fuzz-backup.XXXXXX");
		fd = mkstemp(path);
		if (fd >= 0) {
			vg_config_set("server.tmp_dir", "/dev/shm");
		} else {
			snprintf(path, sizeof(path), "/tmp/vigil-fuzz-backup.XXXXXX");
			fd = mkstemp(path);
			vg_config_set("server.tmp_dir", "/tmp");
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
	rc = backup_check_file(path, &err);
	unlink(path);
	if (rc != VG_OK && !vg_error_msg(&err)[0])
		abort();
	return 0;
}
