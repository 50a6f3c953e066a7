/*
 * cmd_print.c - print EVENT sign-in|badges|list -o FILE.pdf
 *
 * The people confirmed for the event (walk-ins included; --attended: only
 * those recorded as came), organisations normalised, as a PDF made by
 * print/. The file is created 0640: it holds personal data.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/util.h"
#include "print/print.h"
#include "registry/roster.h"
#include "spool/spool.h"

struct spool_print {
	enum print_kind	 kind;
	const char	*out;
	int		 attended;
};

static int
spool_print_opts(struct spool_print *sp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "attended", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (ch == 'o')
			sp->out = optarg;
		else if (ch == 'a')
			sp->attended = 1;
		else
			return -1;
	}
	if (optind + 2 != argc || sp->out == NULL)
		return -1;
	if (print_kind_parse(argv[optind + 1], &sp->kind) == -1) {
		fprintf(stderr, "ikzreg: \"%s\": sign-in, badges oder list\n",
		    argv[optind + 1]);
		return -1;
	}
	return 0;
}

/* The roster as print rows (pointers into r). */
static struct print_person *
spool_print_rows(const struct roster *r)
{
	struct print_person	*pp;
	size_t			 i;

	pp = xcalloc(r->n ? r->n : 1, sizeof(*pp));
	for (i = 0; i < r->n; i++) {
		pp[i].title = r->e[i].p.title;
		pp[i].given_name = r->e[i].p.given_name;
		pp[i].family_name = r->e[i].p.family_name;
		pp[i].function = r->e[i].p.function;
		pp[i].organisation = r->e[i].org;
		pp[i].org_written = r->e[i].p.organisation;
	}
	return pp;
}

static int
spool_print_run(struct spool_ctx *ctx, const struct event_cfg *ev,
    const struct spool_print *sp)
{
	struct roster		 r;
	struct print_doc	 doc = { 0 };
	struct print_stats	 st;
	struct tpl_vars		 tv = { 0 };
	char			 err[512];
	int			 ex = EX_OK;

	if (roster_load(ctx->db, ev->key, sp->attended ? ROSTER_ATTENDED :
	    ROSTER_CONFIRMED, &r) == -1)
		return EX_TEMPFAIL;
	spool_tpl_vars(ctx, ev, NULL, &tv);
	doc.event_title = ev->title;
	doc.event_when = tpl_get(&tv, "event_when");
	doc.event_location = ev->location;
	doc.office = tpl_get(&tv, "office");
	doc.people = spool_print_rows(&r);
	doc.n = r.n;
	if (print_pdf_file(sp->kind, &doc, sp->out, &st, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "ikzreg: %s\n", err);
		ex = EX_CANTCREAT;
	} else
		printf("%s: %s, %d Seite%s\n", sp->out, spool_plural(
		    (long long)r.n, "Person", "Personen"), st.pages,
		    st.pages == 1 ? "" : "n");
	free((void *)doc.people);
	tpl_vars_free(&tv);
	roster_free(&r);
	return ex;
}

int
spool_cmd_print(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct spool_print	 sp = { 0 };

	if (spool_print_opts(&sp, argc, argv) == -1)
		return spool_usage(argv[0]);
	if ((ev = spool_event_arg(ctx, argv[optind])) == NULL)
		return EX_DATAERR;
	return spool_print_run(ctx, ev, &sp);
}
