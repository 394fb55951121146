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

/*
 * The all-products charts under the queue are redrawn once a minute by a
 * thread of the server (its own connection to db_url), so no page waits
 * for a pass over a million findings; without it (tests, other commands)
 * the page draws them itself at most once a minute. Stop joins the thread.
 */
int triage_charts_start(const char *db_url);
void triage_charts_stop(void);

#endif
