/*
 * print_table.c - sign-in sheet and participant list: one table, a header
 * with event, date and place on every page, "Seite i von n" below.
 *
 * Rows have a fixed height (text is cut with "…" rather than wrapped
 * past it), so that the page count is known before the first page is
 * drawn. The sign-in sheet fills its last page with numbered empty rows
 * for people who come without registering.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "print/print_int.h"

#define PRINT_HEAD_H	74.0	/* event title, date and place, kind */
#define PRINT_COLS_H	18.0	/* column headings */
#define PRINT_FOOT_H	22.0

struct print_col {
	const char	*head;
	double		 w;
};

struct print_layout {
	const char		*doc_title;
	const struct print_col	*cols;
	size_t			 ncols;
	double			 row_h;
	int			 lines;		/* text lines per cell */
	int			 blank_rows;	/* fill the last page */
};

static const struct print_col print_signin_cols[] = {
	{ "Nr.", 26 }, { "Name", 140 }, { "Funktion", 100 },
	{ "Organisation", 135 }, { "Unterschrift", 110.276 },
};
static const struct print_col print_list_cols[] = {
	{ "Nr.", 26 }, { "Name", 160 }, { "Funktion", 130 },
	{ "Organisation", 195.276 },
};

static void
print_layout_of(enum print_kind kind, struct print_layout *lo)
{
	memset(lo, 0, sizeof(*lo));
	if (kind == PRINT_SIGNIN) {
		lo->doc_title = "Unterschriftenliste";
		lo->cols = print_signin_cols;
		lo->ncols = nitems(print_signin_cols);
		lo->row_h = 30;
		lo->lines = 2;
		lo->blank_rows = 1;
	} else {
		lo->doc_title = "Teilnehmerliste";
		lo->cols = print_list_cols;
		lo->ncols = nitems(print_list_cols);
		lo->row_h = 26;
		lo->lines = 2;
	}
}

static int
print_rows_per_page(const struct print_layout *lo)
{
	return (int)floor((PRINT_H - 2 * PRINT_MARGIN - PRINT_HEAD_H -
	    PRINT_COLS_H - PRINT_FOOT_H) / lo->row_h);
}

