/* out.c - table, CSV and JSON output for the staff tool's listings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/out_safe.h"
#include "base/util.h"
#include "spool/spool.h"

#define SPOOL_MIN_COL	4

int
spool_fmt_parse(const char *s, enum spool_fmt *f)
{
	if (!strcmp(s, "table"))
		*f = SPOOL_TABLE;
	else if (!strcmp(s, "csv"))
		*f = SPOOL_CSV;
	else if (!strcmp(s, "json"))
		*f = SPOOL_JSON;
	else
		return -1;
	return 0;
}

void
spool_time(time_t t, char *out, size_t len)
{
	char	*p;

	if (t == 0) {
		snprintf(out, len, "%s", "");
		return;
	}
	util_format_local_time(t, out, len);
	if ((p = strchr(out, 'T')) != NULL)
		*p = ' ';
}

/*
 * One non-ASCII code point at s into a JSON string; returns its bytes.
 * C1 and bidi overrides are escaped, so that JSON on a terminal cannot
 * steer it and a program still reads the value unchanged; a byte that
 * is not UTF-8 becomes U+FFFD, so that the JSON stays valid.
 */
static size_t
spool_json_utf8(struct buf *b, const char *s)
{
	uint32_t cp;
	size_t	 n = out_safe_decode(s, &cp);

	if (out_safe_is_control(cp))
		buf_printf(b, "\\u%04x", (unsigned)cp);
	else if (n == 1)
		buf_adds(b, "\xef\xbf\xbd");
	else
		buf_add(b, s, n);
	return n;
}

void
spool_json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p == '\r')
			buf_adds(b, "\\r");
		else if (*p == '\t')
			buf_adds(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\u%04x", *p);
		else if (*p < 0x80)
			buf_addc(b, (char)*p);
		else
			p += spool_json_utf8(b, (const char *)p) - 1;
	}
	buf_addc(b, '"');
}

