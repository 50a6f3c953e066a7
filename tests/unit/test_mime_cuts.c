/*
 * test_mime_cuts.c - the bodies mime_parse cuts from libetpan's copy
 * (mime_scan.c) must never change the answer: on thousands of mutated
 * multipart mails (delimiters that almost match, other line ends, lost
 * closing delimiters, duplicate boundaries, nested and forwarded parts)
 * the text, forwarded text and attachments equal those of libetpan
 * reading the whole mail uncut (mime_parse_whole).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/mime_int.h"

#define ROUNDS	6000

static unsigned int seed = 20241112;

static size_t
pick(size_t n)
{
	return (size_t)rand_r(&seed) % n;
}

/* A long enough body (cut only from MIME_CUT_MIN bytes), or a short one. */
static void
add_body(struct buf *b, const char *kind)
{
	static const char *const lines[] = {
	    "Hiermit melde ich mich zur 3. Fachveranstaltung an.",
	    "Gr=C3=BC=C3=9Fe aus Lindenau, =",
	    "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVy",
	    "--b", "--bX", "--b--", "--outer", "--outer--", "-- ",
	    "Content-Type: text/plain", "", "> Am 1.10. schrieb jemand:",
	    "<p>Anmeldung</p>", "--b  ", "--b\t", "\r", "=\r" };
	size_t	 i, n = pick(4) == 0 ? 1 : 3 + pick(8);

	for (i = 0; i < n; i++) {
		buf_adds(b, kind[0] == 'x' ? lines[pick(nitems(lines))] :
		    lines[pick(3)]);
		buf_addc(b, '\n');
	}
}

static void
add_part(struct buf *b, const char *bound, int depth)
{
	static const char *const types[] = { "text/plain; charset=utf-8",
	    "text/html; charset=windows-1252", "application/pdf; name=a.pdf",
	    "image/png", "text/plain; format=flowed", "message/rfc822",
	    "multipart/alternative; boundary=b", "multipart/mixed; "
	    "boundary=\"outer\"", "text/plain; name=\"liste.txt\"" };
	static const char *const encs[] = { "quoted-printable", "base64",
	    "8bit", "7bit" };
	const char *t = types[pick(nitems(types))];

	buf_printf(b, "--%s%s\n", bound, pick(12) == 0 ? " " : "");
	if (pick(10))
		buf_printf(b, "Content-Type: %s\n", t);
	if (pick(10) == 0)
		buf_adds(b, "Content-Type: application/pdf\n");
	if (pick(2))
		buf_printf(b, "Content-Transfer-Encoding: %s\n",
		    encs[pick(nitems(encs))]);
	if (pick(8) == 0)
		buf_adds(b, "Content-Disposition: attachment; "
		    "filename=\"f.txt\"\n");
	buf_addc(b, '\n');
	if (strncmp(t, "multipart/", 10) == 0 && depth < 3) {
		const char *inner = strstr(t, "outer") ? "outer" : "b";
		size_t	 i, n = 1 + pick(3);

		for (i = 0; i < n; i++)
			add_part(b, inner, depth + 1);
		if (pick(6))
			buf_printf(b, "--%s--\n", inner);
	} else if (strncmp(t, "message/", 8) == 0 && depth < 3) {
		buf_adds(b, "From: a@b.example\nSubject: fwd\n"
		    "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
		add_part(b, "b", depth + 1);
		buf_adds(b, "--b--\n");
	} else
		add_body(b, pick(3) ? "x" : "plain");
}

/* One random mail: a top multipart, 1-4 parts, then mutations. */
static char *
make_mail(size_t *len)
{
	static const char *const tops[] = { "multipart/mixed",
	    "multipart/alternative", "multipart/related" };
	struct buf b = { 0 }, c = { 0 };
	const char *bound = pick(4) ? "outer" : "b";
	size_t	 i, n = 1 + pick(4);
	char	*p;

	buf_printf(&b, "From: Anna <anna@a.example>\nSubject: x\n"
	    "MIME-Version: 1.0\nContent-Type: %s; boundary=\"%s\"%s\n\n",
	    tops[pick(nitems(tops))], bound, pick(15) == 0 ?
	    "; boundary=other" : "");
	if (pick(4) == 0)
		buf_adds(&b, "preamble text\n");
	for (i = 0; i < n; i++)
		add_part(&b, bound, 0);
	if (pick(5))
		buf_printf(&b, "--%s--\n", bound);
	if (pick(4) == 0)
		buf_adds(&b, "epilogue\n");
	/* line ends: LF, CRLF, or mixed */
	i = pick(3);
	for (p = b.data; *p; p++) {
		if (*p == '\n' && (i == 1 || (i == 2 && pick(2))))
			buf_addc(&c, '\r');
		buf_addc(&c, *p);
	}
	buf_free(&b);
	/* a few byte-level mutations */
	for (i = pick(3); i > 0 && c.len > 10; i--)
		c.data[pick(c.len)] = "-\n\r =ab\""[pick(8)];
	if (pick(8) == 0)
		c.len = pick(c.len), c.data[c.len] = '\0';
	*len = c.len;
	return buf_detach(&c);
}

/* The mail of a failure, for a closer look: $IKZ_CUTS_DUMP. */
static void
dump(const char *raw)
{
	const char *path = getenv("IKZ_CUTS_DUMP");
	FILE	*f;

	if (path != NULL && (f = fopen(path, "w")) != NULL) {
		fputs(raw, f);
		fclose(f);
	}
}

static void
same_str(const char *a, const char *b, const char *what, const char *raw)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
		dump(raw);
		fail_msg("%s differs: cut \"%.200s\" whole \"%.200s\"\n"
		    "mail:\n%s", what, a ? a : "(null)", b ? b : "(null)", raw);
	}
}

