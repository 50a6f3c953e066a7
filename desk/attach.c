/*
 * attach.c - the attachments of a mail in review, for download.
 *
 * The parser keeps no attachment bodies (its pre-scan cuts them out before
 * libetpan sees the mail), so the desk walks the stored mail itself, on
 * demand, for one click: libetpan's tree of the whole mail, depth-limited,
 * leaves chosen by the parser's rule (an attachment disposition, a type
 * other than text/plain and text/html, or a named text part without a
 * disposition). Only mails the parser read successfully get here (not
 * quarantined ones). A file is always sent as application/octet-stream
 * with Content-Disposition attachment: the browser never renders it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "parsers/mime.h"
#include "parsers/text.h"
#include "registry/message.h"

#define DESK_ATT_DEPTH	20

struct desk_att_walk {
	void	(*fn)(void *, size_t n, struct mailmime *, const char *name,
		    const char *type);
	void	*arg;
	size_t	 n;
};

static char *
desk_att_type(struct mailmime *p)
{
	struct mailmime_content *ct = p->mm_content_type;
	const char *t = "application", *s = "octet-stream";

	if (ct && ct->ct_type && ct->ct_type->tp_type ==
	    MAILMIME_TYPE_DISCRETE_TYPE && ct->ct_type->tp_data.tp_discrete_type)
		switch (ct->ct_type->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT: t = "text"; break;
		case MAILMIME_DISCRETE_TYPE_IMAGE: t = "image"; break;
		case MAILMIME_DISCRETE_TYPE_AUDIO: t = "audio"; break;
		case MAILMIME_DISCRETE_TYPE_VIDEO: t = "video"; break;
		default: break;
		}
	if (ct && ct->ct_subtype)
		s = ct->ct_subtype;
	return text_lower(xasprintf("%s/%s", t, s));
}

static void
desk_att_leaf(struct desk_att_walk *w, struct mailmime *p)
{
	struct mailmime_single_fields sf;
	const char	*name;
	char		*type, *dec = NULL;
	int		 att;

	mailmime_single_fields_init(&sf, p->mm_mime_fields, p->mm_content_type);
	type = desk_att_type(p);
	name = sf.fld_disposition_filename ? sf.fld_disposition_filename :
	    sf.fld_content_name;
	att = (sf.fld_disposition && sf.fld_disposition->dsp_type->dsp_type ==
	    MAILMIME_DISPOSITION_TYPE_ATTACHMENT) || (strcmp(type,
	    "text/plain") && strcmp(type, "text/html")) || (name &&
	    sf.fld_disposition == NULL);
	if (att) {
		if (name)
			dec = mime_decode_2047(name);
		w->fn(w->arg, w->n++, p, dec ? dec : "", type);
	}
	free(dec);
	free(type);
}

static void
desk_att_walk(struct desk_att_walk *w, struct mailmime *p, int depth)
{
	clistiter	*it;

	if (p == NULL || depth > DESK_ATT_DEPTH)
		return;
	switch (p->mm_type) {
	case MAILMIME_SINGLE:
		desk_att_leaf(w, p);
		break;
	case MAILMIME_MULTIPLE:
		for (it = clist_begin(p->mm_data.mm_multipart.mm_mp_list); it;
		    it = clist_next(it))
			desk_att_walk(w, clist_content(it), depth + 1);
		break;
	case MAILMIME_MESSAGE:
		desk_att_walk(w, p->mm_data.mm_message.mm_msg_mime, depth + 1);
		break;
	}
}

/* Calls fn for every attachment of raw; -1 if libetpan cannot read it. */
static int
desk_att_each(const struct msg *m, struct desk_att_walk *w)
{
	struct mailmime	*mime = NULL;
	size_t		 idx = 0;

	if (mailmime_parse(m->raw, m->len, &idx, &mime) != MAILIMF_NO_ERROR)
		return -1;
	desk_att_walk(w, mime, 0);
	mailmime_free(mime);
	return 0;
}

struct desk_att_list {
	struct desk_req	*r;
	int64_t		 id;
};

static void
desk_att_link(void *arg, size_t n, struct mailmime *p, const char *name,
    const char *type)
{
	struct desk_att_list *l = arg;

	desk_html_printf(&l->r->out, "<li><a href=\"/review/%lld/att/%zu\">%s"
	    "</a> (%s)</li>", (long long)l->id, n, *name ? name : "ohne Namen",
	    type);
}

void
desk_att_links(struct desk_req *r, const struct msg *m)
{
	struct desk_att_list	 l = { r, m->id };
	struct desk_att_walk	 w = { desk_att_link, &l, 0 };
	size_t			 at;

	buf_adds(&r->out, "<p>Anhänge:</p><ul>");
	at = r->out.len;
	if (desk_att_each(m, &w) == -1 || w.n == 0) {
		r->out.len = at - strlen("<p>Anhänge:</p><ul>");
		r->out.data[r->out.len] = '\0';
		return;
	}
	buf_adds(&r->out, "</ul>");
}

struct desk_att_get {
	struct desk_req	*r;
	size_t		 want;
	int		 found;
};

/* A file name safe in a header: ASCII letters, digits, . _ - only. */
static char *
desk_att_filename(const char *name, size_t n)
{
	char	*s = xstrdup(*name ? name : "anhang"), *p;

	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", *p))
			*p = '_';
	if (s[0] == '.' || s[0] == '\0') {
		free(s);
		s = xasprintf("anhang-%zu", n);
	}
	return s;
}

static void
desk_att_send(void *arg, size_t n, struct mailmime *p, const char *name,
    const char *type)
{
	struct desk_att_get		*g = arg;
	struct mailmime_single_fields	 sf;
	struct mailmime_data		*d = p->mm_data.mm_single;
	size_t				 idx = 0, len = 0;
	char				*res = NULL, *fn;
	int				 enc;

	if (n != g->want || d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return;
	mailmime_single_fields_init(&sf, p->mm_mime_fields, p->mm_content_type);
	enc = sf.fld_encoding ? sf.fld_encoding->enc_type :
	    MAILMIME_MECHANISM_8BIT;
	if (mailmime_part_parse(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, &idx, enc, &res, &len) !=
	    MAILIMF_NO_ERROR)
		return;
	buf_add(&g->r->out, res, len);
	mmap_string_unref(res);
	fn = desk_att_filename(name, n);
	g->r->ctype = "application/octet-stream";
	g->r->disposition = xasprintf("attachment; filename=\"%s\"", fn);
	free(fn);
	g->found = 1;
}

void
desk_att_download(struct desk_req *r, const struct msg *m, size_t n)
{
	struct desk_att_get	 g = { r, n, 0 };
	struct desk_att_walk	 w = { desk_att_send, &g, 0 };

	if (m->raw == NULL || !strcmp(m->state, "quarantined") ||
	    desk_att_each(m, &w) == -1 || !g.found)
		desk_error(r, 404, "Diesen Anhang gibt es nicht.");
}
