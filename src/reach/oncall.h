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
			struct vg_error *err);
/* Weekday (0 = Sunday) and civil date of UTC t in tz. */
int oncall_utc_to_local(const char *tz, int64_t t, int *y, int *mon, int *day, int *hour, int *wday,
			struct vg_error *err);

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
		    int64_t *ends, struct vg_error *err);

/* Weekday by name ("mon", "monday", "Mon") or number 0-6; -1 when neither. */
int oncall_wday_parse(const char *s);

/* Set-up (audited). channel may be NULL (then every level naming the person
 * must name a channel). members: comma-separated person names, in order. */
int oncall_person_add(struct store *s, const char *name, const char *user_login,
		      const char *channel, struct vg_error *err);
int oncall_rotation_add(struct store *s, const char *name, const char *tz, int64_t start, int wday,
			int hour, const char *members, struct vg_error *err);
/*
 * levels: array of {"kind": "rotation"|"person", "target": name,
 * "channel": notifier channel name or null, "after_minutes": N}. Targets and
 * channels must exist. repeat_limit: rounds through all levels (1..20).
 */
int oncall_policy_add(struct store *s, const char *name, const json_t *levels, int repeat_limit,
		      struct vg_error *err);

/* Listings (caller owns *out). */
int oncall_people_json(struct store *s, json_t **out, struct vg_error *err);
int oncall_policies_json(struct store *s, json_t **out, struct vg_error *err);
/* Per rotation: who is on call at now, since, until, and who is next. */
int oncall_who_json(struct store *s, int64_t now, json_t **out, struct vg_error *err);
/* Pages, newest first, with their notifications. */
int oncall_pages_json(struct store *s, int64_t limit, json_t **out, struct vg_error *err);
int oncall_page_json(struct store *s, int64_t id, json_t **out, struct vg_error *err);
int oncall_drills_json(struct store *s, json_t **out, struct vg_error *err);

/*
 * Open a page on policy (NULL: config oncall.policy, else "default", else
 * the first policy) and page level 1 now. severity: info..critical.
 * source says why ("cli", "vuln.exploited", "drill"). A page with the same
 * dedup_key still open is not opened again (*id is that page, *created 0).
 */
int oncall_page(struct store *s, const char *policy, const char *summary, const char *severity,
		const char *source, const char *dedup_key, int drill, int64_t *id, int *created,
		struct vg_error *err);
/* A drill: a page marked "DRILL" plus its drill record. */
int oncall_drill(struct store *s, const char *policy, int64_t *page_id, struct vg_error *err);

/* Acknowledge by id (by = who) or by link token. VG_ENOTFOUND for an unknown
 * id/token, VG_ESTATE when already acknowledged. */
int oncall_ack(struct store *s, int64_t id, const char *by, struct vg_error *err);
int oncall_ack_token(struct store *s, const char *token, int64_t *page_id, struct vg_error *err);
/* The page a token belongs to (for the confirmation page). */
int oncall_token_page_json(struct store *s, const char *token, json_t **out, struct vg_error *err);

/* Escalate every page whose wait ran out, fail drills not acknowledged in
 * time. *paged = notifications sent. */
int oncall_tick(struct store *s, int *paged, struct vg_error *err);
/* Emit oncall.drill_due when the last passing drill is older than 92 days
 * (or there is none). *due set 0/1. */
int oncall_drill_check(struct store *s, int *due, struct vg_error *err);

/* Subscribe to vuln.exploited, art14.warning and art14.breached (once). */
void oncall_init(void);

/* `vigil oncall` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_oncall(struct cli *c, int argc, char **argv);

#endif
