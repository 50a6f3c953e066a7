/*
 * text.h - small UTF-8 helpers shared by the parsers.
 *
 * Everything the parsers hand on must be valid UTF-8; these functions
 * check it and repair it (invalid bytes become U+FFFD, never raw bytes).
 */
#ifndef IKZ_TEXT_H
#define IKZ_TEXT_H

#include <stddef.h>

/* 1 if s[0..len) is valid UTF-8 without NUL bytes, else 0. */
int	 text_utf8_valid(const char *, size_t);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t	 text_utf8_seq(const unsigned char *, size_t);
/*
 * New NUL-terminated copy of s[0..len) with each invalid byte and each
 * NUL replaced by U+FFFD. Caller frees.
 */
char	*text_utf8_repair(const char *, size_t);
/*
 * Converts len bytes in charset (NULL or unknown: guessed) to UTF-8.
 * ISO-8859-1 and US-ASCII are read as windows-1252, as mail clients do.
 * Never fails; caller frees.
 */
char	*text_to_utf8(const char *, size_t, const char *charset);
/*
 * The same through glibc iconv alone, for a charset name iconv knows
 * (text_to_utf8 reads windows-1252 and ISO-8859-15 from its own tables,
 * byte for byte as iconv does). NULL if iconv does not know cs; else
 * the caller frees.
 */
char	*text_iconv_utf8(const char *, size_t, const char *cs);
/*
 * Converts s[0..len) in charset cs to UTF-8 into out, which has room for
 * *outlen bytes, from the tables alone and exactly as glibc iconv would:
 * US-ASCII, UTF-8, ISO-8859-1, windows-1252 and ISO-8859-15 under their
 * usual labels. Returns 0 and the length written in *outlen (out is not
 * NUL-terminated), or -1 if cs is not one of these, if s holds a NUL or
 * a byte iconv would refuse, or if out is too small; the caller then
 * asks iconv, whose error handling stays its own.
 */
int	 text_table_utf8(const char *s, size_t len, const char *cs,
	    char *out, size_t *outlen);
/* ASCII lower-casing in place; bytes >= 0x80 are left alone. */
char	*text_lower(char *);
/* Lower-cases ASCII plus the German umlauts Ä Ö Ü in a new string. */
char	*text_fold(const char *);
/* The same for the first word of s (at most n-1 bytes) into out[n]. */
char	*text_fold_word(const char *s, char *out, size_t n);

/* Value of a hex digit, or -1. */
int	 text_hexval(int c);

#endif
