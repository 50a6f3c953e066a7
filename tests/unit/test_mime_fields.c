/*
 * test_mime_fields.c - the strict envelope field parsers of
 * mime_fields.c against libetpan's on the same fields: where the fast
 * path takes a field, every named result must equal libetpan's.
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

enum { ANY = -2, SLOW = -1, FAST = 0 };

struct field_case {
	const char	*field;
	int		 want;		/* FAST, SLOW or ANY */
};

static void
test_streq(const char *a, const char *b, const char *what,
    const char *field, size_t len)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		fail_msg("%s differs: fast \"%s\" libetpan \"%s\" for "
		    "\"%.*s\"", what, a ? a : "(null)", b ? b : "(null)",
		    (int)(len > 200 ? 200 : len), field);
}

static void
test_msg_equal(const struct mime_msg *f, const struct mime_msg *e,
    const char *field, size_t len)
{
	test_streq(f->from_addr, e->from_addr, "from_addr", field, len);
	test_streq(f->from_name, e->from_name, "from_name", field, len);
	test_streq(f->reply_to, e->reply_to, "reply_to", field, len);
	test_streq(f->to, e->to, "to", field, len);
	test_streq(f->message_id, e->message_id, "message_id", field, len);
	if (f->date_t != e->date_t)
		fail_msg("date_t differs: fast %lld libetpan %lld for "
		    "\"%.*s\"", (long long)f->date_t, (long long)e->date_t,
		    (int)(len > 200 ? 200 : len), field);
}

/* Both paths on one field; returns what the fast path said. */
static int
test_both(const char *field, size_t len)
{
	struct mime_msg *f, *e;
	int	 rc;

	f = xcalloc(1, sizeof(*f));
	e = xcalloc(1, sizeof(*e));
	rc = mime_fields_fast(f, field, len);
	mime_fields_etpan(e, field, len);
	if (rc == 0)
		test_msg_equal(f, e, field, len);
	else
		/* Given up: nothing may have been touched. */
		test_msg_equal(f, &(struct mime_msg){ 0 }, field, len);
	mime_free(f);
	mime_free(e);
	return rc;
}

static void
test_cases(const struct field_case *c, size_t n)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < n; i++) {
		rc = test_both(c[i].field, strlen(c[i].field));
		if (c[i].want != ANY && rc != c[i].want)
			fail_msg("fast path %s \"%s\"", rc == 0 ? "took" :
			    "refused", c[i].field);
	}
}

