/* test_imap.c - pieces of the IMAP module that need no server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>

#include "base/util.h"
#include "daemon/imap.h"

static void
check_utf7(const char *in, const char *want)
{
	char	*s = imap_utf7_encode(in);

	assert_string_equal(s, want);
	free(s);
}

static void
test_utf7(void **state)
{
	check_utf7("INBOX", "INBOX");
	check_utf7("Prüfen", "Pr&APw-fen");
	check_utf7("Bearbeitet", "Bearbeitet");
	check_utf7("A&B", "A&-B");
	/* RFC 3501 §5.1.3 example. */
	check_utf7("~peter/mail/台北/日本語",
	    "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
	check_utf7("Größe", "Gr&APYA3w-e");
	check_utf7("😀", "&2D3eAA-");
}

static void
test_loopback(void **state)
{
	assert_true(util_is_loopback("127.0.0.1"));
	assert_true(util_is_loopback("127.4.5.6"));
	assert_true(util_is_loopback("::1"));
	assert_true(util_is_loopback("localhost"));
	assert_false(util_is_loopback("10.0.0.1"));
	assert_false(util_is_loopback("mail.example.org"));
	assert_false(util_is_loopback("128.0.0.1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf7),
		cmocka_unit_test(test_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
