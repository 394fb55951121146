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

#include <stdint.h>

struct vg_error;

/* Load an INI file (NULL: none). Errors name the file and line. */
int vg_config_load(const char *path, struct vg_error *err) VG_MUST_CHECK;
/* Set a value programmatically (command-line options); copies both. */
int vg_config_set(const char *key, const char *value);
const char *vg_config_get(const char *key, const char *dflt);
int64_t vg_config_int(const char *key, int64_t dflt);
void vg_config_free(void);

#endif
