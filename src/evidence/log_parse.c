/*
 * log_parse.c - JSON lines, syslog framing (RFC 6587) and syslog messages
 * (RFC 5424, RFC 3164). See log_parse.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "evidence/log_parse.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ---- events ---- */

int log_event_check(const struct log_event *ev, const char *what, struct vg_error *err)
{
	char w[96];
	static const int64_t tmin = 0, tmax = 253402300799LL; /* 9999-12-31T23:59:59Z */

	if (ev->time < tmin || ev->time > tmax)
		return vg_error_set(err, VG_EINVAL, "%s: time: expected a date from 1970 to 9999",
				    what);
#define CHECK(field, max, multi, req)                                  \
	do {                                                           \
		snprintf(w, sizeof(w), "%s: %s", what, #field);        \
		if (vg_text_check(w, ev->field, max, multi, req, err)) \
			return err ? err->code : VG_EINVAL;            \
	} while (0)
	CHECK(source, LOGS_FIELD_MAX - 1, 0, 1);
	CHECK(message, LOGS_MESSAGE_MAX, 1, 0);
	CHECK(product, LOGS_FIELD_MAX - 1, 0, 0);
	CHECK(version, LOGS_FIELD_MAX - 1, 0, 0);
	CHECK(host, LOGS_FIELD_MAX - 1, 0, 0);
#undef CHECK
	if (ev->version && ev->version[0] && !(ev->product && ev->product[0]))
		return vg_error_set(err, VG_EINVAL, "%s: version given without a product", what);
	return VG_OK;
}

static const char *member_text(json_t *o, const char *key, const char *what, int *bad,
			       struct vg_arena *a, struct vg_error *err)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return "";
	if (!json_is_string(v)) {
		*bad = vg_error_set(err, VG_EINVAL, "%s: \"%s\": expected text", what, key);
		return NULL;
	}
	return vg_arena_strndup(a, json_string_value(v), json_string_length(v));
}

int log_json_line(const char *line, size_t n, int64_t received, struct log_event *ev,
		  struct vg_arena *a, struct vg_error *err)
{
	json_error_t je;
	json_t *o, *t, *rest = NULL;
	int bad = 0;
	const char *key;
	json_t *val;

