/*
 * print.h - printouts of an event as PDF (Cairo + Pango): sign-in sheet,
 * name badges, participant list.
 *
 * Layer: print/ includes only base/ and takes plain rows; registry/ never
 * includes it. In the include order it stands beside registry/ (layer 3 of
 * docs/tree.md: base 0 < parsers 1 < templates 2 < registry, print 3 <
 * daemon, spool, desk 4). The caller (spool/cmd_print.c, the desk) loads
 * the rows, e.g. with roster_load() of registry/roster.h.
 *
 * Text is set as plain text (never Pango markup), in the fonts of
 * fontconfig's "Sans" (DejaVu Sans on Debian), so any UTF-8 name prints
 * as written. Rows are printed sorted by family name, then given name,
 * German style (ä as a, ß as ss, case ignored); the order of the input
 * does not matter.
 */
#ifndef IKZ_PRINT_H
#define IKZ_PRINT_H

#include <stddef.h>

enum print_kind {
	PRINT_SIGNIN,	/* Unterschriftenliste: Name, Funktion,
			   Organisation, Unterschrift; header on every
			   page; "Seite i von n" */
	PRINT_BADGES,	/* Namensschilder: A4, 2 x 4 per page */
	PRINT_LIST	/* Teilnehmerliste: Name, Funktion, Organisation */
};

/* One person; NULL fields print as empty. */
struct print_person {
	const char	*title;		/* "Dr." */
	const char	*given_name;
	const char	*family_name;
	const char	*function;
	const char	*organisation;	/* as shown (normalised) */
	const char	*org_written;	/* as written, shown in small type
					   when it differs; may be NULL */
};

struct print_doc {
	const char		*event_title;
	const char		*event_when;	/* "Dienstag, 12. November ..." */
	const char		*event_location;
	const char		*office;	/* footer, may be NULL */
	const struct print_person *people;
	size_t			 n;
};

/* What a rendering produced, for tests and the desk. */
struct print_stats {
	int	 pages;
	int	 per_page;	/* rows (or badges) per full page */
};

/* Parses "sign-in", "badges", "list"; -1 if none of them. */
int	print_kind_parse(const char *, enum print_kind *);

/*
 * Renders the document and hands the PDF bytes to write (0 ok, -1 stops
 * it). Returns 0, or -1 with err set (Cairo's reason, in English).
 */
int	print_pdf(enum print_kind, const struct print_doc *,
	    int (*write)(void *, const unsigned char *, size_t), void *arg,
	    struct print_stats *, char *err, size_t errlen);

/*
 * print_pdf into a new file path, mode 0640 (personal data); an existing
 * file is replaced. Returns 0 or -1 with err set; no partial file stays.
 */
int	print_pdf_file(enum print_kind, const struct print_doc *,
	    const char *path, struct print_stats *, char *err, size_t errlen);

/* The German sort key of a name (caller frees): folded, lower case. */
char	*print_sort_key(const char *family, const char *given);

#endif
