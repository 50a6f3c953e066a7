/*
 * mime_decode.c - transfer decoding of a text part's body, byte for byte
 * what libetpan's mailmime_part_parse() gives.
 *
 * libetpan's decoders grow an MMAPString a few bytes at a time (three
 * per base64 group, one per "=XY"), which made them the largest cost of
 * a mail's text. These do the same in one pass into one buffer. Where
 * libetpan's answer depends on bytes it should not read (an "=" in the
 * last two bytes, a base64 body of a single character) they decline,
 * and the caller asks libetpan.
 */
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "base/util.h"
#include "parsers/mime_int.h"
#include "parsers/text.h"

/* libetpan's hexa_to_char(): anything but a hex digit counts as 0. */
static int
mime_decode_hex(char c)
{
	int	 v = text_hexval((unsigned char)c);

	return v < 0 ? 0 : v;
}

/*
 * Quoted-printable as libetpan decodes a body: every line end (LF, CRLF
 * or a lone CR before more text) becomes CRLF, a CR at the very end is
 * dropped, "=" before a line end joins the lines, "=XY" is one byte.
 */
static int
mime_decode_qp(const char *s, size_t len, char *out, size_t *olen)
{
	size_t	 i = 0, j, n = 0;

	while (i < len) {
		if (s[i] == '=') {
			if (i + 2 >= len)
				return -1;	/* libetpan reads past the end */
			if (s[i + 1] == '\n')
				i += 2;
			else if (s[i + 1] == '\r')
				i += s[i + 2] == '\n' ? 3 : 2;
			else {
				out[n++] = (char)(mime_decode_hex(s[i + 1]) << 4 |
				    mime_decode_hex(s[i + 2]));
				i += 3;
			}
		} else if (s[i] == '\n' || (s[i] == '\r' && i + 1 < len)) {
			out[n++] = '\r';
			out[n++] = '\n';
			i += s[i] == '\r' && s[i + 1] == '\n' ? 2 : 1;
		} else if (s[i] == '\r')
			i++;
		else {
			/* A run of plain bytes in one copy. */
			for (j = i + 1; j < len && s[j] != '=' && s[j] != '\n' &&
			    s[j] != '\r'; j++)
				;
			memcpy(out + n, s + i, j - i);
			n += j - i;
			i = j;
		}
	}
	*olen = n;
	return 0;
}

/*
 * libetpan's get_base64_value() as a table: -1 for padding and
 * everything else. Filled on first use.
 */
static signed char mime_b64[256];

static void
mime_decode_b64init(void)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	int	 i;

	memset(mime_b64, -1, sizeof(mime_b64));
	for (i = 0; i < 64; i++)
		mime_b64[(unsigned char)digits[i]] = (signed char)i;
}

/*
 * Base64 as libetpan decodes it: every byte that is not a base64 digit
 * (padding too) is skipped; a trailing group of two or three digits
 * gives one or two bytes, a lone trailing digit one byte from it alone.
 */
static int
mime_decode_b64(const char *s, size_t len, char *out, size_t *olen)
{
	int	 c[4] = { 0, 0, 0, 0 }, k = 0, v, groups = 0;
	size_t	 i, n = 0;

	if (mime_b64['='] == 0)		/* not filled yet: '=' is -1 */
		mime_decode_b64init();
	for (i = 0; i < len; i++) {
		if ((v = mime_b64[(unsigned char)s[i]]) < 0)
			continue;
		c[k++] = v;
		if (k < 4)
			continue;
		out[n++] = (char)(c[0] << 2 | c[1] >> 4);
		out[n++] = (char)(c[1] << 4 | c[2] >> 2);
		out[n++] = (char)(c[2] << 6 | c[3]);
		c[0] = c[1] = c[2] = c[3] = 0;
		k = 0;
		groups = 1;
	}
	if (k == 1 && !groups)
		return -1;	/* libetpan reads an unset byte */
	if (k > 0) {
		out[n++] = (char)(c[0] << 2 | c[1] >> 4);
		if (k >= 3)
			out[n++] = (char)(c[1] << 4 | c[2] >> 2);
	}
	*olen = n;
	return 0;
}

char *
mime_body_decode(const char *s, size_t len, int enc, size_t *olen)
{
	char	*out;
	int	 r;

	/* QP at most doubles (lone CRs), base64 shrinks, 8bit copies. */
	out = xmalloc(enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE ?
	    2 * len + 1 : len + 1);
	if (enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		r = mime_decode_qp(s, len, out, olen);
	else if (enc == MAILMIME_MECHANISM_BASE64)
		r = mime_decode_b64(s, len, out, olen);
	else {
		/* Binary: a copy (libetpan 1.9.4 keeps the final line end). */
		memcpy(out, s, len);
		*olen = len;
		r = 0;
	}
	if (r == -1) {
		free(out);
		return NULL;
	}
	out[*olen] = '\0';
	return out;
}
