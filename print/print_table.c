/*
 * print_table.c - sign-in sheet and participant list: one table, a header
 * with event, date and place on every page, "Seite i von n" below.
 *
 * A row is as high as its longest cell: long names, functions and
 * organisations wrap onto as many lines as they need (up to
 * PRINT_CELL_LINES, far beyond any real name), so nothing is cut. The
 * heights are measured before the first page is drawn, so that the page
 * count is known for "Seite i von n". The sign-in sheet fills its last
 * page with numbered empty rows for people who come without registering.
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
#define PRINT_CELL_LINES 12	/* at 9 pt: a row stays well within a page */
#define PRINT_CELL_PAD	8.0	/* above and below the text of a row */

struct print_col {
	const char	*head;
	double		 w;
};

struct print_layout {
	const char		*doc_title;
	const struct print_col	*cols;
	size_t			 ncols;
	double			 row_h;		/* least height of a row */
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
		lo->blank_rows = 1;
	} else {
		lo->doc_title = "Teilnehmerliste";
		lo->cols = print_list_cols;
		lo->ncols = nitems(print_list_cols);
		lo->row_h = 26;
	}
}

/* The height a page has for rows. */
#define PRINT_BODY_H	(PRINT_H - 2 * PRINT_MARGIN - PRINT_HEAD_H - \
			 PRINT_COLS_H - PRINT_FOOT_H)

static int
print_rows_per_page(const struct print_layout *lo)
{
	return (int)floor(PRINT_BODY_H / lo->row_h);
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

/* The written form of the organisation, or NULL (caller frees). */
static char *
print_org_written(const struct print_person *p)
{
	if (p == NULL || p->org_written == NULL || !*p->org_written ||
	    (p->organisation && !strcmp(p->org_written, p->organisation)))
		return NULL;
	return xasprintf("(%s)", p->org_written);
}

static const struct print_box print_cell_box = { 0, 0, 0, PRINT_CELL_LINES,
	PRINT_FONT " 9", PANGO_ALIGN_LEFT };
static const struct print_box print_note_box = { 0, 0, 0, PRINT_CELL_LINES,
	PRINT_FONT " Italic 6.5", PANGO_ALIGN_LEFT };

/*
 * Draws the row at y (draw 0: only measures); returns its height: the
 * tallest cell (the organisation with its written form below) and the
 * padding, at least lo->row_h.
 */
static double
print_row(struct print_ctx *ctx, const struct print_layout *lo, double y,
    const struct print_person *p, size_t nr, int draw)
{
	struct print_box b = print_cell_box, nb = print_note_box;
	char	*cell[5], *note = print_org_written(p);
	double	 x = PRINT_MARGIN, h, row = lo->row_h;
	size_t	 i;

	print_cells(p, nr, cell);
	b.y = y + PRINT_CELL_PAD / 2;
	for (i = 0; i < lo->ncols; x += lo->cols[i++].w) {
		b.x = nb.x = x + 3;
		b.w = nb.w = lo->cols[i].w - 6;
		h = draw ? print_text(ctx, &b, cell[i]) :
		    print_text_height(ctx, &b, cell[i], NULL);
		if (i == 3 && note) {
			nb.y = b.y + h;
			h += draw ? print_text(ctx, &nb, note) :
			    print_text_height(ctx, &nb, note, NULL);
		}
		if (h + PRINT_CELL_PAD > row)
			row = h + PRINT_CELL_PAD;
	}
	for (i = 0; i < 5; i++)
		free(cell[i]);
	free(note);
	if (draw)
		print_line(ctx->cr, PRINT_MARGIN, y + row,
		    PRINT_W - PRINT_MARGIN, y + row, 0.4);
	return row;
}

/*
 * The height of every row to print (the people, then for the sign-in
 * sheet the empty rows that fill the last page) into *hp; their number.
 * Sets ctx->pages.
 */
static size_t
print_table_plan(struct print_ctx *ctx, const struct print_layout *lo,
    double **hp)
{
	double	*h = xcalloc(ctx->n + 1, sizeof(*h)), used = 0;
	size_t	 i, n = ctx->n, cap = ctx->n + 1;

	ctx->pages = 1;
	for (i = 0; i < ctx->n; i++) {
		h[i] = print_row(ctx, lo, 0, ctx->rows[i], i + 1, 0);
		if (used > 0 && used + h[i] > PRINT_BODY_H) {
			ctx->pages++;
			used = 0;
		}
		used += h[i];
	}
	while (lo->blank_rows && used + lo->row_h <= PRINT_BODY_H) {
		if (n == cap)
			h = xreallocarray(h, cap *= 2, sizeof(*h));
		h[n++] = lo->row_h;
		used += lo->row_h;
	}
	*hp = h;
	return n;
}

int
print_table(struct print_ctx *ctx, enum print_kind kind)
{
	struct print_layout	 lo;
	double			*h, top = 0, used = 0;
	size_t			 i, rows;
	int			 page = 0;

	print_layout_of(kind, &lo);
	cairo_set_source_rgb(ctx->cr, 0, 0, 0);
	rows = print_table_plan(ctx, &lo, &h);
	ctx->st->pages = ctx->pages;
	ctx->st->per_page = print_rows_per_page(&lo);
	/* the same breaks as print_table_plan: "Seite i von n" holds */
	for (i = 0; i < rows || page == 0; i++) {
		if (page == 0 || (i < rows && used > 0 && used + h[i] >
		    PRINT_BODY_H)) {
			if (page > 0)
				cairo_show_page(ctx->cr);
			top = print_head(ctx, &lo);
			used = 0;
			print_foot(ctx, ++page);
		}
		if (i >= rows)
			break;
		print_row(ctx, &lo, top + used, i < ctx->n ? ctx->rows[i] :
		    NULL, i + 1, 1);
		used += h[i];
	}
	cairo_show_page(ctx->cr);
	free(h);
	return 0;
}