static void
print_line(cairo_t *cr, double x0, double y0, double x1, double y1,
    double width)
{
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

/* Event title, date and place, document kind; then column headings. */
static double
print_head(struct print_ctx *ctx, const struct print_layout *lo)
{
	const struct print_doc	*d = ctx->doc;
	struct print_box	 b = { PRINT_MARGIN, PRINT_MARGIN,
				   PRINT_W - 2 * PRINT_MARGIN, 1,
				   PRINT_FONT " Bold 14", PANGO_ALIGN_LEFT };
	char			*s;
	double			 x, y;
	size_t			 i;

	print_text(ctx, &b, d->event_title);
	s = xasprintf("%s%s%s", d->event_when ? d->event_when : "",
	    d->event_location && *d->event_location ? " · " : "",
	    d->event_location ? d->event_location : "");
	b.y += 22;
	b.font = PRINT_FONT " 10";
	print_text(ctx, &b, s);
	free(s);
	b.y += 18;
	b.font = PRINT_FONT " Bold 11";
	print_text(ctx, &b, lo->doc_title);
	y = PRINT_MARGIN + PRINT_HEAD_H;
	b.font = PRINT_FONT " Bold 9";
	for (i = 0, x = PRINT_MARGIN; i < lo->ncols; x += lo->cols[i++].w) {
		b.x = x + 3;
		b.y = y + 3;
		b.w = lo->cols[i].w - 6;
		print_text(ctx, &b, lo->cols[i].head);
	}
	print_line(ctx->cr, PRINT_MARGIN, y + PRINT_COLS_H,
	    PRINT_W - PRINT_MARGIN, y + PRINT_COLS_H, 1.0);
	return y + PRINT_COLS_H;
}

static void
print_foot(struct print_ctx *ctx, int page)
{
	struct print_box b = { PRINT_MARGIN, PRINT_H - PRINT_MARGIN - 12,
			       PRINT_W - 2 * PRINT_MARGIN, 1,
			       PRINT_FONT " 8", PANGO_ALIGN_RIGHT };
	char	*s = xasprintf("Seite %d von %d", page, ctx->pages);

	print_text(ctx, &b, s);
	free(s);
	if (ctx->doc->office) {
		b.align = PANGO_ALIGN_LEFT;
		b.w = PRINT_W - 2 * PRINT_MARGIN - 90;
		print_text(ctx, &b, ctx->doc->office);
	}
}

/* The cells of one row (p NULL: an empty numbered row). */
static void
print_cells(const struct print_person *p, size_t nr, char **cell)
{
	cell[0] = xasprintf("%zu", nr);
	cell[1] = p ? print_name(p, 1) : xstrdup("");
	cell[2] = xstrdup(p && p->function ? p->function : "");
	cell[3] = xstrdup(p && p->organisation ? p->organisation : "");
	cell[4] = xstrdup("");
}

/* The written form of the organisation under the normalised one. */
static void
print_org_note(struct print_ctx *ctx, const struct print_person *p,
    double x, double y, double w)
{
	struct print_box b = { x, y, w, 1, PRINT_FONT " Italic 6.5",
			       PANGO_ALIGN_LEFT };
	char	*s;

	if (p == NULL || p->org_written == NULL || !*p->org_written ||
	    (p->organisation && !strcmp(p->org_written, p->organisation)))
		return;
	s = xasprintf("(%s)", p->org_written);
	print_text(ctx, &b, s);
	free(s);
}

static void
print_row(struct print_ctx *ctx, const struct print_layout *lo, double y,
    const struct print_person *p, size_t nr)
{
	struct print_box b = { 0, y + 4, 0, lo->lines, PRINT_FONT " 9",
			       PANGO_ALIGN_LEFT };
	char	*cell[5];
	double	 x = PRINT_MARGIN, h;
	size_t	 i;

	print_cells(p, nr, cell);
	for (i = 0; i < lo->ncols; x += lo->cols[i++].w) {
		b.x = x + 3;
		b.w = lo->cols[i].w - 6;
		h = print_text(ctx, &b, cell[i]);
		/* only under a one-line name: a row holds two lines */
		if (i == 3 && h < 15)
			print_org_note(ctx, p, b.x, b.y + h, b.w);
	}
	for (i = 0; i < 5; i++)
		free(cell[i]);
	print_line(ctx->cr, PRINT_MARGIN, y + lo->row_h,
	    PRINT_W - PRINT_MARGIN, y + lo->row_h, 0.4);
}

int
print_table(struct print_ctx *ctx, enum print_kind kind)
{
	struct print_layout	 lo;
	size_t			 i, rows;
	int			 per, page;
	double			 y = 0;

	print_layout_of(kind, &lo);
	per = print_rows_per_page(&lo);
	ctx->pages = ctx->n == 0 ? 1 : (int)((ctx->n + per - 1) / per);
	rows = lo.blank_rows ? (size_t)ctx->pages * per : ctx->n;
	ctx->st->pages = ctx->pages;
	ctx->st->per_page = per;
	cairo_set_source_rgb(ctx->cr, 0, 0, 0);
	for (i = 0, page = 0; i < rows || page == 0; i++) {
		if (i % per == 0) {
			if (page > 0)
				cairo_show_page(ctx->cr);
			y = print_head(ctx, &lo);
			print_foot(ctx, ++page);
		}
		if (i >= rows)
			break;
		print_row(ctx, &lo, y, i < ctx->n ? ctx->rows[i] : NULL,
		    i + 1);
		y += lo.row_h;
	}
	cairo_show_page(ctx->cr);
	return 0;
}
