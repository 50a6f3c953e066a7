/*
 * print.c - the PDF surface, sorting, text and the file (see print.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>

#include "base/util.h"
#include "print/print_int.h"

int
print_kind_parse(const char *s, enum print_kind *k)
{
	if (!strcmp(s, "sign-in"))
		*k = PRINT_SIGNIN;
	else if (!strcmp(s, "badges"))
		*k = PRINT_BADGES;
	else if (!strcmp(s, "list"))
		*k = PRINT_LIST;
	else
		return -1;
	return 0;
}

/* DIN 5007-1 order: umlauts as their base letter, ß as ss, no case. */
static void
print_fold(struct buf *b, const char *s)
{
	static const char *const map[][2] = {
		{ "Ä", "a" }, { "ä", "a" }, { "Ö", "o" }, { "ö", "o" },
		{ "Ü", "u" }, { "ü", "u" }, { "ß", "ss" }, { "É", "e" },
		{ "é", "e" }, { "È", "e" }, { "è", "e" }, { "Á", "a" },
		{ "á", "a" }, { "Č", "c" }, { "č", "c" }, { "Š", "s" },
		{ "š", "s" }, { "Ž", "z" }, { "ž", "z" }, { "Ł", "l" },
		{ "ł", "l" }, { "Ó", "o" }, { "ó", "o" }, { "Ń", "n" },
		{ "ń", "n" }, { "Ř", "r" }, { "ř", "r" }, { "Ć", "c" },
		{ "ć", "c" }, { "Ś", "s" }, { "ś", "s" }, { "Å", "a" },
		{ "å", "a" }, { "Ø", "o" }, { "ø", "o" }, { "Æ", "ae" },
		{ "æ", "ae" }, { "Ë", "e" }, { "ë", "e" }, { "Ï", "i" },
		{ "ï", "i" }, { "Í", "i" }, { "í", "i" }, { "Ú", "u" },
		{ "ú", "u" }, { "Ý", "y" }, { "ý", "y" }, { "Ç", "c" },
		{ "ç", "c" }, { "Ñ", "n" }, { "ñ", "n" }, { "À", "a" },
		{ "à", "a" }, { "Â", "a" }, { "â", "a" }, { "Ô", "o" },
		{ "ô", "o" }, { "Ê", "e" }, { "ê", "e" }, { "Î", "i" },
		{ "î", "i" }, { "Û", "u" }, { "û", "u" },
	};
	size_t	 i, n;

	while (s && *s) {
		for (i = 0; i < nitems(map); i++) {
			n = strlen(map[i][0]);
			if (!strncmp(s, map[i][0], n))
				break;
		}
		if (i < nitems(map)) {
			buf_adds(b, map[i][1]);
			s += n;
		} else {
			buf_addc(b, *s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
			s++;
		}
	}
}

char *
print_sort_key(const char *family, const char *given)
{
	struct buf	 b = { 0 };

	buf_adds(&b, "");
	print_fold(&b, family);
	buf_addc(&b, '\001');
	print_fold(&b, given);
	return buf_detach(&b);
}

struct print_sortrow {
	char				*key;
	const struct print_person	*p;
};

static int
print_cmp(const void *a, const void *b)
{
	const struct print_sortrow *x = a, *y = b;
	int	 c = strcmp(x->key, y->key);

	/* equal names keep their input order: stable for the same data */
	return c ? c : (x->p > y->p) - (x->p < y->p);
}

/* ctx->rows: the doc's people sorted by name. */
static void
print_sort(struct print_ctx *ctx)
{
	struct print_sortrow	*r;
	size_t			 i, n = ctx->doc->n;

	r = xcalloc(n ? n : 1, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].p = &ctx->doc->people[i];
		r[i].key = print_sort_key(r[i].p->family_name,
		    r[i].p->given_name);
	}
	qsort(r, n, sizeof(*r), print_cmp);
	ctx->rows = xcalloc(n ? n : 1, sizeof(*ctx->rows));
	for (i = 0; i < n; i++) {
		ctx->rows[i] = r[i].p;
		free(r[i].key);
	}
	free(r);
	ctx->n = n;
}

static void
print_name_add(struct buf *b, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		buf_addc(b, ' ');
	buf_adds(b, s);
}

char *
print_name(const struct print_person *p, int family_first)
{
	struct buf	 b = { 0 };

	buf_adds(&b, "");
	if (family_first) {
		print_name_add(&b, p->family_name);
		if ((p->title && *p->title) || (p->given_name &&
		    *p->given_name))
			buf_adds(&b, ",");
	} else
		print_name_add(&b, p->title);
	if (family_first)
		print_name_add(&b, p->title);
	print_name_add(&b, p->given_name);
	if (!family_first)
		print_name_add(&b, p->family_name);
	return buf_detach(&b);
}

