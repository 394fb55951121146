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
 *  - Channel secrets (the target URL, webhook secret, PagerDuty routing key,
 *    smtp_url, SMTP password) are never logged, never returned by listings,
 *    never put in audit records: those show URLs through vg_redact_url()
 *    (core/redact.h) and the other secrets as "***". At rest they are sealed
 *    with the server's key file (core/secret.h, purpose "notify-secret",
 *    column notify_channels.secrets_sealed) and opened only to send.
 *  - Severity order: info < low < medium < high < critical. A rule with a
 *    min_severity fires only for events that carry a severity at least that
 *    high; an event without a severity never satisfies such a rule.
 */
#ifndef VIGIL_NOTIFY_NOTIFY_H
#define VIGIL_NOTIFY_NOTIFY_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "jobs/jobs.h"

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
	/* a plain e-mail to one person (notify_mail_direct): when text is set,
	 * the e-mail channel sends summary as the subject and text as the whole
	 * body, to rcpt instead of its configured recipients */
	const char *text;
	const char *rcpt;
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

/*
 * Channels, rules and deliveries as the domain sees them. Listings return
 * them typed; JSON is made only at the API/CLI edges by *_to_json(). The
 * strings of everything a listing returns live in the caller's arena mem
 * (core/arena.h): vg_arena_release(mem) frees them all at once.
 */
struct vg_arena;

/* A channel as listed: never its secrets. */
struct notify_channel {
	const char *name;
	const char *kind;
	int64_t enabled; /* 1 enabled, 0 disabled */
	int64_t created_at;
	const char *config_masked; /* JSON text of the configuration as shown: the
				    * URLs ("url", "smtp_url") through vg_redact_url(),
				    * "secret", "routing_key", "password" as "***";
				    * NULL when unreadable */
};
struct notify_channel_list {
	struct notify_channel *v;
	size_t n;
};

struct notify_rule {
	int64_t id;
	const char *event;        /* name, "family.*" or "*" */
	const char *min_severity; /* NULL: any */
	const char *channel;      /* the channel's name */
	int64_t created_at;
};
struct notify_rule_list {
	struct notify_rule *v;
	size_t n;
};

/* One entry of the delivery log. */
struct notify_delivery {
	int64_t id;
	const char *event;
	const char *channel;
	const char *kind;
	const char *status; /* queued, sending, retry, sent, dead */
	int64_t attempts;
	int64_t response_code;  /* -1: none yet */
	const char *last_error; /* NULL when none */
	int64_t created_at, next_attempt_at;
	int64_t sent_at; /* 0 until sent */
	const char *dedup_key;
};
struct notify_delivery_list {
	struct notify_delivery *v;
	size_t n;
};

/* Channels and rules (audited). config is the kind's JSON configuration; its
 * secret parts are sealed, the audit record shows it masked. */
int notify_channel_add(struct store *s, const char *name, const char *kind, const json_t *config,
		       struct vg_error *err) VG_MUST_CHECK;
int notify_channel_remove(struct store *s, const char *name, struct vg_error *err) VG_MUST_CHECK;
/* Change a channel (audited as notify.channel_update, before and after
 * masked) and enable it again. changes holds the keys to set; a secret key
 * given as "" or left out keeps the stored secret, a key given as JSON null
 * is removed. The result is checked like a new channel. */
int notify_channel_update(struct store *s, const char *name, const json_t *changes,
			  struct vg_error *err) VG_MUST_CHECK;
/* Queue a test message on the named, enabled channel (event notify.test,
 * audited as notify.channel_test with who asked). */
int notify_channel_test(struct store *s, const char *name, const char *by,
			struct vg_error *err) VG_MUST_CHECK;
