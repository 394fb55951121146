/*
 * portal.c - the public coordinated vulnerability disclosure portal:
 * /report (a form that works without JavaScript), the CVD policy page and
 * the reporter's private tracking page.
 */
#include "http/http.h"

/* clang-format off */
const struct http_route portal_routes[] = {
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