/* Display columns of UTF-8 text: one per code point. */
static size_t
spool_out_width(const char *s)
{
	size_t	 n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
spool_out_csv_line(struct spool_out *o, const char *const *vals)
{
	struct buf	 b = { 0 };
	char		 sep = o->excel ? ';' : ',';
	size_t		 i;

	for (i = 0; i < o->ncols; i++) {
		if (i)
			buf_addc(&b, sep);
		csv_field(&b, vals[i], sep);
	}
	buf_adds(&b, "\r\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

void
spool_out_begin(struct spool_out *o, enum spool_fmt fmt, int excel,
    const struct spool_col *cols, size_t ncols)
{
	const char	**head;
	size_t		  i;

	memset(o, 0, sizeof(*o));
	o->fmt = fmt;
	o->excel = excel && fmt == SPOOL_CSV;
	o->cols = cols;
	o->ncols = ncols;
	if (fmt == SPOOL_CSV) {
		if (o->excel)
			fputs("\xef\xbb\xbf", stdout);
		head = xcalloc(ncols, sizeof(*head));
		for (i = 0; i < ncols; i++)
			head[i] = cols[i].key;
		spool_out_csv_line(o, head);
		free(head);
	} else if (fmt == SPOOL_JSON)
		fputs("[", stdout);
}

static void
spool_out_json_row(struct spool_out *o, const char *const *vals)
{
	struct buf	 b = { 0 };
	size_t		 i;

	buf_adds(&b, o->n ? ",\n  {" : "\n  {");
	for (i = 0; i < o->ncols; i++) {
		if (i)
			buf_adds(&b, ", ");
		spool_json_str(&b, o->cols[i].key);
		buf_adds(&b, ": ");
		spool_json_str(&b, vals[i]);
	}
	buf_addc(&b, '}');
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/* Table cells: one line each, controls shown visibly (out_safe.h). */
static char *
spool_out_cell(const char *s)
{
	return out_safe(s ? s : "", OUT_SAFE_LINE);
}

void
spool_out_row(struct spool_out *o, const char *const *vals)
{
	char	**row;
	size_t	  i;

	if (o->fmt == SPOOL_CSV)
		spool_out_csv_line(o, vals);
	else if (o->fmt == SPOOL_JSON)
		spool_out_json_row(o, vals);
	else {
		row = xcalloc(o->ncols, sizeof(*row));
		for (i = 0; i < o->ncols; i++)
			row[i] = spool_out_cell(vals[i]);
		o->rows = xreallocarray(o->rows, o->nrows + 1,
		    sizeof(*o->rows));
		o->rows[o->nrows++] = row;
	}
	o->n++;
}

/* Prints s in exactly w columns (cut with "…"), or unpadded if last. */
static void
spool_out_pad(const char *s, size_t w, int last)
{
	size_t	 n = spool_out_width(s), cols = 0;
	const char *p;

	if (n <= w) {
		printf(last ? "%s" : "%s%*s", s, last ? 0 : (int)(w - n), "");
		return;
	}
	for (p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && ++cols == w)
			break;
		putchar(*p);
	}
	fputs("…", stdout);
}

/*
 * The width tables are fitted into: the terminal's when stdout is one
 * (wider terminals show more), else SPOOL_WIDTH (pipes, files, tests).
 */
static size_t
spool_out_columns(void)
{
	struct winsize	 ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > SPOOL_WIDTH)
		return ws.ws_col;
	return SPOOL_WIDTH;
}

/* Shrinks the widest columns until the table fits spool_out_columns(). */
static void
spool_out_fit(size_t *w, size_t n)
{
	size_t	 i, total, big, cols = spool_out_columns();

	for (;;) {
		for (i = 0, total = 2 * (n - 1), big = 0; i < n; i++) {
			total += w[i];
			if (w[i] > w[big])
				big = i;
		}
		if (total <= cols || w[big] <= SPOOL_MIN_COL)
			return;
		w[big]--;
	}
}

static void
spool_out_table(struct spool_out *o)
{
	size_t	 *w, *idx, n = 0, i, r;
	const char *cell;

	w = xcalloc(o->ncols, sizeof(*w));
	idx = xcalloc(o->ncols, sizeof(*idx));
	for (i = 0; i < o->ncols; i++)
		if (o->cols[i].table)
			idx[n++] = i;
	for (i = 0; i < n; i++) {
		w[i] = spool_out_width(o->cols[idx[i]].title);
		for (r = 0; r < o->nrows; r++)
			if (spool_out_width(o->rows[r][idx[i]]) > w[i])
				w[i] = spool_out_width(o->rows[r][idx[i]]);
	}
	if (!o->wide)
		spool_out_fit(w, n);
	for (r = 0; r <= o->nrows; r++) {
		for (i = 0; i < n; i++) {
			cell = r == 0 ? o->cols[idx[i]].title :
			    o->rows[r - 1][idx[i]];
			if (i)
				fputs("  ", stdout);
			spool_out_pad(cell, w[i], i + 1 == n);
		}
		putchar('\n');
	}
	free(w);
	free(idx);
}

void
spool_out_end(struct spool_out *o)
{
	size_t	 r, i;

	if (o->fmt == SPOOL_JSON)
		fputs(o->n ? "\n]\n" : "]\n", stdout);
	else if (o->fmt == SPOOL_TABLE && o->nrows > 0)
		spool_out_table(o);
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncols; i++)
			free(o->rows[r][i]);
		free(o->rows[r]);
	}
	free(o->rows);
	o->rows = NULL;
	o->nrows = 0;
}

/*
 * Prints s wrapped at spaces so that no line exceeds SPOOL_WIDTH; an
 * event title from the config is shown without controls, like mail.
 */
void
spool_print_wrapped(const char *s)
{
	char	*copy = out_safe(s, OUT_SAFE_LINE), *w, *save;
	size_t	 col = 0, n;

	for (w = strtok_r(copy, " ", &save); w;
	    w = strtok_r(NULL, " ", &save)) {
		n = spool_out_width(w);
		if (col > 0 && col + 1 + n > SPOOL_WIDTH) {
			putchar('\n');
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		fputs(w, stdout);
		col += n;
	}
	putchar('\n');
	free(copy);
}
