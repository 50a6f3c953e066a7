/*
 * mime.c - headers, best text part and attachments of one mail.
 *
 * libetpan does the MIME tree and the transfer decodings; charsets go
 * through text_to_utf8() so that invalid bytes always end up as U+FFFD.
 * The top-level header block is also kept raw (unfolded) because the
 * auto-reply rules look at headers libetpan does not model.
 *
 * Attachment bodies that the pre-scan marked are taken out of the copy
 * libetpan parses (it would read them byte by byte for nothing); the
 * walk checks that each one came back as an empty attachment leaf and
 * adds the bytes back to the sizes, else the mail is parsed again whole.
 * Of the top-level header block libetpan only gets the MIME fields
 * (mime_split.c); the envelope fields it is asked for are parsed apart,
 * and the rest is ours alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/mime_int.h"
#include "parsers/text.h"

struct mime_walk {
	struct mime_msg	*msg;
	char		*plain;		/* first inline text/plain, UTF-8 */
	char		*fplain;	/* the same inside forwarded mail */
	/*
	 * First inline text/html parts, still undecoded: only needed when
	 * there is no plain text with something in it (mime_best).
	 */
	struct mailmime	*html;
	struct mailmime	*fhtml;
	int		 depth;
	int		 infwd;		/* inside a message/rfc822 part */
	int		 toodeep;
	const char	*raw;		/* the mail */
	const char	*base;		/* the buffer libetpan parsed */
	size_t		 hdrcut;	/* top header bytes not in base */
	const struct mime_cut *cuts;	/* bodies taken out, offsets in base */
	size_t		 ncuts;
	size_t		 nmatched;	/* cuts found as empty leaves */
	int		 cutbad;	/* a cut came back as something else */
};

static void	mime_walk_part(struct mime_walk *, struct mailmime *);

/* Header phrases: RFC 2047 decoded, always valid UTF-8. */
static char *
mime_decode_phrase(const char *s)
{
	return s ? mime_decode_2047(s) : NULL;
}

/*
 * CRLF to LF in place: the rules downstream work on LF lines. Moves
 * whole runs between CRs (found by strchr), not byte by byte: this runs
 * over every text part.
 */
