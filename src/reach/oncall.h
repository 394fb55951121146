/*
 * oncall.h - on-call paging for the PSIRT: people, weekly rotations in a
 * named IANA time zone, escalation policies, pages with acknowledgement
 * links, and quarterly drills.
 *
 * Rules:
 *  - A rotation hands over once a week at a local weekday and hour in its
 *    time zone (so a 09:00 Monday hand-over stays 09:00 across DST). Local
 *    time is computed with the system tz database (TZ + mktime/localtime_r
 *    under one process-wide lock: TZ is process state; after the first use
 *    TZ stays set, to its old value or to UTC0 when it was unset).
 *  - A policy is a list of levels; each level names a target (the person on
 *    call in a rotation, or a named person such as the PSIRT lead), the
 *    notifier channel the page goes through, and the minutes to wait for an
 *    acknowledgement before the next level is paged. After the last level
 *    the policy starts again from level 1, at most repeat_limit rounds; then
 *    the page is "exhausted" (still acknowledgeable).
 *  - Every page notification carries its own random acknowledgement token;
 *    only its SHA-256 is stored. The token is the credential of the public
 *    /oncall/ack/{token} link.
 *  - Pages are queued as deliveries of the event "oncall.page" on the named
 *    channel; the notifier's job (or `vigil notify run`) sends them.
 *  - Escalation is driven by oncall_tick() (background job "oncall.escalate"
 *    and `vigil oncall tick`); all time comes from vg_now().
 *  - Every change is audited (store_audit in the same transaction).
 */
#ifndef VIGIL_REACH_ONCALL_H
#define VIGIL_REACH_ONCALL_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

#define ONCALL_DRILL_PASS_SECONDS (30 * 60)
#define ONCALL_DRILL_DUE_SECONDS  (92 * 86400)

/* 1 when tz names a readable TZif file of the system tz database. */
int oncall_tz_valid(const char *tz);
/* Local wall-clock time (y, mon 1-12, day, hour, minute) in tz to UTC. A
 * time inside a DST gap is normalised forward (as mktime does). */
int oncall_local_to_utc(const char *tz, int y, int mon, int day, int hour, int min, int64_t *out,
			struct vg_error *err) VG_MUST_CHECK;
/* Weekday (0 = Sunday) and civil date of UTC t in tz. */
int oncall_utc_to_local(const char *tz, int64_t t, int *y, int *mon, int *day, int *hour, int *wday,
			struct vg_error *err) VG_MUST_CHECK;

/* A weekly rotation, as far as time is concerned. */
struct oncall_rotation {
	const char *tz;
	int64_t start;     /* the first shift begins here (UTC) */
	int handover_wday; /* 0 = Sunday ... 6 = Saturday, local */
	int handover_hour; /* 0..23, local */
	size_t nmembers;
};

/*
 * The shift of rotation r at UTC t: its index (0 = the first shift, member
 * index = index % nmembers), when it began and when it ends (the next
 * hand-over). VG_ENOTFOUND when t is before r->start; VG_EINVAL for a bad
 * time zone or an empty rotation.
 */
int oncall_shift_at(const struct oncall_rotation *r, int64_t t, int64_t *index, int64_t *begins,
		    int64_t *ends, struct vg_error *err) VG_MUST_CHECK;

/* Weekday by name ("mon", "monday", "Mon") or number 0-6; -1 when neither. */
int oncall_wday_parse(const char *s);

/* Set-up (audited). channel may be NULL (then every level naming the person
 * must name a channel). members: comma-separated person names, in order. */
int oncall_person_add(struct store *s, const char *name, const char *user_login,
		      const char *channel, struct vg_error *err) VG_MUST_CHECK;
int oncall_rotation_add(struct store *s, const char *name, const char *tz, int64_t start, int wday,
			int hour, const char *members, struct vg_error *err) VG_MUST_CHECK;
