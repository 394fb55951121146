/*
 * export_logs.c - the logs part of the evidence bundle: the events of the
 * log store (evidence/logs.h) in the bundle's time range for its product
 * and version, as JSON lines (logs_event_to_json()), with the audit records
 * of the sealed segments (logs.seal, each naming its segment's SHA-256) and
 * their inclusion proofs.
 *
 *   logs/events-0001.jsonl, ...   at most EVENTS_PER_FILE events each, in
 *                                 time order (then by arrival)
 *
 * The log store is built beside this code (issue 21 items 1-4). Until both
 * are in one tree this file compiles to a part that adds no file and says in
 * scope.json that the build has no log store; once evidence/logs.h is there
 * it is used without any other change (evidence_part_logs() is already in
 * the list of parts of export.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "evidence/export.h"
#include "core/error.h"
#include "core/json.h"
#include "evidence/bundle.h"

#if defined(__has_include)
#if __has_include("evidence/logs.h")
#define EVIDENCE_HAVE_LOG_STORE 1
#endif
#endif

#ifdef EVIDENCE_HAVE_LOG_STORE
#include "evidence/logs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#endif

#include "core/banned.h"

#ifndef EVIDENCE_HAVE_LOG_STORE

int evidence_part_logs(struct evidence_export *x, struct vg_error *err)
{
	(void)err;
	json_object_set_new(x->summary, "logs",
			    json_pack("{s:I, s:s}", "events", (json_int_t)0, "note",
				      "this build has no log store"));
	return VG_OK;
}

#else

/* events per logs/events-NNNN.jsonl: keeps every member far below the
 * verifier's limit on one member (bundle_limits.max_member) */
#define EVENTS_PER_FILE 1000000

struct logs_out {
	struct evidence_export *x;
	FILE *f;           /* the file being filled */
	char tmp[64];      /* its name */
	int64_t in_file;   /* events in it */
	int64_t files;     /* files added */
	int64_t events;    /* events written */
	int64_t last_time; /* the time of the last event written */
	int64_t same_time; /* events written with that time (of all pages) */
	int64_t in_page;   /* events of the current page */
	int rc;
	struct vg_error *err;
};

static int flush_file(struct logs_out *o)
{
	char name[64];
	int rc;

	if (!o->f)
		return VG_OK;
	if (fflush(o->f) != 0 || ferror(o->f)) {
		fclose(o->f);
		o->f = NULL;
		remove(o->tmp);
		return vg_error_set(o->err, VG_EIO, "cannot write the logs of the bundle");
	}
	fclose(o->f);
	o->f = NULL;
	snprintf(name, sizeof(name), "logs/events-%04lld.jsonl", (long long)(o->files + 1));
	rc = bundle_add_file(o->x->w, name, o->tmp, o->err);
	remove(o->tmp);
	if (!rc)
		o->files++;
	o->in_file = 0;
	return rc;
}

static int one_event(const struct log_event *ev, void *arg)
{
	struct logs_out *o = arg;
	json_t *j;
	char *line;

	if (!o->f) {
		int fd;
		snprintf(o->tmp, sizeof(o->tmp), "/tmp/vigil-evidence-logs-XXXXXX");
		fd = mkstemp(o->tmp);
		if (fd < 0 || !(o->f = fdopen(fd, "w+"))) {
			if (fd >= 0) {
				close(fd);
				remove(o->tmp);
			}
			o->rc = vg_error_set(o->err, VG_EIO, "cannot make a temporary file");
			return 1;
		}
	}
	j = logs_event_to_json(ev);
	line = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!line) {
		o->rc = vg_error_set(o->err, VG_ENOMEM, "out of memory");
		return 1;
	}
	fputs(line, o->f);
	fputc('\n', o->f);
	free(line);
	if (ev->time != o->last_time) {
		o->last_time = ev->time;
		o->same_time = 0;
	}
	o->same_time++;
	o->events++;
	o->in_page++;
	if (++o->in_file == EVENTS_PER_FILE && (o->rc = flush_file(o)))
		return 1;
	return 0;
}

int evidence_part_logs(struct evidence_export *x, struct vg_error *err)
{
	struct logs_out o;
	struct logs_filter f;
	int rc = VG_OK;

	memset(&o, 0, sizeof(o));
	o.x = x;
	o.err = err;
	memset(&f, 0, sizeof(f));
	f.since = x->since;
	f.until = x->until;
	f.product = x->product;
	f.version = x->version;
	f.limit = LOGS_QUERY_LIMIT_MAX;
	/* page by time: the next page starts at the last time written, past the
	 * events of that time already written, so no page reads the ones before */
	for (;;) {
		o.in_page = 0;
		rc = logs_query(x->s, &f, one_event, &o, NULL, err);
		if (!rc)
			rc = o.rc;
		if (rc || o.in_page < f.limit)
			break;
		f.since = o.last_time;
		f.offset = o.same_time; /* written already, of all pages */
	}
	if (!rc)
		rc = flush_file(&o);
	else if (o.f) {
		fclose(o.f);
		remove(o.tmp);
	}
	/* the seals of the segments: each names its segment's SHA-256 */
	if (!rc)
		rc = evidence_want_action(x, "logs.seal", err);
	json_object_set_new(
	    x->summary, "logs",
	    json_pack("{s:I, s:I}", "events", (json_int_t)o.events, "files", (json_int_t)o.files));
	return rc;
}

#endif
