/*
 * oncall.c - rotations, escalation policies, pages, acknowledgements and
 * drills. See oncall.h for the rules.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "reach/oncall.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/log.h"
#include "notify/notify.h"
#include "store/reader.h"
#include "store/store.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

#define WEEK (7 * 86400)

/* ---- time zones ---- */

static pthread_mutex_t tz_mu = PTHREAD_MUTEX_INITIALIZER;

int oncall_tz_valid(const char *tz)
{
	char path[512], magic[4];
	const char *dir = getenv("TZDIR");
	FILE *f;
	size_t n;

	if (!tz || !*tz || strlen(tz) > 64 || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	for (const char *p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-/", *p))
			return 0;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(magic, 1, 4, f);
	fclose(f);
	return n == 4 && memcmp(magic, "TZif", 4) == 0;
}

/* Run with TZ=tz; the caller holds tz_mu. Returns the previous TZ (malloc'ed
 * or NULL) for restore_tz. */
static char *enter_tz(const char *tz)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
	return saved;
}

/*
 * Put TZ back. An absent TZ is not restored by unsetenv but as "UTC0":
 * adding and removing a variable reshapes (and may reallocate) environ,
 * which another thread's getenv() could be reading; replacing the value of
 * a variable that stays only swaps one pointer. Nothing in vigil uses the
 * process's local time (everything is UTC), so UTC0 changes nothing else.
 */
static void restore_tz(char *saved)
{
	setenv("TZ", saved ? saved : "UTC0", 1);
	tzset();
	free(saved);
}

int oncall_local_to_utc(const char *tz, int y, int mon, int day, int hour, int min, int64_t *out,
			struct vg_error *err)
{
	struct tm tm = {0};
	time_t t;
	char *saved;

	if (!oncall_tz_valid(tz))
		return vg_error_set(err, VG_EINVAL, "time zone '%s': not in the tz database",
				    tz ? tz : "");
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	pthread_mutex_lock(&tz_mu);
	saved = enter_tz(tz);
	t = mktime(&tm);
	restore_tz(saved);
	pthread_mutex_unlock(&tz_mu);
	if (t == (time_t)-1 && !(y == 1969 || y == 1970))
		return vg_error_set(err, VG_EINVAL, "time zone '%s': cannot convert local time",
				    tz);
	*out = (int64_t)t;
	return VG_OK;
}

int oncall_utc_to_local(const char *tz, int64_t t, int *y, int *mon, int *day, int *hour, int *wday,
			struct vg_error *err)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char *saved;
	int ok;

	if (!oncall_tz_valid(tz))
		return vg_error_set(err, VG_EINVAL, "time zone '%s': not in the tz database",
				    tz ? tz : "");
	pthread_mutex_lock(&tz_mu);
	saved = enter_tz(tz);
	ok = localtime_r(&tt, &tm) != NULL;
	restore_tz(saved);
	pthread_mutex_unlock(&tz_mu);
	if (!ok)
		return vg_error_set(err, VG_EINVAL, "time zone '%s': cannot convert %lld", tz,
				    (long long)t);
	*y = tm.tm_year + 1900;
	*mon = tm.tm_mon + 1;
	*day = tm.tm_mday;
	*hour = tm.tm_hour;
	*wday = tm.tm_wday;
	return VG_OK;
}

int oncall_wday_parse(const char *s)
{
	static const char *const names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	static const char *const full[] = {"sunday",   "monday", "tuesday", "wednesday",
					   "thursday", "friday", "saturday"};
	if (!s)
		return -1;
	if (s[0] >= '0' && s[0] <= '6' && s[1] == '\0')
		return s[0] - '0';
	for (int i = 0; i < 7; i++)
		if (strcasecmp(s, names[i]) == 0 || strcasecmp(s, full[i]) == 0)
			return i;
	return -1;
}

/* The j-th hand-over (0-based) of a rotation whose first hand-over falls on
 * local day d0 (days since the epoch). */
static int handover(const struct oncall_rotation *r, int64_t d0, int64_t j, int64_t *out,
		    struct vg_error *err)
{
	int64_t y;
	unsigned m, d;
	vg_civil_from_days(d0 + 7 * j, &y, &m, &d);
	return oncall_local_to_utc(r->tz, (int)y, (int)m, (int)d, r->handover_hour, 0, out, err);
}

int oncall_shift_at(const struct oncall_rotation *r, int64_t t, int64_t *index, int64_t *begins,
		    int64_t *ends, struct vg_error *err)
{
	int y, mon, day, hour, wday, rc;
	int64_t d0, h0, j, hj, hn;

	if (!r->nmembers)
		return vg_error_set(err, VG_EINVAL, "rotation has no members");
	if (r->handover_wday < 0 || r->handover_wday > 6 || r->handover_hour < 0 ||
	    r->handover_hour > 23)
		return vg_error_set(err, VG_EINVAL, "hand-over: expected weekday 0-6, hour 0-23");
	if (t < r->start)
		return vg_error_set(err, VG_ENOTFOUND, "rotation starts later");
	rc = oncall_utc_to_local(r->tz, r->start, &y, &mon, &day, &hour, &wday, err);
	if (rc)
		return rc;
	/* the first hand-over: the first local hand-over weekday/hour after start */
	d0 =
	    vg_days_from_civil(y, (unsigned)mon, (unsigned)day) + (r->handover_wday - wday + 7) % 7;
	rc = handover(r, d0, 0, &h0, err);
	if (rc)
		return rc;
	if (h0 <= r->start) {
		d0 += 7;
		rc = handover(r, d0, 0, &h0, err);
		if (rc)
			return rc;
	}
	if (t < h0) {
		*index = 0;
		*begins = r->start;
		*ends = h0;
		return VG_OK;
	}
	/* weeks are 604800 s apart except across DST changes (+-1 h): estimate,
	 * then correct by looking at the neighbours */
	j = (t - h0) / WEEK;
	if ((rc = handover(r, d0, j, &hj, err)))
		return rc;
	while (hj > t && j > 0) {
		j--;
		if ((rc = handover(r, d0, j, &hj, err)))
			return rc;
	}
	if ((rc = handover(r, d0, j + 1, &hn, err)))
		return rc;
	while (hn <= t) {
		j++;
		hj = hn;
		if ((rc = handover(r, d0, j + 1, &hn, err)))
			return rc;
	}
	*index = j + 1;
	*begins = hj;
	*ends = hn;
	return VG_OK;
}

/* ---- set-up ---- */

