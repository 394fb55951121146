/*
 * events.h - in-process events between rooms ("sbom.imported",
 * "vuln.exploited", ...). Subscribers are called synchronously, in
 * subscription order, on the emitting thread, after the emitter's
 * transaction has committed.
 *
 * Two kinds of delivery:
 *  - vg_event_emit(): once, now; a subscriber's failure is logged by the
 *    subscriber and goes no further (access logs, reminders that come back
 *    on their own).
 *  - durable (store/store.h: store_event_record() inside the emitter's
 *    transaction, store_event_deliver() after its commit): the event is a
 *    row committed with what caused it, and a subscriber that fails (its
 *    function returns an error code) is called again later by the job
 *    "events.redeliver" until it succeeds; so are all of them when the
 *    process died between the commit and the delivery. Subscribers of
 *    durable events must therefore be idempotent: called twice with the
 *    same event, they change nothing the second time.
 * A subscriber is named (who: "triage.reconcile"); the name is what a stored
 * event lists as still to be done, so it must stay stable across releases.
 */
#ifndef VIGIL_CORE_EVENTS_H
#define VIGIL_CORE_EVENTS_H

#include "core/json.h"

struct store;

/* VG_OK when the event is handled; an error code asks for another attempt
 * (durable events only). */
typedef int (*vg_event_fn)(struct store *s, const char *name, const json_t *payload, void *arg);

/* Subscribe fn, named who, to events called name ("*" for all). Returns
 * VG_OK or VG_ENOMEM (the table is full). name and who are borrowed: string
 * literals. */
int vg_event_subscribe(const char *name, const char *who, vg_event_fn fn, void *arg);
/* Call every subscriber of name with payload (borrowed); results ignored. */
void vg_event_emit(struct store *s, const char *name, const json_t *payload);
/* Call each subscriber of name: fn(who, arg). */
void vg_event_each(const char *name, void (*fn)(const char *who, void *arg), void *arg);
/* Call the subscriber who of name; its result, or VG_ENOTFOUND when there is
 * no such subscriber (any more). */
int vg_event_call(struct store *s, const char *name, const json_t *payload, const char *who);
/* Remove every subscription (tests, shutdown). */
void vg_event_reset(void);

#endif
