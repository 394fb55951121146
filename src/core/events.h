/*
 * events.h - in-process events between rooms ("sbom.imported",
 * "vuln.exploited", ...). Subscribers are called synchronously, in
 * subscription order, on the emitting thread, after the emitter's
 * transaction has committed. A subscriber's failure is logged, never
 * propagated: the event already happened.
 */
#ifndef VIGIL_CORE_EVENTS_H
#define VIGIL_CORE_EVENTS_H

#include "core/json.h"

struct store;

typedef void (*vg_event_fn)(struct store *s, const char *name, const json_t *payload, void *arg);

/* Subscribe fn to events called name ("*" for all). Returns VG_OK or VG_ENOMEM. */
int vg_event_subscribe(const char *name, vg_event_fn fn, void *arg);
/* Call every subscriber of name with payload (borrowed). */
void vg_event_emit(struct store *s, const char *name, const json_t *payload);
/* Remove every subscription (tests, shutdown). */
void vg_event_reset(void);

#endif
