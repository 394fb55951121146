/*
 * schemadir.c - where the schema files vigil ships are (see jsonschema.h).
 *
 * The build copies them from their package into <build>/share/vigil/schemas
 * and `cmake --install` puts them in <prefix>/share/vigil/schemas; the
 * source tree is never looked at. The paths below come from CMake:
 *   VIGIL_INSTALL_DATADIR  <CMAKE_INSTALL_FULL_DATADIR>/vigil
 *   VIGIL_BIN_TO_DATADIR   the same relative to the install bindir ("../share/vigil")
 *   VIGIL_INSTALL_BINDIR   the last part of the install bindir ("bin")
 */
#define _POSIX_C_SOURCE 200809L
#include "schema/jsonschema.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#ifndef VIGIL_INSTALL_DATADIR
#define VIGIL_INSTALL_DATADIR "/usr/local/share/vigil"
#endif
#ifndef VIGIL_BIN_TO_DATADIR
#define VIGIL_BIN_TO_DATADIR "../share/vigil"
#endif
#ifndef VIGIL_INSTALL_BINDIR
#define VIGIL_INSTALL_BINDIR "bin"
#endif

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of the running binary into dir (no trailing slash); 0 when unknown. */
static int exe_dir(char *dir, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= sizeof(exe) - 1)
		return 0;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash || (size_t)(slash - exe) >= size)
		return 0;
	*slash = '\0';
	snprintf(dir, size, "%s", exe[0] ? exe : "/");
	return 1;
}

const char *vg_jsonschema_dir(const char *kind, char *buf, size_t size)
{
	char dir[PATH_MAX];

	if (exe_dir(dir, sizeof(dir))) {
		const char *last = strrchr(dir, '/');
		last = last ? last + 1 : dir;
		/* installed: <prefix>/bin/vigil, relocatable */
		if (strcmp(last, VIGIL_INSTALL_BINDIR) == 0) {
			snprintf(buf, size, "%s/%s/schemas/%s", dir, VIGIL_BIN_TO_DATADIR, kind);
			if (is_dir(buf))
				return buf;
		}
		/* the build tree: the build copies them beside the binaries */
		snprintf(buf, size, "%s/share/vigil/schemas/%s", dir, kind);
		if (is_dir(buf))
			return buf;
	}
	/* the install prefix compiled in (also what an error names when nothing is found) */
	snprintf(buf, size, "%s/schemas/%s", VIGIL_INSTALL_DATADIR, kind);
	return is_dir(buf) ? buf : NULL;
}
