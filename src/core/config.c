#define _POSIX_C_SOURCE 200809L
#include "core/config.h"
#include "core/error.h"

#include <ctype.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct kv {
	char *key;
	char *value;
};

static struct kv *items;
static size_t nitems;
static const struct vg_config_key *known;
static char unknown_key[256]; /* the first unknown key of the file loading */

void vg_config_set_known(const struct vg_config_key *keys)
{
	known = keys;
}

const struct vg_config_key *vg_config_find(const char *key)
{
	for (const struct vg_config_key *k = known; k && k->key; k++)
		if (strcmp(k->key, key) == 0)
			return k;
	return NULL;
}

void vg_config_env_name(const char *key, char *out, size_t n)
{
	size_t o = 0;

	if (!n)
		return;
	for (const char *p = "VIGIL_"; *p && o + 1 < n; p++)
		out[o++] = *p;
	for (const char *p = key; *p && o + 1 < n; p++)
		out[o++] = (*p == '.' || *p == '-') ? '_' : (char)toupper((unsigned char)*p);
	out[o] = '\0';
}

int vg_config_set(const char *key, const char *value)
{
	char *v = strdup(value);
	struct kv *n;
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < nitems; i++) {
		if (strcmp(items[i].key, key) == 0) {
			free(items[i].value);
			items[i].value = v;
			return VG_OK;
		}
	}
	n = realloc(items, (nitems + 1) * sizeof(*items));
	if (!n) {
		free(v);
		return VG_ENOMEM;
	}
	items = n;
	items[nitems].key = strdup(key);
	items[nitems].value = v;
	if (!items[nitems].key) {
		free(v);
		return VG_ENOMEM;
	}
	nitems++;
	return VG_OK;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	char key[256];
	(void)user;
	snprintf(key, sizeof(key), "%s.%s", section, name);
	if (known && !vg_config_find(key)) {
		if (!unknown_key[0])
			snprintf(unknown_key, sizeof(unknown_key), "%s", key);
		return 0; /* ini_parse returns this line */
	}
	return vg_config_set(key, value) == VG_OK;
}

/* Whether line lineno of path names the key's name before its '=' or ':'
 * (ini_parse reports only the first error's line: an unknown key or a
 * syntax error, whichever comes first). */
static int line_is_key(const char *path, int lineno, const char *key)
{
	const char *name = strrchr(key, '.');
	char line[1024];
	FILE *fp = fopen(path, "r");
	int n = 0, hit = 0;

	if (!fp)
		return 0;
	name = name ? name + 1 : key;
	while (fgets(line, sizeof(line), fp))
		if (++n == lineno) {
			char *p = line;
			size_t len = strlen(name);
			while (*p == ' ' || *p == '\t')
				p++;
			hit = strncmp(p, name, len) == 0 &&
			      (p[len] == ' ' || p[len] == '\t' || p[len] == '=' || p[len] == ':');
			break;
		}
	fclose(fp);
	return hit;
}

int vg_config_load(const char *path, struct vg_error *err)
{
	int rc;
	if (!path)
		return VG_OK;
	unknown_key[0] = '\0';
	rc = ini_parse(path, handler, NULL);
	if (rc > 0 && unknown_key[0] && line_is_key(path, rc, unknown_key))
		return vg_error_set(err, VG_EPARSE,
				    "%s: line %d: unknown key '%s' (docs/configuration.md lists "
				    "every key; `vigil config keys`)",
				    path, rc, unknown_key);
	if (rc == -1)
		return vg_error_set(err, VG_ENOTFOUND, "%s: cannot open configuration file", path);
	if (rc > 0)
		return vg_error_set(err, VG_EPARSE,
				    "%s: line %d: expected 'name = value' or '[section]'", path,
				    rc);
	if (rc < 0)
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", path);
	return VG_OK;
}

const char *vg_config_get(const char *key, const char *dflt)
{
	char env[300];
	const char *e;

	vg_config_env_name(key, env, sizeof(env));
	e = getenv(env);
	if (e && *e)
		return e;
	for (size_t i = 0; i < nitems; i++)
		if (strcmp(items[i].key, key) == 0)
			return items[i].value;
	return dflt;
}

int64_t vg_config_int(const char *key, int64_t dflt)
{
	const char *v = vg_config_get(key, NULL);
	char *end;
	long long n;
	if (!v)
		return dflt;
	n = strtoll(v, &end, 10);
	if (end == v)
		return dflt;
	{
		long long mul = 1;
		switch (*end) {
		case 'k':
		case 'K':
			mul = 1024;
			break;
		case 'm':
		case 'M':
			mul = 1024 * 1024;
			break;
		case 'g':
		case 'G':
			mul = 1024LL * 1024 * 1024;
			break;
		default:
			break;
		}
		/* an overflowing size is not a size: fall back to the default */
		if (n > LLONG_MAX / mul || n < LLONG_MIN / mul)
			return dflt;
		n *= mul;
	}
	return n;
}

void vg_config_free(void)
{
	for (size_t i = 0; i < nitems; i++) {
		free(items[i].key);
		free(items[i].value);
	}
	free(items);
	items = NULL;
	nitems = 0;
}