/* One level of an escalation policy. */
struct oncall_level {
	const char *kind;    /* "rotation" or "person" */
	const char *target;  /* the rotation's or the person's name */
	const char *channel; /* NULL: the person's own channel */
	int64_t after_minutes;
};

/*
 * levels: n levels (1 to 10), each with an after_minutes of 1 to 1440.
 * Targets and channels must exist. repeat_limit: rounds through all levels
 * (1..20).
 */
int oncall_policy_add(struct store *s, const char *name, const struct oncall_level *levels,
		      size_t n, int repeat_limit, struct vg_error *err) VG_MUST_CHECK;

/*
 * Typed results. Everything a listing returns (strings, arrays) lives in the
 * caller's arena mem (core/arena.h); vg_arena_release(mem) frees it at once.
 * Times are UTC seconds, 0 when none; integers that may be missing are -1
 * when they are. JSON is made only at the edges by the *_to_json() below,
 * whose keys are those of the API.
 */
struct vg_arena;

struct oncall_person {
	int64_t id;
	const char *name;
	const char *user_login; /* may be NULL */
	const char *channel;    /* the person's own notifier channel, may be NULL */
	int64_t created_at;
};
struct oncall_person_list {
	struct oncall_person *v;
	size_t n;
};

struct oncall_policy {
	int64_t id;
	const char *name;
	struct oncall_level *levels;
	size_t nlevels;
	int64_t repeat_limit;
	int64_t created_at;
};
struct oncall_policy_list {
	struct oncall_policy *v;
	size_t n;
};

/* Who is on call in one rotation at a time. */
struct oncall_shift {
	const char *rotation;
	const char *tz;
	const char *on_call; /* NULL before the rotation starts */
	int64_t since;       /* 0 before the rotation starts */
	int64_t until;       /* the next hand-over (or the start) */
	const char *next;    /* NULL when nobody */
	const char **members;
	size_t nmembers;
	int handover_wday, handover_hour;
};
struct oncall_shift_list {
	struct oncall_shift *v;
	size_t n;
};

/* One notification of a page (a level paged in a round). */
struct oncall_notification {
	int64_t id, level, round;
	const char *target, *channel;
	int64_t sent_at;
};

struct oncall_page {
	int64_t id;
	int64_t policy_id;
	const char *summary, *severity, *source;
	const char *dedup; /* the dedup key */
	int drill;
	const char *status; /* open, acknowledged, exhausted */
	int64_t level, round;
	int64_t created_at, next_escalation_at, acknowledged_at;
	const char *acknowledged_by; /* NULL until acknowledged */
	int64_t ack_level;           /* -1 until acknowledged */
	struct oncall_notification *notes;
	size_t nnotes;
};
struct oncall_page_list {
	struct oncall_page *v;
	size_t n;
};

struct oncall_drill {
	int64_t id, page_id;
	int64_t started_at, acknowledged_at;
	int64_t ack_seconds, ack_level; /* -1 until acknowledged */
	const char *result;             /* pending, pass, fail */
	const char *acknowledged_by;    /* of the page, may be NULL */
};
struct oncall_drill_list {
	struct oncall_drill *v;
	size_t n;
};

/* Listings, into mem. */
int oncall_people(struct store *s, struct vg_arena *mem, struct oncall_person_list *out,
		  struct vg_error *err) VG_MUST_CHECK;
int oncall_policies(struct store *s, struct vg_arena *mem, struct oncall_policy_list *out,
		    struct vg_error *err) VG_MUST_CHECK;
/* Per rotation (by name): who is on call at now, since, until, and who is next. */
int oncall_who(struct store *s, int64_t now, struct vg_arena *mem, struct oncall_shift_list *out,
	       struct vg_error *err) VG_MUST_CHECK;
/* Pages, newest first (at most limit, 1..), with their notifications. */
int oncall_pages(struct store *s, int64_t limit, struct vg_arena *mem, struct oncall_page_list *out,
		 struct vg_error *err) VG_MUST_CHECK;