static void
test_addresses(void **state)
{
	static const struct field_case c[] = {
		{ "From: a@b.de\r\n", FAST },
		{ "From: a@b.de\n", FAST },
		{ "From:a@b.de\r\n", FAST },
		{ "From: \t a.b-c+d@sub.b-x.de \t\r\n", FAST },
		{ "From: <a@b.de>\r\n", FAST },
		{ "From: Hans Meier <h.meier@stadt.example>\r\n", FAST },
		{ "From: Hans   Meier\t<h.meier@stadt.example>\r\n", FAST },
		{ "From: Dr. Hans Meier <h@x.de>\r\n", ANY },
		{ "From: J\xc3\xbcrgen Wei\xc3\x9f <j@x.de>\r\n", ANY },
		{ "From: Wei\xdf <j@x.de>\r\n", ANY },
		{ "From: \"Krause, Thomas\" <t.krause@x.example>\r\n", FAST },
		{ "From: \"Krause,  Thomas \" <t@x.example>\r\n", ANY },
		{ "From: \"a \\\"b\\\" \\\\ c\" <t@x.example>\r\n", ANY },
		{ "From: \"\" <t@x.example>\r\n", ANY },
		{ "From: \"Wei\xc3\x9f, J\xc3\xbcrgen\" <j@x.de>\r\n", ANY },
		{ "From: =?iso-8859-1?Q?Wei=DF=2C_J=FCrgen?= <j@x.de>\r\n",
		    FAST },
		{ "From: =?utf-8?B?SMO8bHNlbWFubg==?= <j@x.de>\r\n", FAST },
		{ "From: =?utf-8?Q?a=3Cb=3E=40=22c?= <j@x.de>\r\n", FAST },
		{ "From: =?utf-8?Q?a<b>@\"c?= <j@x.de>\r\n", ANY },
		{ "From: \"=?utf-8?Q?Meier=2C_Hans?=\" <j@x.de>\r\n", ANY },
		{ "From: =?utf-8?Q?Hans?= =?utf-8?Q?_Meier?= <j@x.de>\r\n",
		    FAST },
		{ "From: =?utf-8?Q?=C3=BC?= <j@x.de>\r\n", FAST },
		{ "From: =?utf-8?q?x?=Meier <j@x.de>\r\n", SLOW },
		{ "From: Meier=?utf-8?q?x?= <j@x.de>\r\n", SLOW },
		{ "From: =?a=?b?c?= <j@x.de>\r\n", SLOW },
		{ "From: =?a?=b?c?= <j@x.de>\r\n", SLOW },
		{ "From: =?utf-8?Q?" "?= <j@x.de>\r\n", SLOW },
		{ "From: =?utf-8?X?abc?= <j@x.de>\r\n", SLOW },
		{ "From: =?utf-8*de?Q?abc?= <j@x.de>\r\n", SLOW },
		{ "From: a=b <j@x.de>\r\n", SLOW },
		{ "From: Wer? <j@x.de>\r\n", SLOW },
		{ "From: \"Wer?\" <j@x.de>\r\n", ANY },
		{ "From: \" Meier\" <j@x.de>\r\n", ANY },
		{ "From: \"Meier \\ \" <j@x.de>\r\n", ANY },
		{ "To: Servicestelle IKZ <ikz@ssg-sachsen.de>\r\n", FAST },
		{ "Reply-To: <r@x.de>\r\n", FAST },
		{ "reply-to: r@x.de\r\n", FAST },
		{ "TO: r@x.de\r\n", FAST },
		{ "From: a@b.de, c@d.de\r\n", SLOW },
		{ "To: a@b.de, c@d.de\r\n", SLOW },
		{ "To: Gruppe: a@b.de, c@d.de;\r\n", SLOW },
		{ "To: undisclosed-recipients:;\r\n", SLOW },
		{ "From: a@b.de (Hans Meier)\r\n", SLOW },
		{ "From: Hans (Amt) Meier <a@b.de>\r\n", SLOW },
		{ "From: Hans Meier\r\n <a@b.de>\r\n", SLOW },
		{ "From: Hans Meier <a@b.de>\r\n\r\n", SLOW },
		{ "From: Hans\rMeier <a@b.de>\r\n", SLOW },
		{ "From: Hans\nMeier <a@b.de>\r\n", SLOW },
		{ "From: \"Hans <a@b.de>\r\n", SLOW },
		{ "From: Hans\" <a@b.de>\r\n", ANY },
		{ "From: \"Hans\"\" <a@b.de>\r\n", SLOW },
		{ "From: \"Ha\"ns <a@b.de>\r\n", SLOW },
		{ "From: Hans <a@b.de\r\n", SLOW },
		{ "From: Hans a@b.de>\r\n", SLOW },
		{ "From: Hans <<a@b.de>>\r\n", SLOW },
		{ "From: Hans <a@b.de> <c@d.de>\r\n", SLOW },
		{ "From: <a@b.de> Hans\r\n", SLOW },
		{ "From: Hans <a@@b.de>\r\n", SLOW },
		{ "From: Hans <a@b..de>\r\n", SLOW },
		{ "From: Hans <.a@b.de>\r\n", SLOW },
		{ "From: Hans <a@b.de.>\r\n", SLOW },
		{ "From: Hans <a@[127.0.0.1]>\r\n", SLOW },
		{ "From: Hans <\"a b\"@b.de>\r\n", SLOW },
		{ "From: Hans <a@gro\xc3\x9f.de>\r\n", SLOW },
		{ "From: Hans <@relay:a@b.de>\r\n", SLOW },
		{ "From: <>\r\n", SLOW },
		{ "From: \r\n", SLOW },
		{ "From:\r\n", SLOW },
		{ "From: Hans Meier\r\n", SLOW },
		{ "From: Hans, Meier <a@b.de>\r\n", SLOW },
		{ "From: Hans; Meier <a@b.de>\r\n", SLOW },
		{ "From: Hans: <a@b.de>\r\n", SLOW },
		{ "From: Hans\\ Meier <a@b.de>\r\n", SLOW },
		{ "From: Hans\x01Meier <a@b.de>\r\n", SLOW },
		{ "From: \"Hans\x01Meier\" <a@b.de>\r\n", SLOW },
		{ "From: \"Hans\tMeier\" <a@b.de>\r\n", SLOW },
		{ "From: Hans\x7fMeier <a@b.de>\r\n", ANY },
		{ "From: Hans [Amt] <a@b.de>\r\n", ANY },
		{ "From: Hans Meier <a@b.de>\r\nTo: x@y.de\r\n", SLOW },
		{ "Sender: a@b.de\r\n", SLOW },
		{ "Resent-From: a@b.de\r\n", SLOW },
	};

	test_cases(c, nitems(c));
}

