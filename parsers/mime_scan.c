/*
 * mime_scan.c - the cheap pre-scan that runs before libetpan.
 *
 * libetpan 1.9.4's mailmime_parse crashes on boundary="\"" and similar
 * degenerate boundaries, and its run time grows with the square of the
 * nesting depth. This scan reads the raw lines once, tracks the stack of
 * open multipart boundaries and counts delimiter lines, so hostile mail
 * is refused before the library ever sees it. It errs on the side of
 * refusing: a refused mail goes to staff, a crash stalls the worker.
 *
 * On the way it notes the bodies of leaf parts (a part of the innermost
 * multipart whose one Content-Type is neither message nor multipart),
 * so that mime_parse can hand libetpan a copy without them: libetpan
 * reads every body byte by byte looking for the boundary, which costs
 * more than the rest of its parse, and this scan has read the lines
 * already. A noted body holds no line starting "--" plus any boundary
 * seen so far, open or closed, so none libetpan could take for a
 * delimiter; mime_parse checks that libetpan agrees on every end, and
 * tests/unit/test_mime_cuts.c that the answer never changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/mime.h"

#define MIME_SCAN_MAX_HDR	16384	/* longest Content-Type we look at */
#define MIME_SCAN_SEEN		64	/* boundaries remembered for cuts */
/*
 * Nested comments "((((": libetpan parses them recursively, one stack
 * frame each, and 150,000 overflow an 8 MB stack (found by the mutation
 * test of issue 17). No mail nests comments more than a few deep.
 */
#define MIME_SCAN_MAX_PARENS	100

struct mime_scan {
	char	*bound[MIME_MAX_DEPTH + 1];
	size_t	 blen[MIME_MAX_DEPTH + 1];
	int	 depth;
	size_t	 parts;
	char	*err;
	size_t	 errlen;
	int	 hit;		/* level of the last delimiter, -1 none */
	int	 closing;	/* it was "--b--" */
	int	 nbound;	/* boundary parameters in the last value */
	int	 inhdr;		/* in the header block of a part */
	int	 ctypes;	/* Content-Type lines in that block */
	int	 leaf;		/* the block says: a leaf part */
	int	 cutlevel;	/* level of the open body to note, -1 none */
	size_t	 cutoff;	/* where that body starts */
	struct mime_cut *cuts;	/* NULL: nothing to note */
	size_t	 ncuts;
	int	 nocut;		/* the scan may read a boundary otherwise
				   than libetpan: note nothing */
	/*
	 * Every boundary seen so far, closed or not: libetpan splits an
	 * outer body at its boundary before it looks at the parts, so a
	 * body this scan thinks is past a level's end may still hold that
	 * level's delimiters for libetpan. No cut may contain one.
	 */
	char	*seen[MIME_SCAN_SEEN];
	size_t	 seenlen[MIME_SCAN_SEEN];
	int	 nseen;
};

static int
mime_scan_fail(struct mime_scan *s, const char *why)
{
	if (s->errlen)
		snprintf(s->err, s->errlen, "mime: %s", why);
	return -1;
}

/* End of the line starting at i, the newline excluded. */
static size_t
mime_scan_eol(const char *raw, size_t len, size_t i)
{
	const char *nl;

	nl = memchr(raw + i, '\n', len - i);
	return nl ? (size_t)(nl - raw) : len;
}

/*
 * Reads a parameter value at *pp (quoted string or token) into a new
 * string. Sets *bad for an unterminated quote or a backslash/quote
 * inside the value, which no real mailer puts into a boundary, and *odd
 * for an unquoted value with bytes a MIME token may not hold (RFC 2045
 * tspecials, controls, 8-bit): libetpan's token ends there, this scan's
 * does not, so they would disagree on the boundary.
 */
static char *
mime_scan_value(const char **pp, int *bad, int *odd)
{
	const char *p = *pp, *start;
	struct buf b = { 0 };

	if (*p != '"') {
		start = p;
		while (*p && *p != ';' && *p != ' ' && *p != '\t') {
			if ((unsigned char)*p < 0x21 ||
			    (unsigned char)*p > 0x7e ||
			    strchr("()<>@,:\\\"/[]?=", *p) != NULL)
				*odd = 1;
			p++;
		}
		buf_add(&b, start, p - start);
	} else {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\') {
				*bad = 1;
				if (*++p == '\0')
					break;
			}
			buf_addc(&b, *p);
		}
		if (*p != '"')
			*bad = 1;
		else
			p++;
	}
	*pp = p;
	return buf_detach(&b);
}

/*
 * Finds the boundary parameter of a Content-Type value. Returns 0 and a
 * new string in *out (NULL if there is none), -1 if it is degenerate.
 */