static int name_check(const char *what, const char *v, struct vg_error *err)
{
	int rc = vg_text_check(what, v, 64, 0, 1, err);
	if (rc)
		return rc;
	if (strchr(v, ','))
		return vg_error_set(err, VG_EINVAL, "%s '%s': must not contain a comma", what, v);
	return VG_OK;
}

static int channel_exists(struct store *s, const char *name, struct vg_error *err)
{
	int exists = 0;
	int rc = notify_channel_exists(s, name, 0, &exists, err);
	if (rc)
		return rc;
	if (!exists)
		return vg_error_set(err, VG_ENOTFOUND,
				    "channel '%s': no such notifier channel (vigil notify "
				    "channel-add)",
				    name);
	return VG_OK;
}

static int person_exists(struct store *s, const char *name, struct vg_error *err)
{
	int64_t n = 0;
	int rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM oncall_people WHERE name = ?",
				   "t", name);
	if (rc)
		return rc;
	if (!n)
		return vg_error_set(err, VG_ENOTFOUND,
				    "person '%s': not known (vigil oncall person-add)", name);
	return VG_OK;
}

int oncall_person_add(struct store *s, const char *name, const char *user_login,
		      const char *channel, struct vg_error *err)
{
	json_t *after;
	int rc;

	if ((rc = name_check("person", name, err)))
		return rc;
	if (user_login && (rc = vg_text_check("--user", user_login, 64, 0, 0, err)))
		return rc;
	if (channel && (rc = channel_exists(s, channel, err)))
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(s, err,
			"INSERT INTO oncall_people (name, user_login, channel, created_at) VALUES "
			"(?,?,?,?)",
			"ttti", name, user_login, channel, vg_now());
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "person '%s' already exists", name);
	after =
	    json_pack("{s:s, s:s?, s:s?}", "name", name, "user", user_login, "channel", channel);
	if (!rc)
		rc = store_audit(s, "oncall.person.add", "oncall_person", name, NULL, after, err);
	json_decref(after);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc)
		store_tx_rollback(s);
	return rc;
}

int oncall_rotation_add(struct store *s, const char *name, const char *tz, int64_t start, int wday,
			int hour, const char *members, struct vg_error *err)
{
	char list[1024], *save = NULL, *tok;
	json_t *after, *arr = json_array();
	int rc;

	if ((rc = name_check("rotation", name, err)))
		goto out;
	if (!oncall_tz_valid(tz)) {
		rc =
		    vg_error_set(err, VG_EINVAL,
				 "--tz '%s': expected an IANA time zone name such as Europe/Berlin",
				 tz ? tz : "");
		goto out;
	}
	if (wday < 0 || wday > 6 || hour < 0 || hour > 23) {
		rc = vg_error_set(err, VG_EINVAL, "hand-over: expected a weekday and an hour 0-23");
		goto out;
	}
	if (!members || strlen(members) >= sizeof(list)) {
		rc = vg_error_set(err, VG_EINVAL, "--members: expected a comma-separated list");
		goto out;
	}
	snprintf(list, sizeof(list), "%s", members);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if ((rc = person_exists(s, tok, err)))
			goto out;
		json_array_append_new(arr, json_string(tok));
	}
	if (!json_array_size(arr)) {
		rc = vg_error_set(err, VG_EINVAL, "--members: at least one person");
		goto out;
	}
	{
		char *joined = NULL;
		size_t i, len = 0;
		json_t *v;
		json_array_foreach(arr, i, v) len += strlen(json_string_value(v)) + 1;
		joined = calloc(1, len + 1);
		if (!joined) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		{
			size_t o = 0;
			json_array_foreach(arr, i, v)
			{
				o += (size_t)snprintf(joined + o, len + 1 - o, "%s%s", i ? "," : "",
						      json_string_value(v));
			}
		}
		rc = store_tx_begin(s, err);
		if (!rc)
			rc = store_exec(s, err,
					"INSERT INTO oncall_rotations (name, tz, start_at, "
					"handover_wday, handover_hour, members, created_at) VALUES "
					"(?,?,?,?,?,?,?)",
					"ttiiiti", name, tz, start, (int64_t)wday, (int64_t)hour,
					joined, vg_now());
		if (rc == VG_EEXIST)
			vg_error_set(err, VG_EEXIST, "rotation '%s' already exists", name);
		free(joined);
	}
	if (!rc) {
		after = json_pack("{s:s, s:s, s:o, s:i, s:i, s:O}", "name", name, "tz", tz, "start",
				  vg_json_time(start), "handover_wday", wday, "handover_hour", hour,
				  "members", arr);
		rc = store_audit(s, "oncall.rotation.add", "oncall_rotation", name, NULL, after,
				 err);
		json_decref(after);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
out:
	json_decref(arr);
	return rc;
}

static int rotation_exists(struct store *s, const char *name, struct vg_error *err)
{
	int64_t n = 0;
	int rc = store_query_int64(
	    s, &n, err, "SELECT COUNT(*) FROM oncall_rotations WHERE name = ?", "t", name);
	if (rc)
		return rc;
	if (!n)
		return vg_error_set(err, VG_ENOTFOUND, "rotation '%s': not known", name);
	return VG_OK;
}

/* A level as stored in levels_json and shown by the API. */
static json_t *level_to_json(const struct oncall_level *l)
{
	return json_pack("{s:s, s:s, s:s?, s:I}", "kind", l->kind, "target", l->target, "channel",
			 l->channel, "after_minutes", (json_int_t)l->after_minutes);
}