/* The layout of text in box bx (caller unrefs). */
static PangoLayout *
print_layout(struct print_ctx *ctx, const struct print_box *bx,
    const char *text)
{
	PangoLayout		*l = pango_layout_new(ctx->pc);
	PangoFontDescription	*fd = pango_font_description_from_string(
				    bx->font);

	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(bx->w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_height(l, -(bx->lines > 0 ? bx->lines : 1));
	pango_layout_set_alignment(l, bx->align);
	pango_layout_set_text(l, text ? text : "", -1);
	pango_font_description_free(fd);
	return l;
}

double
print_text(struct print_ctx *ctx, const struct print_box *bx,
    const char *text)
{
	PangoLayout	*l = print_layout(ctx, bx, text);
	int		 w, h;

	cairo_move_to(ctx->cr, bx->x, bx->y);
	pango_cairo_show_layout(ctx->cr, l);
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

double
print_text_height(struct print_ctx *ctx, const struct print_box *bx,
    const char *text, int *cut)
{
	PangoLayout	*l = print_layout(ctx, bx, text);
	int		 w, h;

	pango_layout_get_size(l, &w, &h);
	if (cut)
		*cut = pango_layout_is_ellipsized(l);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

/*
 * Like print_text, with the largest font size from max down to min (in
 * points, style e.g. "Bold") at which the text fits without being cut;
 * at min it is cut with an ellipsis as print_text does.
 */
double
print_text_fit(struct print_ctx *ctx, const struct print_box *bx,
    const char *style, int max, int min, const char *text)
{
	struct print_box	 b = *bx;
	PangoLayout		*l;
	PangoFontDescription	*fd;
	char			 font[64];
	int			 size, cut = 0;

	for (size = max; size >= min; size--) {
		snprintf(font, sizeof(font), "%s %s %d", PRINT_FONT, style,
		    size);
		l = pango_layout_new(ctx->pc);
		fd = pango_font_description_from_string(font);
		pango_layout_set_font_description(l, fd);
		pango_layout_set_width(l, (int)(b.w * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, -(b.lines > 0 ? b.lines : 1));
		pango_layout_set_text(l, text ? text : "", -1);
		cut = pango_layout_is_ellipsized(l);
		pango_font_description_free(fd);
		g_object_unref(l);
		if (!cut)
			break;
	}
	b.font = font;
	return print_text(ctx, &b, text);
}

struct print_sink {
	int	(*write)(void *, const unsigned char *, size_t);
	void	*arg;
};

static cairo_status_t
print_sink_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct print_sink *s = arg;

	return s->write(s->arg, data, len) == 0 ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

/* Draws every page of the document on ctx->cr. */
static int
print_pages(struct print_ctx *ctx, enum print_kind kind)
{
	pango_cairo_context_set_resolution(ctx->pc, 72);
	print_sort(ctx);
	if (kind == PRINT_BADGES)
		return print_badges(ctx);
	return print_table(ctx, kind);
}

int
print_pdf(enum print_kind kind, const struct print_doc *doc,
    int (*write)(void *, const unsigned char *, size_t), void *arg,
    struct print_stats *st, char *err, size_t errlen)
{
	struct print_sink	 sink = { write, arg };
	struct print_stats	 dummy;
	struct print_ctx	 ctx = { 0 };
	cairo_surface_t		*sf;
	cairo_status_t		 cs;

	ctx.doc = doc;
	ctx.st = st ? st : &dummy;
	memset(ctx.st, 0, sizeof(*ctx.st));
	sf = cairo_pdf_surface_create_for_stream(print_sink_write, &sink,
	    PRINT_W, PRINT_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
	    doc->event_title ? doc->event_title : "");
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
	    "ikzreg");
	ctx.cr = cairo_create(sf);
	ctx.pc = pango_cairo_create_context(ctx.cr);
	print_pages(&ctx, kind);
	g_object_unref(ctx.pc);
	cairo_destroy(ctx.cr);
	cairo_surface_finish(sf);
	cs = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	free(ctx.rows);
	if (cs != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "PDF not written: %s",
		    cairo_status_to_string(cs));
		return -1;
	}
	return 0;
}

static int
print_file_write(void *arg, const unsigned char *p, size_t n)
{
	FILE	*f = arg;

	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

int
print_pdf_file(enum print_kind kind, const struct print_doc *doc,
    const char *path, struct print_stats *st, char *err, size_t errlen)
{
	char	*tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	FILE	*f = NULL;
	int	 fd, rv = -1;

	/* 0640 from the start: the names are personal data */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0640)) == -1 || (f = fdopen(fd, "wb")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		free(tmp);
		return -1;
	}
	if (print_pdf(kind, doc, print_file_write, f, st, err, errlen) == 0)
		rv = 0;
	if (fclose(f) != 0 && rv == 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rv = -1;
	}
	if (rv == 0 && rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rv = -1;
	}
	if (rv == -1)
		unlink(tmp);
	free(tmp);
	return rv;
}