static int
mime_scan_boundary(const char *v, char **out, int *nbound, int *odd)
{
	const char *p = v, *name;
	char	*val;
	size_t	 nlen;
	int	 bad, odd1;

	*out = NULL;
	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		name = p;
		while (*p && *p != '=' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		nlen = p - name;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		bad = odd1 = 0;
		val = mime_scan_value(&p, &bad, &odd1);
		if (nlen != 8 || util_strncasecmp(name, "boundary", 8) != 0) {
			free(val);
			continue;
		}
		*odd |= odd1;
		(*nbound)++;
		free(*out);
		*out = val;
		if (bad || *val == '\0' || strlen(val) > 200)
			return -1;
	}
	return 0;
}

/* The Content-Type value starting at line i, continuation lines joined. */
static char *
mime_scan_ctype(const char *raw, size_t len, size_t i, size_t *next)
{
	struct buf b = { 0 };
	size_t	 eol;
	char	*p;

	i += strlen("content-type:");
	for (;;) {
		eol = mime_scan_eol(raw, len, i);
		if (b.len < MIME_SCAN_MAX_HDR)
			buf_add(&b, raw + i, eol - i);
		buf_addc(&b, ' ');
		i = eol < len ? eol + 1 : len;
		if (i >= len || (raw[i] != ' ' && raw[i] != '\t'))
			break;
	}
	*next = i;
	for (p = b.data; *p; p++)
		if (*p == '\r' || *p == '\0')
			*p = ' ';
	return buf_detach(&b);
}

static int
mime_scan_push(struct mime_scan *s, const char *v)
{
	const char *t = v;
	char	*bd;
	int	 odd = 0;

	s->nbound = 0;
	if (mime_scan_boundary(v, &bd, &s->nbound, &odd) == -1) {
		free(bd);
		return mime_scan_fail(s, "degenerate multipart boundary");
	}
	/*
	 * Two boundary parameters (libetpan takes the first, this scan the
	 * last) or an odd unquoted one: libetpan may read another boundary
	 * than this scan, so no body is cut at all.
	 */
	if (s->nbound > 1 || odd)
		s->nocut = 1;
	while (*t == ' ' || *t == '\t')
		t++;
	if (bd == NULL || util_strncasecmp(t, "multipart/", 10) != 0) {
		free(bd);
		return 0;
	}
	if (s->depth >= MIME_MAX_DEPTH) {
		free(bd);
		return mime_scan_fail(s, "MIME nesting deeper than 20");
	}
	s->bound[s->depth] = bd;
	s->blen[s->depth++] = strlen(bd);
	if (s->nseen == MIME_SCAN_SEEN)
		s->nocut = 1;
	else {
		s->seen[s->nseen] = xstrdup(bd);
		s->seenlen[s->nseen++] = strlen(bd);
	}
	return 0;
}

/* Whether the "--" line l[0..n) starts with any boundary seen so far. */
static int
mime_scan_seen(const struct mime_scan *s, const char *l, size_t n)
{
	int	 k;

	for (k = 0; k < s->nseen; k++)
		if (n >= 2 + s->seenlen[k] &&
		    memcmp(l + 2, s->seen[k], s->seenlen[k]) == 0)
			return 1;
	return 0;
}

/* A "--boundary" line: counts a part, or closes levels on "--b--". */
static int
mime_scan_delim(struct mime_scan *s, const char *l, size_t n)
{
	int	 k;

	for (k = s->depth - 1; k >= 0; k--) {
		if (n < 2 + s->blen[k] || memcmp(l + 2, s->bound[k],
		    s->blen[k]) != 0)
			continue;
		s->hit = k;
		if (n >= 4 + s->blen[k] && l[2 + s->blen[k]] == '-' &&
		    l[3 + s->blen[k]] == '-') {
			s->closing = 1;
			while (s->depth > k)
				free(s->bound[--s->depth]);
			return 0;
		}
		if (++s->parts > MIME_MAX_PARTS)
			return mime_scan_fail(s, "more than 200 MIME parts");
		return 0;
	}
	return 0;
}

/*
 * A Content-Type line at v. Inside a part's header block it decides
 * whether the part is a leaf; anywhere else it ends the body
 * being noted, as the nesting may have changed under it.
 */
static int
mime_scan_ctype_line(struct mime_scan *s, const char *v)
{
	const char *t = v;
	int	 rc;

	rc = mime_scan_push(s, v);
	if (!s->inhdr) {
		s->cutlevel = -1;
		return rc;
	}
	while (*t == ' ' || *t == '\t')
		t++;
	s->ctypes++;
	s->leaf = strchr(t, '/') != NULL && s->nbound == 0 &&
	    util_strncasecmp(t, "message/", 8) != 0 &&
	    util_strncasecmp(t, "multipart/", 10) != 0;
	return rc;
}

