/*
 * scope_io.c - the scope map in and out as CSV (RFC 4180, a header row
 * naming the columns) and JSON. Imports are all or nothing: every row is
 * parsed and checked before the one transaction that writes them.
 *
 * Cells that a spreadsheet would run as a formula (starting with = + - @,
 * tab or CR) are written with a leading ' and read back without it, so a
 * round trip gives the same text.
 */
#define _POSIX_C_SOURCE 200809L
#include "programme/programme.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define SCOPE_IMPORT_MAX_ROWS 10000

int scope_upsert_in_tx(struct store *s, const struct scope_input *in, int *added,
		       struct vg_error *err);

static int field_index(const char *name)
{
	for (int i = 0; scope_fields[i]; i++)
		if (strcmp(scope_fields[i], name) == 0)
			return i;
	return -1;
}

/* A cell as read: without the ' that protected a formula-looking value. */
static json_t *cell_json(const char *p, size_t n)
{
	if (n >= 2 && p[0] == '\'' && strchr("=+-@\t\r", p[1]))
		p++, n--;
	return json_stringn(p, n);
}

int scope_csv_parse(const char *data, size_t n, const char *what, json_t **rows, int64_t **lines,
		    int *cols, struct vg_error *err)
{
	const char *p = data, *end = data + n;
	int64_t line = 1, rec_line = 1;
	int col_of[64], ncols = 0, col = 0, header = 1, rc = VG_OK;
	size_t nrows = 0, cap = 0;
	struct vg_buf cell;
	json_t *row = NULL, *out = json_array();
	int64_t *ls = NULL;

	*rows = NULL;
	*lines = NULL;
	if (cols)
		memset(cols, 0, SCOPE_NFIELDS * sizeof(*cols));
	vg_buf_init(&cell, 64 * 1024);
	if (!out)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a BOM from a spreadsheet */
	if (p == end) {
		json_decref(out);
		return vg_error_set(err, VG_EINVAL, "%s: line 1: no header row (the file is empty)",
				    what);
	}
	while (p <= end && !rc) {
		int quoted = 0, at_end;
		vg_buf_reset(&cell);
		/* one cell */
		if (p < end && *p == '"') {
			quoted = 1;
			p++;
			for (;;) {
				if (p >= end) {
					rc = vg_error_set(err, VG_EPARSE,
							  "%s: line %lld, column %d: a quoted cell "
							  "is not closed (expected '\"')",
							  what, (long long)rec_line, col + 1);
					break;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						rc = vg_buf_addc(&cell, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					line++;
				rc = vg_buf_addc(&cell, *p++);
				if (rc) {
					vg_error_set(err, rc,
						     "%s: line %lld, column %d: cell too large",
						     what, (long long)rec_line, col + 1);
					break;
				}
			}
			if (rc)
				break;
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				rc = vg_error_set(
				    err, VG_EPARSE,
				    "%s: line %lld, column %d: text after a quoted cell "
				    "(expected ',' or the end of the line)",
				    what, (long long)line, col + 1);
				break;
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (*p == '"') {
					rc = vg_error_set(
					    err, VG_EPARSE,
					    "%s: line %lld, column %d: a '\"' inside an "
					    "unquoted cell (quote the whole cell)",
					    what, (long long)line, col + 1);
					break;
				}
				if ((rc = vg_buf_addc(&cell, *p++))) {
					vg_error_set(err, rc,
						     "%s: line %lld, column %d: cell too large",
						     what, (long long)line, col + 1);
					break;
				}
			}
			if (rc)
				break;
		}
		at_end = p >= end || *p == '\n' || *p == '\r';
		/* the cell */
		if (header) {
			char name[64];
			int fi;
			snprintf(name, sizeof(name), "%.*s", (int)cell.len,
				 cell.data ? (const char *)cell.data : "");
			fi = field_index(name);
			if (fi < 0 && cell.len)
				rc = vg_error_set(
				    err, VG_EINVAL,
				    "%s: line 1, column %d: unknown column '%s' (expected "
				    "name, description, owner, class, rationale, "
				    "assessment, review, products, data_held, "
				    "network_zone)",
				    what, col + 1, name);
			else if (col >= 64)
				rc = vg_error_set(err, VG_EINVAL,
						  "%s: line 1: more than 64 columns", what);
			else {
				for (int k = 0; k < col && fi >= 0; k++)
					if (col_of[k] == fi)
						rc = vg_error_set(err, VG_EINVAL,
								  "%s: line 1, column %d: column "
								  "'%s' given twice",
								  what, col + 1, name);
				col_of[col] = fi;
				if (cols && fi >= 0)
					cols[fi] = col + 1;
			}
		} else if (!(quoted == 0 && cell.len == 0 && col == 0 && at_end)) {
			if (!row && !(row = json_object()))
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			else if (col >= ncols)
				rc =
				    vg_error_set(err, VG_EINVAL,
						 "%s: line %lld, column %d: more cells than the %d "
						 "columns of the header",
						 what, (long long)rec_line, col + 1, ncols);
			else if (col_of[col] >= 0)
				json_object_set_new(
				    row, scope_fields[col_of[col]],
				    cell_json(cell.data ? (const char *)cell.data : "", cell.len));
		}
		if (rc)
			break;
		col++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		/* the end of a record */
		if (header) {
			static const char *const required[] = {"name", "owner", "class", "review",
							       NULL};
			ncols = col;
			for (int r = 0; required[r] && !rc; r++) {
				int have = 0;
				for (int k = 0; k < ncols; k++)
					have |= col_of[k] == field_index(required[r]);
				if (!have)
					rc = vg_error_set(
					    err, VG_EINVAL,
					    "%s: line 1: missing column '%s' (the header "
					    "must name at least name, owner, class and "
					    "review)",
					    what, required[r]);
			}
			header = 0;
		} else if (row) {
			if (col < ncols) {
				rc = vg_error_set(
				    err, VG_EINVAL,
				    "%s: line %lld, column %d: missing cell (the header "
				    "has %d columns, this line %d)",
				    what, (long long)rec_line, col + 1, ncols, col);
				break;
			}
			if (nrows >= SCOPE_IMPORT_MAX_ROWS) {
				rc = vg_error_set(err, VG_ETOOBIG, "%s: more than %d rows", what,
						  SCOPE_IMPORT_MAX_ROWS);
				break;
			}
			if (nrows == cap) {
				int64_t *nl = realloc(ls, (cap = cap ? cap * 2 : 16) * sizeof(*ls));
				if (!nl) {
					rc = vg_error_set(err, VG_ENOMEM, "out of memory");
					break;
				}
				ls = nl;
			}
			ls[nrows++] = rec_line;
			json_array_append_new(out, row);
			row = NULL;
		}
		col = 0;
		if (p >= end)
			break;
		if (*p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		line++;
		rec_line = line;
		if (p >= end)
			break;
	}
	if (!rc && header)
		rc = vg_error_set(err, VG_EINVAL, "%s: line 1: no header row", what);
	json_decref(row);
	vg_buf_release(&cell);
	if (rc) {
		json_decref(out);
		free(ls);
		return rc;
	}
	*rows = out;
	*lines = ls;
	return VG_OK;
}

static void input_of(const json_t *row, struct scope_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = vg_json_str(row, "name");
	in->description = vg_json_str(row, "description");
	in->owner = vg_json_str(row, "owner");
	in->cls = vg_json_str(row, "class");
	in->rationale = vg_json_str(row, "rationale");
	in->assessment = vg_json_str(row, "assessment");
	in->review = vg_json_str(row, "review");
	in->products = vg_json_str(row, "products");
	in->data_held = vg_json_str(row, "data_held");
	in->network_zone = vg_json_str(row, "network_zone");
}

/* JSON rows: products may be an array of names (made a comma list). */
int scope_json_parse(const char *data, size_t n, const char *what, json_t **rows,
		     struct vg_error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je), *arr, *out;
	size_t i;
	json_t *v;

	*rows = NULL;
	if (!doc)
		return vg_error_set(err, VG_EPARSE, "%s: line %d, column %d: %s", what, je.line,
				    je.column, je.text);
	arr = json_is_array(doc) ? doc : json_object_get(doc, "systems");
	if (!json_is_array(arr)) {
		json_decref(doc);
		return vg_error_set(err, VG_EINVAL,
				    "%s: expected an object with \"systems\": [...] or an array "
				    "of systems",
				    what);
	}
	out = json_array();
	json_array_foreach(arr, i, v)
	{
		const char *k;
		json_t *m, *row = json_object();
		if (!json_is_object(v)) {
			json_decref(row);
			json_decref(out);
			json_decref(doc);
			return vg_error_set(err, VG_EINVAL, "%s: /systems/%zu: expected an object",
					    what, i);
		}
		json_object_foreach(v, k, m)
		{
			int fi = field_index(k);
			if (fi < 0) {
				/* what an export adds about the record is not input */
				static const char *const info[] = {
				    "reviewed_at", "proposal",   "revision",   "overdue",
				    "created_at",  "created_by", "updated_at", "updated_by",
				    "retired_at",  "retired_by", NULL};
				int known = 0;
				for (int q = 0; info[q]; q++)
					known |= strcmp(info[q], k) == 0;
				if (known)
					continue;
				/* k is doc's: say it before letting doc go */
				vg_error_set(err, VG_EINVAL, "%s: /systems/%zu/%s: unknown member",
					     what, i, k);
				json_decref(row);
				json_decref(out);
				json_decref(doc);
				return VG_EINVAL;
			}
			if (json_is_array(m) && strcmp(k, "products") == 0) {
				struct vg_buf b;
				size_t j;
				json_t *e;
				vg_buf_init(&b, 0);
				json_array_foreach(m, j, e)
				{
					if (!json_is_string(e)) {
						vg_buf_release(&b);
						json_decref(row);
						json_decref(out);
						json_decref(doc);
						return vg_error_set(
						    err, VG_EINVAL,
						    "%s: /systems/%zu/products/%zu: expected a "
						    "product name (a string)",
						    what, i, j);
					}
					vg_buf_addf(&b, "%s%s", j ? ", " : "",
						    json_string_value(e));
				}
				json_object_set_new(
				    row, k, json_stringn(b.data ? (char *)b.data : "", b.len));
				vg_buf_release(&b);
			} else if (json_is_string(m)) {
				json_object_set(row, k, m);
			} else if (!json_is_null(m)) {
				vg_error_set(err, VG_EINVAL,
					     "%s: /systems/%zu/%s: expected a string", what, i, k);
				json_decref(row);
				json_decref(out);
				json_decref(doc);
				return VG_EINVAL;
			}
		}
		json_array_append_new(out, row);
	}
	json_decref(doc);
	*rows = out;
	return VG_OK;
}

int scope_import(struct store *s, enum scope_format fmt, const char *data, size_t n,
		 const char *what, int *added, int *changed, struct vg_error *err)
{
	json_t *rows = NULL, *row;
	int64_t *lines = NULL;
	int cols[SCOPE_NFIELDS];
	size_t i;
	int rc;

	*added = *changed = 0;
	rc = fmt == SCOPE_CSV ? scope_csv_parse(data, n, what, &rows, &lines, cols, err)
			      : scope_json_parse(data, n, what, &rows, err);
	if (rc)
		return rc;
	/* every row checked before anything is written */
	json_array_foreach(rows, i, row)
	{
		struct scope_input in;
		const char *field = NULL, *name;
		int exists = 0;
		int64_t c = 0;
		input_of(row, &in);
		name = in.name ? in.name : "";
		rc = store_query_int64(
		    s, &c, err, "SELECT COUNT(*) FROM scope_systems WHERE name = ?", "t", name);
		exists = c > 0;
		if (!rc)
			rc = scope_check(s, &in, !exists, &field, err);
		for (size_t j = 0; !rc && j < i; j++)
			if (strcmp(name, vg_json_str(json_array_get(rows, j), "name")
					     ? vg_json_str(json_array_get(rows, j), "name")
					     : "") == 0) {
				field = "name";
				rc = vg_error_set(err, VG_EINVAL, "name '%s': given twice", name);
			}
		if (rc) {
			int fi = field ? field_index(field) : -1;
			if (lines && fi >= 0 && cols[fi])
				vg_error_prefix(err, "%s: line %lld, column %d (%s)", what,
						(long long)lines[i], cols[fi], field);
			else if (lines)
				vg_error_prefix(err, "%s: line %lld, column %s (missing)", what,
						(long long)lines[i], field ? field : "?");
			else
				vg_error_prefix(err, "%s: /systems/%zu/%s", what, i,
						field ? field : "");
			goto out;
		}
	}
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	json_array_foreach(rows, i, row)
	{
		struct scope_input in;
		int a = 0;
		input_of(row, &in);
		rc = scope_upsert_in_tx(s, &in, &a, err);
		if (rc)
			break;
		*added += a;
		*changed += !a;
	}
	if (!rc) {
		json_t *m = json_pack("{s:s, s:s, s:i, s:i}", "source", what, "format",
				      fmt == SCOPE_CSV ? "csv" : "json", "added", *added, "changed",
				      *changed);
		rc = store_audit(s, "scope.import", "scope_map", "import", NULL, m, err);
		json_decref(m);
	}
	rc = store_tx_end(s, rc, err);
	if (rc)
		*added = *changed = 0;
out:
	json_decref(rows);
	free(lines);
	return rc;
}

static int csv_cell(struct vg_buf *b, const char *v, int last)
{
	int rc = VG_OK;
	int needs = 0;
	if (!v)
		v = "";
	for (const char *c = v; *c; c++)
		needs |= *c == ',' || *c == '"' || *c == '\n' || *c == '\r';
	if (*v && strchr("=+-@\t\r", *v))
		needs = 2;
	if (!needs)
		rc = vg_buf_adds(b, v);
	else {
		rc = vg_buf_addc(b, '"');
		if (!rc && needs == 2)
			rc = vg_buf_addc(b, '\'');
		for (const char *c = v; !rc && *c; c++)
			rc = *c == '"' ? vg_buf_adds(b, "\"\"") : vg_buf_addc(b, *c);
		if (!rc)
			rc = vg_buf_addc(b, '"');
	}
	return rc ? rc : vg_buf_adds(b, last ? "\r\n" : ",");
}

int scope_export(struct store *s, enum scope_format fmt, int all, struct vg_buf *b,
		 struct vg_error *err)
{
	struct scope_filter f = {0};
	struct scope_list l;
	int64_t now = vg_now();
	int rc;

	f.retired = all ? 2 : 0;
	rc = scope_list(s, &f, &l, NULL, err);
	if (rc)
		return rc;
	if (fmt == SCOPE_JSON) {
		json_t *arr = json_array(), *doc;
		for (size_t i = 0; i < l.n; i++)
			json_array_append_new(arr, scope_system_to_json(&l.items[i], now));
		doc = json_pack("{s:s, s:i, s:o, s:o}", "format", "vigil-scope-map", "version", 1,
				"exported_at", vg_json_time(now), "systems", arr);
		rc = vg_json_append(b, doc);
		if (!rc)
			rc = vg_buf_addc(b, '\n');
		json_decref(doc);
	} else {
		for (int i = 0; !rc && scope_fields[i]; i++)
			rc = csv_cell(b, scope_fields[i], !scope_fields[i + 1]);
		for (size_t i = 0; !rc && i < l.n; i++) {
			const struct scope_system *x = &l.items[i];
			char day[VG_TIME_BUFSZ];
			vg_time_format(x->review_at, day, sizeof(day));
			day[10] = '\0';
			const char *v[SCOPE_NFIELDS] = {
			    x->name,      x->description, x->owner, x->cls,
			    x->rationale, x->assessment,  day,      x->products,
			    x->data_held, x->network_zone};
			for (int k = 0; !rc && k < SCOPE_NFIELDS; k++)
				rc = csv_cell(b, v[k], k == SCOPE_NFIELDS - 1);
		}
	}
	scope_list_release(&l);
	if (rc && !err->code)
		vg_error_set(err, rc, "export: out of memory");
	return rc;
}