static char *
mime_crlf(char *s)
{
	char	*r, *w, *cr;
	size_t	 n;

	if ((r = strchr(s, '\r')) == NULL)
		return s;
	w = r;
	while (*r) {
		/* r is at a CR: dropped before an LF, else kept. */
		if (r[1] != '\n')
			*w++ = *r;
		r++;
		n = (cr = strchr(r, '\r')) != NULL ? (size_t)(cr - r) :
		    strlen(r);
		memmove(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
	return s;
}

/*
 * Appends one header to blk: the name as valid UTF-8, a NUL, the value
 * converted to UTF-8 (windows-1252 unless valid UTF-8) and trimmed, a
 * NUL. Neither may hold a NUL of its own: mime_read_headers finds the
 * strings again by their ends.
 */
static void
mime_add_header(struct mime_msg *m, struct buf *blk, const char *name,
    size_t nlen, struct buf *val)
{
	char	*t;

	m->nheaders++;
	if (text_utf8_valid(name, nlen))	/* no NUL: it is invalid */
		buf_add(blk, name, nlen);
	else {
		t = text_utf8_repair(name, nlen);
		buf_adds(blk, t);
		free(t);
	}
	buf_addc(blk, '\0');
	buf_reserve(val, 0);			/* val->data never NULL */
	if (text_utf8_valid(val->data, val->len))
		buf_adds(blk, util_trim(val->data));
	else {
		t = text_to_utf8(val->data, val->len, NULL);
		buf_adds(blk, util_trim(t));
		free(t);
	}
	buf_addc(blk, '\0');
}

/*
 * Splits the top-level header block into unfolded name/value pairs, all
 * in one allocation (m->hblock). Stops at the first empty line or at a
 * line that is not a header.
 */
static void
mime_read_headers(struct mime_msg *m, const char *raw, size_t len)
{
	struct buf v = { 0 }, blk = { 0 };
	const char *l = raw, *end = raw + len, *eol, *colon, *name = NULL;
	size_t	 nlen = 0, n, i;
	char	*p;

	for (; l < end; l = eol + 1) {
		eol = memchr(l, '\n', end - l);
		if (eol == NULL)
			eol = end;
		n = eol - l;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if ((l[0] == ' ' || l[0] == '\t') && name != NULL && n > 0) {
			/* Unfolding removes the line break only (RFC 5322). */
			buf_add(&v, l, n);
			continue;
		}
		if (name != NULL)
			mime_add_header(m, &blk, name, nlen, &v);
		name = NULL;
		v.len = 0;
		if (n == 0 || (colon = memchr(l, ':', n)) == NULL)
			break;
		name = l;
		nlen = colon - l;
		buf_add(&v, colon + 1, n - nlen - 1);
	}
	if (name != NULL)
		mime_add_header(m, &blk, name, nlen, &v);
	buf_free(&v);
	if (m->nheaders == 0) {
		buf_free(&blk);
		return;
	}
	/* The block is complete: now its strings can be pointed at. */
	m->hblock = blk.data;
	m->headers = xreallocarray(NULL, m->nheaders, sizeof(*m->headers));
	for (p = blk.data, i = 0; i < m->nheaders; i++) {
		m->headers[i].name = p;
		p += strlen(p) + 1;
		m->headers[i].value = p;
		p += strlen(p) + 1;
	}
}

const char *
mime_header(const struct mime_msg *m, const char *name)
{
	size_t	 i;

	/* First letters compared inline: most names differ there. */
	for (i = 0; i < m->nheaders; i++)
		if ((m->headers[i].name[0] | 0x20) == (name[0] | 0x20) &&
		    util_strcasecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

const char *
mime_header_twice(const struct mime_msg *m)
{
	static const char *const once[] = { "From", "Sender", "Reply-To",
	    "To", "Cc", "Subject", "Message-ID", "Date" };
	size_t	 i, j, seen[nitems(once)] = { 0 };

	for (i = 0; i < m->nheaders; i++)
		for (j = 0; j < nitems(once); j++)
			if (util_strcasecmp(m->headers[i].name, once[j]) == 0 &&
			    ++seen[j] == 2)
				return once[j];
	return NULL;
}

int
mime_has_header_prefix(const struct mime_msg *m, const char *prefix)
{
	size_t	 i, n = strlen(prefix);

	for (i = 0; i < m->nheaders; i++)
		if (util_strncasecmp(m->headers[i].name, prefix, n) == 0)
			return 1;
	return 0;
}

void
mime_free(struct mime_msg *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	free(m->hblock);
	free(m->headers);
	for (i = 0; i < m->natts; i++) {
		free(m->atts[i].name);
		free(m->atts[i].type);
	}
	free(m->atts);
	free(m->from_name);
	free(m->from_addr);
	free(m->reply_to);
	free(m->to);
	free(m->subject);
	free(m->message_id);
	free(m->date);
	free(m->content_type);
	free(m->text);
	free(m->forwarded);
	free(m);
}

/* Lower-case "type/subtype" of a libetpan content type. */
static char *
mime_type_name(struct mailmime_content *ct)
{
	static const char *const discrete[] = { "x-error", "text", "image",
	    "audio", "video", "application" };
	const char *type = "application", *sub;
	struct mailmime_type *t;
	char	*s, *r;

	if (ct == NULL)
		return xstrdup("text/plain");
	t = ct->ct_type;
	if (t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		if (t->tp_data.tp_discrete_type->dt_type ==
		    MAILMIME_DISCRETE_TYPE_EXTENSION)
			type = t->tp_data.tp_discrete_type->dt_extension;
		else if ((size_t)t->tp_data.tp_discrete_type->dt_type <
		    nitems(discrete))
			type = discrete[t->tp_data.tp_discrete_type->dt_type];
	} else if (t->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		switch (t->tp_data.tp_composite_type->ct_type) {
		case MAILMIME_COMPOSITE_TYPE_MESSAGE:
			type = "message";
			break;
		case MAILMIME_COMPOSITE_TYPE_MULTIPART:
			type = "multipart";
			break;
		default:
			type = t->tp_data.tp_composite_type->ct_token;
		}
	}
	sub = ct->ct_subtype ? ct->ct_subtype : "octet-stream";
	s = xjoin('/', type ? type : "x", sub, NULL);
	r = text_utf8_repair(s, strlen(s));
	free(s);
	return text_lower(r);
}

/* The cut whose place leaf p's body has in the buffer, or NULL. */
static const struct mime_cut *
mime_cut_at(const struct mime_walk *w, const struct mailmime *p)
{
	const struct mailmime_data *d = p->mm_data.mm_single;
	size_t	 off, i;

	if (w->ncuts == 0 || d == NULL || d->dt_type != MAILMIME_DATA_TEXT ||
	    d->dt_data.dt_text.dt_data == NULL)
		return NULL;
	off = d->dt_data.dt_text.dt_data - w->base;
	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].off == off)
			return &w->cuts[i];
	return NULL;
}

/*
 * Transfer-decodes a leaf part's body, from the mail itself where the
 * pre-scan took it out; caller frees with free().
 */
static char *
mime_decode_body(const struct mime_walk *w, struct mailmime *p, int enc,
    size_t *olen)
{
	struct mailmime_data *d = p->mm_data.mm_single;
	const struct mime_cut *c;
	const char *data;
	size_t	 idx = 0, rlen = 0, dlen;
	char	*res = NULL, *out, *tmp;
	int	 rc;

	*olen = 0;
	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return xstrdup("");
	if ((c = mime_cut_at(w, p)) != NULL) {
		data = w->raw + c->src;
		dlen = c->len;
	} else {
		data = d->dt_data.dt_text.dt_data;
		dlen = d->dt_data.dt_text.dt_length;
	}
	if (enc != MAILMIME_MECHANISM_BASE64 &&
	    enc != MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		enc = MAILMIME_MECHANISM_8BIT;
	if ((out = mime_body_decode(data, dlen, enc, olen)) != NULL)
		return out;
	/*
	 * The inputs mime_body_decode declines are those where libetpan
	 * reads up to two bytes past the end ("=" at the very end): it gets
	 * a copy with NULs there, so that its answer depends on the body
	 * alone, not on what follows it in whichever buffer (and no read
	 * goes past an allocation).
	 */
	tmp = xmalloc(dlen + 3);
	memcpy(tmp, data, dlen);
	tmp[dlen] = tmp[dlen + 1] = tmp[dlen + 2] = '\0';
	rc = mailmime_part_parse(tmp, dlen, &idx, enc, &res, &rlen);
	free(tmp);
	if (rc != MAILIMF_NO_ERROR || res == NULL)
		return xstrndup(data, dlen);
	out = xmalloc(rlen + 1);
	memcpy(out, res, rlen);
	out[rlen] = '\0';
	mmap_string_unref(res);
	*olen = rlen;
	return out;
}

static int
mime_is_attachment(struct mailmime_single_fields *sf, const char *type)
{
	if (sf->fld_disposition != NULL &&
	    sf->fld_disposition->dsp_type->dsp_type ==
	    MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
		return 1;
	if (strcmp(type, "text/plain") != 0 && strcmp(type, "text/html") != 0)
		return 1;
	/* A named text part without "inline" is a file, not the body. */
	return (sf->fld_disposition_filename || sf->fld_content_name) &&
	    sf->fld_disposition == NULL;
}

#define MIME_MAX_PARAMS	64

/* Parameters of Content-Disposition, then of Content-Type. */
static size_t
mime_params(struct mailmime *p, struct mime_param *ps, size_t max)
{
	struct mailmime_disposition_parm *dp;
	struct mailmime_parameter *pa;
	struct mailmime_single_fields sf;
	clistiter *it;
	size_t	 n = 0;

	mailmime_single_fields_init(&sf, p->mm_mime_fields, p->mm_content_type);
	if (sf.fld_disposition && sf.fld_disposition->dsp_parms)
		for (it = clist_begin(sf.fld_disposition->dsp_parms);
		    it && n < max; it = clist_next(it)) {
			dp = clist_content(it);
			if (dp->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME)
				ps[n++] = (struct mime_param){ "filename",
				    dp->pa_data.pa_filename };
			else if (dp->pa_type ==
			    MAILMIME_DISPOSITION_PARM_PARAMETER)
				ps[n++] = (struct mime_param){
				    dp->pa_data.pa_parameter->pa_name,
				    dp->pa_data.pa_parameter->pa_value };
		}
	if (p->mm_content_type && p->mm_content_type->ct_parameters)
		for (it = clist_begin(p->mm_content_type->ct_parameters);
		    it && n < max; it = clist_next(it)) {
			pa = clist_content(it);
			ps[n++] = (struct mime_param){ pa->pa_name,
			    pa->pa_value };
		}
	return n;
}

/* The file name of a part: RFC 2231 or plain, filename before name. */
static char *
mime_file_name(struct mailmime *p)
{
	struct mime_param ps[MIME_MAX_PARAMS];
	size_t	 n;
	char	*name;

	n = mime_params(p, ps, nitems(ps));
	if ((name = mime_2231_value(ps, n, "filename")) == NULL)
		name = mime_2231_value(ps, n, "name");
	return name ? name : xstrdup("");
}

/* The size of part p in the original mail: cut bytes inside count. */
static size_t
mime_part_size(const struct mime_walk *w, const struct mailmime *p)
{
	size_t	 size = p->mm_length, start, i;

	if (p->mm_mime_start == NULL)
		return size;
	/* The top part's header lost its envelope fields in the copy. */
	if (p->mm_mime_start == w->base)
		size += w->hdrcut;
	start = p->mm_mime_start - w->base;
	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].off >= start &&
		    w->cuts[i].off <= start + p->mm_length)
			size += w->cuts[i].len;
	return size;
}

static void
mime_add_attachment(struct mime_walk *w, const char *type,
    struct mailmime *p)
{
	struct mime_msg *m = w->msg;
	struct mime_attachment *a;

	m->atts = xreallocarray(m->atts, m->natts + 1, sizeof(*m->atts));
	a = &m->atts[m->natts++];
	a->name = mime_file_name(p);
	a->type = xstrdup(type);
	a->size = mime_part_size(w, p);
}

/*
 * Whether leaf p's body is one the pre-scan took out: then it must be
 * empty here, or libetpan ended the part elsewhere than the scan did.
 */
static void
mime_check_cut(struct mime_walk *w, struct mailmime *p)
{
	if (mime_cut_at(w, p) == NULL)
		return;
	if (p->mm_data.mm_single->dt_data.dt_text.dt_length == 0)
		w->nmatched++;
	else
		w->cutbad = 1;
}

/* Decodes a text part to UTF-8, undoing format=flowed for plain text. */
static char *
mime_text_of(const struct mime_walk *w, struct mailmime *p,
    struct mailmime_single_fields *sf, int html)
{
	char	*raw, *txt, *fl, *ds;
	size_t	 n;
	int	 enc;

	enc = sf->fld_encoding ? sf->fld_encoding->enc_type :
	    MAILMIME_MECHANISM_8BIT;
	raw = mime_decode_body(w, p, enc, &n);
	if (n == 0)
		n = strlen(raw);
	txt = mime_crlf(text_to_utf8(raw, n, sf->fld_content_charset));
	free(raw);
	fl = mailmime_content_param_get(p->mm_content_type, "format");
	if (!html && fl && util_strcasecmp(fl, "flowed") == 0) {
		ds = mailmime_content_param_get(p->mm_content_type, "delsp");
		raw = mime_unflow(txt, ds && util_strcasecmp(ds, "yes") == 0);
		free(txt);
		txt = raw;
	}
	return txt;
}

static void
mime_walk_single(struct mime_walk *w, struct mailmime *p)
{
	struct mailmime_single_fields sf;
	char	*type;
	int	 html, att;

	w->msg->nparts++;
	mailmime_single_fields_init(&sf, p->mm_mime_fields, p->mm_content_type);
	type = mime_type_name(p->mm_content_type);
	att = mime_is_attachment(&sf, type);
	mime_check_cut(w, p);
	if (att) {
		mime_add_attachment(w, type, p);
		free(type);
		return;
	}
	html = strcmp(type, "text/html") == 0;
	free(type);
	if (html) {
		if (w->infwd && w->fhtml == NULL)
			w->fhtml = p;
		else if (!w->infwd && w->html == NULL)
			w->html = p;
	} else if (w->infwd && w->fplain == NULL)
		w->fplain = mime_text_of(w, p, &sf, 0);
	else if (!w->infwd && w->plain == NULL)
		w->plain = mime_text_of(w, p, &sf, 0);
}

/* Whether s has anything but white space. */
static int
mime_has_text(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 1;
	return 0;
}

static void
mime_walk_multi(struct mime_walk *w, struct mailmime *p)
{
	clistiter *it;

	if (p->mm_data.mm_multipart.mm_mp_list == NULL)
		return;
	for (it = clist_begin(p->mm_data.mm_multipart.mm_mp_list); it;
	    it = clist_next(it))
		mime_walk_part(w, clist_content(it));
}

static void
mime_walk_part(struct mime_walk *w, struct mailmime *p)
{
	if (++w->depth > MIME_MAX_DEPTH + 2) {
		w->toodeep = 1;
		w->depth--;
		return;
	}
	switch (p->mm_type) {
	case MAILMIME_SINGLE:
		mime_walk_single(w, p);
		break;
	case MAILMIME_MULTIPLE:
		mime_walk_multi(w, p);
		break;
	case MAILMIME_MESSAGE:
		/*
		 * A forwarded mail: listed, and its text kept apart, so
		 * that someone else's words never pass for the sender's.
		 */
		if (w->depth > 1) {
			mime_add_attachment(w, "message/rfc822", p);
			w->infwd++;
		}
		if (p->mm_data.mm_message.mm_msg_mime != NULL)
			mime_walk_part(w, p->mm_data.mm_message.mm_msg_mime);
		if (w->depth > 1)
			w->infwd--;
		break;
	}
	w->depth--;
}

/*
 * libetpan's extended_charconv hook. mailmime_parse converts header
 * words (Content-Type values among them) to UTF-8 through charconv(),
 * which opens and closes an iconv descriptor per word. The common
 * charsets come from our tables, byte for byte what iconv gives; for
 * anything else, or a byte iconv would refuse, the "unknown charset"
 * answer makes libetpan fall back to its own iconv path.
 */
static int
mime_charconv(const char *tocode, const char *fromcode, const char *s,
    size_t len, char *res, size_t *reslen)
{
	if (util_strcasecmp(tocode, "utf-8") != 0 ||
	    text_table_utf8(s, len, fromcode, res, reslen) == -1)
		return MAIL_CHARCONV_ERROR_UNKNOWN_CHARSET;
	return MAIL_CHARCONV_NO_ERROR;
}

void
mime_init(void)
{
	extended_charconv = mime_charconv;
}

static int
mime_fail(char *err, size_t errlen, const char *why)
{
	if (errlen)
		snprintf(err, errlen, "mime: %s", why);
	return -1;
}

/*
 * The better of a plain text and an HTML part (decoded only if it wins);
 * frees plain unless it is the answer.
 */
static char *
mime_best(const struct mime_walk *w, char *plain, struct mailmime *hp,
    int *was_html)
{
	struct mailmime_single_fields sf;
	char	*html, *t;

	*was_html = 0;
	if (plain != NULL && (mime_has_text(plain) || hp == NULL))
		return plain;
	free(plain);
	if (hp == NULL)
		return NULL;
	mailmime_single_fields_init(&sf, hp->mm_mime_fields,
	    hp->mm_content_type);
	html = mime_text_of(w, hp, &sf, 1);
	t = mime_html_to_text(html, strlen(html));
	free(html);
	*was_html = 1;
	return t;
}

/*
 * Picks the best text: plain unless empty, else HTML turned to text.
 * Before mailmime_free(): the HTML parts are still libetpan's.
 */
static void
mime_pick_text(struct mime_walk *w)
{
	struct mime_msg *m = w->msg;
	int	 h;

	if ((m->text = mime_best(w, w->plain, w->html, &m->text_html)) ==
	    NULL)
		m->text = xstrdup("");
	m->forwarded = mime_best(w, w->fplain, w->fhtml, &h);
	w->plain = w->fplain = NULL;
	w->html = w->fhtml = NULL;
}

static void
mime_fill_named(struct mime_msg *m)
{
	const char *v;

	if ((v = mime_header(m, "Subject")) != NULL)
		m->subject = mime_decode_phrase(v);
	if ((v = mime_header(m, "Date")) != NULL)
		m->date = xstrdup(v);
}

/*
 * A new buffer of *blen bytes: head[0..hlen), then raw from offset from
 * on without the cut bodies (all at or after from); the offsets in cuts
 * become offsets in the copy.
 */
static char *
mime_shorten(const char *head, size_t hlen, const char *raw, size_t from,
    size_t len, struct mime_cut *cuts, size_t ncuts, size_t *blen)
{
	char	*buf;
	size_t	 i, n = hlen;

	buf = xmalloc(hlen + len - from + 1);
	if (hlen > 0)		/* head is NULL when there is none */
		memcpy(buf, head, hlen);
	for (i = 0; i < ncuts; i++) {
		memcpy(buf + n, raw + from, cuts[i].off - from);
		n += cuts[i].off - from;
		from = cuts[i].off + cuts[i].len;
		cuts[i].off = n;
	}
	memcpy(buf + n, raw + from, len - from);
	*blen = n + len - from;
	return buf;
}

/*
 * Parses buf (raw, or a copy without the cuts and, if env is given,
 * with only the MIME fields on top) and walks the tree; *toodeep says
 * whether the walk hit the nesting limit. NULL if libetpan refuses it
 * or a cut did not come back as expected.
 */
static struct mime_msg *
mime_build(const char *raw, size_t len, const char *buf, size_t blen,
    const struct mime_cut *cuts, size_t ncuts, const struct buf *env,
    int *toodeep)
{
	struct mime_walk w = { .raw = raw, .base = buf, .cuts = cuts,
	    .ncuts = ncuts };
	struct mailmime *root = NULL;
	size_t	 idx = 0, i;

	/* len = blen + the cut bodies + what the header split dropped */
	for (w.hdrcut = len - blen, i = 0; i < ncuts; i++)
		w.hdrcut -= cuts[i].len;

	if (mailmime_parse(buf, blen, &idx, &root) != MAILIMF_NO_ERROR)
		return NULL;
	w.msg = xcalloc(1, sizeof(*w.msg));
	mime_read_headers(w.msg, raw, len);
	mime_fill_named(w.msg);
	if (env != NULL)
		mime_fields_read_env(w.msg, env);
	else if (root->mm_type == MAILMIME_MESSAGE &&
	    root->mm_data.mm_message.mm_fields != NULL)
		mime_fields_read(w.msg, root->mm_data.mm_message.mm_fields);
	if (root->mm_type == MAILMIME_MESSAGE &&
	    root->mm_data.mm_message.mm_msg_mime != NULL) {
		w.msg->content_type = mime_type_name(
		    root->mm_data.mm_message.mm_msg_mime->mm_content_type);
		mime_walk_part(&w, root->mm_data.mm_message.mm_msg_mime);
	} else
		w.msg->content_type = xstrdup("text/plain");
	mime_pick_text(&w);
	mailmime_free(root);
	*toodeep = w.toodeep;
	if (w.cutbad || w.nmatched != ncuts) {
		mime_free(w.msg);
		return NULL;
	}
	return w.msg;
}

int
mime_parse_whole(const char *raw, size_t len, struct mime_msg **out)
{
	int	 toodeep = 0;

	mime_init();
	*out = mime_build(raw, len, raw, len, NULL, 0, NULL, &toodeep);
	return *out == NULL ? -1 : 0;
}

int
mime_parse(const char *raw, size_t len, struct mime_msg **out, char *err,
    size_t errlen)
{
	struct mime_cut cuts[MIME_MAX_PARTS];
	struct mime_split sp;
	struct mime_msg *m = NULL;
	size_t	 ncuts, blen;
	char	*buf;
	int	 toodeep = 0;

	*out = NULL;
	mime_init();
	if (mime_prescan_cuts(raw, len, cuts, &ncuts, err, errlen) == -1)
		return -1;
	if (mime_split_headers(raw, len, &sp) == 0 &&
	    (ncuts == 0 || cuts[0].off >= sp.body)) {
		buf = mime_shorten(sp.mime.data, sp.mime.len, raw, sp.body,
		    len, cuts, ncuts, &blen);
		m = mime_build(raw, len, buf, blen, cuts, ncuts, &sp.env,
		    &toodeep);
		free(buf);
	} else if (ncuts > 0) {
		buf = mime_shorten(NULL, 0, raw, 0, len, cuts, ncuts, &blen);
		m = mime_build(raw, len, buf, blen, cuts, ncuts, NULL,
		    &toodeep);
		free(buf);
	}
	mime_split_free(&sp);
	if (m == NULL && (m = mime_build(raw, len, raw, len, NULL, 0, NULL,
	    &toodeep)) == NULL)
		return mime_fail(err, errlen, "libetpan cannot parse the mail");
	if (toodeep || m->nparts > MIME_MAX_PARTS) {
		mime_free(m);
		return mime_fail(err, errlen, "MIME tree over the limits");
	}
	*out = m;
	return 0;
}
