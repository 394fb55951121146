/*
 * banned.h - functions vigil does not call (after git's banned.h).
 *
 * Every .c file under src/ includes this header last, after the system
 * headers, so a call to one of these is a compile error that names the
 * function ("sorry_strcpy_is_a_banned_function"). Use instead:
 *  - strcpy, strcat, strncpy, strncat: snprintf() into a sized buffer, or
 *    struct vg_buf (core/buf.h);
 *  - sprintf, vsprintf: snprintf(), vsnprintf(), vg_buf_addf();
 *  - gets: fgets() or vg_buf_read_file();
 *  - atoi, atol, atoll: vg_parse_int64() (core/text.h), which rejects what
 *    is not a whole number in range and names the input in its error.
 * The test style/includes also greps for them (files that forget to include
 * this header are caught there).
 */
#ifndef VIGIL_CORE_BANNED_H
#define VIGIL_CORE_BANNED_H

#define VG_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) VG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) VG_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) VG_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) VG_BANNED(strncat)

#undef sprintf
#undef vsprintf
#define sprintf(...)  VG_BANNED(sprintf)
#define vsprintf(...) VG_BANNED(vsprintf)

#undef gets
#define gets(x) VG_BANNED(gets)

#undef atoi
#define atoi(x) VG_BANNED(atoi)
#undef atol
#define atol(x) VG_BANNED(atol)
#undef atoll
#define atoll(x) VG_BANNED(atoll)

#endif
