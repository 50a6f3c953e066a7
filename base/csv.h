/*
 * csv.h - one CSV cell, safe to open in a spreadsheet (RFC 4180).
 *
 * Used by every CSV the office opens in Excel or LibreOffice: the staff
 * tool's exports (spool/out.c) and the web desk's downloads.
 */
#ifndef IKZ_CSV_H
#define IKZ_CSV_H

#include "base/util.h"

/*
 * 1 if a spreadsheet would take cell s as a formula or DDE command: it
 * starts with = + - @, or with a tab or CR (which Excel strips), also
 * after spaces and line breaks.
 */
int	csv_formula_like(const char *s);

/*
 * Appends cell s (NULL: empty) to b: quoted when it holds sep, a quote
 * or a line break (quotes doubled), and a formula-like cell as text,
 * with a ' INSIDE the quotes ("'=1+1"): in front of the opening quote it
 * would break the quoting and shift the columns (issue 17).
 */
void	csv_field(struct buf *b, const char *s, char sep);

#endif
