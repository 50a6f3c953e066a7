/* test_mime.c - MIME decoding on the sample mails in tests/corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/text.h"

/* Parses tests/corpus/name; expect_ok says whether it must succeed. */
static struct mime_msg *
test_load(const char *name, int expect_ok, char *err, size_t errlen)
{
	struct mime_msg *m = NULL;
	char	*path, *raw;
	size_t	 len;
	int	 rc;

	path = xasprintf("tests/corpus/%s", name);
	raw = util_read_file(path, &len);
	assert_non_null(raw);
	rc = mime_parse(raw, len, &m, err, errlen);
	assert_int_equal(rc, expect_ok ? 0 : -1);
	if (m != NULL) {
		assert_true(text_utf8_valid(m->text, strlen(m->text)));
		if (m->subject)
			assert_true(text_utf8_valid(m->subject,
			    strlen(m->subject)));
	}
	free(raw);
	free(path);
	return m;
}

static void
test_outlook_qp(void **state)
{
	struct mime_msg *m;
	char	 err[128];

	m = test_load("outlook-qp-1252.eml", 1, err, sizeof(err));
	assert_string_equal(m->from_name, "Wei\xc3\x9f, J\xc3\xbcrgen");
	assert_string_equal(m->from_addr, "j.weiss@grossroehrsdorf.de");
	/* 0x96 labelled iso-8859-1 is an en dash, as Outlook means it. */
	assert_string_equal(m->subject, "Anmeldung Fachveranstaltung IKZ "
	    "\xe2\x80\x93 Gro\xc3\x9fr\xc3\xb6hrsdorf");
	assert_string_equal(m->message_id,
	    "<AM0PR01MB1234@EURPRD01.prod.outlook.com>");
	assert_string_equal(m->content_type, "multipart/alternative");
	assert_int_equal(m->text_html, 0);
	assert_non_null(strstr(m->text, "Funktion: B\xc3\xbcrgermeister\n"));
	assert_null(strchr(m->text, '\r'));
	assert_int_equal(m->date_t, 1730797953);
	assert_string_equal(mime_header(m, "x-ms-has-attach"), "");
	mime_free(m);
}

static void
test_base64_utf8(void **state)
{
	struct mime_msg *m;
	char	 err[128];

	m = test_load("base64-utf8.eml", 1, err, sizeof(err));
	assert_string_equal(m->from_name, "Anna Schr\xc3\xb6" "der");
	assert_non_null(strstr(m->text, "ich m\xc3\xb6" "chte mich f\xc3\xbcr"));
	mime_free(m);
}

static void
test_latin1(void **state)
{
	struct mime_msg *m;
	char	 err[128];

	m = test_load("latin1.eml", 1, err, sizeof(err));
	assert_string_equal(m->from_name, "Dr. Klaus M\xc3\xbcller");
	assert_non_null(strstr(m->text, "Gr\xc3\xbc\xc3\x9f" "e aus "
	    "\xc3\x9c" "bigau"));
	mime_free(m);
}

static void
test_html_only(void **state)
{
	struct mime_msg *m;
	char	 err[128];

	m = test_load("html-only.eml", 1, err, sizeof(err));
	assert_int_equal(m->text_html, 1);
	assert_string_equal(m->subject, "Anmeldung f\xc3\xbcr die "
	    "Fachveranstaltung");
	assert_non_null(strstr(m->text, "Damen und Herren,\n"));
	assert_non_null(strstr(m->text, "an & freue mich.\nPetra Lange\n"));
	assert_null(strstr(m->text, "alert"));
	mime_free(m);
}

static void
test_nested(void **state)
{
	struct mime_msg *m;
	char	 err[128];

	m = test_load("nested.eml", 1, err, sizeof(err));
	/* format=flowed joined; the HTML alternative not used. */
	assert_string_equal(m->text, "Hiermit melde ich mich zur "
	    "Veranstaltung an. Mein Name steht im Anhang.");
	assert_int_equal(m->natts, 3);
	assert_string_equal(m->atts[0].type, "image/png");
	assert_string_equal(m->atts[1].name, "Anmeldeformular "
	    "M\xc3\xbcller.pdf");
	assert_string_equal(m->atts[2].type, "message/rfc822");
	mime_free(m);
}

