/*
 * print_int.h - what the files of print/ share (not for use outside).
 */
#ifndef IKZ_PRINT_INT_H
#define IKZ_PRINT_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "print/print.h"

#define PRINT_W		595.276		/* A4 in points */
#define PRINT_H		841.890
#define PRINT_MARGIN	42.0		/* about 15 mm */
#define PRINT_FONT	"Sans"

struct print_ctx {
	cairo_t			*cr;
	PangoContext		*pc;		/* 72 dpi: sizes in points */
	const struct print_doc	*doc;
	const struct print_person **rows;	/* sorted by name */
	size_t			 n;
	int			 pages;
	struct print_stats	*st;
};

/* Text fitted into width w and at most lines lines ("…" when cut). */
struct print_box {
	double		 x, y, w;
	int		 lines;
	const char	*font;		/* e.g. "Sans Bold 12" */
	PangoAlignment	 align;
};

/* Draws text in box b; returns the height used. */
double	print_text(struct print_ctx *, const struct print_box *,
	    const char *text);
/* The height print_text would use; *cut (if not NULL) 1 if cut. */
double	print_text_height(struct print_ctx *, const struct print_box *,
	    const char *text, int *cut);
/* print_text at the largest size from max to min points that fits. */
double	print_text_fit(struct print_ctx *, const struct print_box *,
	    const char *style, int max, int min, const char *text);
/* "Beispiel, Dr. Anna" (list order) or "Dr. Anna Beispiel" (badge). */
char	*print_name(const struct print_person *, int family_first);

/* print_table.c: sign-in sheet and participant list. */
int	print_table(struct print_ctx *, enum print_kind);
/* print_badges.c */
int	print_badges(struct print_ctx *);

#endif
