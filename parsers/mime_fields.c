/*
 * mime_fields.c - From, Reply-To, To, Message-ID and Date of the top
 * header block (the envelope fields mime_split.c keeps apart).
 *
 * libetpan's field parsers are general and slow: on the benchmark mails
 * From and To alone cost about as much as the MIME parse of the rest.
 * The common forms are read here by strict parsers that give up on
 * anything else (groups, comments, folds, lists, obsolete syntax, odd
 * bytes); from the first field they give up on, libetpan parses the
 * remaining fields as one block, exactly as it would have. So a result
 * never differs from libetpan's; tests/unit/test_mime_fields.c runs
 * both parsers over the same fields to keep it so.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/mime_int.h"
#include "parsers/text.h"

/* One mailbox as the fast parser found it; name NULL if none. */
struct mime_fmbox {
	const char	*addr;
	size_t		 alen;
	char		*name;		/* phrase as libetpan joins it */
};

/* The bare address of the first mailbox in an address list. */
static char *
mime_fields_first_addr(struct mailimf_address_list *al)
{
	struct mailimf_address *a;
	struct mailimf_mailbox *mb = NULL;
	clistiter *it;

	if (al == NULL || al->ad_list == NULL)
		return NULL;
	for (it = clist_begin(al->ad_list); it && !mb; it = clist_next(it)) {
		a = clist_content(it);
		if (a->ad_type == MAILIMF_ADDRESS_MAILBOX)
			mb = a->ad_data.ad_mailbox;
		else if (a->ad_data.ad_group->grp_mb_list != NULL &&
		    !clist_isempty(a->ad_data.ad_group->grp_mb_list->mb_list))
			mb = clist_content(clist_begin(
			    a->ad_data.ad_group->grp_mb_list->mb_list));
	}
	if (mb == NULL || mb->mb_addr_spec == NULL)
		return NULL;
	return text_to_utf8(mb->mb_addr_spec, strlen(mb->mb_addr_spec), NULL);
}

static void
mime_fields_set_from(struct mime_msg *m, struct mailimf_from *f)
{
	struct mailimf_mailbox *mb;

	if (m->from_addr != NULL || f->frm_mb_list == NULL ||
	    clist_isempty(f->frm_mb_list->mb_list))
		return;
	mb = clist_content(clist_begin(f->frm_mb_list->mb_list));
	if (mb->mb_addr_spec)
		m->from_addr = text_to_utf8(mb->mb_addr_spec,
		    strlen(mb->mb_addr_spec), NULL);
	if (mb->mb_display_name)
		m->from_name = mime_decode_2047(mb->mb_display_name);
}

static time_t
mime_fields_date(const struct mailimf_date_time *d)
{
	struct tm tm = { 0 };
	time_t	 t;
	int	 off;

	/*
	 * libetpan hands over any number it read: "+4697620" as a zone
	 * overflowed the offset (UBSan, found by the mutation test of
	 * issue 17). A zone or year no mailer writes: no date.
	 */
	if (d->dt_zone < -9959 || d->dt_zone > 9959 || d->dt_year < 0 ||
	    d->dt_year > 9999)
		return 0;
	tm.tm_year = d->dt_year - 1900;
	tm.tm_mon = d->dt_month - 1;
	tm.tm_mday = d->dt_day;
	tm.tm_hour = d->dt_hour;
	tm.tm_min = d->dt_min;
	tm.tm_sec = d->dt_sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return 0;
	off = (d->dt_zone / 100) * 3600 + (d->dt_zone % 100) * 60;
	return t - off;
}

static char *
mime_fields_msgid(const char *v, size_t n)
{
	char	*s, *r;

	s = xmalloc(n + 3);
	s[0] = '<';
	memcpy(s + 1, v, n);
	s[n + 1] = '>';
	s[n + 2] = '\0';
	r = text_utf8_repair(s, n + 2);
	free(s);
	return r;
}