	memset(ev, 0, sizeof(*ev));
	ev->received = received;
	if (n > LOGS_MESSAGE_MAX + 4096)
		return vg_error_set(err, VG_ETOOBIG, "line of %zu bytes: at most %d", n,
				    LOGS_MESSAGE_MAX + 4096);
	o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return vg_error_set(err, VG_EPARSE, "byte %d: %s", je.position, je.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return vg_error_set(err, VG_EINVAL, "expected a JSON object");
	}
	t = json_object_get(o, "time");
	if (json_is_integer(t)) {
		ev->time = json_integer_value(t);
	} else if (json_is_string(t)) {
		if (vg_time_parse(json_string_value(t), &ev->time, NULL)) {
			bad = vg_error_set(err, VG_EINVAL,
					   "\"time\": '%.64s': expected an RFC 3339 time",
					   json_string_value(t));
			goto out;
		}
	} else {
		bad = vg_error_set(err, VG_EINVAL,
				   "\"time\": expected an RFC 3339 time or seconds since 1970");
		goto out;
	}
	if (!json_is_string(json_object_get(o, "source")) ||
	    !json_is_string(json_object_get(o, "message"))) {
		bad = vg_error_set(err, VG_EINVAL, "\"%s\": required text",
				   json_is_string(json_object_get(o, "source")) ? "message"
										: "source");
		goto out;
	}
	ev->source = member_text(o, "source", "", &bad, a, err);
	ev->message = bad ? NULL : member_text(o, "message", "", &bad, a, err);
	ev->product = bad ? NULL : member_text(o, "product", "", &bad, a, err);
	ev->version = bad ? NULL : member_text(o, "version", "", &bad, a, err);
	ev->host = bad ? NULL : member_text(o, "host", "", &bad, a, err);
	if (bad)
		goto out;
	if (!ev->source || !ev->message || !ev->product || !ev->version || !ev->host) {
		bad = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	json_object_foreach(o, key, val)
	{
		if (!strcmp(key, "time") || !strcmp(key, "source") || !strcmp(key, "message") ||
		    !strcmp(key, "product") || !strcmp(key, "version") || !strcmp(key, "host"))
			continue;
		if (!rest)
			rest = json_object();
		json_object_set(rest, key, val);
	}
	if (rest) {
		char *s = json_dumps(rest, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		ev->fields = s ? vg_arena_strdup(a, s) : NULL;
		free(s);
		if (!ev->fields) {
			bad = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		if (strlen(ev->fields) > LOGS_MESSAGE_MAX) {
			bad = vg_error_set(err, VG_ETOOBIG, "other fields: more than %d bytes",
					   LOGS_MESSAGE_MAX);
			goto out;
		}
	}
	bad = log_event_check(ev, "line", err);
	if (bad)
		err->code = bad; /* keep the code; the caller prefixes the line */
out:
	json_decref(rest);
	json_decref(o);
	return bad;
}

/* ---- framing (RFC 6587) ---- */

void log_framer_init(struct log_framer *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void log_framer_release(struct log_framer *f)
{
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

int log_framer_partial(const struct log_framer *f)
{
	return f->mode != 0;
}

static int keep(struct log_framer *f, const char *p, size_t n)
{
	if (f->len + n > f->cap) {
		size_t cap = f->cap ? f->cap : 4096;
		char *nb;
		while (cap < f->len + n)
			cap *= 2;
		if (cap > f->max + 1)
			cap = f->max + 1;
		nb = realloc(f->buf, cap);
		if (!nb)
			return -1;
		f->buf = nb;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	return 0;
}

long log_framer_feed(struct log_framer *f, const char *data, size_t n, log_frame_fn fn, void *arg,
		     struct vg_error *err)
{
	size_t i = 0;
	while (i < n) {
		char c = data[i];
		switch (f->mode) {
		case 0: /* between frames */
			if (c == '\n' || c == '\r' || c == '\0') {
				i++;
				break;
			}
			f->len = 0;
			f->want = 0;
			if (c >= '1' && c <= '9') {
				f->mode = 1;
			} else {
				f->mode = 3;
			}
			break;
		case 1: /* the octet count */
			if (c >= '0' && c <= '9') {
				f->want = f->want * 10 + (size_t)(c - '0');
				if (f->want > f->max)
					return vg_error_set(err, VG_ETOOBIG,
							    "frame %lld: octet count over %zu",
							    (long long)f->frames + 1, f->max),
					       -1;
				i++;
			} else if (c == ' ') {
				f->mode = 2;
				i++;
			} else {
				return vg_error_set(err, VG_EPARSE,
						    "frame %lld: octet count followed by byte "
						    "0x%02x, expected a space",
						    (long long)f->frames + 1, (unsigned char)c),
				       -1;
			}
			break;
		case 2: { /* a counted body */
			size_t take = f->want - f->len;
			if (take > n - i)
				take = n - i;
			if (keep(f, data + i, take))
				return vg_error_set(err, VG_ENOMEM, "out of memory"), -1;
			i += take;
			if (f->len == f->want) {
				f->mode = 0;
				f->frames++;
				if (fn(f->buf, f->len, arg))
					return (long)i;
			}
			break;
		}
		case 3: { /* up to LF */
			const char *nl = memchr(data + i, '\n', n - i);
			size_t take = nl ? (size_t)(nl - (data + i)) : n - i;
			size_t room = f->len < f->max ? f->max - f->len : 0;
			if (take > room) {
				if (room && keep(f, data + i, room))
					return vg_error_set(err, VG_ENOMEM, "out of memory"), -1;
				if (!f->want)
					f->oversize++;
				f->want = 1; /* cut: the rest is skipped */
			} else if (keep(f, data + i, take)) {
				return vg_error_set(err, VG_ENOMEM, "out of memory"), -1;
			}
			i += take;
			if (nl) {
				i++;
				f->mode = 0;
				f->frames++;
				while (f->len && f->buf[f->len - 1] == '\r')
					f->len--;
				if (fn(f->buf, f->len, arg))
					return (long)i;
			}
			break;
		}
		default:
			f->mode = 0;
		}
	}
	return (long)i;
}

/* ---- syslog messages ---- */

/* Copy [p, p+n) into the arena as clean single-line (or multi-line) text:
 * invalid UTF-8 bytes become U+FFFD, control characters and direction
 * controls a space (tab kept; LF kept when multi). */
static char *clean(struct vg_arena *a, const char *p, size_t n, int multi)
{
	char *o = vg_arena_alloc_raw(a, n * 3 + 1), *w = o;
	size_t i = 0;
	if (!o)
		return NULL;
	while (i < n) {
		uint32_t cp;
		size_t l = vg_utf8_decode(p + i, n - i, &cp);
		if (!l) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			i++;
			continue;
		}
		if ((cp < 0x20 && cp != '\t' && !(multi && cp == '\n')) || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0) || vg_text_is_bidi(cp)) {
			*w++ = ' ';
		} else {
			memcpy(w, p + i, l);
			w += l;
		}
		i += l;
	}
	*w = '\0';
	return o;
}

struct cursor {
	const char *p, *end;
};

/* The next space-separated token (at most max bytes), or NULL. */
static const char *token(struct cursor *c, size_t *len)
{
	const char *s = c->p;
	while (c->p < c->end && *c->p != ' ')
		c->p++;
	*len = (size_t)(c->p - s);
	if (!*len)
		return NULL;
	if (c->p < c->end)
		c->p++;
	return s;
}

/* "<PRI>": 0..191 */
static int parse_pri(struct cursor *c, int *pri)
{
	const char *p = c->p;
	int v = 0, d = 0;
	if (p >= c->end || *p != '<')
		return -1;
	p++;
	while (p < c->end && *p >= '0' && *p <= '9' && d < 3) {
		v = v * 10 + (*p - '0');
		p++;
		d++;
	}
	if (!d || p >= c->end || *p != '>' || v > 191)
		return -1;
	c->p = p + 1;
	*pri = v;
	return 0;
}

/* SD-PARAM value: up to the closing unescaped '"', with \" \\ \] unescaped. */
static const char *sd_value(struct cursor *c, struct vg_arena *a)
{
	char *o, *w;
	const char *s;
	if (c->p >= c->end || *c->p != '"')
		return NULL;
	s = ++c->p;
	o = w = vg_arena_alloc_raw(a, (size_t)(c->end - s) + 1);
	if (!o)
		return NULL;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\' && c->p + 1 < c->end &&
		    (c->p[1] == '"' || c->p[1] == '\\' || c->p[1] == ']'))
			c->p++;
		*w++ = *c->p++;
	}
	if (c->p >= c->end)
		return NULL;
	c->p++;
	*w = '\0';
	return clean(a, o, (size_t)(w - o), 0);
}

/* STRUCTURED-DATA: "-" or one or more [ID PARAM="V" ...]. Fills product and
 * version from vigil@32473; the whole text goes to *sd. */
static int parse_sd(struct cursor *c, struct log_event *ev, const char **sd, struct vg_arena *a)
{
	const char *start = c->p;
	if (c->p < c->end && *c->p == '-') {
		c->p++;
		*sd = NULL;
		goto space;
	}
	if (c->p >= c->end || *c->p != '[')
		return -1;
	while (c->p < c->end && *c->p == '[') {
		const char *id = ++c->p;
		size_t idn;
		int ours;
		while (c->p < c->end && *c->p != ' ' && *c->p != ']')
			c->p++;
		idn = (size_t)(c->p - id);
		if (!idn || idn > 32)
			return -1;
		ours = idn == strlen(LOG_SD_ID) && !memcmp(id, LOG_SD_ID, idn);
		while (c->p < c->end && *c->p == ' ') {
			const char *name = ++c->p, *v;
			size_t nn;
			while (c->p < c->end && *c->p != '=' && *c->p != ' ' && *c->p != ']')
				c->p++;
			nn = (size_t)(c->p - name);
			if (!nn || nn > 32 || c->p >= c->end || *c->p != '=')
				return -1;
			c->p++;
			v = sd_value(c, a);
			if (!v)
				return -1;
			if (ours && nn == 7 && !memcmp(name, "product", 7))
				ev->product = v;
			else if (ours && nn == 7 && !memcmp(name, "version", 7))
				ev->version = v;
		}
		if (c->p >= c->end || *c->p != ']')
			return -1;
		c->p++;
	}
	*sd = clean(a, start, (size_t)(c->p - start), 0);
space:
	if (c->p < c->end) {
		if (*c->p != ' ')
			return -1;
		c->p++;
	}
	return 0;
}

static int nil(const char *t, size_t n)
{
	return n == 1 && t[0] == '-';
}

static int rfc5424(struct cursor *c, int pri, int64_t received, struct log_event *ev,
		   struct vg_arena *a, json_t *fields)
{
	const char *ts, *host, *app, *procid, *msgid, *sd = NULL;
	size_t tn, hn, an, pn, mn;
	char tbuf[64];

	if (c->end - c->p < 2 || c->p[0] != '1' || c->p[1] != ' ')
		return -1;
	c->p += 2;
	ts = token(c, &tn);
	host = ts ? token(c, &hn) : NULL;
	app = host ? token(c, &an) : NULL;
	procid = app ? token(c, &pn) : NULL;
	msgid = procid ? token(c, &mn) : NULL;
	if (!msgid || tn >= sizeof(tbuf) || hn > 255 || an > 48 || pn > 128 || mn > 32)
		return -1;
	if (nil(ts, tn)) {
		ev->time = received;
	} else {
		memcpy(tbuf, ts, tn);
		tbuf[tn] = '\0';
		if (vg_time_parse(tbuf, &ev->time, NULL) || ev->time < 0)
			return -1;
	}
	if (parse_sd(c, ev, &sd, a))
		return -1;
	ev->host = nil(host, hn) ? "" : clean(a, host, hn, 0);
	ev->source = nil(app, an) ? "syslog" : clean(a, app, an, 0);
	if (!nil(procid, pn))
		json_object_set_new(fields, "procid", json_stringn(procid, pn));
	if (!nil(msgid, mn))
		json_object_set_new(fields, "msgid", json_stringn(msgid, mn));
	if (sd)
		json_object_set_new(fields, "sd", json_string(sd));
	/* a UTF-8 byte order mark before the message is dropped */
	if (c->end - c->p >= 3 && !memcmp(c->p, "\xef\xbb\xbf", 3))
		c->p += 3;
	ev->message = clean(a, c->p, (size_t)(c->end - c->p), 1);
	(void)pri;
	return 0;
}

static int rfc3164(struct cursor *c, int64_t received, struct log_event *ev, struct vg_arena *a)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = c->p;
	int mon = -1, day, hh, mm, ss;
	int64_t y;
	unsigned rm, rd;
	const char *host, *tag;
	size_t hn, tn;

	if (c->end - p < 16)
		return -1;
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			mon = i + 1;
	if (mon < 0 || p[3] != ' ')
		return -1;
	day = (p[4] == ' ' ? 0 : p[4] - '0') * 10 + (p[5] - '0');
	if (p[6] != ' ' || p[9] != ':' || p[12] != ':' || p[15] != ' ' || day < 1 || day > 31)
		return -1;
	hh = (p[7] - '0') * 10 + (p[8] - '0');
	mm = (p[10] - '0') * 10 + (p[11] - '0');
	ss = (p[13] - '0') * 10 + (p[14] - '0');
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	/* no year in RFC 3164: the year of arrival (the last one when that puts
	 * the event more than a day in the future) */
	vg_civil_from_days(received / 86400, &y, &rm, &rd);
	ev->time =
	    vg_days_from_civil(y, (unsigned)mon, (unsigned)day) * 86400 + hh * 3600 + mm * 60 + ss;
	if (ev->time > received + 86400)
		ev->time = vg_days_from_civil(y - 1, (unsigned)mon, (unsigned)day) * 86400 +
			   hh * 3600 + mm * 60 + ss;
	c->p = p + 16;
	host = token(c, &hn);
	if (!host || hn > 255)
		return -1;
	ev->host = clean(a, host, hn, 0);
	/* TAG: up to '[' or ':' (at most 32 characters) */
	tag = c->p;
	tn = 0;
	while (tag + tn < c->end && tn <= 32 && tag[tn] != '[' && tag[tn] != ':' && tag[tn] != ' ')
		tn++;
	if (tn && tn <= 32 && tag + tn < c->end && (tag[tn] == '[' || tag[tn] == ':')) {
		const char *m = memchr(tag + tn, ':', (size_t)(c->end - (tag + tn)));
		ev->source = clean(a, tag, tn, 0);
		if (m) {
			c->p = m + 1;
			if (c->p < c->end && *c->p == ' ')
				c->p++;
		}
	} else {
		ev->source = "syslog";
	}
	ev->message = clean(a, c->p, (size_t)(c->end - c->p), 1);
	return 0;
}

int log_syslog_parse(const char *msg, size_t n, int64_t received, struct log_event *ev,
		     struct vg_arena *a, struct vg_error *err)
{
	struct cursor c = {msg, msg + n};
	json_t *fields = json_object();
	int pri = -1, ok = -1;

