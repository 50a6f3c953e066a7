/* test_mime.c - MIME decoding on the sample mails in tests/corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/util.h"
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
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_2047),
		cmocka_unit_test(test_2231_and_forward),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