int oncall_policy_add(struct store *s, const char *name, const struct oncall_level *levels,
		      size_t n, int repeat_limit, struct vg_error *err)
{
	json_t *clean = json_array(), *after;
	char *text = NULL;
	int rc;

	if ((rc = name_check("policy", name, err)))
		goto out;
	if (!levels || !n || n > 10) {
		rc = vg_error_set(err, VG_EINVAL, "levels: expected 1 to 10 levels");
		goto out;
	}
	if (repeat_limit < 1 || repeat_limit > 20) {
		rc = vg_error_set(err, VG_EINVAL, "--repeat %d: expected 1 to 20 rounds",
				  repeat_limit);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *kind = levels[i].kind, *target = levels[i].target;
		const char *channel = levels[i].channel;
		long long after_min = (long long)levels[i].after_minutes;
		if (!kind || (strcmp(kind, "rotation") != 0 && strcmp(kind, "person") != 0)) {
			rc = vg_error_set(err, VG_EINVAL,
					  "level %zu: kind: expected rotation or person", i + 1);
			goto out;
		}
		if (!target) {
			rc = vg_error_set(err, VG_EINVAL, "level %zu: no target", i + 1);
			goto out;
		}
		rc = strcmp(kind, "rotation") == 0 ? rotation_exists(s, target, err)
						   : person_exists(s, target, err);
		if (!rc && channel)
			rc = channel_exists(s, channel, err);
		if (rc) {
			vg_error_prefix(err, "level %zu", i + 1);
			goto out;
		}
		if (after_min < 1 || after_min > 1440) {
			rc = vg_error_set(err, VG_EINVAL,
					  "level %zu: minutes %lld: expected 1 to 1440", i + 1,
					  after_min);
			goto out;
		}
		json_array_append_new(clean, level_to_json(&levels[i]));
	}
	text = json_dumps(clean, JSON_COMPACT);
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc = store_exec(s, err,
			"INSERT INTO oncall_policies (name, levels_json, repeat_limit, created_at) "
			"VALUES (?,?,?,?)",
			"ttii", name, text, (int64_t)repeat_limit, vg_now());
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "policy '%s' already exists", name);
	if (!rc) {
		after = json_pack("{s:s, s:O, s:i}", "name", name, "levels", clean, "repeat_limit",
				  repeat_limit);
		rc = store_audit(s, "oncall.policy.add", "oncall_policy", name, NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc)
		store_tx_rollback(s);
out:
	free(text);
	json_decref(clean);
	return rc;
}

/* ---- reading (typed, into the caller's arena) ---- */

int oncall_people(struct store *s, struct vg_arena *mem, struct oncall_person_list *out,
		  struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s,
			   "SELECT id, name, user_login, channel, created_at FROM oncall_people "
			   "ORDER BY name",
			   &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct oncall_person *p;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		p = &out->v[out->n++];
		p->id = store_reader_int(&r, 0, 0);
		p->name = store_reader_str(&r, 1);
		p->user_login = store_reader_str(&r, 2);
		p->channel = store_reader_str(&r, 3);
		p->created_at = store_reader_int(&r, 4, 0);
	}
	return store_reader_done(&r, rc, err);
}

/* The levels of a policy from the JSON text oncall_policy_add stored. */
static void levels_parse(struct store_reader *r, const char *text, struct oncall_policy *p)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL, *lv;
	size_t i;

	p->levels = NULL;
	p->nlevels = 0;
	if (json_is_array(a) && json_array_size(a)) {
		p->levels = vg_arena_array(r->mem, json_array_size(a), sizeof(*p->levels));
		if (!p->levels)
			r->oom = 1;
		json_array_foreach(a, i, lv)
		{
			struct oncall_level *l;
			if (!p->levels)
				break;
			l = &p->levels[p->nlevels++];
			l->kind = vg_arena_strdup(
			    r->mem, vg_json_str(lv, "kind") ? vg_json_str(lv, "kind") : "");
			l->target = vg_arena_strdup(
			    r->mem, vg_json_str(lv, "target") ? vg_json_str(lv, "target") : "");
			l->channel = vg_arena_strdup(r->mem, vg_json_str(lv, "channel"));
			l->after_minutes = vg_json_int(lv, "after_minutes", 15);
			if (!l->kind || !l->target)
				r->oom = 1;
		}
	}
	json_decref(a);
}

#define POLICY_SELECT "SELECT id, name, levels_json, repeat_limit, created_at FROM oncall_policies "

