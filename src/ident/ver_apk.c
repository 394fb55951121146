/*
 * ver_apk.c - Alpine (apk-tools 2.x) version order: numbers, one letter,
 * _suffixes (alpha beta pre rc sort before the release; cvs svn git hg p
 * after it) with numbers, and -rN revisions. A version apk's own validator
 * rejects is invalid here too.
 */
#include "ident/version_int.h"

#include <string.h>

#include "core/banned.h"

enum {
	T_INVALID = -1,
	T_DIGIT_OR_ZERO,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_REVISION_NO,
	T_END
};

struct blob {
	const char *p;
	long n;
};

static int islow(int c)
{
	return c >= 'a' && c <= 'z';
}

static void next_token(int *type, struct blob *b)
{
	int n = T_INVALID;

	if (b->n == 0 || b->p[0] == 0) {
		n = T_END;
	} else if ((*type == T_DIGIT || *type == T_DIGIT_OR_ZERO) &&
		   islow((unsigned char)b->p[0])) {
		n = T_LETTER;
	} else if (*type == T_LETTER && ver_isdigit((unsigned char)b->p[0])) {
		n = T_DIGIT;
	} else if (*type == T_SUFFIX && ver_isdigit((unsigned char)b->p[0])) {
		n = T_SUFFIX_NO;
	} else {
		switch (b->p[0]) {
		case '.':
			n = T_DIGIT_OR_ZERO;
			break;
		case '_':
			n = T_SUFFIX;
			break;
		case '-':
			if (b->n > 1 && b->p[1] == 'r') {
				n = T_REVISION_NO;
				b->p++;
				b->n--;
			} else {
				n = T_INVALID;
			}
			break;
		default:
			break;
		}
		b->p++;
		b->n--;
	}
	if (n < *type) {
		if (!((n == T_DIGIT_OR_ZERO && *type == T_DIGIT) ||
		      (n == T_SUFFIX && *type == T_SUFFIX_NO) ||
		      (n == T_DIGIT && *type == T_LETTER)))
			n = T_INVALID;
	}
	*type = n;
}

static long long get_token(int *type, struct blob *b)
{
	static const char *const pre[] = {"alpha", "beta", "pre", "rc"};
	static const char *const post[] = {"cvs", "svn", "git", "hg", "p"};
	long long v = 0;
	long i = 0;
	int nt = T_INVALID;

	if (b->n <= 0) {
		*type = T_END;
		return 0;
	}
	switch (*type) {
	case T_DIGIT_OR_ZERO:
		if (b->p[0] == '0') {
			while (i < b->n && b->p[i] == '0')
				i++;
			nt = T_DIGIT;
			v = -i;
			break;
		}
		/* fall through */
	case T_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		while (i < b->n && ver_isdigit((unsigned char)b->p[i])) {
			if (v < 100000000000000000LL)
				v = v * 10 + (b->p[i] - '0');
			i++;
		}
		break;
	case T_LETTER:
		v = (unsigned char)b->p[i++];
		break;
	case T_SUFFIX: {
		size_t k;
		for (k = 0; k < 4; k++) {
			i = (long)strlen(pre[k]);
			if (i <= b->n && strncmp(pre[k], b->p, (size_t)i) == 0)
				break;
		}
		if (k < 4) {
			v = (long long)k - 4;
			break;
		}
		for (k = 0; k < 5; k++) {
			i = (long)strlen(post[k]);
			if (i <= b->n && strncmp(post[k], b->p, (size_t)i) == 0)
				break;
		}
		if (k < 5) {
			v = (long long)k;
			break;
		}
		*type = T_INVALID;
		return -1;
	}
	default:
		*type = T_INVALID;
		return -1;
	}
	b->p += i;
	b->n -= i;
	if (b->n == 0)
		*type = T_END;
	else if (nt != T_INVALID)
		*type = nt;
	else
		next_token(type, b);
	return v;
}

static int apk_valid(const char *v)
{
	struct blob b = {v, (long)strlen(v)};
	int t = T_DIGIT;

	while (t != T_END && t != T_INVALID)
		get_token(&t, &b);
	return t == T_END;
}

static int apk_cmp(const char *a, const char *b)
{
	struct blob x = {a, (long)strlen(a)}, y = {b, (long)strlen(b)};
	int at = T_DIGIT, bt = T_DIGIT, tt;
	long long av = 0, bv = 0;

	while (at == bt && at != T_END && at != T_INVALID && av == bv) {
		av = get_token(&at, &x);
		bv = get_token(&bt, &y);
	}
	if (av < bv)
		return -1;
	if (av > bv)
		return 1;
	if (at == bt)
		return 0;
	/* equal so far: the longer one is newer unless what follows is a
	 * pre-release suffix */
	tt = at;
	if (at == T_SUFFIX && get_token(&tt, &x) < 0)
		return -1;
	tt = bt;
	if (bt == T_SUFFIX && get_token(&tt, &y) < 0)
		return 1;
	if (at > bt)
		return -1;
	if (bt > at)
		return 1;
	return 0;
}

int ver_apk_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	if (!*a || !apk_valid(a))
		return ver_bad(err, eco, a,
			       "not an apk version (digits, one letter, _suffix, -rN)");
	if (!*b || !apk_valid(b))
		return ver_bad(err, eco, b,
			       "not an apk version (digits, one letter, _suffix, -rN)");
	*out = apk_cmp(a, b);
	return VG_OK;
}
