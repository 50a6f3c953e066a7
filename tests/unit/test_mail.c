/*
 * test_mail.c - message building: encodings, header safety, golden files.
 *
 * The golden replies in tests/golden/ are every template of templates/de
 * rendered for two people and built into complete messages with a fixed
 * date and Message-ID. IKZ_UPDATE_GOLDEN=1 rewrites them; inspect the
 * diff before committing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libetpan/libetpan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/util.h"
#include "parsers/verdict.h"
#include "templates/ics.h"
#include "templates/mail.h"
#include "templates/tpl.h"

#define GOLDEN_DIR	"tests/golden"
#define TPL_DIR		"templates/de"

static int
mail_test_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	fail_msg("bad hex digit %c", c);
	return 0;
}

/* Decodes quoted-printable strictly: upper-case hex, CRLF lines only. */
static char *
mail_test_qp_decode(const char *s)
{
	struct buf	 b = { 0 };

	buf_adds(&b, "");
	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n')
			s += 3;
		else if (s[0] == '=') {
			buf_addc(&b, (char)(mail_test_hex(s[1]) * 16 +
			    mail_test_hex(s[2])));
			s += 3;
		} else
			buf_addc(&b, *s++);
	}
	return buf_detach(&b);
}

/* CRLF everywhere, no bare CR or LF, no line over max octets. */
static void
mail_test_lines(const char *m, size_t len, size_t max)
{
	size_t	 i, col = 0;

	for (i = 0; i < len; i++) {
		if (m[i] == '\r') {
			assert_true(i + 1 < len && m[i + 1] == '\n');
			col = 0;
			i++;
			continue;
		}
		assert_true(m[i] != '\n');
		assert_true(m[i] != '\0');
		if (++col > max)
			fail_msg("line longer than %zu at offset %zu", max, i);
	}
	assert_true(len >= 2 && m[len - 2] == '\r' && m[len - 1] == '\n');
}

/* The header block of a message, with CRLF CRLF removed. */
static char *
mail_test_head(const char *m)
{
	const char	*e = strstr(m, "\r\n\r\n");

	assert_non_null(e);
	return xstrndup(m, (size_t)(e - m) + 2);
}

/* Header lines (folded or not) stay within 78 octets. */
static void
mail_test_head_lines(const char *m)
{
	char	*h = mail_test_head(m);

	mail_test_lines(h, strlen(h), 78);
	free(h);
}

/* The unfolded value of the first header called name, or NULL. */
static char *
mail_test_header(const char *m, const char *name)
{
	char		*h = mail_test_head(m), *p, *v = NULL;
	struct buf	 b = { 0 };
	size_t		 n = strlen(name);

	for (p = h; *p; p = strstr(p, "\r\n") + 2) {
		if (strncmp(p, name, n) != 0 || p[n] != ':')
			continue;
		for (p += n + 1; *p; p++) {
			if (p[0] == '\r' && (p[2] != ' ' && p[2] != '\t'))
				break;
			if (*p != '\r' && *p != '\n')
				buf_addc(&b, *p);
		}
		v = buf_detach(&b);
		break;
	}
	free(h);
	return v;
}

/* Decodes a run of Q encoded words (our own output only). */
static char *
mail_test_2047(const char *v)
{
	struct buf	 b = { 0 };
	const char	*p = v, *e;

	buf_adds(&b, "");
	while ((p = strstr(p, "=?UTF-8?Q?")) != NULL) {
		p += 10;
		e = strstr(p, "?=");
		assert_non_null(e);
		assert_true(e - p + 12 <= 75);
		for (; p < e; p++) {
			if (*p == '_')
				buf_addc(&b, ' ');
			else if (*p == '=') {
				buf_addc(&b, (char)(mail_test_hex(p[1]) * 16 +
				    mail_test_hex(p[2])));
				p += 2;
			} else
				buf_addc(&b, *p);
		}
		p = e + 2;
	}
	return buf_detach(&b);
}

static void
mail_test_qp_one(const char *in, const char *want)
{
	char	*qp = mail_qp_encode(in), *back;

	mail_test_lines(qp, strlen(qp), 76);
	back = mail_test_qp_decode(qp);
	assert_string_equal(back, want);
	free(back);
	free(qp);
}