/* Read the rows of a prepared POLICY_SELECT statement (r->st). */
static int policies_read(struct store_reader *r, struct oncall_policy_list *out,
			 struct vg_error *err)
{
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	while ((rc = store_step(r->st, err)) == STORE_ROW) {
		struct oncall_policy *p;
		if (!(out->v = store_reader_grow(r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		p = &out->v[out->n++];
		p->id = store_reader_int(r, 0, 0);
		p->name = store_reader_str(r, 1);
		levels_parse(r, store_col_text(r->st, 2), p);
		p->repeat_limit = store_reader_int(r, 3, 0);
		p->created_at = store_reader_int(r, 4, 0);
	}
	return store_reader_done(r, rc, err);
}

int oncall_policies(struct store *s, struct vg_arena *mem, struct oncall_policy_list *out,
		    struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	int rc = store_prepare(s, POLICY_SELECT "ORDER BY id", &r.st, err);
	if (rc) {
		out->v = NULL;
		out->n = 0;
		return rc;
	}
	return policies_read(&r, out, err);
}

/* ---- who is on call ---- */

/* A rotation as stored, its members split. */
struct rotation_row {
	const char *name, *tz;
	int64_t start;
	int wday, hour;
	const char **members;
	size_t nmembers;
};

static void members_split(struct store_reader *r, const char *list, struct rotation_row *row)
{
	char *copy = vg_arena_strdup(r->mem, list ? list : ""), *save = NULL, *tok;
	size_t n = 1;

	row->members = NULL;
	row->nmembers = 0;
	if (!copy) {
		r->oom = 1;
		return;
	}
	for (const char *p = copy; *p; p++)
		n += *p == ',';
	if (!(row->members = vg_arena_array(r->mem, n, sizeof(*row->members)))) {
		r->oom = 1;
		return;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		row->members[row->nmembers++] = tok;
}

/* Rotations by name (name NULL: all of them), into mem. */
static int rotations_read(struct store *s, const char *name, struct vg_arena *mem,
			  struct rotation_row **out, size_t *n, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc =
	    store_prepare(s,
			  name ? "SELECT name, tz, start_at, handover_wday, handover_hour, members "
				 "FROM oncall_rotations WHERE name = ?"
			       : "SELECT name, tz, start_at, handover_wday, handover_hour, members "
				 "FROM oncall_rotations ORDER BY name",
			  &r.st, err);
	if (rc)
		return rc;
	if (name)
		store_bind_text(r.st, 1, name);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct rotation_row *row;
		if (!(*out = store_reader_grow(&r, *out, *n, &cap, sizeof(**out))))
			break;
		row = &(*out)[(*n)++];
		row->name = store_reader_str(&r, 0);
		row->tz = store_reader_str(&r, 1);
		row->start = store_reader_int(&r, 2, 0);
		row->wday = (int)store_reader_int(&r, 3, 0);
		row->hour = (int)store_reader_int(&r, 4, 0);
		members_split(&r, store_col_text(r.st, 5), row);
	}
	return store_reader_done(&r, rc, err);
}

static int rotation_now(const struct rotation_row *row, int64_t now, struct oncall_shift *out,
			struct vg_error *err)
{
	struct oncall_rotation r;
	int64_t idx = 0, begins = 0, ends = 0, n = (int64_t)row->nmembers;
	int rc;

	memset(out, 0, sizeof(*out));
	out->rotation = row->name;
	out->tz = row->tz;
	out->members = row->members;
	out->nmembers = row->nmembers;
	out->handover_wday = row->wday;
	out->handover_hour = row->hour;
	r.tz = row->tz;
	r.start = row->start;
	r.handover_wday = row->wday;
	r.handover_hour = row->hour;
	r.nmembers = row->nmembers;
	rc = oncall_shift_at(&r, now, &idx, &begins, &ends, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		/* not started: nobody yet; the first member from the start */
		out->until = r.start;
		out->next = n ? row->members[0] : NULL;
		return VG_OK;
	}
	if (rc)
		return rc;
	out->on_call = row->members[idx % n];
	out->since = begins;
	out->until = ends;
	out->next = row->members[(idx + 1) % n];
	return VG_OK;
}

int oncall_who(struct store *s, int64_t now, struct vg_arena *mem, struct oncall_shift_list *out,
	       struct vg_error *err)
{
	struct rotation_row *rows = NULL;
	size_t n = 0;
	int rc = rotations_read(s, NULL, mem, &rows, &n, err);

	out->v = NULL;
	out->n = 0;
	if (rc)
		return rc;
	if (n && !(out->v = vg_arena_array(mem, n, sizeof(*out->v))))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if ((rc = rotation_now(&rows[i], now, &out->v[i], err)))
			return rc;
		out->n++;
	}
	return VG_OK;
}

/* ---- pages ---- */

#define PAGE_SELECT                                                                           \
	"SELECT id, policy_id, summary, severity, source, dedup_key, drill, status, level, "  \
	"round, created_at, next_escalation_at, acknowledged_at, acknowledged_by, ack_level " \
	"FROM oncall_pages "

static void page_fill(struct store_reader *r, struct oncall_page *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_reader_int(r, 0, 0);
	p->policy_id = store_reader_int(r, 1, 0);
	p->summary = store_reader_str(r, 2);
	p->severity = store_reader_str(r, 3);
	p->source = store_reader_str(r, 4);
	p->dedup = store_reader_str(r, 5);
	p->drill = store_reader_int(r, 6, 0) != 0;
	p->status = store_reader_str(r, 7);
	p->level = store_reader_int(r, 8, 0);
	p->round = store_reader_int(r, 9, 0);
	p->created_at = store_reader_int(r, 10, 0);
	p->next_escalation_at = store_reader_int(r, 11, 0);
	p->acknowledged_at = store_reader_int(r, 12, 0);
	p->acknowledged_by = store_reader_str(r, 13);
	p->ack_level = store_reader_int(r, 14, -1);
	if (!p->status)
		p->status = "";
}

/* The notifications of page p, into mem. */
static int notes_read(struct store *s, struct vg_arena *mem, struct oncall_page *p,
		      struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc = store_prepare(s,
			       "SELECT id, level, round, target, channel, sent_at FROM "
			       "oncall_notifications WHERE page_id = ? ORDER BY id",
			       &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, p->id);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct oncall_notification *x;
		if (!(p->notes =
			  store_reader_grow(&r, p->notes, p->nnotes, &cap, sizeof(*p->notes))))
			break;
		x = &p->notes[p->nnotes++];
		x->id = store_reader_int(&r, 0, 0);
		x->level = store_reader_int(&r, 1, 0);
		x->round = store_reader_int(&r, 2, 0);
		x->target = store_reader_str(&r, 3);
		x->channel = store_reader_str(&r, 4);
		x->sent_at = store_reader_int(&r, 5, 0);
	}
	return store_reader_done(&r, rc, err);
}

/* Page id (with its notifications when notes), into mem. */
static int page_load(struct store *s, int64_t id, struct vg_arena *mem, int notes,
		     struct oncall_page *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	int rc = store_prepare(s, PAGE_SELECT "WHERE id = ?", &r.st, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, id);
	rc = store_step(r.st, err);
	if (rc == STORE_ROW) {
		page_fill(&r, out);
		rc = STORE_DONE;
	} else if (rc == STORE_DONE) {
		store_reader_done(&r, rc, err);
		return vg_error_set(err, VG_ENOTFOUND, "no page with id %lld", (long long)id);
	}
	if ((rc = store_reader_done(&r, rc, err)))
		return rc;
	return notes ? notes_read(s, mem, out, err) : VG_OK;
}

int oncall_page_get(struct store *s, int64_t id, struct vg_arena *mem, struct oncall_page *out,
		    struct vg_error *err)
{
	return page_load(s, id, mem, 1, out, err);
}

int oncall_pages(struct store *s, int64_t limit, struct vg_arena *mem, struct oncall_page_list *out,
		 struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s, PAGE_SELECT "ORDER BY id DESC LIMIT ?", &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, limit > 0 ? limit : 100);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		page_fill(&r, &out->v[out->n++]);
	}
	if ((rc = store_reader_done(&r, rc, err)))
		return rc;
	for (size_t i = 0; i < out->n; i++)
		if ((rc = notes_read(s, mem, &out->v[i], err)))
			return rc;
	return VG_OK;
}

int oncall_drills(struct store *s, struct vg_arena *mem, struct oncall_drill_list *out,
		  struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc =
	    store_prepare(s,
			  "SELECT d.id, d.page_id, d.started_at, d.acknowledged_at, d.ack_seconds, "
			  "d.ack_level, d.result, p.acknowledged_by FROM oncall_drills d JOIN "
			  "oncall_pages p ON p.id = d.page_id ORDER BY d.id DESC",
			  &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct oncall_drill *d;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		d = &out->v[out->n++];
		d->id = store_reader_int(&r, 0, 0);
		d->page_id = store_reader_int(&r, 1, 0);
		d->started_at = store_reader_int(&r, 2, 0);
		d->acknowledged_at = store_reader_int(&r, 3, 0);
		d->ack_seconds = store_reader_int(&r, 4, -1);
		d->ack_level = store_reader_int(&r, 5, -1);
		d->result = store_reader_str(&r, 6);
		d->acknowledged_by = store_reader_str(&r, 7);
	}
	return store_reader_done(&r, rc, err);
}

/* ---- JSON at the edges ---- */

static json_t *int_or_null(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

json_t *oncall_person_to_json(const struct oncall_person *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(p->id));
	vg_json_set_str(o, "name", p->name);
	vg_json_set_str(o, "user_login", p->user_login);
	vg_json_set_str(o, "channel", p->channel);
	json_object_set_new(o, "created_at", vg_json_time(p->created_at));
	return o;
}

