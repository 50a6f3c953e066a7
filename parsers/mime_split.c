/*
 * mime_split.c - the top-level header block cut into the parts libetpan
 * needs (see mime_int.h).
 *
 * libetpan reads a header block field by field: a field it knows
 * (From, Date ...) with its own parser, else as name ":" unstructured
 * text up to a line break not followed by a blank; the first line that
 * is neither ends the block. A field's result does not depend on its
 * neighbours, so a copy with fewer whole fields gives the same result
 * for the fields kept, provided the block has only lines libetpan takes
 * as fields: names of printable bytes directly before the colon,
 * continuation lines, and an empty line at the end. Anything else is
 * left to the whole-mail parse.
 */
#include <string.h>

#include "base/util.h"
#include "parsers/mime_int.h"

enum mime_split_kind {
	MIME_SPLIT_NONE,
	MIME_SPLIT_MIME,
	MIME_SPLIT_ENV
};

/* libetpan's ftext: any byte but controls, space and ':'. */
static int
mime_split_name_ok(const char *name, size_t nlen)
{
	size_t	 i;

	if (nlen == 0)
		return 0;
	for (i = 0; i < nlen; i++)
		if ((unsigned char)name[i] < 33)
			return 0;
	return 1;
}

/*
 * Where a field goes. libetpan's MIME parser reads "Content-*" and
 * "MIME-Version" (mailmime_field_parse), but only Content-Type and
 * Content-Transfer-Encoding shape its tree (mailmime_parse_with_default)
 * and nothing here reads the version: so MIME-Version stays out, which
 * saves a fifth of libetpan's work on the top-level block (callgrind).
 * mime_read_fields reads the five envelope fields below.
 */
static enum mime_split_kind
mime_split_kind(const char *name, size_t nlen)
{
	static const struct { const char *name; size_t len; } env[] = {
	    { "from", 4 }, { "reply-to", 8 }, { "to", 2 },
	    { "message-id", 10 }, { "date", 4 } };
	size_t	 i;
	int	 c = (unsigned char)name[0] | 0x20;	/* first letter, lower */

	if (c == 'c' && nlen >= 8 && util_strncasecmp(name, "Content-", 8) == 0)
		return MIME_SPLIT_MIME;
	for (i = 0; i < nitems(env); i++)
		if (env[i].len == nlen && c == env[i].name[0] &&
		    util_strncasecmp(name, env[i].name, nlen) == 0)
			return MIME_SPLIT_ENV;
	return MIME_SPLIT_NONE;
}

static void
mime_split_add(struct mime_split *sp, enum mime_split_kind kind,
    const char *field, size_t n)
{
	if (kind == MIME_SPLIT_MIME)
		buf_add(&sp->mime, field, n);
	else if (kind == MIME_SPLIT_ENV)
		buf_add(&sp->env, field, n);
}

int
mime_split_headers(const char *raw, size_t len, struct mime_split *sp)
{
	const char *l = raw, *end = raw + len, *eol, *colon, *field = NULL;
	enum mime_split_kind kind = MIME_SPLIT_NONE;
	size_t	 n;

	memset(sp, 0, sizeof(*sp));
	for (; l < end; l = eol + 1) {
		if ((eol = memchr(l, '\n', end - l)) == NULL)
			break;
		n = eol - l;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (field != NULL && n > 0 && (l[0] == ' ' || l[0] == '\t'))
			continue;
		if (field != NULL)
			mime_split_add(sp, kind, field, l - field);
		field = NULL;
		if (n == 0) {
			sp->body = l - raw;
			return 0;
		}
		if ((colon = memchr(l, ':', n)) == NULL ||
		    !mime_split_name_ok(l, colon - l))
			break;
		field = l;
		kind = mime_split_kind(l, colon - l);
	}
	mime_split_free(sp);
	return -1;
}

void
mime_split_free(struct mime_split *sp)
{
	if (sp == NULL)
		return;
	buf_free(&sp->mime);
	buf_free(&sp->env);
	memset(sp, 0, sizeof(*sp));
}
