/*
 * fuzz_signed_note.c - the signed-note and checkpoint parsers of the audit
 * room (audit/note.h): note_parse(), note_open() with a known key,
 * checkpoint_parse() of the text and note_vkey_parse() of the input. Checks:
 * no crash or undefined behaviour; a parsed note's text ends in a newline and
 * is a prefix of the input; every signature has a valid key name; a parsed
 * checkpoint formats back to the first three lines of its text.
 */
#include "audit/note.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct note_verifier v;
	static int have_v;
	struct vg_error err = {0};
	struct note nt;
	char *s;
	size_t i;

	if (!have_v) {
		if (note_vkey_parse(
			"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &v,
			&err))
			abort();
		have_v = 1;
	}
	if (note_parse(data, size, &nt, &err) == VG_OK) {
		struct checkpoint c;
		if (!nt.text_len || nt.text[nt.text_len - 1] != '\n' || nt.text_len > size ||
		    memcmp(nt.text, data, nt.text_len) != 0 || !nt.nsigs)
			abort();
		for (i = 0; i < nt.nsigs; i++)
			if (!note_name_valid(nt.sigs[i].name))
				abort();
		if (checkpoint_parse(nt.text, nt.text_len, &c, &err) == VG_OK) {
			char *t = checkpoint_text(&c);
			if (!t || strncmp(t, nt.text, strlen(t)) != 0)
				abort();
			free(t);
		}
		note_release(&nt);
	}
	if (note_open(data, size, &v, 1, &nt, &err) == VG_OK)
		note_release(&nt);
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	{
		struct note_verifier x;
		(void)note_vkey_parse(s, &x, &err);
	}
	free(s);
	return 0;
}
