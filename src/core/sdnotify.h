/*
 * sdnotify.h - tell the service manager how the service is (sd_notify(3)):
 * "READY=1" once every listener is up, "RELOADING=1" and "READY=1" around a
 * reload, "STOPPING=1" on shutdown. A no-op when vigil was built without
 * libsystemd (CMake finds it through pkg-config, optional) or when it does
 * not run under systemd (no NOTIFY_SOCKET).
 */
#ifndef VIGIL_CORE_SDNOTIFY_H
#define VIGIL_CORE_SDNOTIFY_H

/* Send state (lines "KEY=VALUE"); failures are logged at debug level only. */
void vg_sd_notify(const char *state);

#endif