static void
test_cuts_change_nothing(void **state)
{
	struct mime_cut cuts[MIME_MAX_PARTS];
	struct mime_msg *m, *w;
	size_t	 len, i, k, ncuts, withcuts = 0, rounds = ROUNDS;
	char	*raw, err[128];

	/* IKZ_CUTS_SEED / IKZ_CUTS_ROUNDS: explore beyond the fixed run. */
	if (getenv("IKZ_CUTS_SEED"))
		seed = (unsigned int)strtoul(getenv("IKZ_CUTS_SEED"), NULL, 10);
	if (getenv("IKZ_CUTS_ROUNDS"))
		rounds = strtoul(getenv("IKZ_CUTS_ROUNDS"), NULL, 10);
	for (i = 0; i < rounds; i++) {
		raw = make_mail(&len);
		if (mime_prescan_cuts(raw, len, cuts, &ncuts, err,
		    sizeof(err)) == -1 || mime_parse_whole(raw, len, &w) == -1) {
			free(raw);
			continue;
		}
		withcuts += ncuts > 0;
		assert_int_equal(mime_parse(raw, len, &m, err, sizeof(err)), 0);
		same_str(m->text, w->text, "text", raw);
		same_str(m->forwarded, w->forwarded, "forwarded", raw);
		same_str(m->content_type, w->content_type, "type", raw);
		if (m->text_html != w->text_html || m->nparts != w->nparts ||
		    m->natts != w->natts) {
			dump(raw);
			fail_msg("html %d/%d parts %zu/%zu atts %zu/%zu:\n%s",
			    m->text_html, w->text_html, m->nparts, w->nparts,
			    m->natts, w->natts, raw);
		}
		for (k = 0; k < m->natts; k++) {
			same_str(m->atts[k].name, w->atts[k].name, "name", raw);
			same_str(m->atts[k].type, w->atts[k].type, "att", raw);
			if (m->atts[k].size != w->atts[k].size) {
				dump(raw);
				fail_msg("size %zu/%zu:\n%s", m->atts[k].size,
				    w->atts[k].size, raw);
			}
		}
		mime_free(m);
		mime_free(w);
		free(raw);
	}
	/* the generator must exercise the cuts, not just pass them by */
	print_message("%zu of %zu mails had bodies cut\n", withcuts, rounds);
	assert_true(withcuts > rounds / 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cuts_change_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
