/*
 * config.h - settings from an INI file (inih) with environment overrides.
 *
 * A key is "section.name" (e.g. "server.listen"). Lookup order: the
 * environment variable VIGIL_<SECTION>_<NAME> (upper-cased, '.' and '-'
 * become '_'), then the INI file, then the caller's default. The process has
 * one configuration, loaded once at start and read-only afterwards.
 */
#ifndef VIGIL_CORE_CONFIG_H
#define VIGIL_CORE_CONFIG_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;

/* One configuration key: the one table of them is app_config_keys
 * (src/app/config_keys.c); docs/configuration.md is generated from it
 * (`vigil config keys --markdown`). dflt and meaning are text for people. */
struct vg_config_key {
	const char *key;     /* "section.name" */
	const char *dflt;    /* the default, as documented ("(none)" when unset) */
	const char *meaning; /* one sentence or a few; Markdown */
};

/* The keys an INI file may hold (a table ending with a NULL key): once set,
 * vg_config_load refuses any other key, naming the file and line. NULL:
 * every key is taken (unit tests). */
void vg_config_set_known(const struct vg_config_key *keys);
/* The row of key in the known table, or NULL. */
const struct vg_config_key *vg_config_find(const char *key);
/* The environment variable that overrides key: "VIGIL_" + key upper-cased,
 * '.' and '-' as '_'. */
void vg_config_env_name(const char *key, char *out, size_t n);

/* Load an INI file (NULL: none). Errors name the file and line. */
int vg_config_load(const char *path, struct vg_error *err) VG_MUST_CHECK;
/* Set a value programmatically (command-line options); copies both. */
int vg_config_set(const char *key, const char *value);
const char *vg_config_get(const char *key, const char *dflt);
int64_t vg_config_int(const char *key, int64_t dflt);
void vg_config_free(void);

#endif
