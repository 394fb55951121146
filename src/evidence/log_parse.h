/*
 * log_parse.h - the parsers of outside log input, pure functions with no
 * store (each has a libFuzzer target in tests/fuzz/):
 *
 *  - log_json_line(): one JSON line of POST /api/v1/logs;
 *  - struct log_framer: syslog over TCP framing (RFC 6587: octet counting
 *    "LEN SP MSG" and LF-terminated frames), bounded;
 *  - log_syslog_parse(): one syslog message, RFC 5424 with the structured
 *    data element [vigil@32473 product="P" version="V"], RFC 3164 lines
 *    tolerated, anything else kept whole as the message.
 *
 * Rules: every string an event points to is copied into the caller's arena;
 * errors name the place (line, byte, field) and what was expected.
 */
#ifndef VIGIL_EVIDENCE_LOG_PARSE_H
#define VIGIL_EVIDENCE_LOG_PARSE_H

#include "core/error.h"
#include "evidence/logs.h"

#include <stddef.h>
#include <stdint.h>

struct vg_arena;

/* The private enterprise number of vigil's structured data element. */
#define LOG_SD_ID "vigil@32473"

/*
 * Parse one JSON line (n bytes, no newline) into ev: an object with "time"
 * (RFC 3339 text or seconds since the epoch), "source" and "message"
 * (text), optional "product", "version", "host" (text); every other member
 * is kept in ev->fields (compact JSON). received is the time of arrival.
 * VG_EPARSE / VG_EINVAL with a message naming the field.
 */
int log_json_line(const char *line, size_t n, int64_t received, struct log_event *ev,
		  struct vg_arena *a, struct vg_error *err) VG_MUST_CHECK;

/*
 * Check an event's strings (UTF-8, lengths of logs.h, no control characters
 * but tab, and newline in the message) and its time (year 1970 to 9999).
 * what names it in the message ("line 3").
 */
int log_event_check(const struct log_event *ev, const char *what,
		    struct vg_error *err) VG_MUST_CHECK;

/*
 * Parse one syslog message (without framing). Never fails on content: what
 * is not RFC 5424 or RFC 3164 becomes a message of source "syslog" at the
 * time received. Invalid UTF-8 bytes are replaced by U+FFFD and control
 * characters by spaces, so the event always passes log_event_check().
 * VG_ENOMEM only.
 */
int log_syslog_parse(const char *msg, size_t n, int64_t received, struct log_event *ev,
		     struct vg_arena *a, struct vg_error *err) VG_MUST_CHECK;

/* The framing of one TCP connection. */
struct log_framer {
	char *buf; /* bytes of the frame being read */
	size_t len, cap;
	size_t max;       /* largest frame accepted */
	size_t want;      /* octet counting: the frame's length, once read */
	int mode;         /* 0: between frames, 1: reading a count, 2: counted body, 3: LF body */
	int64_t frames;   /* frames delivered */
	int64_t oversize; /* LF frames cut at max (delivered cut, counted) */
};
void log_framer_init(struct log_framer *f, size_t max);
void log_framer_release(struct log_framer *f);
/* 1 when a frame is partly read (a sender that stops mid-frame). */
int log_framer_partial(const struct log_framer *f);
/* Called with each complete frame (not NUL-terminated). Return non-zero to
 * stop feeding (the remaining bytes are kept for the next call). */
typedef int (*log_frame_fn)(const char *frame, size_t n, void *arg);
/*
 * Feed n bytes; complete frames go to fn. Returns the bytes consumed
 * (n unless fn asked to stop), or -1 with err set on a framing error (an
 * octet count that is not a number, over max, or not followed by a space):
 * the connection is then dropped. An LF frame longer than max is delivered
 * cut at max and the rest up to its LF skipped.
 */
long log_framer_feed(struct log_framer *f, const char *data, size_t n, log_frame_fn fn, void *arg,
		     struct vg_error *err);

#endif
