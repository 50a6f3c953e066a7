/*
 * print_badges.c - name badges: A4, 2 columns x 4 rows, with light cut
 * lines; the name large, function and organisation below, the event at
 * the foot of each badge.
 */
#include <stdlib.h>

#include "base/util.h"
#include "print/print_int.h"

#define BADGE_COLS	2
#define BADGE_ROWS	4
#define BADGE_PAD	16.0

static void
print_badge_cuts(cairo_t *cr, double bw, double bh)
{
	int	 i;

	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
	cairo_set_line_width(cr, 0.5);
	for (i = 0; i <= BADGE_COLS; i++) {
		cairo_move_to(cr, PRINT_MARGIN + i * bw, PRINT_MARGIN);
		cairo_line_to(cr, PRINT_MARGIN + i * bw, PRINT_H - PRINT_MARGIN);
	}
	for (i = 0; i <= BADGE_ROWS; i++) {
		cairo_move_to(cr, PRINT_MARGIN, PRINT_MARGIN + i * bh);
		cairo_line_to(cr, PRINT_W - PRINT_MARGIN, PRINT_MARGIN + i * bh);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void
print_badge(struct print_ctx *ctx, const struct print_person *p, double x,
    double y, double bw, double bh)
{
	struct print_box b = { x + BADGE_PAD, y + BADGE_PAD + 14,
			       bw - 2 * BADGE_PAD, 2, PRINT_FONT " Bold 20",
			       PANGO_ALIGN_CENTER };
	char	*name = print_name(p, 0);

	/* A long name gets smaller, never cut (down to 11 pt). */
	b.y += print_text_fit(ctx, &b, "Bold", 20, 11, name) + 10;
	free(name);
	b.lines = 2;
	if (p->function && *p->function)
		b.y += print_text_fit(ctx, &b, "", 11, 7, p->function) + 4;
	print_text_fit(ctx, &b, "Bold", 11, 7, p->organisation);
	b.y = y + bh - BADGE_PAD - 10;
	b.lines = 1;
	print_text_fit(ctx, &b, "", 8, 5, ctx->doc->event_title);
}

int
print_badges(struct print_ctx *ctx)
{
	double	 bw = (PRINT_W - 2 * PRINT_MARGIN) / BADGE_COLS;
	double	 bh = (PRINT_H - 2 * PRINT_MARGIN) / BADGE_ROWS;
	size_t	 i, per = BADGE_COLS * BADGE_ROWS, k;

	ctx->pages = ctx->n == 0 ? 1 : (int)((ctx->n + per - 1) / per);
	ctx->st->pages = ctx->pages;
	ctx->st->per_page = (int)per;
	for (i = 0; i < ctx->n || i == 0; i++) {
		if (i % per == 0) {
			if (i > 0)
				cairo_show_page(ctx->cr);
			print_badge_cuts(ctx->cr, bw, bh);
			cairo_set_source_rgb(ctx->cr, 0, 0, 0);
		}
		if (i >= ctx->n)
			break;
		k = i % per;
		print_badge(ctx, ctx->rows[i], PRINT_MARGIN + (k % BADGE_COLS) *
		    bw, PRINT_MARGIN + (double)(k / BADGE_COLS) * bh, bw, bh);
	}
	cairo_show_page(ctx->cr);
	return 0;
}