/* One page with its notifications; VG_ENOTFOUND naming the id. */
int oncall_page_get(struct store *s, int64_t id, struct vg_arena *mem, struct oncall_page *out,
		    struct vg_error *err) VG_MUST_CHECK;
/* Drills, newest first. */
int oncall_drills(struct store *s, struct vg_arena *mem, struct oncall_drill_list *out,
		  struct vg_error *err) VG_MUST_CHECK;

/* JSON of each type (caller owns; NULL only when out of memory).
 * person {id, name, user_login, channel, created_at}; policy {id, name,
 * levels [{kind, target, channel, after_minutes}], repeat_limit,
 * created_at}; shift {rotation, tz, on_call, since, until, next, members,
 * handover_wday, handover_hour}; page {id, policy_id, summary, severity,
 * source, dedup, drill, status, level, round, created_at,
 * next_escalation_at, acknowledged_at, acknowledged_by, ack_level,
 * notifications [{id, level, round, target, channel, sent_at}]}; drill {id,
 * page_id, started_at, acknowledged_at, ack_seconds, ack_level, result,
 * acknowledged_by}. The list forms give arrays. */
json_t *oncall_person_to_json(const struct oncall_person *p);
json_t *oncall_person_list_to_json(const struct oncall_person_list *l);
json_t *oncall_policy_to_json(const struct oncall_policy *p);
json_t *oncall_policy_list_to_json(const struct oncall_policy_list *l);
json_t *oncall_shift_to_json(const struct oncall_shift *w);
json_t *oncall_shift_list_to_json(const struct oncall_shift_list *l);
json_t *oncall_page_to_json(const struct oncall_page *p);
json_t *oncall_page_list_to_json(const struct oncall_page_list *l);
json_t *oncall_drill_to_json(const struct oncall_drill *d);
json_t *oncall_drill_list_to_json(const struct oncall_drill_list *l);

/*
 * Open a page on policy (NULL: config oncall.policy, else "default", else
 * the first policy) and page level 1 now. severity: info..critical.
 * source says why ("cli", "vuln.exploited", "drill"). A page with the same
 * dedup_key still open is not opened again (*id is that page, *created 0).
 */
int oncall_page(struct store *s, const char *policy, const char *summary, const char *severity,
		const char *source, const char *dedup_key, int drill, int64_t *id, int *created,
		struct vg_error *err) VG_MUST_CHECK;
/* A drill: a page marked "DRILL" plus its drill record. */
int oncall_drill(struct store *s, const char *policy, int64_t *page_id,
		 struct vg_error *err) VG_MUST_CHECK;

/* Acknowledge by id (by = who) or by link token. VG_ENOTFOUND for an unknown
 * id/token, VG_ESTATE when already acknowledged. */
int oncall_ack(struct store *s, int64_t id, const char *by, struct vg_error *err) VG_MUST_CHECK;
int oncall_ack_token(struct store *s, const char *token, int64_t *page_id,
		     struct vg_error *err) VG_MUST_CHECK;
/* The page a link token belongs to, with its notifications (for the
 * confirmation page), into mem. VG_ENOTFOUND for an unknown token. */
int oncall_token_page(struct store *s, const char *token, struct vg_arena *mem,
		      struct oncall_page *out, struct vg_error *err) VG_MUST_CHECK;

/* Escalate every page whose wait ran out, fail drills not acknowledged in
 * time. *paged = notifications sent. */
int oncall_tick(struct store *s, int *paged, struct vg_error *err) VG_MUST_CHECK;
/* Emit oncall.drill_due when the last passing drill is older than 92 days
 * (or there is none). *due set 0/1. */
int oncall_drill_check(struct store *s, int *due, struct vg_error *err) VG_MUST_CHECK;

/* Subscribe to vuln.exploited, art14.warning and art14.breached (once). */
void oncall_init(void);

/* `vigil oncall` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_oncall(struct cli *c, int argc, char **argv);

#endif
