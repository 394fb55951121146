/*
 * triage_ui.h - the triage queue page (src/triage/ui_triage.c), served at
 * /ui/findings by the vuln room's route table.
 */
#ifndef VIGIL_TRIAGE_TRIAGE_UI_H
#define VIGIL_TRIAGE_TRIAGE_UI_H

struct http_req;
struct http_resp;

/* The queue: filters, counts per state, a triage form per row, charts. */
int triage_queue_page(struct http_req *req, struct http_resp *resp);

#endif
