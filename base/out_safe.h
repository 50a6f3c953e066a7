/*
 * out_safe.h - the one filter for text that came from outside (mail
 * headers and bodies, names, organisations, attachment names, anything
 * read from the database that a mail or a sender wrote) before it
 * reaches a terminal, a log line or a web page.
 *
 * Contract: the result is valid UTF-8 in which no C0 control (U+0000-
 * U+001F), DEL, C1 control (U+0080-U+009F) or bidi override/isolate
 * (U+202A-U+202E, U+2066-U+2069) remains, except LF and TAB in
 * OUT_SAFE_TEXT. Each code point removed is replaced by exactly one
 * visible code point of one display column, so that the clerk sees
 * that something was there and tables keep their width:
 *
 *   C0, DEL      the Control Picture: ESC as U+241B "␛", LF as "␊",
 *                BEL as "␇", DEL as "␡"
 *   C1, bidi     U+FFFD "�"
 *   bad UTF-8    U+FFFD for each byte that starts no valid sequence
 *                (also overlong forms, surrogates, > U+10FFFF)
 *
 * OUT_SAFE_LINE (header values, table cells, reasons, log lines): LF and
 * CR are shown as "␊" and "␍" (a value never starts a new line that
 * could pass for a header or a log entry); TAB becomes a space.
 * OUT_SAFE_TEXT (a mail body shown as text): LF and TAB stay, CR before
 * LF is dropped, a lone CR is "␍" (it could overwrite the line).
 *
 * The filter does not escape HTML: the desk escapes & < > " ' after it.
 */
#ifndef IKZ_OUT_SAFE_H
#define IKZ_OUT_SAFE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/util.h"

enum out_safe_mode { OUT_SAFE_LINE, OUT_SAFE_TEXT };

/* Appends s (NULL: nothing) made safe to b. */
void	 out_safe_buf(struct buf *b, const char *s, enum out_safe_mode);
/* s made safe, in a new string (NULL for NULL); caller frees. */
char	*out_safe(const char *s, enum out_safe_mode);
/* Writes s made safe to f. */
void	 out_safe_fputs(const char *s, enum out_safe_mode, FILE *f);
/*
 * Writes s made safe into dst (size bytes, NUL-terminated, cut at a
 * code point) without allocating: for the logger. Returns the length.
 */
size_t	 out_safe_copy(char *dst, size_t size, const char *s,
	    enum out_safe_mode);
/*
 * Decodes one UTF-8 code point at s (not at its NUL) into *cp; returns
 * its length in bytes, or 1 with *cp = 0xFFFD for a byte that starts no
 * valid sequence.
 */
size_t	 out_safe_decode(const char *s, uint32_t *cp);
/* 1 if cp must not reach a terminal or page as it is (see above). */
int	 out_safe_is_control(uint32_t cp);

#endif
