/*
 * log_api.h - the HTTP edge of the log store shared by log_api.c (the API)
 * and ui_logs.c (the page): the filter read from query parameters.
 */
#ifndef VIGIL_EVIDENCE_LOG_API_H
#define VIGIL_EVIDENCE_LOG_API_H

#include "evidence/logs.h"

#include <stdint.h>

struct http_req;
struct http_resp;

/* since, until (RFC 3339 or a date), product, version, source, grep, limit
 * (1 to LOGS_QUERY_LIMIT_MAX, default 100), offset: a bad value writes a
 * 400 naming the parameter and returns VG_EINVAL. The strings point into
 * the request. */
int logs_filter_from_query(struct http_req *req, struct http_resp *resp, struct logs_filter *f);
int logs_query_time(struct http_req *req, struct http_resp *resp, const char *name, int64_t *out);
/* 503 answers given because the store could not keep up (for stats). */
int64_t logs_api_refused_busy(void);

#endif
