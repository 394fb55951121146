/*
 * psirt_int.h - what the case and Article 14 files share: a row fetcher
 * with explicit column kinds (so a product version "2" stays a string), text
 * checks for outside input, and Member State codes. Not for other modules.
 */
#ifndef VIGIL_PSIRT_PSIRT_INT_H
#define VIGIL_PSIRT_PSIRT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

/*
 * Run sql with binds (types: 't' const char * (NULL binds NULL), 'i'
 * int64_t) and return every row as a JSON object in *out (caller owns).
 * cols gives one kind per selected column: 'i' integer (JSON null for
 * NULL), 't' text, 'T' time (RFC 3339 string, null for NULL or
 * 0), 'j' JSON text (parsed; the "_json" suffix of the name is dropped),
 * 'b' boolean from an integer.
 */
int psirt_rows(struct store *s, json_t **out, struct vg_error *err, const char *cols,
	       const char *sql, const char *types, ...);
/* Like psirt_rows but exactly one row: VG_ENOTFOUND (with what and id in the
 * message) when none. */
int psirt_row(struct store *s, json_t **out, struct vg_error *err, const char *what, int64_t id,
	      const char *cols, const char *sql, const char *types, ...);

/* Integer member of a row, 0 when missing or null. */
int64_t psirt_int(const json_t *row, const char *key);

/* 1 when a draft or notice field is filled in: not null, not an empty
 * string or array. */
int psirt_has_value(const json_t *v);

/* A time as JSON: an RFC 3339 string, or null for 0. */
json_t *psirt_time_json(int64_t t);

/*
 * Check a text field from outside: valid UTF-8, at most max bytes, no
 * control characters other than tab, CR and LF (multiline) or none at all
 * (single line). required: empty or NULL is an error. what names the field
 * in the message ("request body: /description").
 */
int psirt_text_check(const char *what, const char *v, size_t max, int multiline, int required,
		     struct vg_error *err);

/*
 * Normalise a comma-separated list of EU Member State codes ("de, fr" ->
 * "DE,FR"; "EL" and "GR" both accepted for Greece) into out. VG_EINVAL
 * naming the first unknown code.
 */
int psirt_member_states(const char *in, char *out, size_t outsz, struct vg_error *err);

/* Approvals a draft needs: 2 with config art14.four_eyes=1, else 1. */
int psirt_approvals_needed(void);

/* Parse a positive decimal id ("12"); VG_EINVAL naming what otherwise. */
int psirt_id_parse(const char *s, const char *what, int64_t *id, struct vg_error *err);

#endif
