/*
 * cmd_analyse.c - `ikzreg analyse [-c FILE] MAIL.eml...`: the parser's
 * verdict on mail files, one JSON object per line.
 *
 * Works without a config: the built-in event list is the single
 * 3. Fachveranstaltung, our address that of the seed's office. Time
 * rules are judged at each mail's Date: header, so an old mail gets the
 * answer it got when it arrived. Parsing runs in this process (the
 * pre-scan keeps libetpan's known crashers out); the daemon uses the
 * isolated worker.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "parsers/parse.h"
#include "registry/events.h"
#include "spool/spool.h"
#include "templates/replycfg.h"

static char *spool_analyse_kw[] = { "interkommunal", "fachveranstaltung",
	"ikz" };

/* The seed's one event, for use without a config file. */
static void
spool_analyse_default(struct parse_event *e)
{
	memset(e, 0, sizeof(*e));
	e->key = "fv3";
	e->title = "3. Fachveranstaltung \xe2\x80\x9eM\xc3\xb6glichkeiten und "
	    "Chancen der interkommunalen Zusammenarbeit in Sachsen\xe2\x80\x9c";
	e->starts = util_parse_local_time("2024-11-12T09:30");
	e->ends = util_parse_local_time("2024-11-12T15:30");
	e->registration_closes = util_parse_local_time("2024-11-05T23:59");
	e->match = spool_analyse_kw;
	e->nmatch = nitems(spool_analyse_kw);
}

/* The daemon's default [imap] max_message_bytes, when there is no config. */
#define SPOOL_ANALYSE_MAX	(10L << 20)

/*
 * Prints the verdict on one file; -1 if it cannot be read. out is the
 * caller's line buffer, reused across files: one heap block for all.
 * A file over max bytes is refused before it is read, as the daemon
 * leaves such mail unread (a device such as /dev/zero after max bytes).
 */
static int
spool_analyse_file(const char *path, const struct parse_ctx *ctx,
    struct buf *out, size_t max)
{
	struct verdict	*v;
	char		*raw;
	size_t		 len;

	if ((raw = util_read_file_max(path, max, &len)) == NULL) {
		if (errno == EFBIG)
			log_warnx("%s: larger than %zu bytes, the limit of "
			    "[imap] max_message_bytes; the daemon sends such "
			    "mail to review unread", path, max);
		else
			log_warn("%s", path);
		return -1;
	}
	v = parse_mail(raw, len, ctx);
	out->len = 0;
	verdict_json_buf(out, v, path);
	buf_addc(out, '\n');
	fwrite(out->data, 1, out->len, stdout);
	verdict_free(v);
	free(raw);
	return 0;
}

int
spool_cmd_analyse(struct spool_ctx *sc, int argc, char **argv)
{
	struct parse_ctx ctx = { 0 };
	struct parse_event def, *events = NULL;
	struct config	*cf = NULL;
	struct buf	 out = { 0 };
	const char	*conf = sc->config_path;
	size_t		 max = SPOOL_ANALYSE_MAX;
	int		 i = 1, ex = EX_OK;

	if (i + 1 < argc && strcmp(argv[i], "-c") == 0) {
		conf = argv[i + 1];
		i += 2;
	}
	if (i >= argc)
		return spool_usage(argv[0]);
	if (conf != NULL) {
		if ((cf = replycfg_load(config_default_path(conf))) == NULL)
			return EX_CONFIG;
		ctx.events = events = events_for_parser(cf);
		ctx.nevents = cf->nevents;
		ctx.own_address = cf->smtp.from_addr;
		ctx.review_below = cf->review_below;
		max = (size_t)cf->imap.max_message_bytes;
	} else {
		spool_analyse_default(&def);
		ctx.events = &def;
		ctx.nevents = 1;
		ctx.own_address = "ikz@ssg-sachsen.de";
		ctx.review_below = 0.8;
	}
	/*
	 * Whole 64 KiB blocks instead of stdio's 4 KiB for a pipe: a
	 * reader then wakes a few times per thousand mails, not hundreds.
	 */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (; i < argc; i++)
		if (spool_analyse_file(argv[i], &ctx, &out, max) == -1)
			ex = EX_NOINPUT;
	if (fflush(stdout) == EOF)
		ex = EX_IOERR;
	buf_free(&out);
	free(events);
	config_free(cf);
	return ex;
}
