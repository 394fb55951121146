/*
 * fault.h - fault injection: make the N-th allocation, the N-th write or
 * fsync, or the N-th database step fail, to prove that every error path
 * reports clearly, frees what it took and leaves nothing half-written
 * (tests/unit/test_fault.c walks N = 1, 2, 3, ... over whole operations).
 *
 * Compiled in only with the CMake option VIGIL_FAULT (the sanitizer build of
 * `make test` has it); elsewhere vg_fault_hit() is the constant 0 and costs
 * nothing. In a fault build:
 *  - allocations: vigil's own calls to malloc, calloc, realloc, strdup and
 *    strndup (linked with -Wl,--wrap, so libraries' internal allocations
 *    are not counted). jansson's are not injected on purpose: its parser
 *    does not survive a failed allocation (akheron/jansson#362: an assert,
 *    and here a free of a wild pointer in json_loadb), so a failure there
 *    would test jansson, not vigil;
 *  - I/O: vigil's own write, pwrite, fsync and fdatasync, and SQLite's
 *    writes, syncs and truncations (a VFS shim in store/sqlite.c);
 *  - database: each statement step and each BEGIN/COMMIT (store/store.c),
 *    on both backends.
 * Exactly one event fails: the N-th of its kind counted from vg_fault_arm();
 * the ones after it succeed again, so cleanup code runs as it would after
 * a transient failure. The counters are atomic: `vigil serve` may be armed
 * too (VIGIL_FAULT=alloc:N in the environment, read by vg_fault_from_env()).
 * With VIGIL_FAULT_BACKTRACE set, the armed event prints where it happens
 * (addresses: addr2line -e PROGRAM turns them into lines).
 */
#ifndef VIGIL_CORE_FAULT_H
#define VIGIL_CORE_FAULT_H

enum vg_fault_kind {
	VG_FAULT_ALLOC, /* malloc, calloc, realloc, strdup, strndup */
	VG_FAULT_IO,    /* write, pwrite, fsync, fdatasync; SQLite write/sync/truncate */
	VG_FAULT_STEP,  /* store_step, BEGIN, COMMIT */
	VG_FAULT_KINDS
};

#ifdef VIGIL_FAULT
/* 1 when this event is the armed one (it must then fail); counts it. */
int vg_fault_hit(enum vg_fault_kind k);
/* Fail the n-th event of kind k from now on (n >= 1); other kinds are
 * disarmed and every counter starts again from 0. */
void vg_fault_arm(enum vg_fault_kind k, long n);
/* Stop failing; counters are kept for vg_fault_seen(). */
void vg_fault_disarm(void);
/* Events of kind k seen since the last vg_fault_arm(). */
long vg_fault_seen(enum vg_fault_kind k);
/* 1 when the armed event has happened (and failed). */
int vg_fault_fired(void);
/* VIGIL_FAULT=alloc:N, io:N or step:N arms at program start; 0 when unset,
 * -1 (with a message on stderr) when malformed. */
int vg_fault_from_env(void);
/* The kind's name ("alloc", "io", "step"). */
const char *vg_fault_name(enum vg_fault_kind k);
#define VG_FAULT_BUILD 1
#else
#define vg_fault_hit(k) ((void)(k), 0)
#define VG_FAULT_BUILD  0
#endif

#endif
