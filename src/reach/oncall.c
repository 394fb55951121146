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
#include "store/store.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

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
	int64_t n = 0;
	int rc = store_query_int64(
	    s, &n, err, "SELECT COUNT(*) FROM notify_channels WHERE name = ?", "t", name);
	if (rc)
		return rc;
	if (!n)
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
		json_array_foreach(arr, i, v)
		{
			if (i)
				strcat(joined, ",");
			strcat(joined, json_string_value(v));
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

int oncall_policy_add(struct store *s, const char *name, const json_t *levels, int repeat_limit,
		      struct vg_error *err)
{
	json_t *lv, *clean = json_array(), *after;
	size_t i;
	char *text = NULL;
	int rc;

	if ((rc = name_check("policy", name, err)))
		goto out;
	if (!json_is_array(levels) || !json_array_size(levels) || json_array_size(levels) > 10) {
		rc = vg_error_set(err, VG_EINVAL, "levels: expected 1 to 10 levels");
		goto out;
	}
	if (repeat_limit < 1 || repeat_limit > 20) {
		rc = vg_error_set(err, VG_EINVAL, "--repeat %d: expected 1 to 20 rounds",
				  repeat_limit);
		goto out;
	}
	json_array_foreach(levels, i, lv)
	{
		const char *kind = vg_json_str(lv, "kind"), *target = vg_json_str(lv, "target");
		const char *channel = vg_json_str(lv, "channel");
		long long after_min = vg_json_int(lv, "after_minutes", 15);

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
		json_array_append_new(clean, json_pack("{s:s, s:s, s:s?, s:I}", "kind", kind,
						       "target", target, "channel", channel,
						       "after_minutes", (json_int_t)after_min));
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

int oncall_people_json(struct store *s, json_t **out, struct vg_error *err)
{
	return store_rows(s, out, err, "ittT",
			  "SELECT id, name, user_login, channel, created_at FROM oncall_people "
			  "ORDER BY name",
			  NULL);
}

int oncall_policies_json(struct store *s, json_t **out, struct vg_error *err)
{
	return store_rows(s, out, err, "itjiT",
			  "SELECT id, name, levels_json, repeat_limit, created_at FROM "
			  "oncall_policies ORDER BY id",
			  NULL);
}

/* ---- who is on call ---- */

/* The members of a rotation row as an array of names (caller owns). */
static json_t *members_of(const json_t *row)
{
	json_t *arr = json_array();
	char list[1024], *save = NULL, *tok;
	snprintf(list, sizeof(list), "%s",
		 vg_json_str(row, "members") ? vg_json_str(row, "members") : "");
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		json_array_append_new(arr, json_string(tok));
	return arr;
}

static int rotation_now(const json_t *row, int64_t now, json_t **out, struct vg_error *err)
{
	struct oncall_rotation r;
	json_t *m = members_of(row);
	int64_t idx = 0, begins = 0, ends = 0;
	size_t n = json_array_size(m);
	int rc;

	r.tz = vg_json_str(row, "tz");
	r.start = vg_json_int(row, "start", 0);
	r.handover_wday = (int)vg_json_int(row, "handover_wday", 0);
	r.handover_hour = (int)vg_json_int(row, "handover_hour", 0);
	r.nmembers = n;
	rc = oncall_shift_at(&r, now, &idx, &begins, &ends, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		/* not started: nobody yet; the first member from the start */
		*out = json_pack("{s:s, s:s, s:n, s:n, s:o, s:n, s:O}", "rotation",
				 vg_json_str(row, "name"), "tz", r.tz, "on_call", "since", "until",
				 vg_json_time(r.start), "next", "members", m);
		if (*out)
			json_object_set_new(*out, "next", json_incref(json_array_get(m, 0)));
		json_decref(m);
		return VG_OK;
	}
	if (rc) {
		json_decref(m);
		return rc;
	}
	*out =
	    json_pack("{s:s, s:s, s:O, s:o, s:o, s:O, s:O}", "rotation", vg_json_str(row, "name"),
		      "tz", r.tz, "on_call", json_array_get(m, (size_t)(idx % (int64_t)n)), "since",
		      vg_json_time(begins), "until", vg_json_time(ends), "next",
		      json_array_get(m, (size_t)((idx + 1) % (int64_t)n)), "members", m);
	json_decref(m);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

static int rotations(struct store *s, json_t **out, struct vg_error *err)
{
	return store_rows(s, out, err, "ittiiit",
			  "SELECT id, name, tz, start_at AS start, handover_wday, handover_hour, "
			  "members FROM oncall_rotations ORDER BY name",
			  NULL);
}

int oncall_who_json(struct store *s, int64_t now, json_t **out, struct vg_error *err)
{
	json_t *rows = NULL, *row, *res = json_array();
	size_t i;
	int rc = rotations(s, &rows, err);

	*out = NULL;
	if (rc) {
		json_decref(res);
		return rc;
	}
	json_array_foreach(rows, i, row)
	{
		json_t *one = NULL;
		rc = rotation_now(row, now, &one, err);
		if (rc)
			break;
		json_object_set_new(one, "handover_wday",
				    json_integer(vg_json_int(row, "handover_wday", 0)));
		json_object_set_new(one, "handover_hour",
				    json_integer(vg_json_int(row, "handover_hour", 0)));
		json_array_append_new(res, one);
	}
	json_decref(rows);
	if (rc) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return VG_OK;
}

/* ---- pages ---- */

static int load_policy(struct store *s, const char *name, json_t **out, struct vg_error *err)
{
	json_t *rows = NULL;
	int rc;
	const char *want = name ? name : vg_config_get("oncall.policy", NULL);

	*out = NULL;
	if (want)
		rc = store_rows(s, &rows, err, "itji",
				"SELECT id, name, levels_json, repeat_limit FROM oncall_policies "
				"WHERE name = ?",
				"t", want);
	else
		rc = store_rows(s, &rows, err, "itji",
				"SELECT id, name, levels_json, repeat_limit FROM oncall_policies "
				"ORDER BY CASE WHEN name = 'default' THEN 0 ELSE 1 END, id LIMIT 1",
				NULL);
	if (rc)
		return rc;
	if (!json_array_size(rows)) {
		json_decref(rows);
		if (want)
			return vg_error_set(err, VG_ENOTFOUND, "policy '%s': not known", want);
		return vg_error_set(err, VG_ENOTFOUND,
				    "no escalation policy yet (vigil oncall policy-add)");
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return VG_OK;
}

static int load_policy_id(struct store *s, int64_t id, json_t **out, struct vg_error *err)
{
	return store_row(s, out, err, "policy", id, "itji",
			 "SELECT id, name, levels_json, repeat_limit FROM oncall_policies WHERE "
			 "id = ?",
			 "i", id);
}

/*
 * Notify level (1-based) of policy for page: resolve the person, make a
 * token, record the notification and queue the delivery. Runs inside the
 * caller's transaction.
 */
static int notify_level(struct store *s, const json_t *page, const json_t *policy, int64_t level,
			int64_t round, int64_t now, struct vg_error *err)
{
	const json_t *lv = json_array_get(json_object_get(policy, "levels"), (size_t)(level - 1));
	const char *kind = vg_json_str(lv, "kind"), *target = vg_json_str(lv, "target");
	const char *channel = vg_json_str(lv, "channel");
	char token[64], hash[VG_SHA256_HEX], summary[600], url[700], ts[VG_TIME_BUFSZ];
	char *person = NULL, *pchan = NULL;
	json_t *payload = NULL, *after = NULL;
	int64_t page_id = vg_json_int(page, "id", 0), chan_id = 0;
	const char *base = vg_config_get("server.public_url", "");
	int rc;

	if (!lv)
		return vg_error_set(err, VG_EINTERNAL, "policy level %lld missing",
				    (long long)level);
	if (strcmp(kind, "rotation") == 0) {
		json_t *rows = NULL, *who = NULL;
		rc = store_rows(s, &rows, err, "ittiiit",
				"SELECT id, name, tz, start_at AS start, handover_wday, "
				"handover_hour, members FROM oncall_rotations WHERE name = ?",
				"t", target);
		if (!rc && !json_array_size(rows))
			rc = vg_error_set(err, VG_ENOTFOUND, "rotation '%s' is gone", target);
		if (!rc)
			rc = rotation_now(json_array_get(rows, 0), now, &who, err);
		if (!rc && vg_json_str(who, "on_call"))
			person = strdup(vg_json_str(who, "on_call"));
		json_decref(who);
		json_decref(rows);
		if (rc)
			return rc;
	} else {
		person = strdup(target);
	}
	if (person)
		store_query_text(s, &pchan, NULL,
				 "SELECT channel FROM oncall_people WHERE name = ?", "t", person);
	if (!channel)
		channel = pchan;
	if (!channel) {
		rc = vg_error_set(err, VG_EINVAL, "level %lld: no channel for %s", (long long)level,
				  person ? person : target);
		goto out;
	}
	rc = store_query_int64(s, &chan_id, err,
			       "SELECT id FROM notify_channels WHERE name = ? AND enabled = 1", "t",
			       channel);
	if (rc) {
		vg_error_set(err, VG_ENOTFOUND, "level %lld: channel '%s' missing or disabled",
			     (long long)level, channel);
		goto out;
	}
	if ((rc = vg_random_token(token, sizeof(token), 24)))
		goto out;
	vg_sha256_hex(token, strlen(token), hash);
	rc = store_exec(s, err,
			"INSERT INTO oncall_notifications (page_id, level, round, target, channel, "
			"token_sha256, sent_at) VALUES (?,?,?,?,?,?,?)",
			"iiittti", page_id, level, round, person ? person : target, channel, hash,
			now);
	if (rc)
		goto out;
	snprintf(summary, sizeof(summary), "%s%s (page %lld, level %lld, for %s)",
		 json_is_true(json_object_get(page, "drill")) ? "DRILL: " : "",
		 vg_json_str(page, "summary"), (long long)page_id, (long long)level,
		 person ? person : target);
	snprintf(url, sizeof(url), "%s/oncall/ack/%s", base, token);
	payload = json_pack(
	    "{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:b, s:s, s:s}", "summary", summary,
	    "severity", vg_json_str(page, "severity"), "dedup_key", vg_json_str(page, "dedup"),
	    "ack_url", url, "page_id", (json_int_t)page_id, "level", (json_int_t)level, "round",
	    (json_int_t)round, "target", person ? person : target, "source",
	    vg_json_str(page, "source"), "drill", (int)json_is_true(json_object_get(page, "drill")),
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
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)page_id);
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

static int64_t level_wait(const json_t *policy, int64_t level)
{
	const json_t *lv = json_array_get(json_object_get(policy, "levels"), (size_t)(level - 1));
	return (int64_t)vg_json_int(lv, "after_minutes", 15) * 60;
}

static int page_row(struct store *s, int64_t id, json_t **out, struct vg_error *err)
{
	return store_row(
	    s, out, err, "page", id, "iittttbtiiTTTti",
	    "SELECT id, policy_id, summary, severity, source, dedup_key AS dedup, "
	    "drill, status, level, round, created_at, next_escalation_at, "
	    "acknowledged_at, acknowledged_by, ack_level FROM oncall_pages WHERE id = ?",
	    "i", id);
}

int oncall_page(struct store *s, const char *policy_name, const char *summary, const char *severity,
		const char *source, const char *dedup_key, int drill, int64_t *id, int *created,
		struct vg_error *err)
{
	json_t *policy = NULL, *page = NULL, *after = NULL;
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
	rc = load_policy(s, policy_name, &policy, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc = store_exec(
	    s, err,
	    "INSERT INTO oncall_pages (policy_id, summary, severity, source, dedup_key, "
	    "drill, status, level, round, created_at, next_escalation_at) VALUES "
	    "(?,?,?,?,?,?,'open',1,1,?,?)",
	    "ittttiii", vg_json_int(policy, "id", 0), summary, severity, source ? source : "cli",
	    dedup_key, (int64_t)(drill != 0), now, now + level_wait(policy, 1));
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
			  "policy", vg_json_str(policy, "name"), "source", source ? source : "cli",
			  "drill", drill != 0);
	rc = store_audit(s, drill ? "oncall.drill.page" : "oncall.page.open", "oncall_page", idbuf,
			 NULL, after, err);
	if (!rc)
		rc = page_row(s, pid, &page, err);
	if (!rc)
		rc = notify_level(s, page, policy, 1, 1, now, err);
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
	json_decref(page);
	json_decref(policy);
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
	json_t *page = NULL, *after = NULL;
	int64_t now = vg_now();
	char idbuf[32];
	int rc;

	rc = page_row(s, id, &page, err);
	if (rc)
		return rc;
	if (strcmp(vg_json_str(page, "status"), "acknowledged") == 0) {
		rc = vg_error_set(err, VG_ESTATE, "page %lld was already acknowledged by %s",
				  (long long)id, vg_json_str(page, "acknowledged_by"));
		goto out;
	}
	if (!level)
		level = vg_json_int(page, "level", 0);
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc =
	    store_exec(s, err,
		       "UPDATE oncall_pages SET status = 'acknowledged', acknowledged_at = ?, "
		       "acknowledged_by = ?, ack_level = ?, next_escalation_at = NULL WHERE id = ? "
		       "AND status <> 'acknowledged'",
		       "itii", now, by, level, id);
	if (!rc && json_is_true(json_object_get(page, "drill"))) {
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
	json_decref(page);
	return rc;
}

int oncall_ack(struct store *s, int64_t id, const char *by, struct vg_error *err)
{
	return ack_page(s, id, by ? by : store_actor(s), 0, err);
}

static int token_lookup(struct store *s, const char *token, json_t **out, struct vg_error *err)
{
	char hash[VG_SHA256_HEX];
	json_t *rows = NULL;
	int rc;

	*out = NULL;
	if (!token || strlen(token) < 16 || strlen(token) > 128)
		return vg_error_set(err, VG_ENOTFOUND, "unknown acknowledgement link");
	vg_sha256_hex(token, strlen(token), hash);
	rc = store_rows(s, &rows, err, "iiits",
			"SELECT page_id, level, round, target, channel FROM oncall_notifications "
			"WHERE token_sha256 = ?",
			"t", hash);
	if (rc)
		return rc;
	if (!json_array_size(rows)) {
		json_decref(rows);
		return vg_error_set(err, VG_ENOTFOUND, "unknown acknowledgement link");
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return VG_OK;
}

int oncall_ack_token(struct store *s, const char *token, int64_t *page_id, struct vg_error *err)
{
	json_t *n = NULL;
	char by[128];
	int rc = token_lookup(s, token, &n, err);
	if (rc)
		return rc;
	*page_id = vg_json_int(n, "page_id", 0);
	snprintf(by, sizeof(by), "link:%s", vg_json_str(n, "target"));
	rc = ack_page(s, *page_id, by, vg_json_int(n, "level", 0), err);
	json_decref(n);
	return rc;
}

int oncall_token_page_json(struct store *s, const char *token, json_t **out, struct vg_error *err)
{
	json_t *n = NULL;
	int rc = token_lookup(s, token, &n, err);
	if (rc)
		return rc;
	rc = page_row(s, vg_json_int(n, "page_id", 0), out, err);
	if (!rc) {
		json_object_set(*out, "notified_level", json_object_get(n, "level"));
		json_object_set(*out, "target", json_object_get(n, "target"));
	}
	json_decref(n);
	return rc;
}

int oncall_page_json(struct store *s, int64_t id, json_t **out, struct vg_error *err)
{
	json_t *notes = NULL;
	int rc = page_row(s, id, out, err);
	if (rc)
		return rc;
	rc = store_rows(s, &notes, err, "iiittT",
			"SELECT id, level, round, target, channel, sent_at FROM "
			"oncall_notifications WHERE page_id = ? ORDER BY id",
			"i", id);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "notifications", notes);
	return VG_OK;
}

int oncall_pages_json(struct store *s, int64_t limit, json_t **out, struct vg_error *err)
{
	json_t *ids = NULL, *row, *res = json_array();
	size_t i;
	int rc =
	    store_rows(s, &ids, err, "i", "SELECT id FROM oncall_pages ORDER BY id DESC LIMIT ?",
		       "i", limit > 0 ? limit : 100);
	*out = NULL;
	if (rc) {
		json_decref(res);
		return rc;
	}
	json_array_foreach(ids, i, row)
	{
		json_t *p = NULL;
		rc = oncall_page_json(s, vg_json_int(row, "id", 0), &p, err);
		if (rc)
			break;
		json_array_append_new(res, p);
	}
	json_decref(ids);
	if (rc) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return VG_OK;
}

int oncall_drills_json(struct store *s, json_t **out, struct vg_error *err)
{
	return store_rows(s, out, err, "iiTTiits",
			  "SELECT d.id, d.page_id, d.started_at, d.acknowledged_at, d.ack_seconds, "
			  "d.ack_level, d.result, p.acknowledged_by FROM oncall_drills d JOIN "
			  "oncall_pages p ON p.id = d.page_id ORDER BY d.id DESC",
			  NULL);
}

/* ---- escalation ---- */

static int escalate(struct store *s, const json_t *page, int64_t now, int *paged,
		    struct vg_error *err)
{
	json_t *policy = NULL, *after = NULL;
	int64_t id = vg_json_int(page, "id", 0), level = vg_json_int(page, "level", 0);
	int64_t round = vg_json_int(page, "round", 0), next = 0, nlevels, limit;
	const char *status = "open";
	char idbuf[32], *nx = NULL;
	int rc;

	rc = load_policy_id(s, vg_json_int(page, "policy_id", 0), &policy, err);
	if (rc)
		return rc;
	/* next_escalation_at comes back as RFC 3339 text from page_row */
	if (vg_time_parse(vg_json_str(page, "next_escalation_at"), &next, NULL) != VG_OK) {
		json_decref(policy);
		return VG_OK;
	}
	nlevels = (int64_t)json_array_size(json_object_get(policy, "levels"));
	limit = vg_json_int(policy, "repeat_limit", 0);
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
		rc = notify_level(s, page, policy, level, round, now, err);
		if (rc)
			goto out;
		(*paged)++;
		next += level_wait(policy, level);
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
	free(nx);
	json_decref(after);
	json_decref(policy);
	return rc;
}

int oncall_tick(struct store *s, int *paged, struct vg_error *err)
{
	json_t *due = NULL, *row;
	int64_t now = vg_now();
	size_t i;
	int rc;

	*paged = 0;
	rc = store_rows(s, &due, err, "i",
			"SELECT id FROM oncall_pages WHERE status = 'open' AND next_escalation_at "
			"IS NOT NULL AND next_escalation_at <= ? ORDER BY id",
			"i", now);
	if (rc)
		return rc;
	json_array_foreach(due, i, row)
	{
		json_t *page = NULL;
		rc = page_row(s, vg_json_int(row, "id", 0), &page, err);
		if (!rc)
			rc = escalate(s, page, now, paged, err);
		json_decref(page);
		if (rc)
			break;
	}
	json_decref(due);
	if (rc)
		return rc;
	/* drills not acknowledged in time have failed, whatever happens later */
	rc = store_rows(s, &due, err, "i",
			"SELECT id FROM oncall_drills WHERE result = 'pending' AND started_at <= ?",
			"i", now - ONCALL_DRILL_PASS_SECONDS);
	if (rc)
		return rc;
	json_array_foreach(due, i, row)
	{
		char idbuf[32];
		json_t *after = json_pack("{s:s}", "result", "fail");
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)vg_json_int(row, "id", 0));
		rc = store_tx_begin(s, err);
		if (!rc)
			rc = store_exec(s, err,
					"UPDATE oncall_drills SET result = 'fail' WHERE id = ? AND "
					"result = 'pending'",
					"i", vg_json_int(row, "id", 0));
		if (!rc)
			rc = store_audit(s, "oncall.drill.fail", "oncall_drill", idbuf, NULL, after,
					 err);
		if (!rc)
			rc = store_tx_commit(s, err);
		if (rc && store_in_tx(s))
			store_tx_rollback(s);
		json_decref(after);
		if (rc)
			break;
	}
	json_decref(due);
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

static void on_urgent(struct store *s, const char *name, const json_t *payload, void *arg)
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
		return;
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
	if (oncall_page(s, NULL, summary, "critical", name, key, 0, &id, &created, &err))
		vg_warn("oncall: cannot page for %s: %s", name, vg_error_msg(&err));
	else if (created)
		vg_info("oncall: page %lld opened for %s", (long long)id, name);
}

void oncall_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	vg_event_subscribe("vuln.exploited", on_urgent, NULL);
	vg_event_subscribe("art14.warning", on_urgent, NULL);
	vg_event_subscribe("art14.breached", on_urgent, NULL);
}