static void
test_dates(void **state)
{
	static const struct field_case c[] = {
		{ "Date: Tue, 8 Oct 2024 15:12:56 +0200\r\n", FAST },
		{ "Date: Tue, 08 Oct 2024 15:12:56 +0200\r\n", FAST },
		{ "Date: 8 Oct 2024 15:12:56 +0200\r\n", FAST },
		{ "Date: Sun, 31 Dec 2023 23:59 -0130\r\n", FAST },
		{ "Date: Mon, 29 Feb 2021 10:00:00 +0000\r\n", ANY },
		{ "Date: Mon, 31 Apr 2024 10:00:00 +0000\r\n", ANY },
		{ "Date: Mon, 1 Jan 1970 00:00:00 -0000\r\n", FAST },
		{ "Date:Tue, 8 Oct 2024 15:12:56 +0200\r\n", FAST },
		{ "Date: Tue,  8 Oct 2024  15:12:56  +0200 \r\n", FAST },
		{ "Date: Tue,8 Oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: tue, 8 Oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Xyz, 8 Oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Okt 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 24 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 02024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 +0200 (CEST)\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 CEST\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 GMT\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 +02\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 +02000\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 5:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 25:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:62:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:61 +0200\r\n", SLOW },
		{ "Date: Tue, 32 Oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 0 Oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 123 Oct 2024 15:12:56 +0200\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 +2500\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 +0275\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024 15:12:56 +0200\r\n more\r\n", SLOW },
		{ "Date: Tue, 8 Oct 2024\r\n 15:12:56 +0200\r\n", SLOW },
		{ "Date: 2024-10-08T15:12:56+02:00\r\n", SLOW },
		{ "Date: \r\n", SLOW },
	};

	test_cases(c, nitems(c));
}

static void
test_msgids(void **state)
{
	static const struct field_case c[] = {
		{ "Message-ID: <b0@grossroehrsdorf.example>\r\n", FAST },
		{ "Message-Id: <AM0PR01MB1234@EURPRD01.prod.outlook.com>\r\n",
		    FAST },
		{ "MESSAGE-ID:<x.y$z@host>\r\n", FAST },
		{ "Message-ID: <b0@gro\xc3\x9fr\xc3\xb6hrsdorf.example>\r\n",
		    FAST },
		{ "Message-ID: <b0@gro\xdf.example>\r\n", FAST },
		{ "Message-ID: <a@b@c>\r\n", ANY },
		{ "Message-ID: <nohost>\r\n", SLOW },
		{ "Message-ID: <a b@c>\r\n", SLOW },
		{ "Message-ID: <a@c> <d@e>\r\n", SLOW },
		{ "Message-ID: <a@c\r\n", SLOW },
		{ "Message-ID: a@c>\r\n", SLOW },
		{ "Message-ID: a@c\r\n", SLOW },
		{ "Message-ID: <<a@c>>\r\n", SLOW },
		{ "Message-ID: <\"a\"@c>\r\n", SLOW },
		{ "Message-ID: <a@[c]>\r\n", SLOW },
		{ "Message-ID: <a@c> (comment)\r\n", SLOW },
		{ "Message-ID: <a@\r\n c>\r\n", SLOW },
		{ "Message-ID: <a\x01@c>\r\n", SLOW },
		{ "Message-ID: <>\r\n", SLOW },
		{ "Message-ID: \r\n", SLOW },
	};

	test_cases(c, nitems(c));
}

/* Names and quoted strings of thousands of bytes. */
static void
test_long(void **state)
{
	struct buf b = { 0 };
	size_t	 i;

	buf_adds(&b, "From: ");
	for (i = 0; i < 2000; i++)
		buf_adds(&b, "Name ");
	buf_adds(&b, "<a@b.de>\r\n");
	assert_int_equal(test_both(b.data, b.len), 0);
	b.len = 0;
	buf_adds(&b, "From: \"");
	for (i = 0; i < 10000; i++)
		buf_adds(&b, i % 7 ? "x" : "\\\"");
	buf_adds(&b, "\" <a@b.de>\r\n");
	test_both(b.data, b.len);
	b.len = 0;
	buf_adds(&b, "Message-ID: <");
	for (i = 0; i < 10000; i++)
		buf_addc(&b, 'a' + i % 26);
	buf_adds(&b, "@b.de>\r\n");
	assert_int_equal(test_both(b.data, b.len), 0);
	buf_free(&b);
}