static void
test_limits(void **state)
{
	char	 err[128];

	assert_null(test_load("crash-boundary.eml", 0, err, sizeof(err)));
	assert_string_equal(err, "mime: degenerate multipart boundary");
	assert_null(test_load("deep-nesting.eml", 0, err, sizeof(err)));
	assert_string_equal(err, "mime: MIME nesting deeper than 20");
	assert_null(test_load("many-parts.eml", 0, err, sizeof(err)));
	assert_string_equal(err, "mime: more than 200 MIME parts");
}

static void
test_prescan(void **state)
{
	static const char *const bad[] = {
		"Content-Type: multipart/mixed; boundary=\"\\\"\"\n\nx\n",
		"Content-Type: multipart/mixed; boundary=\"\"\n\nx\n",
		"Content-Type: multipart/mixed;\n boundary=\"abc\n\nx\n",
		"Content-type: text/plain; BOUNDARY=\"a\\\\b\"\n\nx\n",
	};
	char	 err[128], *big;
	size_t	 i;

	for (i = 0; i < nitems(bad); i++)
		assert_int_equal(mime_prescan(bad[i], strlen(bad[i]), err,
		    sizeof(err)), -1);
	assert_int_equal(mime_prescan("Subject: x\n\nhi\n", 15, err,
	    sizeof(err)), 0);
	big = xcalloc(1, MIME_MAX_SIZE + 2);
	memset(big, 'a', MIME_MAX_SIZE + 1);
	assert_int_equal(mime_prescan(big, MIME_MAX_SIZE + 1, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "mime: mail larger than 10 MB");
	free(big);
}

/*
 * Comments nested 150,000 deep overflowed libetpan's stack (issue 17):
 * 100 pass, 101 are refused, also over folded lines; a quoted pair
 * "\(" inside a comment and lines that start anew do not count.
 */
static void
test_prescan_comments(void **state)
{
	struct buf b = { 0 };
	char	 err[128];

	buf_adds(&b, "From: ");
	for (int i = 0; i < 100; i++)
		buf_adds(&b, i % 10 ? "(" : "\r\n (\\(");
	buf_adds(&b, "x eva@elbtal.example\r\nSubject: (((\r\n\r\n(((\r\n");
	assert_int_equal(mime_prescan(b.data, b.len, err, sizeof(err)), 0);
	b.len = 0;
	buf_adds(&b, "From: ");
	for (int i = 0; i < 101; i++)
		buf_adds(&b, i % 10 ? "(" : "\r\n\t(");
	buf_adds(&b, "\r\n\r\nhi\r\n");
	assert_int_equal(mime_prescan(b.data, b.len, err, sizeof(err)), -1);
	assert_string_equal(err, "mime: comments nested deeper than 100");
	buf_free(&b);
}

static void
test_invalid_utf8(void **state)
{
	struct mime_msg *m;
	char	 err[128], *t;

	m = test_load("invalid-utf8.eml", 1, err, sizeof(err));
	/* Labelled UTF-8 without one valid sequence: Latin text. */
	assert_string_equal(m->text, "Anmeldung: M\xc3\xbcller "
	    "\xc3\x83( ende \xc3\xad\xc2\xa0\xe2\x82\xac "
	    "nul\xef\xbf\xbd" "byte\n");
	mime_free(m);
	/* Real UTF-8 with one broken byte: the byte becomes U+FFFD. */
	t = text_to_utf8("Gr\xc3\xbc\xc3\x9f" "e \xfc", 9, "utf-8");
	assert_string_equal(t, "Gr\xc3\xbc\xc3\x9f" "e \xef\xbf\xbd");
	free(t);
}

static void
test_2047(void **state)
{
	char	*s;

	s = mime_decode_2047("=?UTF-8?B?w4RyZ2Vy?= =?UTF-8?Q?_mit_=C3?="
	    " =?UTF-8?Q?=BC?= x =?bogus?Q?a?= =?x?Z?y?=");
	assert_string_equal(s, "\xc3\x84rger mit \xc3\xbc x a =?x?Z?y?=");
	free(s);
}

/*
 * RFC 2047 section 6.2: folding white space between two encoded words
 * goes, also when the first word ends in an encoded space; so the
 * subject keeps exactly the one space the second word carries.
 */
static void
test_2047_adjacent(void **state)
{
	const char *raw = "From: a@b.de\r\nSubject: =?utf-8?q?Anmeldung_"
	    "=E2=80=93_3=2E?=\r\n =?utf-8?q?_Fachveranstaltung?=\r\n\r\n"
	    "x\r\n";
	struct mime_msg *m = NULL;
	char	 err[128], *s;

	assert_int_equal(mime_parse(raw, strlen(raw), &m, err, sizeof(err)),
	    0);
	assert_string_equal(m->subject,
	    "Anmeldung \xe2\x80\x93 3. Fachveranstaltung");
	mime_free(m);
	/* A fold between plain words: the line break goes, one space stays. */
	raw = "From: a@b.de\r\nSubject: Anmeldung Herr\r\n =?utf-8?q?B=C3="
	    "BCrgermeister?= 3.\r\n Fachveranstaltung\r\n\r\nx\r\n";
	assert_int_equal(mime_parse(raw, strlen(raw), &m, err, sizeof(err)),
	    0);
	assert_string_equal(m->subject,
	    "Anmeldung Herr B\xc3\xbcrgermeister 3. Fachveranstaltung");
	mime_free(m);
	s = mime_decode_2047("=?utf-8?q?a_?=\t \t=?iso-8859-1?q?_b?=");
	assert_string_equal(s, "a  b");
	free(s);
	s = mime_decode_2047("=?utf-8?q?a?= b =?utf-8?q?c?=");
	assert_string_equal(s, "a b c");
	free(s);
}

/* RFC 2231 sections and a forwarded message/rfc822 part. */
static void
test_2231_and_forward(void **state)
{
	static const char raw[] = "From: a@b.example\nSubject: WG: x\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n"
	    "--m\nContent-Type: text/plain; charset=utf-8\n\nZur Kenntnis.\n"
	    "--m\nContent-Type: application/pdf\nContent-Disposition: "
	    "attachment;\n filename*0*=UTF-8''Anmeldung%20Gro%C3%9F;\n"
	    " filename*1=r.pdf\n\nJVBE\n"
	    "--m\nContent-Type: application/msword; name*=iso-8859-1''"
	    "M%FCller.doc\n\nx\n"
	    "--m\nContent-Type: message/rfc822\n\nFrom: c@d.example\n"
	    "Subject: Anmeldung\n\nIch melde mich an.\n--m--\n";
	struct mime_msg *m;
	char	 err[128];

	assert_int_equal(mime_parse(raw, strlen(raw), &m, err, sizeof(err)),
	    0);
	assert_string_equal(m->text, "Zur Kenntnis.");
	assert_int_equal(m->natts, 3);
	assert_string_equal(m->atts[0].name, "Anmeldung Gro\xc3\x9fr.pdf");
	assert_string_equal(m->atts[1].name, "M\xc3\xbcller.doc");
	assert_string_equal(m->atts[2].type, "message/rfc822");
	assert_non_null(m->forwarded);
	assert_non_null(strstr(m->forwarded, "Ich melde mich an."));
	assert_null(strstr(m->text, "melde"));
	mime_free(m);
}

/* A base64-looking body of n lines, in a new string. */
static char *
test_b64_lines(size_t n, const char *nl)
{
	struct buf b = { 0 };
	size_t	 i;

	for (i = 0; i < n; i++) {
		buf_adds(&b, "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBS");
		buf_adds(&b, nl);
	}
	return buf_detach(&b);
}

/* What libetpan calls a part's length: its headers up to the newline
 * before the next delimiter line starting "--" bound. */
static size_t
test_part_len(const char *raw, const char *start, const char *bound)
{
	const char *p = strstr(raw, start), *e;
	char	*delim;

	assert_non_null(p);
	delim = xasprintf("\n--%s", bound);
	e = strstr(p, delim);
	assert_non_null(e);
	free(delim);
	if (e > p && e[-1] == '\r')
		e--;
	return e - p;
}

/* Attachment bodies are cut out for libetpan, sizes stay the same. */
static void
test_cut_bodies(const char *nl)
{
	struct mime_cut cuts[MIME_MAX_PARTS];
	struct mime_msg *m;
	char	*b64, *raw, err[128];
	size_t	 n, len;

	b64 = test_b64_lines(20, nl);
	raw = xasprintf("From: a@b.example%sSubject: x%sMIME-Version: 1.0%s"
	    "Content-Type: multipart/mixed; boundary=m%s%s"
	    "--m%sContent-Type: text/plain; charset=utf-8%s%sIch melde mich "
	    "an.%s--m%sContent-Type: application/pdf; name=\"a.pdf\"%s"
	    "Content-Transfer-Encoding: base64%s%s%s"
	    "--m%sContent-Type: message/rfc822%s%sFrom: c@d.example%s"
	    "Content-Type: multipart/mixed; boundary=\"i\"%s%s--i%s"
	    "Content-Type: text/plain%s%sWeitergeleitet.%s--i%s"
	    "Content-Type: image/png%s%s%s--i--%s%s--m--%s",
	    nl, nl, nl, nl, nl, nl, nl, nl, nl, nl, nl, nl, nl, b64, nl, nl,
	    nl, nl, nl, nl, nl, nl, nl, nl, nl, nl, nl, b64, nl, nl, nl);
	len = strlen(raw);
	assert_int_equal(mime_prescan_cuts(raw, len, cuts, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_ptr_equal(raw + cuts[0].off, strstr(raw, "JVBER"));
	assert_int_equal(cuts[0].len, strlen(b64) - strlen(nl));
	assert_ptr_equal(raw + cuts[1].off, strstr(raw + cuts[0].off +
	    cuts[0].len, "JVBER"));
	assert_int_equal(mime_parse(raw, len, &m, err, sizeof(err)), 0);
	assert_string_equal(m->text, "Ich melde mich an.");
	assert_non_null(strstr(m->forwarded, "Weitergeleitet."));
	assert_int_equal(m->natts, 3);
	assert_string_equal(m->atts[0].name, "a.pdf");
	assert_int_equal(m->atts[0].size, test_part_len(raw,
	    "Content-Type: application/pdf", "m"));
	assert_string_equal(m->atts[1].type, "message/rfc822");
	assert_int_equal(m->atts[1].size, test_part_len(raw,
	    "Content-Type: message/rfc822", "m"));
	assert_string_equal(m->atts[2].type, "image/png");
	assert_int_equal(m->atts[2].size, test_part_len(raw,
	    "Content-Type: image/png", "i"));
	mime_free(m);
	free(raw);
	free(b64);
}

static void
test_cut_lf(void **state)
{
	test_cut_bodies("\n");
}

static void
test_cut_crlf(void **state)
{
	test_cut_bodies("\r\n");
}

/*
 * No cut where libetpan might read the body: message parts, two
 * Content-Type lines, short bodies (text parts are cut like files). And
 * where the scan and libetpan disagree about a body's end, the mail is
 * parsed again whole.
 */
static void
test_cut_refused(void **state)
{
	struct mime_cut cuts[MIME_MAX_PARTS];
	struct mime_msg *m;
	char	*b64, *raw, err[128];
	size_t	 n;

	b64 = test_b64_lines(4, "\n");
	raw = xasprintf("Content-Type: multipart/mixed; boundary=m\n\n"
	    "--m\nContent-Type: text/plain\n\n%s"
	    "--m\nContent-Type: application/pdf\nContent-Type: text/plain\n"
	    "\n%s--m\nContent-Type: application/pdf\n\nJVBERi0x\n"
	    "--m\nContent-Type: message/rfc822\n\n%s--m--\n", b64, b64, b64);
	assert_int_equal(mime_prescan_cuts(raw, strlen(raw), cuts, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(raw + cuts[0].off, strstr(raw, "JVBER"));
	free(raw);
	/* Two boundary parameters (libetpan reads the first): no cuts. */
	raw = xasprintf("Content-Type: multipart/mixed; boundary=m; "
	    "boundary=n\n\n--n\nContent-Type: text/plain\n\n%s--n\n"
	    "Content-Type: application/pdf\n\n%s--n--\n", b64, b64);
	assert_int_equal(mime_prescan_cuts(raw, strlen(raw), cuts, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(mime_parse(raw, strlen(raw), &m, err, sizeof(err)),
	    0);
	mime_free(m);
	free(raw);
	/*
	 * "--mx" starts a part for the scan, not for libetpan: to libetpan
	 * the "attachment" is the end of the text, which must not be lost.
	 */
	raw = xasprintf("Content-Type: multipart/mixed; boundary=m\n\n"
	    "--m\nContent-Type: text/plain\n\nhallo\n"
	    "--mx\nContent-Type: application/pdf\n\n%sEnde\n--m--\n", b64);
	assert_int_equal(mime_prescan_cuts(raw, strlen(raw), cuts, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(mime_parse(raw, strlen(raw), &m, err, sizeof(err)),
	    0);
	assert_non_null(strstr(m->text, "hallo\n--mx\n"));
	assert_non_null(strstr(m->text, "JVBER"));
	assert_non_null(strstr(m->text, "Ende"));
	assert_int_equal(m->natts, 0);
	mime_free(m);
	free(raw);
	free(b64);
}

/* s (LF lines) with each LF made nl; frees s. */
static char *
test_nl(char *s, const char *nl)
{
	struct buf b = { 0 };
	char	*p;

	for (p = s; *p; p++)
		if (*p == '\n')
			buf_adds(&b, nl);
		else
			buf_addc(&b, *p);
	free(s);
	return buf_detach(&b);
}

/*
 * Text bodies are cut as well and read from the mail itself: plain and
 * HTML alternatives, quoted-printable, format=flowed, a named text
 * file, in LF and CRLF mail.
 */
static void
test_cut_text(const char *nl)
{
	struct mime_cut cuts[MIME_MAX_PARTS];
	struct mime_msg *m;
	char	*raw, *pad, err[128];
	size_t	 n, len, i;

	pad = xstrdup("");
	for (i = 0; i < 8; i++) {
		raw = xasprintf("%sZeile %zu mit genug Text f=C3=BCr einen "
		    "Schnitt.\n", pad, i);
		free(pad);
		pad = raw;
	}
	raw = test_nl(xasprintf("From: a@b.example\nSubject: x\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n"
	    "--m\nContent-Type: multipart/alternative; boundary=a\n\n"
	    "--a\nContent-Type: text/plain; charset=utf-8; format=flowed\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Guten Tag, =\nich melde mich an.\n%s\n"
	    "--a\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "<p>HTML</p>\n%s\n--a--\n"
	    "--m\nContent-Type: text/plain; name=\"liste.txt\"\n\n"
	    "%s--m--\n", pad, pad, pad), nl);
	len = strlen(raw);
	assert_int_equal(mime_prescan_cuts(raw, len, cuts, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(mime_parse(raw, len, &m, err, sizeof(err)), 0);
	assert_non_null(strstr(m->text, "Guten Tag, ich melde mich an.\n"
	    "Zeile 0 mit genug Text f\xc3\xbcr einen Schnitt.\n"));
	assert_non_null(strstr(m->text, "Zeile 7 mit genug Text f\xc3\xbcr"));
	assert_null(strchr(m->text, '\r'));
	assert_null(strstr(m->text, "HTML"));
	assert_int_equal(m->text_html, 0);
	assert_int_equal(m->natts, 1);
	assert_string_equal(m->atts[0].name, "liste.txt");
	assert_string_equal(m->atts[0].type, "text/plain");
	assert_int_equal(m->atts[0].size, test_part_len(raw,
	    "Content-Type: text/plain; name=", "m"));
	mime_free(m);
	free(raw);
	/* An empty plain part: the HTML one, read from the mail, wins. */
	raw = test_nl(xasprintf("Content-Type: multipart/alternative; "
	    "boundary=a\n\n--a\nContent-Type: text/plain\n\n\n"
	    "--a\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "<p>Anmeldung</p>\n%s\n--a--\n", pad), nl);
	len = strlen(raw);
	assert_int_equal(mime_prescan_cuts(raw, len, cuts, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(mime_parse(raw, len, &m, err, sizeof(err)), 0);
	assert_int_equal(m->text_html, 1);
	assert_non_null(strstr(m->text, "Anmeldung"));
	assert_non_null(strstr(m->text, "Zeile 7 mit genug Text f\xc3\xbcr"));
	mime_free(m);
	free(raw);
	free(pad);
}

static void
test_cut_text_lf(void **state)
{
	test_cut_text("\n");
}

static void
test_cut_text_crlf(void **state)
{
	test_cut_text("\r\n");
}

/*
 * The top-level headers, all in one block: unfolded, trimmed, converted
 * to UTF-8 (raw 8-bit as windows-1252 unless valid UTF-8), a broken
 * name repaired, a NUL in a value replaced, order and repeats kept.
 */
static void
test_headers(void **state)
{
	static const char raw[] = "X-Eins:  erste \r\n"
	    "Subject: =?utf-8?q?Anmeldung?= zur\r\n\tVeranstaltung \r\n"
	    "X-Latin: Gr\xfc\xdf""e\r\n"
	    "X-Utf8: Gr\xc3\xbc\xc3\x9f""e\r\n"
	    "X-N\xe4me: wert\r\n"
	    "X-Nul: vor\0nach\r\n"
	    "X-Leer:\r\n"
	    "X-Eins: zweite\r\n"
	    "\r\nText\r\n";
	struct mime_msg *m;
	char	 err[128];

	assert_int_equal(mime_parse(raw, sizeof(raw) - 1, &m, err,
	    sizeof(err)), 0);
	assert_int_equal(m->nheaders, 8);
	assert_string_equal(m->headers[0].name, "X-Eins");
	assert_string_equal(m->headers[0].value, "erste");
	assert_string_equal(mime_header(m, "subject"),
	    "=?utf-8?q?Anmeldung?= zur\tVeranstaltung");
	assert_string_equal(m->subject, "Anmeldung zur\tVeranstaltung");
	assert_string_equal(mime_header(m, "X-Latin"), "Gr\xc3\xbc\xc3\x9f""e");
	assert_string_equal(mime_header(m, "X-Utf8"), "Gr\xc3\xbc\xc3\x9f""e");
	assert_string_equal(m->headers[4].name, "X-N\xef\xbf\xbdme");
	assert_string_equal(m->headers[4].value, "wert");
	assert_string_equal(mime_header(m, "X-Nul"), "vor\xef\xbf\xbdnach");
	assert_string_equal(mime_header(m, "X-Leer"), "");
	assert_string_equal(mime_header(m, "x-eins"), "erste");
	assert_string_equal(m->headers[7].value, "zweite");
	assert_null(mime_header(m, "X-Fehlt"));
	assert_int_equal(mime_has_header_prefix(m, "X-N"), 1);
	assert_int_equal(mime_has_header_prefix(m, "List-"), 0);
	mime_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outlook_qp),
		cmocka_unit_test(test_base64_utf8),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_html_only),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_prescan),
		cmocka_unit_test(test_prescan_comments),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_2047),
		cmocka_unit_test(test_2047_adjacent),
		cmocka_unit_test(test_2231_and_forward),
		cmocka_unit_test(test_cut_lf),
		cmocka_unit_test(test_cut_crlf),
		cmocka_unit_test(test_cut_refused),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_cut_text_lf),
		cmocka_unit_test(test_cut_text_crlf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
