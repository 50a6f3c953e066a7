/*
 * verdict_seeds.c - writes the wire-format verdicts of the given mails
 * into DIR, as the seed corpus of fuzz_verdict.
 *
 *	verdict_seeds DIR MAIL...
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/parse.h"

int
main(int argc, char **argv)
{
	struct parse_ctx ctx = { 0 };
	struct verdict	*v;
	char		*raw, *enc, path[4096];
	size_t		 len, n;
	FILE		*f;
	int		 i;

	log_init("verdict_seeds", 1, 0);
	mime_init();
	ctx.review_below = 0.8;
	for (i = 2; i < argc; i++) {
		if ((raw = util_read_file(argv[i], &len)) == NULL)
			continue;
		v = parse_mail(raw, len, &ctx);
		enc = verdict_encode(v, &n);
		snprintf(path, sizeof(path), "%s/%d", argv[1], i - 1);
		if ((f = fopen(path, "wb")) == NULL || fwrite(enc, 1, n, f) !=
		    n || fclose(f) != 0) {
			perror(path);
			return 1;
		}
		free(enc);
		verdict_free(v);
		free(raw);
	}
	return 0;
}
