/*
 * app.h - the program: the top floor that wires the rooms together. It
 * owns the tables every room is listed in once (tables.c): the nouns of the
 * command line, the HTTP route tables, the job tables, the services that
 * run beside the server, the rooms' init functions and the navigation bar.
 * It also holds the commands that span rooms: `vigil init`, `vigil serve`,
 * `vigil routes`, `vigil demo`, and the overview page and health route.
 *
 * Rule: nothing below includes app/; a room is added by listing its table
 * here, never by a room naming another room's table.
 */
#ifndef VIGIL_APP_APP_H
#define VIGIL_APP_APP_H

#include "core/config.h"
#include "http/http.h"
#include "jobs/jobs.h"

struct cli;

/* `vigil --version --json`: version, schema version (the highest
 * migration), build options and the libraries linked (a new reference). */
json_t *app_version_json(void);

/* The entry point (src/main.c): global options, then the noun table. */
int app_main(int argc, char **argv);

/* A noun of the command line. */
struct app_noun {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *summary;
};

/* The tables (tables.c). */
extern const struct app_noun app_nouns[];                 /* NULL-name-terminated */
extern const struct http_route *const app_route_tables[]; /* NULL-terminated */
extern const struct vg_job_tables app_job_tables;         /* the scheduler's jobs */
extern const struct vg_service app_services[];            /* NULL-name-terminated */
extern const struct http_nav_item app_nav[];              /* NULL-key-terminated */
/* Every room's init (event subscriptions), in order, once at start. */
void app_init_rooms(void);

/* Commands of the program itself. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_routes(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
/* Every configuration key (config_keys.c): the INI file may hold only these;
 * `vigil config keys --markdown` prints docs/configuration.md's table. */
extern const struct vg_config_key app_config_keys[];
json_t *config_key_to_json(const struct vg_config_key *k);
/* `vigil config keys`, `vigil config check FILE` (cmd_config.c). */
int cmd_config(struct cli *c, int argc, char **argv);

/* `vigil backup -o FILE`, `vigil restore FILE` (backup.c). */
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
/* Unpack a backup file into a scratch folder (server.tmp_dir) and check it
 * as restore does (manifest first, format and schema versions, every member
 * named in the manifest with its size and SHA-256), then remove the folder;
 * nothing is written to a database. The fuzz target's entry. */
int backup_check_file(const char *file, struct vg_error *err) VG_MUST_CHECK;

#endif
