/*
 * mime_2231.c - RFC 2231 parameter values (file names).
 *
 * Mail clients write long or non-ASCII file names as
 * filename*=UTF-8''Anmeldung%20M%C3%BCller.pdf or split them into
 * numbered sections (filename*0*=, filename*1=). libetpan hands these
 * over as ordinary parameters named "filename*0*" and so on; this file
 * puts the sections together, undoes the %-encoding and converts the
 * charset. Plain values may carry RFC 2047 words instead (Outlook).
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/text.h"

#define MIME_2231_MAX_SECTIONS	64

struct mime_2231 {
	const char	*sec[MIME_2231_MAX_SECTIONS];
	int		 ext[MIME_2231_MAX_SECTIONS];
	int		 nsec;		/* highest section + 1 */
	const char	*plain;		/* "base=" value */
};

static int
mime_2231_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends s with %XX sequences decoded. */
static void
mime_2231_pct(struct buf *b, const char *s)
{
	int	 h, l;

	for (; *s; s++) {
		if (*s == '%' && (h = mime_2231_hex(s[1])) >= 0 &&
		    (l = mime_2231_hex(s[2])) >= 0) {
			buf_addc(b, (char)(h * 16 + l));
			s += 2;
		} else
			buf_addc(b, *s);
	}
}

/*
 * Sorts one parameter into the collector: "base", "base*", "base*N"
 * or "base*N*". Anything else is ignored.
 */
static void
mime_2231_take(struct mime_2231 *c, const char *name, const char *val,
    const char *base)
{
	size_t	 bl = strlen(base);
	const char *p;
	int	 n = 0, digits = 0;

	if (util_strncasecmp(name, base, bl) != 0)
		return;
	p = name + bl;
	if (*p == '\0') {
		c->plain = val;
		return;
	}
	if (*p++ != '*')
		return;
	if (*p == '\0') {		/* base*=charset'lang'value */
		c->sec[0] = val;
		c->ext[0] = 1;
		c->nsec = c->nsec > 1 ? c->nsec : 1;
		return;
	}
	for (; *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
		n = n * 10 + (*p - '0');
	if (digits == 0 || n >= MIME_2231_MAX_SECTIONS ||
	    (*p != '\0' && strcmp(p, "*") != 0))
		return;
	c->sec[n] = val;
	c->ext[n] = *p == '*';
	if (n + 1 > c->nsec)
		c->nsec = n + 1;
}

/* Joins the sections; returns the UTF-8 value or NULL if none. */
static char *
mime_2231_join(struct mime_2231 *c)
{
	struct buf b = { 0 };
	char	 cs[64] = "";
	const char *v, *q1, *q2;
	char	*out;
	int	 i;

	for (i = 0; i < c->nsec && c->sec[i] != NULL; i++) {
		v = c->sec[i];
		if (i == 0 && c->ext[0] && (q1 = strchr(v, '\'')) != NULL &&
		    (q2 = strchr(q1 + 1, '\'')) != NULL) {
			if ((size_t)(q1 - v) < sizeof(cs)) {
				memcpy(cs, v, q1 - v);
				cs[q1 - v] = '\0';
			}
			v = q2 + 1;
		}
		if (c->ext[i])
			mime_2231_pct(&b, v);
		else
			buf_adds(&b, v);
	}
	if (i == 0)
		return NULL;
	out = text_to_utf8(b.data ? b.data : "", b.len, *cs ? cs : NULL);
	buf_free(&b);
	return out;
}

char *
mime_2231_value(const struct mime_param *ps, size_t n, const char *base)
{
	struct mime_2231 c = { 0 };
	size_t	 i;
	char	*v;

	for (i = 0; i < n; i++)
		if (ps[i].name && ps[i].value)
			mime_2231_take(&c, ps[i].name, ps[i].value, base);
	if ((v = mime_2231_join(&c)) != NULL)
		return v;
	return c.plain ? mime_decode_2047(c.plain) : NULL;
}