/* Remove a rule by id (audited as notify.rule_remove). */
int notify_rule_remove(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;
/* *exists = 1 when a channel of that name exists (enabled_only: and is
 * enabled), else 0. Fails only when the store does. */
int notify_channel_exists(struct store *s, const char *name, int enabled_only, int *exists,
			  struct vg_error *err) VG_MUST_CHECK;
/* Seal the secrets of channels stored before sealing (migration 0019: the
 * clear configuration, secrets_sealed NULL), in one audited transaction
 * ("notify.channel_seal" per channel, configuration masked). Idempotent:
 * *n is the number sealed now, 0 when none was left. Called before every
 * delivery run and by `vigil notify seal`. */
int notify_seal_existing(struct store *s, int *n, struct vg_error *err) VG_MUST_CHECK;
/* Channels by name (secrets masked), into mem. */
int notify_channels(struct store *s, struct vg_arena *mem, struct notify_channel_list *out,
		    struct vg_error *err) VG_MUST_CHECK;
int notify_rule_add(struct store *s, const char *event, const char *min_severity,
		    const char *channel, struct vg_error *err) VG_MUST_CHECK;
/* Rules in the order they were added, into mem. */
int notify_rules(struct store *s, struct vg_arena *mem, struct notify_rule_list *out,
		 struct vg_error *err) VG_MUST_CHECK;

/* The JSON of each type at the edges (caller owns; NULL only when out of
 * memory). Keys: channel {name, kind, enabled, created_at, config}; rule
 * {id, event, min_severity, channel, created_at}; delivery {id, event,
 * channel, kind, status, attempts, response_code, last_error, created_at,
 * next_attempt_at, sent_at, dedup_key}. The list forms give arrays. */
json_t *notify_channel_to_json(const struct notify_channel *c);
json_t *notify_channel_list_to_json(const struct notify_channel_list *l);
json_t *notify_rule_to_json(const struct notify_rule *r);
json_t *notify_rule_list_to_json(const struct notify_rule_list *l);
json_t *notify_delivery_to_json(const struct notify_delivery *d);
json_t *notify_delivery_list_to_json(const struct notify_delivery_list *l);

/* Enqueue deliveries for an event on every channel whose rules match. *n is the count. */
int notify_enqueue(struct store *s, const char *event, const json_t *payload, int *n,
		   struct vg_error *err) VG_MUST_CHECK;
/* Enqueue one delivery of event on the named, enabled channel, whatever the
 * rules say (pages to a person's own channel). The payload's dedup_key is
 * kept. VG_ENOTFOUND names a missing or disabled channel. */
int notify_enqueue_channel(struct store *s, const char *event, const char *channel,
			   const json_t *payload, struct vg_error *err) VG_MUST_CHECK;
/* Enqueue a plain e-mail (subject, text) to one address through an e-mail
 * channel: channel, else the setting notify.direct_channel, else the first
 * enabled e-mail channel by name. The address, subject and text are sealed
 * in the queue (core/secret.h, purpose "notify-secret"), never logged nor
 * listed, and wiped from the queue once sent or given up. The delivery's
 * event is event (what `vigil notify log` shows). VG_ENOTFOUND when there is
 * no enabled e-mail channel; VG_EINVAL for an address with a line break. */
int notify_mail_direct(struct store *s, const char *channel, const char *event, const char *to,
		       const char *subject, const char *text, struct vg_error *err) VG_MUST_CHECK;
/* Send every due delivery (at most max); failures are rescheduled with backoff
 * (1, 5, 15, 60 minutes, then every 4 hours; dead after notify.max_attempts, default 8). */
/* The delivery job (notify.deliver, every second), for src/app/tables.c. */
extern const struct vg_job notify_jobs[];

int notify_deliver_due(struct store *s, int max, int *sent, int *failed,
		       struct vg_error *err) VG_MUST_CHECK;
/* The delivery log, newest first, at most limit (1..); into mem. */
int notify_log(struct store *s, int64_t limit, struct vg_arena *mem,
	       struct notify_delivery_list *out, struct vg_error *err) VG_MUST_CHECK;

/* Subscribe the notifier to the event bus (once, at program start). */
void notify_init(void);

/* `vigil notify` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_notify(struct cli *c, int argc, char **argv);

#endif
