/*
 * log.h - diagnostics to stderr. Never pass secrets (passwords, tokens,
 * PINs, database URLs with passwords) to these functions.
 */
#ifndef VIGIL_CORE_LOG_H
#define VIGIL_CORE_LOG_H

enum vg_log_level { VG_LOG_DEBUG, VG_LOG_INFO, VG_LOG_WARN, VG_LOG_ERROR };

void vg_log_set_level(enum vg_log_level lvl);
void vg_log(enum vg_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define vg_debug(...) vg_log(VG_LOG_DEBUG, __VA_ARGS__)
#define vg_info(...)  vg_log(VG_LOG_INFO, __VA_ARGS__)
#define vg_warn(...)  vg_log(VG_LOG_WARN, __VA_ARGS__)
#define vg_err(...)   vg_log(VG_LOG_ERROR, __VA_ARGS__)

#endif