	memset(ev, 0, sizeof(*ev));
	ev->received = received;
	if (!fields)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (n > LOGS_MESSAGE_MAX)
		c.end = msg + LOGS_MESSAGE_MAX;
	if (parse_pri(&c, &pri) == 0) {
		struct cursor keepc = c;
		ok = rfc5424(&c, pri, received, ev, a, fields);
		if (ok) {
			json_object_clear(fields);
			ev->product = ev->version = NULL;
			c = keepc;
			ok = rfc3164(&c, received, ev, a);
		}
		if (ok) {
			c = keepc;
			ev->time = received;
			ev->host = "";
			ev->source = "syslog";
			ev->message = clean(a, c.p, (size_t)(c.end - c.p), 1);
			ok = 0;
		}
		json_object_set_new(fields, "facility", json_integer(pri / 8));
		json_object_set_new(fields, "severity", json_integer(pri % 8));
	} else {
		ev->time = received;
		ev->host = "";
		ev->source = "syslog";
		ev->message = clean(a, msg, (size_t)(c.end - c.p), 1);
	}
	if (!ev->product || strlen(ev->product) >= LOGS_FIELD_MAX)
		ev->product = "";
	/* a version without a product (none given, or one too long) is dropped */
	if (!ev->version || !ev->product[0] || strlen(ev->version) >= LOGS_FIELD_MAX)
		ev->version = "";
	if (ev->time > 253402300799LL || ev->time < 0)
		ev->time = received;
	if (ev->source && strlen(ev->source) >= LOGS_FIELD_MAX)
		ev->source = "syslog";
	if (ev->host && strlen(ev->host) >= LOGS_FIELD_MAX)
		ev->host = "";
	if (json_object_size(fields)) {
		char *s = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		ev->fields = s ? vg_arena_strdup(a, s) : NULL;
		free(s);
	}
	json_decref(fields);
	if (!ev->message || !ev->source || !ev->host)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!ev->source[0])
		ev->source = "syslog";
	return VG_OK;
}
