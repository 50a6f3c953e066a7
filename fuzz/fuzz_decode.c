/*
 * fuzz_decode.c - libFuzzer target for the decoders that read header and
 * body text on their own: RFC 2047 encoded words, format=flowed, HTML to
 * text, charset conversion and the quote splitter. The first byte picks
 * the decoder, the rest is its input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/quote.h"
#include "parsers/text.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_charsets[] = { "utf-8", "windows-1252",
    "iso-8859-1", "iso-8859-15", "us-ascii", "utf-16", "x-unknown" };

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
	struct quote_parts	 q;
	char			*s, *out = NULL;
	unsigned		 which;

	if (len < 1)
		return 0;
	which = data[0];
	s = xmalloc(len);		/* NUL-terminated copy of the rest */
	memcpy(s, data + 1, len - 1);
	s[len - 1] = '\0';
	switch (which % 6) {
	case 0:
		out = mime_decode_2047(s);
		break;
	case 1:
		out = mime_unflow(s, which & 0x80);
		break;
	case 2:
		out = mime_html_to_text(s, len - 1);
		break;
	case 3:
		out = text_to_utf8(s, len - 1,
		    fuzz_charsets[(which >> 3) % nitems(fuzz_charsets)]);
		break;
	case 4:
		memset(&q, 0, sizeof(q));
		quote_split(s, &q);
		quote_parts_free(&q);
		break;
	case 5:
		out = text_utf8_repair(s, len - 1);
		if (!text_utf8_valid(out, strlen(out)))
			abort();	/* a repaired string is valid */
		break;
	}
	free(out);
	free(s);
	return 0;
}
