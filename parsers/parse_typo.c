/*
 * parse_typo.c - the intent words as people mistype them (issue 11).
 *
 * Before a sentence of the folded text is scored (parse_intent.c), a
 * copy of it is mended in two ways, both limited to a handful of words
 * so that they cannot turn a non-commitment into one:
 *  - umlauts written as ae, oe, ue in the words the patterns hold
 *    ("moeglich", "zurueckziehen", "fuer mich kommt");
 *  - one typing slip (a letter missing, added, changed, or two letters
 *    swapped) in the intent keywords ("Anmeldng", "abmeldne",
 *    "Teilname", "anmelde mich"), only when the word is not itself a
 *    German word (Teilnehmer, anmeldet, verhindern ...), stands close to
 *    one keyword only, and is not the first half of a compound
 *    ("Anmelde-Formular").
 * The keywords keep their meaning: the negation, question, hedge and
 * third-person rules of parse_intent.c still judge the mended sentence.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/parse_int.h"

/* Words with an umlaut the patterns hold, as their first letters. */
static const char *const typo_umlaut_stems[] = {
	"m\xc3\xb6glich", "unm\xc3\xb6glich", "zur\xc3\xbc" "ck",
	"f\xc3\xbcr", "w\xc3\xa4re", "k\xc3\xb6nnt", "vorl\xc3\xa4ufig",
	"best\xc3\xa4tig", "geb\xc3\xbchr", "teilnahmegeb\xc3\xbchr",
	"pl\xc3\xa4tze", "zus\xc3\xa4tzlich", "nachr\xc3\xbc" "ck",
	"\xc3\xbc" "bernacht", "pr\xc3\xa4sentation", "vortr\xc3\xa4ge",
	"parkm\xc3\xb6glich", "m\xc3\xb6" "cht",
};

/* Intent keywords whose slips are mended, and real words near them. */
static const char *const typo_keywords[] = {
	"anmelden", "anmeldung", "abmelden", "abmeldung", "teilnehmen",
	"teilnahme", "verhindert",
};
static const char *const typo_real[] = {
	"anmeldet", "abmeldet", "anmelder", "abmelder", "anmeldete",
	"abmeldete", "teilnehmer", "teilnahmen", "verhindern",
	"verhindere", "verhinderte", "ummelden", "ummeldung",
};

#define TYPO_MINLEN	7	/* shorter words are never mended */

static int
typo_isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Whether a (n bytes) and the keyword k differ by exactly one slip. */
static int
typo_one_slip(const char *a, size_t n, const char *k)
{
	size_t	 m = strlen(k), i = 0, j;

	while (i < n && i < m && a[i] == k[i])
		i++;
	if (n == m) {
		if (i == n)
			return 0;		/* the same word */
		if (!memcmp(a + i + 1, k + i + 1, n - i - 1))
			return 1;		/* one letter changed */
		return i + 1 < n && a[i] == k[i + 1] && a[i + 1] == k[i] &&
		    !memcmp(a + i + 2, k + i + 2, n - i - 2);
	}
	if (n + 1 == m)			/* a letter missing */
		return !memcmp(a + i, k + i + 1, n - i);
	if (n == m + 1) {		/* a letter added */
		j = i + 1;
		return !memcmp(a + j, k + i, m - i);
	}
	return 0;
}

static int
typo_in(const char *w, size_t n, const char *const *list, size_t nlist)
{
	size_t	 i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && !memcmp(w, list[i], n))
			return 1;
	return 0;
}

/* The keyword the word w (n bytes) is a slip of, or NULL. */
static const char *
typo_keyword(const char *w, size_t n)
{
	const char	*hit = NULL;
	size_t		 i;

	if (n < TYPO_MINLEN || w[n] == '-' ||
	    typo_in(w, n, typo_keywords, nitems(typo_keywords)) ||
	    typo_in(w, n, typo_real, nitems(typo_real)))
		return NULL;
	for (i = 0; i < nitems(typo_keywords); i++)
		if (typo_one_slip(w, n, typo_keywords[i])) {
			if (hit != NULL)
				return NULL;	/* near two keywords */
			hit = typo_keywords[i];
		}
	return hit;
}

/* The umlaut stem the word at w starts with in ae/oe/ue spelling. */
static const char *
typo_umlaut(const char *w, size_t n, size_t *len)
{
	char	 ascii[32], *o;
	const char *s;
	size_t	 i;

	for (i = 0; i < nitems(typo_umlaut_stems); i++) {
		for (s = typo_umlaut_stems[i], o = ascii; *s &&
		    o < ascii + sizeof(ascii) - 3; s++) {
			if ((unsigned char)*s == 0xc3) {
				s++;
				*o++ = *s == '\xa4' ? 'a' : *s == '\xb6' ?
				    'o' : 'u';
				*o++ = 'e';
			} else
				*o++ = *s;
		}
		*o = '\0';
		*len = strlen(ascii);
		if (*len <= n && !memcmp(w, ascii, *len))
			return typo_umlaut_stems[i];
	}
	return NULL;
}

char *
parse_typo_fix(const char *sent)
{
	struct buf	 b = { 0 };
	const char	*p = sent, *w, *k;
	size_t		 n, len;
	int		 changed = 0;

	while (*p) {
		if (!typo_isword((unsigned char)*p) || (p > sent &&
		    typo_isword((unsigned char)p[-1]))) {
			buf_addc(&b, *p++);
			continue;
		}
		for (w = p, n = 0; typo_isword((unsigned char)w[n]); n++)
			;
		if ((k = typo_keyword(w, n)) != NULL) {
			buf_adds(&b, k);
			p += n;
			changed = 1;
		} else if ((k = typo_umlaut(w, n, &len)) != NULL) {
			buf_adds(&b, k);	/* same length as ae/oe/ue */
			p += len;
			changed = 1;
		} else {
			buf_add(&b, p, n);
			p += n;
		}
	}
	if (!changed) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}
