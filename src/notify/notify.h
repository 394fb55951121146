/*
 * notify.h - notifications: channels (generic webhook with an HMAC-SHA256
 * signature, e-mail through SMTP, PagerDuty Events API v2), rules that map
 * events to channels, and a delivery queue in the database, retried with
 * backoff and visible with `vigil notify log`.
 *
 * Rules:
 *  - Each channel kind is one const struct notify_ops; callers go through
 *    notify_channel_send(), never through the ops by hand.
 *  - Events come from the in-process bus (core/events.h): notify_init()
 *    subscribes to every event; matching rules enqueue one delivery per
 *    channel. Sending happens in the background job "notify.deliver" (or
 *    `vigil notify run`), never on the emitting thread.
 *  - Channel secrets (webhook secret, PagerDuty routing key, SMTP password)
 *    are never logged, never returned by listings, never put in audit records.
 *  - Severity order: info < low < medium < high < critical. A rule with a
 *    min_severity fires only for events that carry a severity at least that
 *    high; an event without a severity never satisfies such a rule.
 */
#ifndef VIGIL_NOTIFY_NOTIFY_H
#define VIGIL_NOTIFY_NOTIFY_H

#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

/* What a channel is asked to deliver. */
struct notify_message {
	const char *event;     /* "sla.breached" */
	const char *summary;   /* one line for people */
	const char *severity;  /* info, low, medium, high, critical (may be NULL) */
	const char *dedup_key; /* groups repeats of one incident (may be NULL) */
	int64_t at;            /* when it happened */
	const json_t *details; /* the event payload */
};

struct notify_result {
	long status;      /* HTTP status or SMTP reply code, 0 when none */
	char detail[256]; /* short text about the outcome */
};

struct notify_ops {
	const char *kind; /* "webhook", "email", "pagerduty" */
	/* Check a channel's configuration; errors name the field. */
	int (*check)(const json_t *config, struct vg_error *err);
	int (*send)(const json_t *config, const struct notify_message *m, struct notify_result *res,
		    struct vg_error *err);
};

extern const struct notify_ops notify_webhook_ops;
extern const struct notify_ops notify_email_ops;
extern const struct notify_ops notify_pagerduty_ops;

/* The ops of a kind, or NULL. */
const struct notify_ops *notify_ops_find(const char *kind);

static inline int notify_channel_send(const struct notify_ops *ops, const json_t *config,
				      const struct notify_message *m, struct notify_result *res,
				      struct vg_error *err)
{
	return ops->send(config, m, res, err);
}

/* The JSON body a webhook receives (also used for the e-mail text). Caller owns. */
json_t *notify_message_json(const struct notify_message *m);

/* Severity rank: info 0 ... critical 4, -1 when unknown or NULL. */
int notify_severity_rank(const char *s);

/* Channels and rules (audited). config is the kind's JSON configuration. */
int notify_channel_add(struct store *s, const char *name, const char *kind, const json_t *config,
		       struct vg_error *err);
int notify_channel_remove(struct store *s, const char *name, struct vg_error *err);
/* Listings never include secrets. */
int notify_channel_list_json(struct store *s, json_t **out, struct vg_error *err);
int notify_rule_add(struct store *s, const char *event, const char *min_severity,
		    const char *channel, struct vg_error *err);
int notify_rule_list_json(struct store *s, json_t **out, struct vg_error *err);

/* Enqueue deliveries for an event on every channel whose rules match. *n is the count. */
int notify_enqueue(struct store *s, const char *event, const json_t *payload, int *n,
		   struct vg_error *err);
/* Enqueue one delivery of event on the named, enabled channel, whatever the
 * rules say (pages to a person's own channel). The payload's dedup_key is
 * kept. VG_ENOTFOUND names a missing or disabled channel. */
int notify_enqueue_channel(struct store *s, const char *event, const char *channel,
			   const json_t *payload, struct vg_error *err);
/* Send every due delivery (at most max); failures are rescheduled with backoff
 * (1, 5, 15, 60 minutes, then every 4 hours; dead after notify.max_attempts, default 8). */
int notify_deliver_due(struct store *s, int max, int *sent, int *failed, struct vg_error *err);
/* The delivery log, newest first. */
int notify_log_json(struct store *s, int64_t limit, json_t **out, struct vg_error *err);

/* Subscribe the notifier to the event bus (once, at program start). */
void notify_init(void);

/* `vigil notify` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_notify(struct cli *c, int argc, char **argv);

#endif