static void
mail_test_qp(void **state)
{
	struct buf	 b = { 0 }, w = { 0 };
	char		*qp;
	int		 i;

	mail_test_qp_one("Grüße\n", "Grüße\r\n");
	mail_test_qp_one("a\r\nb\n\nc", "a\r\nb\r\n\r\nc\r\n");
	mail_test_qp_one("x = 1 \ny\t\n", "x = 1 \r\ny\t\r\n");
	mail_test_qp_one(".\nFrom me\n.. From\n", ".\r\nFrom me\r\n.. From\r\n");
	mail_test_qp_one("a\x01\x7f" "b\rc\n", "abc\r\n");
	mail_test_qp_one("bad \xff\n", "bad \xef\xbf\xbd\r\n");
	/* long lines of every width, with a multi-byte char near the edge */
	for (i = 60; i < 240; i++) {
		buf_free(&b);
		buf_free(&w);
		while (b.len < (size_t)i)
			buf_adds(&b, b.len % 7 ? "ä=" : "x ");
		buf_adds(&b, " \nFrom .end");
		buf_add(&w, b.data, b.len);
		w.len -= 11;
		buf_adds(&w, " \r\nFrom .end\r\n");
		mail_test_qp_one(b.data, w.data);
	}
	buf_free(&b);
	buf_free(&w);
	qp = mail_qp_encode(".dot\nFrom x\n trail \n");
	assert_string_equal(qp, "=2Edot\r\n=46rom x\r\n trail=20\r\n");
	free(qp);
	qp = mail_qp_encode("");
	assert_string_equal(qp, "");
	free(qp);
}

/* After a soft break, a "." or "From " at the new line start is encoded. */
static void
mail_test_qp_softbreak(void **state)
{
	char	 line[200];
	char	*qp, *p;

	memset(line, 'a', 74);
	strcpy(line + 74, "..From x\n");
	qp = mail_qp_encode(line);
	for (p = qp; p != NULL; p = strstr(p, "\r\n")) {
		p = p[0] == '\r' ? p + 2 : p;
		assert_true(*p != '.');
		assert_true(strncmp(p, "From ", 5) != 0);
		if (*p == '\0')
			break;
	}
	free(qp);
}