json_t *oncall_policy_to_json(const struct oncall_policy *p)
{
	json_t *o = json_object(), *levels = json_array();
	if (!o || !levels) {
		json_decref(o);
		json_decref(levels);
		return NULL;
	}
	for (size_t i = 0; i < p->nlevels; i++) {
		json_array_append_new(levels, level_to_json(&p->levels[i]));
	}
	json_object_set_new(o, "id", json_integer(p->id));
	vg_json_set_str(o, "name", p->name);
	json_object_set_new(o, "levels", levels);
	json_object_set_new(o, "repeat_limit", json_integer(p->repeat_limit));
	json_object_set_new(o, "created_at", vg_json_time(p->created_at));
	return o;
}

json_t *oncall_shift_to_json(const struct oncall_shift *w)
{
	json_t *o = json_object(), *m = json_array();
	if (!o || !m) {
		json_decref(o);
		json_decref(m);
		return NULL;
	}
	for (size_t i = 0; i < w->nmembers; i++)
		json_array_append_new(m, json_string(w->members[i]));
	vg_json_set_str(o, "rotation", w->rotation);
	vg_json_set_str(o, "tz", w->tz);
	vg_json_set_str(o, "on_call", w->on_call);
	json_object_set_new(o, "since", vg_json_time(w->since));
	json_object_set_new(o, "until", vg_json_time(w->until));
	vg_json_set_str(o, "next", w->next);
	json_object_set_new(o, "members", m);
	json_object_set_new(o, "handover_wday", json_integer(w->handover_wday));
	json_object_set_new(o, "handover_hour", json_integer(w->handover_hour));
	return o;
}

json_t *oncall_page_to_json(const struct oncall_page *p)
{
	json_t *o = json_object(), *notes = json_array();
	if (!o || !notes) {
		json_decref(o);
		json_decref(notes);
		return NULL;
	}
	for (size_t i = 0; i < p->nnotes; i++) {
		const struct oncall_notification *x = &p->notes[i];
		json_t *n = json_object();
		if (!n)
			continue;
		json_object_set_new(n, "id", json_integer(x->id));
		json_object_set_new(n, "level", json_integer(x->level));
		json_object_set_new(n, "round", json_integer(x->round));
		vg_json_set_str(n, "target", x->target);
		vg_json_set_str(n, "channel", x->channel);
		json_object_set_new(n, "sent_at", vg_json_time(x->sent_at));
		json_array_append_new(notes, n);
	}
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "policy_id", json_integer(p->policy_id));
	vg_json_set_str(o, "summary", p->summary);
	vg_json_set_str(o, "severity", p->severity);
	vg_json_set_str(o, "source", p->source);
	vg_json_set_str(o, "dedup", p->dedup);
	json_object_set_new(o, "drill", json_boolean(p->drill));
	vg_json_set_str(o, "status", p->status);
	json_object_set_new(o, "level", json_integer(p->level));
	json_object_set_new(o, "round", json_integer(p->round));
	json_object_set_new(o, "created_at", vg_json_time(p->created_at));
	json_object_set_new(o, "next_escalation_at", vg_json_time(p->next_escalation_at));
	json_object_set_new(o, "acknowledged_at", vg_json_time(p->acknowledged_at));
	vg_json_set_str(o, "acknowledged_by", p->acknowledged_by);
	json_object_set_new(o, "ack_level", int_or_null(p->ack_level));
	json_object_set_new(o, "notifications", notes);
	return o;
}

json_t *oncall_drill_to_json(const struct oncall_drill *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "page_id", json_integer(d->page_id));
	json_object_set_new(o, "started_at", vg_json_time(d->started_at));
	json_object_set_new(o, "acknowledged_at", vg_json_time(d->acknowledged_at));
	json_object_set_new(o, "ack_seconds", int_or_null(d->ack_seconds));
	json_object_set_new(o, "ack_level", int_or_null(d->ack_level));
	vg_json_set_str(o, "result", d->result);
	vg_json_set_str(o, "acknowledged_by", d->acknowledged_by);
	return o;
}

#define LIST_TO_JSON(fn, ltype, one)                             \
	json_t *fn(const struct ltype *l)                        \
	{                                                        \
		json_t *a = json_array();                        \
		for (size_t i = 0; a && i < l->n; i++)           \
			json_array_append_new(a, one(&l->v[i])); \
		return a;                                        \
	}
LIST_TO_JSON(oncall_person_list_to_json, oncall_person_list, oncall_person_to_json)
LIST_TO_JSON(oncall_policy_list_to_json, oncall_policy_list, oncall_policy_to_json)
LIST_TO_JSON(oncall_shift_list_to_json, oncall_shift_list, oncall_shift_to_json)
LIST_TO_JSON(oncall_page_list_to_json, oncall_page_list, oncall_page_to_json)
LIST_TO_JSON(oncall_drill_list_to_json, oncall_drill_list, oncall_drill_to_json)

/* ---- paging ---- */

static int load_policy(struct store *s, const char *name, struct vg_arena *mem,
		       struct oncall_policy *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	struct oncall_policy_list l;
	const char *want = name ? name : vg_config_get("oncall.policy", NULL);
	int rc = store_prepare(s,
			       want ? POLICY_SELECT "WHERE name = ?"
				    : POLICY_SELECT "ORDER BY CASE WHEN name = 'default' THEN 0 "
						    "ELSE 1 END, id LIMIT 1",
			       &r.st, err);
	if (rc)
		return rc;
	if (want)
		store_bind_text(r.st, 1, want);
	if ((rc = policies_read(&r, &l, err)))
		return rc;
	if (!l.n) {
		if (want)
			return vg_error_set(err, VG_ENOTFOUND, "policy '%s': not known", want);
		return vg_error_set(err, VG_ENOTFOUND,
				    "no escalation policy yet (vigil oncall policy-add)");
	}
	*out = l.v[0];
	return VG_OK;
}

static int load_policy_id(struct store *s, int64_t id, struct vg_arena *mem,
			  struct oncall_policy *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	struct oncall_policy_list l;
	int rc = store_prepare(s, POLICY_SELECT "WHERE id = ?", &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, id);
	if ((rc = policies_read(&r, &l, err)))
		return rc;
	if (!l.n)
		return vg_error_set(err, VG_ENOTFOUND, "no policy with id %lld", (long long)id);
	*out = l.v[0];
	return VG_OK;
}

/*
 * Notify level (1-based) of policy for page: resolve the person, make a
 * token, record the notification and queue the delivery. Runs inside the
 * caller's transaction.
 */
