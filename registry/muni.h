/*
 * muni.h - organisation names normalised through Saxony's municipalities.
 *
 * The shipped table (data/sachsen-gemeinden.tsv: official name, kind,
 * district; its header names source and date) is compiled in. A written
 * organisation such as "Stadtverwaltung Bautzen", "Stadt Bautzen, Bauamt",
 * "GKSt. Bautzen" or "Große Kreisstadt Bautzen" is the municipality
 * Bautzen in the Landkreis Bautzen; "Landratsamt Görlitz" is the district
 * itself. Nothing is guessed: a name that matches no entry, or more than
 * one (e.g. "Gemeinde Oelsnitz": Oelsnitz/Erzgeb. or Oelsnitz/Vogtl.), is
 * unknown and keeps its written form.
 *
 * Comparison ignores case, umlauts written as ae/oe/ue or ss for ß,
 * punctuation, a department after ",", " - " or "(", and an official
 * name's suffix after "/" (Großpostwitz/O.L.) when that is unique.
 */
#ifndef IKZ_MUNI_H
#define IKZ_MUNI_H

#include <stddef.h>

struct muni_row {
	const char	*name;		/* "Großpostwitz/O.L." */
	const char	*kind;		/* "Gemeinde", "Stadt", "Große
					   Kreisstadt", "Kreisfreie Stadt" */
	const char	*district;	/* "Landkreis Bautzen", "Vogtlandkreis",
					   "Kreisfreie Stadt Dresden" */
};

extern const struct muni_row muni_rows[];
extern const size_t muni_nrows;

struct muni_match {
	int		 found;		/* 1: a municipality or a district */
	int		 ambiguous;	/* not found: more than one matched */
	int		 is_district;	/* the Landkreis (Landratsamt) */
	const struct muni_row *row;	/* the municipality, else NULL */
	char		 display[160];	/* "Große Kreisstadt Bautzen",
					   "Landkreis Görlitz"; not found:
					   the written form, trimmed */
	char		 district[96];	/* "Landkreis Bautzen"; "" unknown */
};

/* Normalises written (UTF-8); returns m->found. */
int	muni_normalise(const char *written, struct muni_match *m);

#endif
