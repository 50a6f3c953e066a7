/*
 * fuzz_mail.c - libFuzzer target: one mail through the whole parser
 * (pre-scan, libetpan's MIME tree and our cuts, transfer and RFC 2047 /
 * 2231 decoding, HTML to text, quotes, people, intent, event), then the
 * verdict through its wire format and back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/parse.h"

static char *const fuzz_kw[] = { "interkommunal", "fachveranstaltung" };
static const struct parse_event fuzz_ev = { .key = "fv3", .title =
    "3. Fachveranstaltung", .starts = 1731400200, .ends = 1731421800,
    .registration_closes = 1730847540, .match = fuzz_kw, .nmatch = 2 };

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz", 1, 0);
	mime_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct parse_ctx ctx = { &fuzz_ev, 1, 1730000000, "ikz@example.org",
	    0.8 };
	struct verdict	*v, *w;
	char		*enc, *json;
	size_t		 n;

	v = parse_mail((const char *)data, len, &ctx);
	if (v == NULL)
		abort();		/* parse_mail never returns NULL */
	enc = verdict_encode(v, &n);
	if ((w = verdict_decode(enc, n)) == NULL)
		abort();		/* its own encoding must decode */
	json = verdict_to_json(w, "fuzz");
	free(json);
	verdict_free(w);
	free(enc);
	verdict_free(v);
	return 0;
}