static int notify_level(struct store *s, const struct oncall_page *page,
			const struct oncall_policy *policy, int64_t level, int64_t round,
			int64_t now, struct vg_error *err)
{
	const struct oncall_level *lv =
	    level >= 1 && (size_t)level <= policy->nlevels ? &policy->levels[level - 1] : NULL;
	const char *target, *channel;
	char token[64], hash[VG_SHA256_HEX], summary[600], url[700], ts[VG_TIME_BUFSZ];
	char *person = NULL, *pchan = NULL;
	json_t *payload = NULL, *after = NULL;
	const char *base = vg_config_get("server.public_url", "");
	int rc, exists = 0;

	if (!lv)
		return vg_error_set(err, VG_EINTERNAL, "policy level %lld missing",
				    (long long)level);
	target = lv->target;
	channel = lv->channel;
	if (strcmp(lv->kind, "rotation") == 0) {
		struct vg_arena mem;
		struct rotation_row *rows = NULL;
		struct oncall_shift who;
		size_t n = 0;
		vg_arena_init(&mem, 0);
		rc = rotations_read(s, target, &mem, &rows, &n, err);
		if (!rc && !n)
			rc = vg_error_set(err, VG_ENOTFOUND, "rotation '%s' is gone", target);
		if (!rc)
			rc = rotation_now(&rows[0], now, &who, err);
		if (!rc && who.on_call && !(person = strdup(who.on_call)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		vg_arena_release(&mem);
		if (rc)
			return rc;
	} else if (!(person = strdup(target))) {
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	/* no row (or no channel): the level's own channel, or the error below */
	if (person &&
	    store_query_text(s, &pchan, NULL, "SELECT channel FROM oncall_people WHERE name = ?",
			     "t", person))
		pchan = NULL;
	if (!channel)
		channel = pchan;
	if (!channel) {
		rc = vg_error_set(err, VG_EINVAL, "level %lld: no channel for %s", (long long)level,
				  person ? person : target);
		goto out;
	}
	rc = notify_channel_exists(s, channel, 1, &exists, err);
	if (!rc && !exists)
		rc = vg_error_set(err, VG_ENOTFOUND, "level %lld: channel '%s' missing or disabled",
				  (long long)level, channel);
	if (rc)
		goto out;
	if ((rc = vg_random_token(token, sizeof(token), 24)))
		goto out;
	vg_sha256_hex(token, strlen(token), hash);
	rc = store_exec(s, err,
			"INSERT INTO oncall_notifications (page_id, level, round, target, channel, "
			"token_sha256, sent_at) VALUES (?,?,?,?,?,?,?)",
			"iiittti", page->id, level, round, person ? person : target, channel, hash,
			now);
	if (rc)
		goto out;
	snprintf(summary, sizeof(summary), "%s%s (page %lld, level %lld, for %s)",
		 page->drill ? "DRILL: " : "", page->summary ? page->summary : "",
		 (long long)page->id, (long long)level, person ? person : target);
	snprintf(url, sizeof(url), "%s/oncall/ack/%s", base, token);
	payload = json_pack("{s:s, s:s?, s:s?, s:s, s:I, s:I, s:I, s:s, s:s?, s:b, s:s, s:s}",
			    "summary", summary, "severity", page->severity, "dedup_key",
			    page->dedup, "ack_url", url, "page_id", (json_int_t)page->id, "level",
			    (json_int_t)level, "round", (json_int_t)round, "target",
			    person ? person : target, "source", page->source, "drill", page->drill,
			    "at", vg_time_format(now, ts, sizeof(ts)), "channel", channel);
	if (!payload) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = notify_enqueue_channel(s, "oncall.page", channel, payload, err);
	if (rc)
		goto out;
	after =
	    json_pack("{s:I, s:I, s:s, s:s}", "level", (json_int_t)level, "round",
		      (json_int_t)round, "target", person ? person : target, "channel", channel);
	{
		char idbuf[32];
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)page->id);
		rc = store_audit(s, "oncall.page.notify", "oncall_page", idbuf, NULL, after, err);
	}
out:
	vg_wipe(token, sizeof(token));
	json_decref(after);
	json_decref(payload);
	free(person);
	free(pchan);
	return rc;
}

static int64_t level_wait(const struct oncall_policy *policy, int64_t level)
{
	if (level >= 1 && (size_t)level <= policy->nlevels)
		return policy->levels[level - 1].after_minutes * 60;
	return 15 * 60;
}

int oncall_page(struct store *s, const char *policy_name, const char *summary, const char *severity,
		const char *source, const char *dedup_key, int drill, int64_t *id, int *created,
		struct vg_error *err)
{
	struct vg_arena mem;
	struct oncall_policy policy;
	struct oncall_page page;
	json_t *after = NULL;
	int64_t now = vg_now(), pid = 0;
	char dedup[96], idbuf[32];
	int rc;

	*id = 0;
	if (created)
		*created = 0;
	if ((rc = vg_text_check("--summary", summary, 400, 0, 1, err)))
		return rc;
	if (!severity)
		severity = "critical";
	if (strcmp(severity, "info") && strcmp(severity, "low") && strcmp(severity, "medium") &&
	    strcmp(severity, "high") && strcmp(severity, "critical"))
		return vg_error_set(err, VG_EINVAL,
				    "--severity '%s': expected info, low, medium, high or critical",
				    severity);
	if (dedup_key) {
		rc = store_query_int64(s, &pid, NULL,
				       "SELECT id FROM oncall_pages WHERE dedup_key = ? AND status "
				       "= 'open' ORDER BY id LIMIT 1",
				       "t", dedup_key);
		if (rc == VG_OK && pid) {
			*id = pid;
			return VG_OK;
		}
	}
	vg_arena_init(&mem, 0);
	rc = load_policy(s, policy_name, &mem, &policy, err);
	if (rc)
		goto out;
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc =
	    store_exec(s, err,
		       "INSERT INTO oncall_pages (policy_id, summary, severity, source, dedup_key, "
		       "drill, status, level, round, created_at, next_escalation_at) VALUES "
		       "(?,?,?,?,?,?,'open',1,1,?,?)",
		       "ittttiii", policy.id, summary, severity, source ? source : "cli", dedup_key,
		       (int64_t)(drill != 0), now, now + level_wait(&policy, 1));
	if (!rc)
		/* narrowed so a page opened concurrently by another server is not taken */
		rc = store_query_int64(s, &pid, err,
				       "SELECT MAX(id) FROM oncall_pages WHERE created_at = ? AND "
				       "summary = ? AND source = ?",
				       "itt", now, summary, source ? source : "cli");
	if (rc)
		goto out;
	if (!dedup_key) {
		snprintf(dedup, sizeof(dedup), "oncall-page-%lld", (long long)pid);
		rc = store_exec(s, err, "UPDATE oncall_pages SET dedup_key = ? WHERE id = ?", "ti",
				dedup, pid);
		if (rc)
			goto out;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)pid);
	after = json_pack("{s:s, s:s, s:s, s:s, s:b}", "summary", summary, "severity", severity,
			  "policy", policy.name ? policy.name : "", "source",
			  source ? source : "cli", "drill", drill != 0);
	rc = store_audit(s, drill ? "oncall.drill.page" : "oncall.page.open", "oncall_page", idbuf,
			 NULL, after, err);
	if (!rc)
		rc = page_load(s, pid, &mem, 0, &page, err);
	if (!rc)
		rc = notify_level(s, &page, &policy, 1, 1, now, err);
	if (!rc && drill)
		rc = store_exec(s, err,
				"INSERT INTO oncall_drills (page_id, started_at, result) VALUES "
				"(?,?,'pending')",
				"ii", pid, now);
	if (!rc)
		rc = store_tx_commit(s, err);
out:
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	if (!rc) {
		*id = pid;
		if (created)
			*created = 1;
	}
	json_decref(after);
	vg_arena_release(&mem);
	return rc;
}

