/*
 * cases_web.c - the PSIRT's case pages: the case list and one case with its
 * Article 14 clocks, timeline and drafts.
 */
#include "http/http.h"

/* clang-format off */
const struct http_route cases_ui_routes[] = {
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