/* The delimiter line at raw[i]: closes a noted body, opens a header. */
static void
mime_scan_part_edge(struct mime_scan *s, const char *raw, size_t i)
{
	size_t	 end;

	if (s->cuts != NULL && !s->nocut && s->cutlevel >= 0 &&
	    s->hit == s->cutlevel && s->cutoff < i) {
		end = i - 1;			/* the newline is the delimiter's */
		if (end > s->cutoff && raw[end - 1] == '\r')
			end--;
		if (end - s->cutoff >= MIME_CUT_MIN &&
		    s->ncuts < MIME_MAX_PARTS)
			s->cuts[s->ncuts++] = (struct mime_cut){ s->cutoff,
			    end - s->cutoff, s->cutoff };
	}
	s->cutlevel = -1;
	s->inhdr = !s->closing && s->hit == s->depth - 1;
	s->ctypes = s->leaf = 0;
}

/* A line of text at raw[i..eol) that is neither Content-Type nor delimiter. */
static void
mime_scan_line(struct mime_scan *s, const char *raw, size_t i, size_t eol)
{
	if (!s->inhdr || (eol > i && !(eol - i == 1 && raw[i] == '\r')))
		return;
	/* The empty line ending a part's header block. */
	s->inhdr = 0;
	if (s->leaf && s->ctypes == 1) {
		s->cutlevel = s->depth - 1;
		s->cutoff = eol + 1;
	}
}

/*
 * Comment depth over every line (a folded line goes on counting, like
 * a header; body lines are counted too, to catch the headers of an
 * attached mail): -1 once deeper than MIME_SCAN_MAX_PARENS.
 */
static int
mime_scan_parens(struct mime_scan *s, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *eol;
	size_t	 depth = 0;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			eol = end;
		if (*p != ' ' && *p != '\t')
			depth = 0;		/* a new line, not a folded one */
		if (depth == 0 && memchr(p, '(', eol - p) == NULL)
			continue;
		for (; p < eol; p++)
			if (*p == '\\' && depth > 0 && p + 1 < eol)
				p++;		/* a quoted pair in a comment */
			else if (*p == '(' && ++depth > MIME_SCAN_MAX_PARENS)
				return mime_scan_fail(s, "comments nested "
				    "deeper than 100");
			else if (*p == ')' && depth > 0)
				depth--;
	}
	return 0;
}

/* The scan proper; with s->cuts set it also notes leaf bodies. */
static int
mime_scan_run(struct mime_scan *s, const char *raw, size_t len)
{
	size_t	 i = 0, eol;
	char	*v;
	int	 rc = 0;

	if (len > MIME_MAX_SIZE)
		return mime_scan_fail(s, "mail larger than 10 MB");
	if (mime_scan_parens(s, raw, len) == -1)
		return -1;
	s->cutlevel = -1;
	while (i < len && rc == 0) {
		if ((raw[i] | 0x20) == 'c' && len - i > 13 &&
		    util_strncasecmp(raw + i, "content-type:", 13) == 0) {
			v = mime_scan_ctype(raw, len, i, &i);
			rc = mime_scan_ctype_line(s, v);
			free(v);
			continue;
		}
		eol = mime_scan_eol(raw, len, i);
		s->hit = -1;
		s->closing = 0;
		if (eol - i >= 2 && raw[i] == '-' && raw[i + 1] == '-') {
			rc = mime_scan_delim(s, raw + i, eol - i);
			/* A delimiter of a level closed here, maybe open
			 * for libetpan: the body being noted is no cut. */
			if (s->hit < 0 && s->cutlevel >= 0 &&
			    mime_scan_seen(s, raw + i, eol - i))
				s->cutlevel = -1;
		}
		if (s->hit >= 0)
			mime_scan_part_edge(s, raw, i);
		else
			mime_scan_line(s, raw, i, eol);
		i = eol + 1;
	}
	while (s->depth > 0)
		free(s->bound[--s->depth]);
	while (s->nseen > 0)
		free(s->seen[--s->nseen]);
	return rc;
}

int
mime_prescan(const char *raw, size_t len, char *err, size_t errlen)
{
	struct mime_scan s = { .err = err, .errlen = errlen };

	return mime_scan_run(&s, raw, len);
}

int
mime_prescan_cuts(const char *raw, size_t len, struct mime_cut *cuts,
    size_t *ncuts, char *err, size_t errlen)
{
	struct mime_scan s = { .err = err, .errlen = errlen, .cuts = cuts };
	int	 rc;

	rc = mime_scan_run(&s, raw, len);
	*ncuts = rc == 0 && !s.nocut ? s.ncuts : 0;
	return rc;
}