/* A NUL anywhere in the value sends the field to libetpan. */
static void
test_nul(void **state)
{
	static const char d[] = "Date: Tue, 8 Oct 2024 15:12:56 +0200\0\r\n";
	static const char a[] = "From: Hans\0Meier <a@b.de>\r\n";
	static const char i[] = "Message-ID: <a\0@b.de>\r\n";

	assert_int_equal(test_both(d, sizeof(d) - 1), -1);
	assert_int_equal(test_both(a, sizeof(a) - 1), -1);
	assert_int_equal(test_both(i, sizeof(i) - 1), -1);
}

/*
 * Deterministic mutations of the common forms (a byte replaced,
 * dropped or doubled, from a set of troublemakers): identical results
 * wherever the fast path takes the result.
 */
static void
test_mutations(void **state)
{
	static const char *const base[] = {
		"From: \"Krause, Thomas\" <t.krause@x.example>\r\n",
		"From: =?utf-8?Q?J=C3=BCrgen_M?= Meier <j.m@x.de>\r\n",
		"To: Servicestelle IKZ <ikz@ssg-sachsen.de>\r\n",
		"Reply-To: a.b@c.de\r\n",
		"Message-ID: <b0@gro\xc3\x9fr\xc3\xb6hrsdorf.example>\r\n",
		"Date: Tue, 8 Oct 2024 15:12:56 +0200\r\n",
	};
	static const char bad[] = "<>@\"\\,;:()[]. \t\r\n\0\x01\x7f\xc3\xff=?0"
	    "9Az-";
	char	 f[128];
	uint32_t x = 2463534242u;
	size_t	 i, k, n, pos, taken = 0;

	for (i = 0; i < nitems(base); i++)
		for (k = 0; k < 3000; k++) {
			n = strlen(base[i]);
			memcpy(f, base[i], n);
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			pos = 6 + x % (n - 8);
			if (x % 3 == 0)
				f[pos] = bad[(x >> 8) % (sizeof(bad) - 1)];
			else if (x % 3 == 1) {
				memmove(f + pos, f + pos + 1, n - pos - 1);
				n--;
			} else {
				memmove(f + pos + 1, f + pos, n - pos);
				n++;
			}
			taken += test_both(f, n) == 0;
		}
	/* The mutations must leave the fast path something to agree on. */
	assert_true(taken > 1000);
}

/*
 * A header block: fast fields, then one libetpan must parse; the first
 * From, To and Message-ID count, the last Date.
 */
static void
test_env_order(void **state)
{
	static const char *const blocks[] = {
		"From: a@b.de\r\nFrom: c@d.de\r\nDate: 8 Oct 2024 15:12:56 "
		"+0200\r\nDate: 9 Oct 2024 15:12:56 +0200\r\n",
		"Date: 8 Oct 2024 15:12:56 +0200\r\nFrom: a@b.de (x)\r\n"
		"From: c@d.de\r\nDate: 9 Oct 2024 15:12:56 +0200 (CEST)\r\n",
		"To: a@b.de, c@d.de\r\nTo: e@f.de\r\nMessage-ID: <x@y>\r\n",
		"Message-ID: <x@y>\r\nMessage-ID: <z@y>\r\nReply-To: G: a@b"
		".de;\r\nReply-To: r@s.de\r\n",
		"From: Hans\r\n Meier <h@m.de>\r\nTo: <t@u.de>\r\n",
	};
	struct buf env = { 0 };
	struct mime_msg *f, *e;
	size_t	 i;

	for (i = 0; i < nitems(blocks); i++) {
		buf_adds(&env, blocks[i]);
		f = xcalloc(1, sizeof(*f));
		e = xcalloc(1, sizeof(*e));
		mime_fields_read_env(f, &env);
		mime_fields_etpan(e, env.data, env.len);
		test_msg_equal(f, e, env.data, env.len);
		mime_free(f);
		mime_free(e);
		env.len = 0;
	}
	buf_free(&env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_msgids),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_env_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