void
mime_fields_read(struct mime_msg *m, struct mailimf_fields *fs)
{
	struct mailimf_field *f;
	const char *id;
	clistiter *it;

	for (it = clist_begin(fs->fld_list); it; it = clist_next(it)) {
		f = clist_content(it);
		switch (f->fld_type) {
		case MAILIMF_FIELD_FROM:
			mime_fields_set_from(m, f->fld_data.fld_from);
			break;
		case MAILIMF_FIELD_REPLY_TO:
			if (m->reply_to == NULL)
				m->reply_to = mime_fields_first_addr(
				    f->fld_data.fld_reply_to->rt_addr_list);
			break;
		case MAILIMF_FIELD_TO:
			if (m->to == NULL)
				m->to = mime_fields_first_addr(
				    f->fld_data.fld_to->to_addr_list);
			break;
		case MAILIMF_FIELD_MESSAGE_ID:
			id = f->fld_data.fld_message_id->mid_value;
			if (m->message_id == NULL)
				m->message_id = mime_fields_msgid(id ? id : "",
				    id ? strlen(id) : 0);
			break;
		case MAILIMF_FIELD_ORIG_DATE:
			m->date_t = mime_fields_date(
			    f->fld_data.fld_orig_date->dt_date_time);
			break;
		default:
			break;
		}
	}
}

void
mime_fields_etpan(struct mime_msg *m, const char *fields, size_t len)
{
	struct mailimf_fields *fs = NULL;
	size_t	 idx = 0;

	if (len == 0)
		return;
	if (mailimf_envelope_and_optional_fields_parse(fields, len, &idx,
	    &fs) != MAILIMF_NO_ERROR)
		return;
	mime_fields_read(m, fs);
	mailimf_fields_free(fs);
}

