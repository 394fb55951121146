/*
 * cli.h - the command-line framework: `vigil <noun> <verb> [options]`.
 *
 * Each noun is a function int cmd_<noun>(struct cli *, int argc, char **argv)
 * declared in its room's header and listed in the program's noun table
 * (src/app/tables.c); nouns with verbs dispatch through cli_dispatch() with
 * their own table. This framework knows no noun. Exit codes: 0 ok, 1 failure, 2 usage error.
 * Human output goes to stdout, errors to stderr; --json prints JSON only.
 */
#ifndef VIGIL_CLI_CLI_H
#define VIGIL_CLI_CLI_H

#include "core/error.h"

#include "core/json.h"

#include <stdint.h>

struct store;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli {
	const char *db_url; /* --db, VIGIL_DB, or the default */
	const char *prog;   /* "vigil" */
	const char *path;   /* "vigil sbom import" for messages */
};

struct cli_verb {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *summary;
};

/*
 * Dispatch argv[1] among verbs. argv[0] is the noun. Handles "help",
 * "--help", "-h" and missing or unknown verbs (usage, exit 2).
 */
int cli_dispatch(struct cli *c, const char *noun, const char *about, const struct cli_verb *verbs,
		 int argc, char **argv);

/* Print "vigil: <message>" to stderr; returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "usage: ..." to stderr; returns CLI_USAGE. */
int cli_usage(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Map a vg code to an exit code and print err. */
int cli_error(const struct vg_error *err) VG_MUST_CHECK;

/* Open the store named by c->db_url; prints one clear sentence and returns
 * CLI_FAIL when it cannot. migrate != 0 applies pending migrations. The
 * actor of the connection is "cli:<login user>" unless VIGIL_ACTOR is set. */
int cli_open_store(struct cli *c, int migrate, struct store **out);

/* Print a JSON value (pretty, newline) to stdout and release it. */
int cli_print_json(json_t *v);

/*
 * A tiny option parser shared by verbs (getopt_long with the long options
 * given, argv permuted so positional arguments may come anywhere).
 * Options: "name" for a flag, "name=" for one taking a value. Results are
 * looked up with cli_opt()/cli_flag(); positional arguments come back in
 * pos[] (npos). Unknown options print usage and return CLI_USAGE.
 */
#define CLI_MAX_OPTS 24
#define CLI_MAX_POS  16    /* positionals, unless the spec has CLI_MANY */
#define CLI_MANY     "..." /* in a spec: any number of positional arguments */
struct cli_args {
	char namebuf[CLI_MAX_OPTS][48];
	const char *names[CLI_MAX_OPTS];
	const char *values[CLI_MAX_OPTS];
	int given[CLI_MAX_OPTS];
	int nopts;
	char **pos; /* into argv */
	int npos;
	int help;
};
/* Returns CLI_OK, CLI_USAGE, or -1 after printing --help. */
int cli_parse(struct cli *c, int argc, char **argv, const char *const *spec, const char *usage,
	      struct cli_args *a);
#define CLI_PARSE_OR_RETURN(...)                     \
	do {                                         \
		int r_ = cli_parse(__VA_ARGS__);     \
		if (r_)                              \
			return r_ < 0 ? CLI_OK : r_; \
	} while (0)
const char *cli_opt(const struct cli_args *a, const char *name);
int cli_flag(const struct cli_args *a, const char *name);

/*
 * A checked integer option: absent gives dflt; a value that is not a whole
 * number in [min, max] prints "vigil: option --NAME 'abc': expected ..." and
 * returns CLI_USAGE. Returns CLI_OK otherwise.
 */
int cli_opt_int(const struct cli *c, const struct cli_args *a, const char *name, int64_t min,
		int64_t max, int64_t dflt, int64_t *out) __attribute__((warn_unused_result));

/*
 * A listing verb in one call (open the store, fetch, print a table or
 * --json). --json is added to spec; fetch gets the parsed options and the
 * open store and returns the rows as JSON made by the type's *_to_json()
 * (caller's edge). With --json the whole value is printed; otherwise the
 * array (the value itself, or its member rows_key) is printed as a table
 * of cols, or line by line by print_row when set. A fetch error with
 * VG_EUSAGE/VG_EINVAL on an option exits 2, others 1.
 */
struct cli_col {
	const char *title; /* heading */
	const char *key;   /* member of a row; "a.b" reaches into an object */
	int width;         /* padded to width; 0 for the last column */
};
struct cli_list_spec {
	const char *const *spec; /* options besides --json, NULL-terminated; may be NULL */
	const char *usage;       /* shown on a usage error, e.g. "[--limit N] [--json]" */
	int npos_max;            /* positional arguments allowed (0 by default) */
	int migrate;             /* apply pending migrations when opening */
	int (*fetch)(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		     struct vg_error *err);
	const struct cli_col *cols; /* NULL-title-terminated */
	void (*print_row)(const json_t *row, void *arg);
	const char *rows_key; /* the array member of an object result; NULL: the result */
	const char *empty;    /* printed when there are no rows (may be NULL) */
	void *arg;
};
int cli_list(struct cli *c, int argc, char **argv, const struct cli_list_spec *l);

#endif
