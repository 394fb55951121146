#define _POSIX_C_SOURCE 200809L
#include "core/sdnotify.h"
#include "core/log.h"

#include <string.h>

#ifdef VIGIL_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "core/banned.h"

void vg_sd_notify(const char *state)
{
#ifdef VIGIL_HAVE_SYSTEMD
	int rc = sd_notify(0, state);
	if (rc < 0)
		vg_debug("sd_notify(%s): %s", state, strerror(-rc));
#else
	(void)state;
#endif
}
