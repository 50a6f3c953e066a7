/*
 * testreg.h - the registry fixture shared by test_registry.c and
 * test_undo.c (header-only, static: include it in one .c per binary).
 *
 * A store with the events fv3 (2 seats, 2 waiting), org (3 seats, one per
 * organisation) and late (registration closed 2027-01-15), replies
 * uncapped; hand-made verdicts decided by reg_decide as the daemon would.
 */
#ifndef IKZ_TESTREG_H
#define IKZ_TESTREG_H

#include <stdint.h>
#include <time.h>

#include "base/util.h"
#include "parsers/verdict.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/reg.h"
#include "testutil.h"

struct fx {
	char		*dir;
	struct config	*cf;
	sqlite3		*db;
	uint32_t	 uid;
};

static int
setup(void **state)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));

	fx->dir = testutil_store_open(NULL,
	    "max_replies_per_address_per_day = 0\nmax_replies_per_hour = 0\n"
	    "[event fv3]\ntitle = 3. Fachveranstaltung\n"
	    "starts = 2030-11-12T09:30\nseats = 2\nwaitlist = 2\n"
	    "[event org]\ntitle = Org\nstarts = 2030-11-12T09:30\nseats = 3\n"
	    "per_organisation = 1\n"
	    "[event late]\ntitle = Late\nstarts = 2030-11-12T09:30\n"
	    "seats = 5\nregistration_closes = 2027-01-15T10:00\n", 1, &fx->cf,
	    &fx->db);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	testutil_store_close(fx->dir, fx->cf, fx->db);
	free(fx);
	return 0;
}

struct who {
	const char	*email;
	const char	*family;
	const char	*org;
};

/* A hand-made verdict for a mail from `from` naming people w[0..n-1]. */
static struct verdict *
verdict_for(struct fx *fx, enum intent in, const char *ev, const char *from,
    const struct who *w, size_t n)
{
	struct verdict	*v = verdict_new();
	struct person	*p;
	size_t		 i;

	v->intent = in;
	v->confidence = 0.95;
	v->reply_allowed = in != INTENT_AUTO;
	v->event_key = ev ? xstrdup(ev) : NULL;
	v->reply_to = xstrdup(from);
	v->from_addr = xstrdup(from);
	v->message_id = xasprintf("<m%u@test>", fx->uid);
	for (i = 0; i < n; i++) {
		p = verdict_add_person(v);
		people_set(&p->salutation, "Frau");
		people_set(&p->given_name, "Anna");
		people_set(&p->family_name, w[i].family);
		people_set(&p->organisation, w[i].org ? w[i].org :
		    "Gemeinde Musterdorf");
		people_set(&p->email, w[i].email);
	}
	return v;
}

/* Stores a mail arriving at t and decides it; returns the message id. */
static int64_t
mail(struct fx *fx, time_t t, enum intent in, const char *ev,
    const char *from, const struct who *w, size_t n, int review)
{
	struct verdict	*v;
	struct msg	 m;
	char		 raw[256];
	int64_t		 id;

	fx->uid++;
	snprintf(raw, sizeof(raw), "Message-ID: <m%u@test>\r\n"
	    "From: %s\r\n\r\nbody %u\r\n", fx->uid, from, fx->uid);
	assert_int_equal(msg_store(fx->db, "INBOX", 7, fx->uid, t, raw,
	    strlen(raw), strlen(raw)), 0);
	assert_int_equal(msg_next_received(fx->db, &m), 1);
	v = verdict_for(fx, in, ev, from, w, n);
	v->needs_review = review;
	assert_int_equal(reg_decide(fx->db, fx->cf, &m, v, "daemon"), 0);
	verdict_free(v);
	id = m.id;
	msg_free(&m);
	return id;
}

static void
decide(struct fx *fx, time_t t, enum intent in, const char *email,
    const char *family)
{
	struct who	 w = { email, family, NULL };

	mail(fx, t, in, "fv3", email, &w, family ? 1 : 0, 0);
}

static char *
status(struct fx *fx, const char *email)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	st = db_prepare(fx->db, "SELECT status FROM registrations WHERE "
	    "email = ? ORDER BY id DESC LIMIT 1");
	db_bind_text(st, 1, email);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = db_column_strdup(st, 0);
	sqlite3_finalize(st);
	return s ? s : xstrdup("none");
}

static void
assert_status(struct fx *fx, const char *email, const char *want)
{
	char	*s = status(fx, email);

	assert_string_equal(s, want);
	free(s);
}

#endif
