/*
 * routes.c - every room's route table, listed once. A room adds its table
 * here (and declares it extern below); nothing else in src/http/ knows it.
 */
#include "http/http.h"

extern const struct http_route core_routes[];
extern const struct http_route ui_routes[];
extern const struct http_route sbom_routes[];
extern const struct http_route sbom_ui_routes[];
extern const struct http_route notify_routes[];
extern const struct http_route psirt_routes[];
extern const struct http_route oncall_routes[];
extern const struct http_route portal_routes[];
extern const struct http_route cases_ui_routes[];
extern const struct http_route vuln_routes[];
extern const struct http_route vuln_ui_routes[];
extern const struct http_route triage_routes[];
extern const struct http_route triage_ui_routes[];

/* clang-format off */
const struct http_route *const http_route_tables[] = {
    core_routes,
    ui_routes,
    sbom_routes,
    sbom_ui_routes,
    notify_routes,
    psirt_routes,
    oncall_routes,
    portal_routes,
    cases_ui_routes,
    vuln_routes,
    vuln_ui_routes,
    triage_routes,
    triage_ui_routes,
    NULL,
};
/* clang-format on */