/* RFC 5322 atext, the bytes an unquoted local part may hold. */
static int
mime_fields_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/* Dot-separated runs of ok bytes, none empty. */
static int
mime_fields_dotted(const char *s, size_t n, int (*ok)(unsigned char))
{
	size_t	 i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!ok((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int
mime_fields_dchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* local@domain of dot-atoms, domain of letters, digits and '-'. */
static int
mime_fields_addr_ok(const char *s, size_t n)
{
	const char *at;

	if ((at = memchr(s, '@', n)) == NULL)
		return 0;
	return mime_fields_dotted(s, at - s, mime_fields_atext) &&
	    mime_fields_dotted(at + 1, s + n - at - 1, mime_fields_dchar);
}

/*
 * The value of a field without its line end and outer blanks; 0, or -1
 * if it is folded or holds CR, LF or NUL.
 */
static int
mime_fields_value(const char *field, size_t len, const char **vs,
    const char **ve)
{
	const char *s, *e = field + len, *colon;

	if ((colon = memchr(field, ':', len)) == NULL)
		return -1;
	if (e > colon && e[-1] == '\n')
		e--;
	if (e > colon && e[-1] == '\r')
		e--;
	for (s = colon + 1; s < e; s++)
		if (*s == '\r' || *s == '\n' || *s == '\0')
			return -1;
	for (s = colon + 1; s < e && (*s == ' ' || *s == '\t'); s++)
		;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*vs = s;
	*ve = e;
	return 0;
}

/* Display-name atoms: atext and '.', and raw 8-bit bytes. */
static int
mime_fields_word(unsigned char c)
{
	return mime_fields_atext(c) || c == '.' || c >= 0x80;
}

/*
 * An atom with '=' or '?' only as one whole encoded word ("=?cs?Q?x?="):
 * libetpan cuts atoms apart at encoded words and keeps the quotes
 * around a quoted one, which is not worth copying.
 */
static int
mime_fields_atom_ok(const char *w, size_t n)
{
	size_t	 i;

	if (memchr(w, '=', n) == NULL && memchr(w, '?', n) == NULL)
		return 1;
	if (n < 9 || memcmp(w, "=?", 2) != 0 || memcmp(w + n - 2, "?=", 2))
		return 0;
	for (i = 2; i < n - 2 && (mime_fields_dchar(w[i]) || w[i] == '_');
	    i++)
		;
	if (i == 2 || i + 4 >= n - 2 || w[i] != '?' ||
	    strchr("QqBb", w[i + 1]) == NULL || w[i + 2] != '?')
		return 0;
	for (i += 3; i < n - 2; i++)
		if (w[i] == '?')
			return 0;
	return 1;
}

/* Atoms separated by blanks, joined by one space as libetpan does. */
static int
mime_fields_atoms(const char *s, const char *e, char **name)
{
	struct buf b = { 0 };
	const char *w;

	while (s < e) {
		for (w = s; s < e && mime_fields_word(*s); s++)
			;
		if (s == w || (s < e && *s != ' ' && *s != '\t') ||
		    !mime_fields_atom_ok(w, s - w)) {
			buf_free(&b);
			return -1;
		}
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_add(&b, w, s - w);
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
	}
	*name = buf_detach(&b);
	return 0;
}

/*
 * One quoted string filling s..e, printable ASCII or 8-bit, with
 * backslash pairs and no two blanks in a row; its content unescaped.
 */
static int
mime_fields_quoted(const char *s, const char *e, char **name)
{
	struct buf b = { 0 };
	unsigned char c;

	for (s++; s < e && *s != '"'; s++) {
		c = *s;
		if (c == '\\' && s + 1 < e) {
			c = *++s;
			if (c < 0x20 || c > 0x7e)
				break;
		} else if (c < 0x20 || c == 0x7f || c == '\\')
			break;
		/* libetpan folds a run of blanks into one; not worth it. */
		if (c == ' ' && b.len > 0 && b.data[b.len - 1] == ' ')
			break;
		buf_addc(&b, c);
	}
	if (s + 1 != e || *s != '"' || b.len == 0 ||
	    strstr(b.data, "=?") != NULL) {
		buf_free(&b);
		return -1;
	}
	*name = buf_detach(&b);
	return 0;
}

/* a@b, <a@b>, Name <a@b> or "Name" <a@b> filling s..e. */
static int
mime_fields_mbox(const char *s, const char *e, struct mime_fmbox *mb)
{
	const char *lt;

	mb->name = NULL;
	if (s == e || e[-1] != '>') {
		mb->addr = s;
		mb->alen = e - s;
		return mime_fields_addr_ok(s, e - s) ? 0 : -1;
	}
	for (lt = e - 1; lt > s && lt[-1] != '<'; lt--)
		;
	if (lt == s)
		return -1;
	mb->addr = lt;
	mb->alen = e - 1 - lt;
	if (!mime_fields_addr_ok(mb->addr, mb->alen))
		return -1;
	for (lt--; lt > s && (lt[-1] == ' ' || lt[-1] == '\t'); lt--)
		;
	if (lt == s)
		return 0;
	if (*s == '"')
		return mime_fields_quoted(s, lt, &mb->name);
	return mime_fields_atoms(s, lt, &mb->name);
}

/* Exactly ndig digits at *p; -1 if fewer or more. */
static int
mime_fields_num(const char **p, const char *e, int ndig, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < ndig; i++, (*p)++) {
		if (*p == e || **p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return (*p < e && **p >= '0' && **p <= '9') ? -1 : 0;
}

/* Index of the three letters at *p in tab (exact case), or -1. */
static int
mime_fields_name3(const char **p, const char *e, const char *tab)
{
	size_t	 i;

	if (e - *p < 3)
		return -1;
	for (i = 0; tab[i] != '\0'; i += 3)
		if (memcmp(tab + i, *p, 3) == 0) {
			*p += 3;
			return i / 3;
		}
	return -1;
}

/* One or more spaces at *p (a single blank for literal c != ' '). */
static int
mime_fields_skip(const char **p, const char *e, char c)
{
	if (*p == e || **p != c)
		return -1;
	for ((*p)++; c == ' ' && *p < e && **p == ' '; (*p)++)
		;
	return 0;
}

/* "[Day, ]D Mon YYYY HH:MM[:SS] +hhmm" filling s..e, in range. */
static int
mime_fields_datetime(const char *s, const char *e,
    struct mailimf_date_time *d)
{
	int	 sign;

	if (s < e && *s >= 'A' && *s <= 'Z' && (mime_fields_name3(&s, e,
	    "MonTueWedThuFriSatSun") == -1 || mime_fields_skip(&s, e, ',') ||
	    mime_fields_skip(&s, e, ' ')))
		return -1;
	if (e - s >= 2 && s[1] >= '0' && s[1] <= '9') {
		if (mime_fields_num(&s, e, 2, &d->dt_day) == -1)
			return -1;
	} else if (mime_fields_num(&s, e, 1, &d->dt_day) == -1)
		return -1;
	if (mime_fields_skip(&s, e, ' ') ||
	    (d->dt_month = mime_fields_name3(&s, e,
	    "JanFebMarAprMayJunJulAugSepOctNovDec") + 1) == 0 ||
	    mime_fields_skip(&s, e, ' ') ||
	    mime_fields_num(&s, e, 4, &d->dt_year) ||
	    mime_fields_skip(&s, e, ' ') ||
	    mime_fields_num(&s, e, 2, &d->dt_hour) ||
	    mime_fields_skip(&s, e, ':') ||
	    mime_fields_num(&s, e, 2, &d->dt_min))
		return -1;
	d->dt_sec = 0;
	if (s < e && *s == ':' && (mime_fields_skip(&s, e, ':') ||
	    mime_fields_num(&s, e, 2, &d->dt_sec)))
		return -1;
	if (mime_fields_skip(&s, e, ' ') || s == e ||
	    (*s != '+' && *s != '-'))
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (mime_fields_num(&s, e, 4, &d->dt_zone) || s != e)
		return -1;
	if (d->dt_day < 1 || d->dt_day > 31 || d->dt_hour > 23 ||
	    d->dt_min > 59 || d->dt_sec > 59 || d->dt_zone / 100 > 23 ||
	    d->dt_zone % 100 > 59)
		return -1;
	d->dt_zone *= sign;
	return 0;
}

/* <id> without blanks, quotes, brackets or separators inside. */
static int
mime_fields_msgid_ok(const char *s, const char *e)
{
	const char *p;

	if (e - s < 3 || *s != '<' || e[-1] != '>')
		return 0;
	for (p = s + 1; p < e - 1; p++)
		if ((unsigned char)*p < 0x21 || *p == 0x7f ||
		    strchr("<>()[]\\\",;:", *p) != NULL)
			return 0;
	return memchr(s, '@', e - s) != NULL;
}

/* From: the first one with a mailbox wins, as in mime_fields_set_from. */
static int
mime_fields_fast_from(struct mime_msg *m, const char *s, const char *e)
{
	struct mime_fmbox mb;

	if (mime_fields_mbox(s, e, &mb) == -1)
		return -1;
	if (m->from_addr == NULL) {
		m->from_addr = text_to_utf8(mb.addr, mb.alen, NULL);
		if (mb.name != NULL)
			m->from_name = mime_decode_2047(mb.name);
	}
	free(mb.name);
	return 0;
}

/* Reply-To and To: the first one wins. */
static int
mime_fields_fast_addr(char **dst, const char *s, const char *e)
{
	struct mime_fmbox mb;

	if (mime_fields_mbox(s, e, &mb) == -1)
		return -1;
	if (*dst == NULL)
		*dst = text_to_utf8(mb.addr, mb.alen, NULL);
	free(mb.name);
	return 0;
}

int
mime_fields_fast(struct mime_msg *m, const char *field, size_t len)
{
	struct mailimf_date_time d;
	const char *s, *e, *colon;
	size_t	 n;

	if ((colon = memchr(field, ':', len)) == NULL ||
	    mime_fields_value(field, len, &s, &e) == -1)
		return -1;
	n = colon - field;
	if (n == 4 && util_strncasecmp(field, "From", 4) == 0)
		return mime_fields_fast_from(m, s, e);
	if (n == 8 && util_strncasecmp(field, "Reply-To", 8) == 0)
		return mime_fields_fast_addr(&m->reply_to, s, e);
	if (n == 2 && util_strncasecmp(field, "To", 2) == 0)
		return mime_fields_fast_addr(&m->to, s, e);
	if (n == 10 && util_strncasecmp(field, "Message-ID", 10) == 0) {
		if (!mime_fields_msgid_ok(s, e))
			return -1;
		if (m->message_id == NULL)
			m->message_id = mime_fields_msgid(s + 1, e - s - 2);
		return 0;
	}
	if (n == 4 && util_strncasecmp(field, "Date", 4) == 0) {
		if (mime_fields_datetime(s, e, &d) == -1)
			return -1;
		m->date_t = mime_fields_date(&d);
		return 0;
	}
	return -1;
}

void
mime_fields_read_env(struct mime_msg *m, const struct buf *env)
{
	const char *f, *end, *next;

	if (env->len == 0)		/* data is NULL then: no NULL + 0 */
		return;
	f = env->data;
	end = env->data + env->len;
	for (; f < end; f = next) {
		/* The field runs to a line end not followed by a blank. */
		next = f;
		while ((next = memchr(next, '\n', end - next)) != NULL)
			if (++next == end || (*next != ' ' && *next != '\t'))
				break;
		if (next == NULL)
			next = end;
		if (mime_fields_fast(m, f, next - f) == -1) {
			mime_fields_etpan(m, f, end - f);
			return;
		}
	}
}