int oncall_drill(struct store *s, const char *policy, int64_t *page_id, struct vg_error *err)
{
	return oncall_page(s, policy,
			   "test page: please acknowledge through the link to confirm the "
			   "PSIRT can be reached",
			   "critical", "drill", NULL, 1, page_id, NULL, err);
}

/* Acknowledge page id at level (0: the current level), inside a transaction. */
static int ack_page(struct store *s, int64_t id, const char *by, int64_t level,
		    struct vg_error *err)
{
	struct vg_arena mem;
	struct oncall_page page;
	json_t *after = NULL;
	int64_t now = vg_now();
	char idbuf[32];
	int rc;

	vg_arena_init(&mem, 0);
	rc = page_load(s, id, &mem, 0, &page, err);
	if (rc)
		goto out;
	if (strcmp(page.status, "acknowledged") == 0) {
		rc = vg_error_set(err, VG_ESTATE, "page %lld was already acknowledged by %s",
				  (long long)id,
				  page.acknowledged_by ? page.acknowledged_by : "(unknown)");
		goto out;
	}
	if (!level)
		level = page.level;
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc =
	    store_exec(s, err,
		       "UPDATE oncall_pages SET status = 'acknowledged', acknowledged_at = ?, "
		       "acknowledged_by = ?, ack_level = ?, next_escalation_at = NULL WHERE id = ? "
		       "AND status <> 'acknowledged'",
		       "itii", now, by, level, id);
	if (!rc && page.drill) {
		int64_t started = 0;
		rc = store_query_int64(s, &started, err,
				       "SELECT started_at FROM oncall_drills WHERE page_id = ?",
				       "i", id);
		if (!rc)
			rc = store_exec(
			    s, err,
			    "UPDATE oncall_drills SET acknowledged_at = ?, ack_seconds = ?, "
			    "ack_level = ?, result = CASE WHEN result = 'pending' AND ? <= ? THEN "
			    "'pass' ELSE 'fail' END WHERE page_id = ?",
			    "iiiiii", now, now - started, level, now - started,
			    (int64_t)ONCALL_DRILL_PASS_SECONDS, id);
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	after = json_pack("{s:s, s:s, s:I}", "status", "acknowledged", "by", by, "level",
			  (json_int_t)level);
	if (!rc)
		rc = store_audit(s, "oncall.page.ack", "oncall_page", idbuf, NULL, after, err);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
out:
	json_decref(after);
	vg_arena_release(&mem);
	return rc;
}

int oncall_ack(struct store *s, int64_t id, const char *by, struct vg_error *err)
{
	return ack_page(s, id, by ? by : store_actor(s), 0, err);
}

/* The notification a link token belongs to: its page, level and target. */
static int token_lookup(struct store *s, const char *token, int64_t *page_id, int64_t *level,
			char *target, size_t targetsz, struct vg_error *err)
{
	char hash[VG_SHA256_HEX];
	struct store_stmt *st = NULL;
	int rc;

	if (!token || strlen(token) < 16 || strlen(token) > 128)
		return vg_error_set(err, VG_ENOTFOUND, "unknown acknowledgement link");
	vg_sha256_hex(token, strlen(token), hash);
	rc = store_prepare(s,
			   "SELECT page_id, level, target FROM oncall_notifications WHERE "
			   "token_sha256 = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, hash);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		*page_id = store_col_int64(st, 0);
		*level = store_col_int64(st, 1);
		snprintf(target, targetsz, "%s",
			 store_col_text(st, 2) ? store_col_text(st, 2) : "");
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "unknown acknowledgement link");
	}
	store_finalize(st);
	return rc;
}

int oncall_ack_token(struct store *s, const char *token, int64_t *page_id, struct vg_error *err)
{
	char by[128], target[120];
	int64_t level = 0;
	int rc = token_lookup(s, token, page_id, &level, target, sizeof(target), err);
	if (rc)
		return rc;
	snprintf(by, sizeof(by), "link:%s", target);
	return ack_page(s, *page_id, by, level, err);
}

int oncall_token_page(struct store *s, const char *token, struct vg_arena *mem,
		      struct oncall_page *out, struct vg_error *err)
{
	char target[120];
	int64_t page_id = 0, level = 0;
	int rc = token_lookup(s, token, &page_id, &level, target, sizeof(target), err);
	if (rc) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return page_load(s, page_id, mem, 1, out, err);
}

/* ---- escalation ---- */

static int escalate(struct store *s, const struct oncall_page *page, int64_t now, int *paged,
		    struct vg_error *err)
{
	struct vg_arena mem;
	struct oncall_policy policy;
	json_t *after = NULL;
	int64_t id = page->id, level = page->level, round = page->round;
	int64_t next = page->next_escalation_at, nlevels, limit;
	const char *status = "open";
	char idbuf[32];
	int rc;