static void
mail_test_subject(void **state)
{
	const char	*subj = "Anmeldebestätigung: Fachtag „Interkommunale "
	    "Zusammenarbeit“ – Größere Vorhaben in Städten und Gemeinden "
	    "Sachsens, Teil 2 ✓";
	char		*h, *v, *d;

	h = mail_header_text("Subject", subj);
	assert_true(strncmp(h, "Subject: =?UTF-8?Q?", 19) == 0);
	mail_test_lines(h, strlen(h), 78);
	d = mail_test_2047(h);
	assert_string_equal(d, subj);
	free(d);
	free(h);
	/* plain ASCII stays readable and folds at spaces */
	h = mail_header_text("Subject", "Warteliste: A very long English "
	    "subject line that certainly needs folding because it is long");
	assert_null(strstr(h, "=?"));
	mail_test_lines(h, strlen(h), 78);
	assert_non_null(strstr(h, "\r\n "));
	free(h);
	/* a lookalike encoded word is encoded itself */
	h = mail_header_text("Subject", "=?UTF-8?Q?x?=");
	v = mail_test_2047(h);
	assert_string_equal(v, "=?UTF-8?Q?x?=");
	free(v);
	free(h);
	/* one long word with no spaces still yields short lines */
	h = mail_header_text("Subject", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	mail_test_lines(h, strlen(h), 78);
	free(h);
	h = mail_header_text("Subject", "");
	assert_string_equal(h, "Subject:\r\n");
	free(h);
}

static void
mail_test_addr(void **state)
{
	char	*n, *a;

	assert_true(mail_addr_valid("a@b.de"));
	assert_true(mail_addr_valid("anna.mueller+ikz@landkreis-pirna.de"));
	assert_true(mail_addr_valid("x@localhost"));
	assert_false(mail_addr_valid(NULL));
	assert_false(mail_addr_valid(""));
	assert_false(mail_addr_valid("a@b@c"));
	assert_false(mail_addr_valid("nobody"));
	assert_false(mail_addr_valid("@b.de"));
	assert_false(mail_addr_valid("a@"));
	assert_false(mail_addr_valid("a b@c.de"));
	assert_false(mail_addr_valid("a@b.de\r\nBcc: x@y"));
	assert_false(mail_addr_valid("\"a\"@b.de"));
	assert_false(mail_addr_valid("<a@b.de>"));
	assert_false(mail_addr_valid("a@[127.0.0.1]"));
	assert_false(mail_addr_valid("a,b@c.de"));
	assert_false(mail_addr_valid("a..b@c.de"));
	assert_false(mail_addr_valid("müller@b.de"));
	assert_int_equal(mail_split_from("Servicestelle IKZ <ikz@ssg.de>", &n,
	    &a), 0);
	assert_string_equal(n, "Servicestelle IKZ");
	assert_string_equal(a, "ikz@ssg.de");
	free(n), free(a);
	assert_int_equal(mail_split_from("\"Müller, \\\"A\\\" <x>\" "
	    "< a@b.de >", &n, &a), 0);
	assert_string_equal(n, "Müller, \"A\" <x>");
	assert_string_equal(a, "a@b.de");
	free(n), free(a);
	assert_int_equal(mail_split_from("a@b.de", &n, &a), 0);
	assert_string_equal(n, "");
	assert_string_equal(a, "a@b.de");
	free(n), free(a);
	assert_int_equal(mail_split_from("Name only", &n, &a), -1);
	assert_null(n);
	assert_null(a);
	assert_int_equal(mail_split_from("X <a@b.de> junk", &n, &a), -1);
	assert_int_equal(mail_split_from("X <bad>", &n, &a), -1);
	assert_int_equal(mail_split_from(NULL, &n, &a), -1);
}

static void
mail_test_msgid(void **state)
{
	char	*a, *b;
	size_t	 i;

	a = mail_new_message_id("Servicestelle <ikz@ssg-sachsen.de>");
	b = mail_new_message_id("ikz@ssg-sachsen.de");
	assert_string_not_equal(a, b);
	assert_int_equal(a[0], '<');
	assert_int_equal(a[33], '.');
	for (i = 1; i < 33; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_non_null(strstr(a, "@ssg-sachsen.de>"));
	assert_int_equal(a[strlen(a) - 1], '>');
	free(a);
	free(b);
	a = mail_new_message_id("garbage");
	assert_non_null(strstr(a, "@ikzreg.invalid>"));
	free(a);
}

static void
mail_test_date(void **state)
{
	char	 d[64];

	setenv("TZ", "UTC", 1);
	tzset();
	mail_format_date(1731400200, d, sizeof(d));	/* 2024-11-12 */
	assert_string_equal(d, "Tue, 12 Nov 2024 09:30:00 +0100");
	mail_format_date(1751268600, d, sizeof(d));	/* 2025-06-30 */
	assert_string_equal(d, "Mon, 30 Jun 2025 09:30:00 +0200");
	mail_format_date(1720071000, d, sizeof(d));	/* 2024-07-04 */
	assert_string_equal(d, "Thu, 4 Jul 2024 07:30:00 +0200");
}

static struct mail_out
mail_test_out(void)
{
	struct mail_out	 m = {
		.from = "Servicestelle IKZ <ikz@ssg-sachsen.de>",
		.to = "anna@pirna.de",
		.subject = "Anmeldebestätigung: Fachtag",
		.body = "Sehr geehrte Frau Müller,\n\nText.\n",
		.message_id = "<0123456789abcdef.1731400200@ssg-sachsen.de>",
		.in_reply_to = "<orig-1@pirna.de>",
		.references = "<older@pirna.de> <orig-1@pirna.de>",
		.date = 1731400200,
	};

	return m;
}

static void
mail_test_build(void **state)
{
	struct mail_out	 m = mail_test_out();
	char		*msg, *v, *body;
	size_t		 len;

	msg = mail_build(&m, &len);
	assert_int_equal(strlen(msg), len);
	mail_test_lines(msg, len, 998);
	mail_test_head_lines(msg);
	assert_true(strncmp(msg, "From: Servicestelle IKZ <ikz@ssg-sachsen.de>"
	    "\r\nTo: anna@pirna.de\r\n", 64) == 0);
	assert_non_null(strstr(msg, "\r\nDate: Tue, 12 Nov 2024 09:30:00 "
	    "+0100\r\n"));
	assert_non_null(strstr(msg, "\r\nMessage-ID: <0123456789abcdef."));
	assert_non_null(strstr(msg, "\r\nIn-Reply-To: <orig-1@pirna.de>\r\n"));
	assert_non_null(strstr(msg, "\r\nReferences: <older@pirna.de> "
	    "<orig-1@pirna.de>\r\n"));
	assert_non_null(strstr(msg, "\r\nAuto-Submitted: auto-replied\r\n"));
	assert_non_null(strstr(msg, "\r\nX-Auto-Response-Suppress: All\r\n"));
	assert_non_null(strstr(msg, "\r\n" MAIL_LOOP_HEADER ": yes\r\n"));
	assert_non_null(strstr(msg, "\r\nContent-Type: text/plain; "
	    "charset=UTF-8\r\n"));
	assert_null(strstr(msg, "Precedence"));
	assert_null(strstr(msg, "Cc:"));
	body = mail_test_qp_decode(strstr(msg, "\r\n\r\n") + 4);
	assert_string_equal(body, "Sehr geehrte Frau Müller,\r\n\r\nText.\r\n");
	free(body);
	v = mail_test_header(msg, "Subject");
	body = mail_test_2047(v);
	assert_string_equal(body, "Anmeldebestätigung: Fachtag");
	free(body);
	free(v);
	free(msg);
}

/* Counts header lines that start a field (not continuation lines). */
static int
mail_test_fields(const char *msg)
{
	char	*h = mail_test_head(msg), *p;
	int	 n = 0;

	for (p = h; *p; p = strstr(p, "\r\n") + 2)
		if (*p != ' ' && *p != '\t')
			n++;
	free(h);
	return n;
}

static void
mail_test_injection(void **state)
{
	struct mail_out	 m = mail_test_out();
	char		*msg, *h;
	int		 fields;
	size_t		 len;

	msg = mail_build(&m, &len);
	fields = mail_test_fields(msg);
	free(msg);
	m.from = "Evil\r\nBcc: x@y\r\n <ikz@ssg-sachsen.de>";
	m.subject = "Hallo\r\nBcc: x@y\nX-Evil: 1\r\n\r\nbody";
	m.in_reply_to = "<a@b>\r\nBcc: x@y";
	m.references = "<a@b>\r\nBcc: x@y <c@d> <e f@g> junk <h@i>";
	msg = mail_build(&m, &len);
	assert_non_null(msg);
	mail_test_lines(msg, len, 998);
	mail_test_head_lines(msg);
	assert_int_equal(mail_test_fields(msg), fields - 1);
	h = mail_test_head(msg);
	assert_null(strstr(h, "\nBcc"));
	assert_null(strstr(h, "\nX-Evil"));
	assert_null(strstr(h, "In-Reply-To"));
	assert_non_null(strstr(h, "\r\nReferences: <a@b> <c@d> <h@i>\r\n"));
	assert_non_null(strstr(h, "From: \"Evil Bcc: x@y\" "
	    "<ikz@ssg-sachsen.de>\r\n"));
	free(h);
	free(msg);
	/* a bad recipient is refused, a bad Cc dropped */
	m = mail_test_out();
	m.to = "a@b.de\r\nBcc: x@y";
	assert_null(mail_build(&m, &len));
	m.to = "a@b.de";
	m.cc = "c@d.de\r\nBcc: x@y";
	msg = mail_build(&m, &len);
	assert_null(strstr(msg, "Cc:"));
	free(msg);
	m.cc = "c@d.de";
	msg = mail_build(&m, &len);
	assert_non_null(strstr(msg, "\r\nCc: c@d.de\r\n"));
	free(msg);
	m.from = "no address";
	assert_null(mail_build(&m, &len));
}

static void
mail_test_prefix(const char *msg, const char *want)
{
	if (strncmp(msg, want, strlen(want)) != 0)
		fail_msg("got \"%.*s\"", (int)strlen(want), msg);
}

/* Display names: atoms, quoted-strings, and encoded runs between atoms. */
static void
mail_test_from(void **state)
{
	struct mail_out	 m = mail_test_out();
	char		*msg;

	m.from = "Müller, Anna <a@b.de>";
	msg = mail_build(&m, NULL);
	mail_test_prefix(msg, "From: =?UTF-8?Q?M=C3=BCller=2C?= Anna "
	    "<a@b.de>\r\n");
	free(msg);
	m.from = "\"Stadt Pirna (IKZ)\" <a@b.de>";
	msg = mail_build(&m, NULL);
	mail_test_prefix(msg, "From: \"Stadt Pirna (IKZ)\" <a@b.de>\r\n");
	free(msg);
	m.from = "<a@b.de>";
	msg = mail_build(&m, NULL);
	mail_test_prefix(msg, "From: a@b.de\r\n");
	free(msg);
}

/* Many References: the first and the last 19 are kept, folded. */
static void
mail_test_references(void **state)
{
	struct mail_out	 m = mail_test_out();
	struct buf	 b = { 0 };
	char		*msg, *v;
	int		 i;

	for (i = 0; i < 100; i++)
		buf_printf(&b, "<ref-%d-%s@example.org> ", i,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop");
	m.references = b.data;
	msg = mail_build(&m, NULL);
	mail_test_head_lines(msg);
	v = mail_test_header(msg, "References");
	assert_non_null(strstr(v, "<ref-0-"));
	assert_null(strstr(v, "<ref-1-"));
	assert_null(strstr(v, "<ref-80-"));
	assert_non_null(strstr(v, "<ref-81-"));
	assert_non_null(strstr(v, "<ref-99-"));
	free(v);
	free(msg);
	buf_free(&b);
}

static void
mail_test_multipart(void **state)
{
	struct mail_out	 m = mail_test_out();
	char		*a, *b;
	size_t		 la, lb;

	m.ics = "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n";
	a = mail_build(&m, &la);
	b = mail_build(&m, &lb);
	/* rebuilt for a resend, the message is the same byte for byte */
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	mail_test_lines(a, la, 998);
	mail_test_head_lines(a);
	assert_non_null(strstr(a, "Content-Type: multipart/mixed;\r\n "
	    "boundary=\"=_ikz_"));
	assert_non_null(strstr(a, "Content-Type: text/calendar; "
	    "method=PUBLISH; charset=UTF-8;"));
	assert_non_null(strstr(a, "filename=\"einladung.ics\""));
	/* base64 of the CRLF calendar */
	assert_non_null(strstr(a, "QkVHSU46VkNBTEVOREFSDQpWRVJTSU9OOjIuMA0K"
	    "RU5EOlZDQUxFTkRBUg0K\r\n"));
	free(a);
	free(b);
}

/* One golden persona: the variables a registry would set. */
struct mail_test_persona {
	const char	*key;
	const char	*from;
	const char	*to;
	const char	*cc;
	struct person	 p;
	const char	*name;
	const char	*title;
	const char	*location;
	const char	*position;
	const char	*status;
	const char	*people;
	const char	*reason;
	const char	*old_name;
	const char	*new_name;
	const char	*url;
	const char	*understood;
	const char	*question_passed;
	const char	*refs;
	time_t		 start;
	time_t		 date;
};

static const struct mail_test_persona mail_test_personas[] = { {
	.key = "typical",
	.from = "Servicestelle Interkommunale Zusammenarbeit "
	    "<ikz@ssg-sachsen.de>",
	.to = "anna.mueller@pirna.de",
	.p = { .salutation = (char *)"Frau", .title = (char *)"Dr.",
	    .given_name = (char *)"Anna", .family_name = (char *)"Müller",
	    .function = (char *)"Amtsleiterin",
	    .organisation = (char *)"Stadt Pirna", .email = (char *)"" },
	.name = "Dr. Anna Müller",
	.title = "Fachtag Interkommunale Zusammenarbeit 2024",
	.location = "Haus der Kommunen, Glacisstraße 3, 01099 Dresden",
	.status = "Teilnahme bestätigt",
	.old_name = "Dr. Anna Müller",
	.new_name = "Jan Schmidt",
	.understood = "- Dr. Anna Müller, Amtsleiterin, Stadt Pirna: "
	    "Teilnahme bestätigt\n",
	.refs = "<orig-1@pirna.de>",
	.start = 1731400200,		/* Tue 12 Nov 2024 09:30 +0100 */
	.date = 1730800000,
}, {
	.key = "awkward",
	.from = "Sächsischer Städte- und Gemeindetag e. V. – Servicestelle "
	    "Interkommunale Zusammenarbeit <ikz@ssg-sachsen.de>",
	.to = "j.gross-aesslinger@zweckverband-wasser-abwasser-osterzgebirge"
	    ".de",
	.cc = "teilnahme@zweckverband-wasser-abwasser-osterzgebirge.de",
	.p = { .salutation = (char *)"", .title = (char *)"Prof. Dr.",
	    .given_name = (char *)"Jürgen-Ömer",
	    .family_name = (char *)"Groß-Äßlinger",
	    .function = (char *)"Verbandsvorsitzender",
	    .organisation = (char *)"Zweckverband für Wasserversorgung und "
	    "Abwasserbeseitigung der Städte und Gemeinden im Landkreis "
	    "Sächsische Schweiz-Osterzgebirge", .email = (char *)"" },
	.name = "Prof. Dr. Jürgen-Ömer Groß-Äßlinger",
	.title = "Workshop „Gemeinsame Bauhöfe, Vergabestellen und "
	    "Standesämter – Rechtsfragen der Zweckvereinbarung nach SächsKomZG“",
	.location = "Zweckverband für Wasserversorgung und "
	    "Abwasserbeseitigung der Städte und Gemeinden im Landkreis "
	    "Sächsische Schweiz-Osterzgebirge, Sitzungssaal 2. OG, "
	    "Bahnhofstraße 14, 01796 Pirna",
	.position = "3",
	.status = "Warteliste, Platz 3",
	.people = "- Prof. Dr. Jürgen-Ömer Groß-Äßlinger (Zweckverband für "
	    "Wasserversorgung und Abwasserbeseitigung der Städte und Gemeinden "
	    "im Landkreis Sächsische Schweiz-Osterzgebirge): Teilnahme "
	    "bestätigt\n- Zoë Weiß: Warteliste, Platz 3\n"
	    "- From Aachen: Warteliste, Platz 4",
	.reason = "Je Organisation sind höchstens zwei Plätze vorgesehen.",
	.old_name = "Prof. Dr. Jürgen-Ömer Groß-Äßlinger",
	.new_name = "Zoë Weiß",
	.url = "https://www.ssg-sachsen.de/ikz/dokumentation/2024/"
	    "workshop-gemeinsame-bauhoefe-vergabestellen-standesaemter.pdf",
	.understood = "- Prof. Dr. Jürgen-Ömer Groß-Äßlinger, "
	    "Verbandsvorsitzender, Zweckverband für Wasserversorgung und "
	    "Abwasserbeseitigung der Städte und Gemeinden im Landkreis "
	    "Sächsische Schweiz-Osterzgebirge: Teilnahme bestätigt\n"
	    "- Zoë Weiß: Warteliste, Platz 3\n",
	.question_passed = "1",
	.refs = "<CAF=x_Yq+4@mail.gmail.com> <orig-2@zweckverband.de>",
	.start = 1720078200,		/* Thu 4 Jul 2024 09:30 +0200 */
	.date = 1719900000,
} };

static const char *mail_test_templates[] = {
	"confirmed", "waitlisted", "promoted", "cancelled",
	"already-registered", "full", "closed", "review-ack", "substituted",
	"reminder", "documentation"
};

/* The .ics a confirmed, promoted or reminder mail carries. */
static char *
mail_test_ics(const struct mail_test_persona *t)
{
	struct event_cfg	 ev = { 0 };

	ev.key = (char *)t->key;
	ev.title = (char *)t->title;
	ev.location = (char *)t->location;
	ev.starts = t->start;
	ev.ends = t->start + 6 * 3600;
	return ics_event(&ev, t->from, t->date);
}

static void
mail_test_vars(const struct mail_test_persona *t, struct tpl_vars *v,
    int ics)
{
	char	 when[128], *anrede;

	anrede = tpl_salutation(&t->p);
	tpl_format_when(t->start, when, sizeof(when));
	tpl_set(v, "anrede", anrede);
	free(anrede);
	tpl_set(v, "name", t->name);
	tpl_set(v, "event_title", t->title);
	tpl_set(v, "event_when", when);
	tpl_set(v, "event_location", t->location);
	tpl_set(v, "position", t->position);
	tpl_set(v, "status", t->status);
	tpl_set(v, "people", t->people);
	tpl_set(v, "reason", t->reason);
	tpl_set(v, "old_name", t->old_name);
	tpl_set(v, "new_name", t->new_name);
	tpl_set(v, "url", t->url);
	tpl_set(v, "understood", t->understood);
	tpl_set(v, "question_passed", t->question_passed);
	tpl_set(v, "ics", ics ? "1" : "");
	tpl_set(v, "office", "Servicestelle Interkommunale Zusammenarbeit");
}

/* What a golden message was built from, to compare the parse with. */
struct mail_test_parts {
	char	*subject;
	char	*body;
	char	*ics;
};

static void
mail_test_parts_free(struct mail_test_parts *p)
{
	free(p->subject);
	free(p->body);
	free(p->ics);
}

/*
 * "So haben wir Ihre Nachricht verstanden": the persona's first person
 * with the status the registry gives for the template's kind.
 */
static void
mail_test_understood(const char *tpl, const struct mail_test_persona *t,
    struct tpl_vars *v)
{
	static const char *const st[][2] = {
	    { "cancelled", "abgemeldet" }, { "substituted", "umgeschrieben" },
	    { "waitlisted", "Warteliste" }, { "full", "Warteliste" },
	    { "closed", "keine Anmeldung mehr m\xc3\xb6glich" },
	    { "already-registered", "bereits angemeldet, Teilnahme "
	    "best\xc3\xa4tigt" } };
	const char *status = "Teilnahme best\xc3\xa4tigt";
	char	*line;
	size_t	 i, n;

	if (t->understood == NULL)
		return;
	for (i = 0; i < nitems(st); i++)
		if (strcmp(tpl, st[i][0]) == 0)
			status = st[i][1];
	n = strcspn(t->understood, ":");	/* "- Name, Funktion, Org" */
	line = xasprintf("%.*s: %s\n", (int)n, t->understood, status);
	tpl_set(v, "understood", line);
	free(line);
}

/* Builds one golden message; the caller frees it and *parts. */
static char *
mail_test_golden_msg(const char *tpl, const struct mail_test_persona *t,
    size_t *len, struct mail_test_parts *parts)
{
	struct tpl_vars	 v = { 0 };
	struct mail_out	 m = { 0 };
	char		*subject, *body, *err, *msg, *ics = NULL;
	int		 reminder = strcmp(tpl, "reminder") == 0;

	if (strcmp(tpl, "confirmed") == 0 || strcmp(tpl, "promoted") == 0 ||
	    reminder)
		ics = mail_test_ics(t);
	mail_test_vars(t, &v, ics != NULL);
	mail_test_understood(tpl, t, &v);
	if (tpl_render(TPL_DIR, tpl, &v, &subject, &body, &err) != 0)
		fail_msg("%s", err);
	m.from = t->from;
	m.to = t->to;
	m.cc = t->cc;
	m.subject = subject;
	m.body = body;
	m.message_id = "<5f2b8c1e9a0d4e7fb3c6a1d2e4f60718.1730800000@"
	    "ssg-sachsen.de>";
	m.in_reply_to = reminder ? NULL : strrchr(t->refs, '<');
	m.references = reminder ? NULL : t->refs;
	m.date = t->date;
	m.ics = ics;
	m.unsolicited = reminder;
	msg = mail_build(&m, len);
	assert_non_null(msg);
	parts->subject = subject;
	parts->body = body;
	parts->ics = ics;
	tpl_vars_free(&v);
	return msg;
}

/* Decodes a leaf part with libetpan and compares it with want. */
static void
mail_test_etpan_leaf(struct mailmime *mm, const char *want)
{
	struct mailmime_data	*d = mm->mm_data.mm_single;
	struct mailmime_field	*f;
	clistiter		*it;
	char			*out = NULL, *w = mail_crlf(want);
	size_t			 idx = 0, olen = 0;
	int			 enc = MAILMIME_MECHANISM_8BIT;

	for (it = clist_begin(mm->mm_mime_fields->fld_list); it;
	    it = clist_next(it)) {
		f = clist_content(it);
		if (f->fld_type == MAILMIME_FIELD_TRANSFER_ENCODING)
			enc = f->fld_data.fld_encoding->enc_type;
	}
	assert_int_equal(mailmime_part_parse(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, &idx, enc, &out, &olen),
	    MAILIMF_NO_ERROR);
	assert_int_equal(olen, strlen(w));
	assert_memory_equal(out, w, olen);
	mailmime_decoded_part_free(out);
	free(w);
}

/* The decoded Subject must be the rendered one, and From/To parse. */
static void
mail_test_etpan_fields(struct mailimf_fields *fl, const char *subject,
    const char *to)
{
	struct mailimf_field	*f;
	struct mailimf_mailbox	*mb;
	clistiter		*it;
	char			*dec = NULL;
	size_t			 idx;
	int			 seen = 0;

	for (it = clist_begin(fl->fld_list); it; it = clist_next(it)) {
		f = clist_content(it);
		switch (f->fld_type) {
		case MAILIMF_FIELD_SUBJECT:
			idx = 0;
			assert_int_equal(mailmime_encoded_phrase_parse("utf-8",
			    f->fld_data.fld_subject->sbj_value,
			    strlen(f->fld_data.fld_subject->sbj_value), &idx,
			    "utf-8", &dec), MAILIMF_NO_ERROR);
			assert_string_equal(dec, subject);
			free(dec);
			seen |= 1;
			break;
		case MAILIMF_FIELD_FROM:
			mb = clist_content(clist_begin(f->fld_data.fld_from->
			    frm_mb_list->mb_list));
			assert_string_equal(mb->mb_addr_spec,
			    "ikz@ssg-sachsen.de");
			seen |= 2;
			break;
		case MAILIMF_FIELD_TO:
			seen |= 4;
			break;
		case MAILIMF_FIELD_MESSAGE_ID:
			assert_non_null(strstr(f->fld_data.fld_message_id->
			    mid_value, "@ssg-sachsen.de"));
			seen |= 8;
			break;
		case MAILIMF_FIELD_BCC:
			fail_msg("a Bcc field in a reply");
		}
	}
	assert_int_equal(seen, 15);
	(void)to;
}

/*
 * Parses a built message back with libetpan: the whole input consumed,
 * the header fields understood, the text and the calendar decoded to
 * exactly what went in.
 */
static void
mail_test_etpan(const char *msg, size_t len, const struct mail_test_parts *p,
    const char *to)
{
	struct mailmime	*mm = NULL, *body, *part;
	clistiter	*it;
	size_t		 idx = 0;
	int		 n = 0;

	assert_int_equal(mailmime_parse(msg, len, &idx, &mm), MAILIMF_NO_ERROR);
	assert_int_equal(idx, len);
	assert_int_equal(mm->mm_type, MAILMIME_MESSAGE);
	mail_test_etpan_fields(mm->mm_data.mm_message.mm_fields, p->subject,
	    to);
	body = mm->mm_data.mm_message.mm_msg_mime;
	if (p->ics == NULL) {
		assert_int_equal(body->mm_type, MAILMIME_SINGLE);
		mail_test_etpan_leaf(body, p->body);
	} else {
		assert_int_equal(body->mm_type, MAILMIME_MULTIPLE);
		for (it = clist_begin(body->mm_data.mm_multipart.mm_mp_list);
		    it; it = clist_next(it), n++) {
			part = clist_content(it);
			mail_test_etpan_leaf(part, n == 0 ? p->body : p->ics);
		}
		assert_int_equal(n, 2);
	}
	mailmime_free(mm);
}

static void
mail_test_write(const char *path, const char *data, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
mail_test_golden(void **state)
{
	const char	*update = getenv("IKZ_UPDATE_GOLDEN");
	struct mail_test_parts parts;
	char		*msg, *want, *path;
	size_t		 i, j, len, wlen;

	for (i = 0; i < nitems(mail_test_templates); i++) {
		for (j = 0; j < nitems(mail_test_personas); j++) {
			msg = mail_test_golden_msg(mail_test_templates[i],
			    &mail_test_personas[j], &len, &parts);
			mail_test_lines(msg, len, 998);
			mail_test_head_lines(msg);
			mail_test_etpan(msg, len, &parts,
			    mail_test_personas[j].to);
			mail_test_parts_free(&parts);
			path = xasprintf("%s/%s-%s.eml", GOLDEN_DIR,
			    mail_test_templates[i], mail_test_personas[j].key);
			if (update != NULL && strcmp(update, "1") == 0)
				mail_test_write(path, msg, len);
			if ((want = util_read_file(path, &wlen)) == NULL)
				fail_msg("%s: %s (IKZ_UPDATE_GOLDEN=1 makes "
				    "it)", path, strerror(errno));
			if (wlen != len || memcmp(want, msg, len) != 0)
				fail_msg("%s differs from the built message",
				    path);
			free(want);
			free(path);
			free(msg);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mail_test_qp),
		cmocka_unit_test(mail_test_qp_softbreak),
		cmocka_unit_test(mail_test_subject),
		cmocka_unit_test(mail_test_addr),
		cmocka_unit_test(mail_test_msgid),
		cmocka_unit_test(mail_test_date),
		cmocka_unit_test(mail_test_build),
		cmocka_unit_test(mail_test_injection),
		cmocka_unit_test(mail_test_from),
		cmocka_unit_test(mail_test_references),
		cmocka_unit_test(mail_test_multipart),
		cmocka_unit_test(mail_test_golden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