	if (!next)
		return VG_OK;
	vg_arena_init(&mem, 0);
	rc = load_policy_id(s, page->policy_id, &mem, &policy, err);
	if (rc)
		goto out;
	nlevels = (int64_t)policy.nlevels;
	limit = policy.repeat_limit;
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	/* catch up: with a clock that jumped, every level whose turn has come
	 * is paged, each at its scheduled time */
	while (next <= now) {
		level++;
		if (level > nlevels) {
			level = 1;
			round++;
		}
		if (round > limit) {
			status = "exhausted";
			level = nlevels;
			round = limit;
			break;
		}
		rc = notify_level(s, page, &policy, level, round, now, err);
		if (rc)
			goto out;
		(*paged)++;
		next += level_wait(&policy, level);
	}
	if (strcmp(status, "exhausted") == 0)
		rc = store_exec(
		    s, err,
		    "UPDATE oncall_pages SET status = 'exhausted', level = ?, round = ?, "
		    "next_escalation_at = NULL WHERE id = ?",
		    "iii", level, round, id);
	else
		rc =
		    store_exec(s, err,
			       "UPDATE oncall_pages SET level = ?, round = ?, next_escalation_at = "
			       "? WHERE id = ?",
			       "iiii", level, round, next, id);
	if (rc)
		goto out;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	after = json_pack("{s:s, s:I, s:I}", "status", status, "level", (json_int_t)level, "round",
			  (json_int_t)round);
	rc = store_audit(s, "oncall.page.escalate", "oncall_page", idbuf, NULL, after, err);
	if (!rc)
		rc = store_tx_commit(s, err);
out:
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	json_decref(after);
	vg_arena_release(&mem);
	return rc;
}

/* The ids a query with one integer parameter selects, into mem. */
static int ids_read(struct store *s, const char *sql, int64_t arg, struct vg_arena *mem,
		    int64_t **ids, size_t *n, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc = store_prepare(s, sql, &r.st, err);

	*ids = NULL;
	*n = 0;
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, arg);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(*ids = store_reader_grow(&r, *ids, *n, &cap, sizeof(**ids))))
			break;
		(*ids)[(*n)++] = store_reader_int(&r, 0, 0);
	}
	return store_reader_done(&r, rc, err);
}

int oncall_tick(struct store *s, int *paged, struct vg_error *err)
{
	struct vg_arena mem;
	int64_t now = vg_now(), *ids = NULL;
	size_t n = 0;
	int rc;

	*paged = 0;
	vg_arena_init(&mem, 0);
	rc = ids_read(s,
		      "SELECT id FROM oncall_pages WHERE status = 'open' AND next_escalation_at "
		      "IS NOT NULL AND next_escalation_at <= ? ORDER BY id",
		      now, &mem, &ids, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct oncall_page page;
		rc = page_load(s, ids[i], &mem, 0, &page, err);
		if (!rc)
			rc = escalate(s, &page, now, paged, err);
	}
	/* drills not acknowledged in time have failed, whatever happens later */
	if (!rc)
		rc = ids_read(s,
			      "SELECT id FROM oncall_drills WHERE result = 'pending' AND "
			      "started_at <= ?",
			      now - ONCALL_DRILL_PASS_SECONDS, &mem, &ids, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		char idbuf[32];
		json_t *after = json_pack("{s:s}", "result", "fail");
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)ids[i]);
		rc = store_tx_begin(s, err);
		if (!rc)
			rc = store_exec(s, err,
					"UPDATE oncall_drills SET result = 'fail' WHERE id = ? AND "
					"result = 'pending'",
					"i", ids[i]);
		if (!rc)
			rc = store_audit(s, "oncall.drill.fail", "oncall_drill", idbuf, NULL, after,
					 err);
		if (!rc)
			rc = store_tx_commit(s, err);
		if (rc && store_in_tx(s))
			store_tx_rollback(s);
		json_decref(after);
	}
	vg_arena_release(&mem);
	return rc;
}

int oncall_drill_check(struct store *s, int *due, struct vg_error *err)
{
	int64_t last = 0, now = vg_now();
	char ts[VG_TIME_BUFSZ], summary[200];
	json_t *p;
	int rc;

	*due = 0;
	rc = store_query_int64(s, &last, err,
			       "SELECT COALESCE(MAX(started_at), 0) FROM oncall_drills WHERE "
			       "result = 'pass'",
			       NULL);
	if (rc)
		return rc;
	if (last && now - last <= ONCALL_DRILL_DUE_SECONDS)
		return VG_OK;
	*due = 1;
	if (last)
		snprintf(summary, sizeof(summary),
			 "on-call drill due: the last passing drill was %s (more than 92 days ago)",
			 vg_time_format(last, ts, sizeof(ts)));
	else
		snprintf(summary, sizeof(summary), "on-call drill due: no drill has passed yet");
	p = json_pack("{s:s, s:s, s:s, s:o}", "summary", summary, "severity", "medium", "dedup_key",
		      "oncall-drill-due", "last_pass", vg_json_time(last));
	if (p)
		vg_event_emit(s, "oncall.drill_due", p);
	json_decref(p);
	return VG_OK;
}

/* ---- events ---- */

static int on_urgent(struct store *s, const char *name, const json_t *payload, void *arg)
{
	struct vg_error err = {0};
	char summary[400], dedup[160];
	const char *sum = vg_json_str(payload, "summary");
	const char *vuln = vg_json_str(payload, "cve") ? vg_json_str(payload, "cve")
						       : vg_json_str(payload, "vuln_id");
	const char *key = vg_json_str(payload, "dedup_key");
	int64_t id = 0;
	int created = 0;
	(void)arg;

	if (!s)
		return VG_OK;
	if (sum)
		snprintf(summary, sizeof(summary), "%s", sum);
	else
		snprintf(summary, sizeof(summary), "%s: %s in %s %s", name, vuln ? vuln : "?",
			 vg_json_str(payload, "product") ? vg_json_str(payload, "product") : "?",
			 vg_json_str(payload, "version") ? vg_json_str(payload, "version") : "");
	/* one page per exploited vulnerability, however many findings it has */
	if (!key && vuln) {
		snprintf(dedup, sizeof(dedup), "%s-%s", name, vuln);
		key = dedup;
	}
	if (oncall_page(s, NULL, summary, "critical", name, key, 0, &id, &created, &err)) {
		vg_warn("oncall: cannot page for %s: %s", name, vg_error_msg(&err));
		return err.code;
	} else if (created)
		vg_info("oncall: page %lld opened for %s", (long long)id, name);
	return VG_OK;
}

void oncall_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	vg_event_subscribe("vuln.exploited", "reach.oncall_page", on_urgent, NULL);
	vg_event_subscribe("art14.warning", "reach.oncall_page", on_urgent, NULL);
	vg_event_subscribe("art14.breached", "reach.oncall_page", on_urgent, NULL);
}
