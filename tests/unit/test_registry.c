/* test_registry.c - seats, waiting list, cancellation and promotion. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/reg.h"
#include "registry/reg_int.h"
#include "testreg.h"

static int64_t
outbox_count(struct fx *fx, const char *kind, const char *rcpt)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	st = db_prepare(fx->db, "SELECT count(*) FROM outbox WHERE kind = ?"
	    " AND rcpt = ?");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, rcpt);
	sqlite3_step(st);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The newest letter to rcpt, quoted-printable undone (UTF-8 text). */
static char *
letter(struct fx *fx, const char *rcpt)
{
	sqlite3_stmt	*st;
	char		*b = NULL, *r, *w, hex[3] = { 0 };

	st = db_prepare(fx->db, "SELECT body FROM outbox WHERE rcpt = ?"
	    " ORDER BY id DESC LIMIT 1");
	db_bind_text(st, 1, rcpt);
	if (sqlite3_step(st) == SQLITE_ROW)
		b = db_column_strdup(st, 0);
	sqlite3_finalize(st);
	assert_non_null(b);
	for (r = w = b; *r; r++) {
		if (r[0] == '=' && r[1] == '\r' && r[2] == '\n') {
			r += 2;
			continue;
		}
		if (r[0] == '=' && isxdigit((unsigned char)r[1]) &&
		    isxdigit((unsigned char)r[2])) {
			hex[0] = r[1];
			hex[1] = r[2];
			*w++ = (char)strtol(hex, NULL, 16);
			r += 2;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	/* IKZ_LETTERS=dir: keep each letter to read it as a recipient */
	if (getenv("IKZ_LETTERS")) {
		char *path = xasprintf("%s/%s.txt", getenv("IKZ_LETTERS"), rcpt);
		FILE *f = fopen(path, "w");

		if (f) {
			fputs(b, f);
			fclose(f);
		}
		free(path);
	}
	return b;
}

/* How often needle occurs in s. */
static int
count_in(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

#define T0 1800000000	/* 2027, before the event */

static void
test_seats_then_waitlist_then_full(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	decide(fx, T0 + 5, INTENT_REGISTER, "e@x.de", "Epsilon");
	assert_status(fx, "a@x.de", "confirmed");
	assert_status(fx, "b@x.de", "confirmed");
	assert_status(fx, "c@x.de", "waitlisted");
	assert_status(fx, "d@x.de", "waitlisted");
	assert_status(fx, "e@x.de", "none");
	assert_int_equal(outbox_count(fx, "confirmed", "a@x.de"), 1);
	assert_int_equal(outbox_count(fx, "waitlisted", "c@x.de"), 1);
	assert_int_equal(outbox_count(fx, "full", "e@x.de"), 1);
	/* Every decision left an audit row. */
	assert_true(db_query_int(fx->db, "SELECT count(*) FROM audit", NULL,
	    0) >= 5);
}

static void
test_cancel_promotes_first_waiting(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	decide(fx, T0 + 9, INTENT_CANCEL, "a@x.de", NULL);
	assert_status(fx, "a@x.de", "cancelled");
	assert_status(fx, "c@x.de", "confirmed");
	assert_status(fx, "d@x.de", "waitlisted");
	assert_int_equal(outbox_count(fx, "cancelled", "a@x.de"), 1);
	assert_int_equal(outbox_count(fx, "promoted", "c@x.de"), 1);
	assert_int_equal(outbox_count(fx, "promoted", "d@x.de"), 0);
	/* Cancelling a waiting person promotes nobody. */
	decide(fx, T0 + 10, INTENT_CANCEL, "d@x.de", NULL);
	assert_status(fx, "d@x.de", "cancelled");
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'promoted'", NULL, 0), 1);
}

static void
test_duplicate_and_closed(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "a@x.de", "Alpha");
	assert_int_equal(outbox_count(fx, "already-registered", "a@x.de"), 1);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM "
	    "registrations", NULL, 0), 1);
	/* After the start of the event: closed, nothing booked. */
	decide(fx, 1952000000, INTENT_REGISTER, "z@x.de", "Zeta");
	assert_status(fx, "z@x.de", "none");
	assert_int_equal(outbox_count(fx, "closed", "z@x.de"), 1);
}

static void
test_unknown_cancel_and_auto(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_CANCEL, "nobody@x.de", NULL);
	decide(fx, T0 + 2, INTENT_AUTO, "mailer-daemon@x.de", NULL);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM outbox",
	    NULL, 0), 0);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE state = 'review'", NULL, 0), 1);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE state = 'decided' AND intent = 'auto_generated'", NULL, 0),
	    1);
}

static void
test_copy_is_ignored(void **state)
{
	struct fx	*fx = *state;
	const char	*raw = "Message-ID: <same@x>\r\n\r\nhello\r\n";
	uint32_t	 last;

	assert_int_equal(msg_store(fx->db, "INBOX", 1, 5, T0, raw,
	    strlen(raw), strlen(raw)), 0);
	/* The same bytes after a UIDVALIDITY change. */
	assert_int_equal(msg_store(fx->db, "INBOX", 2, 1, T0, raw,
	    strlen(raw), strlen(raw)), 0);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE state = 'ignored'", NULL, 0), 1);
	assert_int_equal(msg_last_uid(fx->db, "INBOX", 1, &last), 0);
	assert_int_equal(last, 5);
	assert_int_equal(msg_last_uid(fx->db, "INBOX", 2, &last), 0);
	assert_int_equal(last, 1);
	assert_int_equal(msg_last_uid(fx->db, "INBOX", 3, &last), 0);
	assert_int_equal(last, 0);
}

/*
 * A read that fails is an error, never "no row": a temporary view that
 * shadows the table raises "integer overflow" while the row is read (as
 * a corrupted page or a lock would), and each reader must say -1.
 */
#define TEST_FAIL	"abs(-9223372036854775807 - 1)"

static void
test_read_errors(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { 0 };
	uint32_t	 last = 7;

	assert_int_equal(db_exec(fx->db, "CREATE TEMP VIEW mailbox_state AS"
	    " SELECT 'INBOX' AS mailbox, 1 AS uidvalidity, " TEST_FAIL
	    " AS last_uid"), 0);
	assert_int_equal(msg_last_uid(fx->db, "INBOX", 1, &last), -1);
	assert_int_equal(last, 0);
	assert_int_equal(db_exec(fx->db, "CREATE TEMP VIEW registrations AS"
	    " SELECT 1 AS id, CASE WHEN " TEST_FAIL " THEN 'fv3' END AS"
	    " event_key, 'waitlisted' AS status, 'a@x.example' AS email,"
	    " 'A' AS family_name, 'B' AS given_name, 'O' AS organisation,"
	    " 0 AS arrival, 0 AS arrival_uid, 0 AS arrival_seq"), 0);
	assert_int_equal(reg_position(fx->db, 1), -1);
	people_init(&p);
	p.email = "a@x.example";
	assert_int_equal(reg_find_person(fx->db, "fv3", &p, 0), -1);
	assert_int_equal(reg_count(fx->db, "fv3", "waitlisted"), -1);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM"
	    " registrations WHERE event_key = 'fv3'", NULL, 0), -1);
}

static void
test_msg_header_unfolds(void **state)
{
	const char	*raw = "Subject: Anmeldung 3.\r\n Fachveranstaltung\r\n"
	    "references: <a@x>\r\n\t<b@y>\r\nMessage-ID:  <m@z> \r\n"
	    "\r\nX-Later: not a header\r\n";
	char		*v;

	(void)state;
	v = msg_header(raw, strlen(raw), "Subject");
	assert_string_equal(v, "Anmeldung 3. Fachveranstaltung");
	free(v);
	v = msg_header(raw, strlen(raw), "References");
	assert_string_equal(v, "<a@x>\t<b@y>");	/* no CR, no extra space */
	free(v);
	v = msg_header(raw, strlen(raw), "message-id");
	assert_string_equal(v, "<m@z>");
	free(v);
	assert_null(msg_header(raw, strlen(raw), "X-Later"));
	assert_null(msg_header(raw, strlen(raw), "Subj"));
}

static void
test_newer_schema_refused(void **state)
{
	struct fx	*fx = *state;
	sqlite3		*db2;

	assert_int_equal(db_exec(fx->db, "PRAGMA user_version = 99"), 0);
	db2 = db_open(fx->cf->database);
	assert_null(db2);
}

static int64_t
q(struct fx *fx, const char *sql)
{
	return db_query_int(fx->db, sql, NULL, -1);
}

/* 1 if an outbox row of kind to rcpt contains needle (QP soft breaks
 * removed). */
static int
outbox_has(struct fx *fx, const char *kind, const char *rcpt,
    const char *needle)
{
	sqlite3_stmt	*st;
	char		*b, *r, *w;
	int		 found = 0;

	st = db_prepare(fx->db, "SELECT body FROM outbox WHERE kind = ?"
	    " AND rcpt = ?");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, rcpt);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		b = db_column_strdup(st, 0);
		for (r = w = b; *r; r++) {
			if (r[0] == '=' && r[1] == '\r' && r[2] == '\n') {
				r += 2;
				continue;
			}
			*w++ = *r;
		}
		*w = '\0';
		found = strstr(b, needle) != NULL;
		free(b);
	}
	sqlite3_finalize(st);
	return found;
}

static int
position_of(struct fx *fx, const char *email)
{
	sqlite3_stmt	*st;
	int		 pos = -1;

	st = db_prepare(fx->db, "SELECT count(*) FROM registrations w,"
	    " registrations r WHERE r.email = ? AND r.status = 'waitlisted'"
	    " AND w.event_key = r.event_key AND w.status = 'waitlisted' AND"
	    " (w.arrival, w.arrival_uid, w.arrival_seq, w.id) <= (r.arrival,"
	    " r.arrival_uid, r.arrival_seq, r.id)");
	db_bind_text(st, 1, email);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return pos;
}

/* Same INTERNALDATE: the UID decides, whatever order they were stored in. */
static void
test_same_internaldate_uid_order(void **state)
{
	struct fx	*fx = *state;
	static const uint32_t uids[] = { 12, 10, 11 };
	struct who	 w = { NULL, NULL, NULL };
	struct verdict	*v;
	struct msg	 m;
	char		 raw[128], email[32], fam[16];
	size_t		 i;

	for (i = 0; i < 3; i++) {
		snprintf(raw, sizeof(raw), "Message-ID: <s%u@t>\r\n\r\nx\r\n",
		    uids[i]);
		assert_int_equal(msg_store(fx->db, "INBOX", 7, uids[i], T0,
		    raw, strlen(raw), strlen(raw)), 0);
	}
	while (msg_next_received(fx->db, &m) == 1) {
		snprintf(email, sizeof(email), "u%u@x.de", m.uid);
		snprintf(fam, sizeof(fam), "U%u", m.uid);
		w.email = email;
		w.family = fam;
		v = verdict_for(fx, INTENT_REGISTER, "fv3", email, &w, 1);
		assert_int_equal(reg_decide(fx->db, fx->cf, &m, v, "daemon"),
		    0);
		verdict_free(v);
		msg_free(&m);
	}
	assert_status(fx, "u10@x.de", "confirmed");
	assert_status(fx, "u11@x.de", "confirmed");
	assert_status(fx, "u12@x.de", "waitlisted");
}

/* A review mail holds its place: a later arrival waits behind it. */
static void
test_review_holds_place(void **state)
{
	struct fx	*fx = *state;
	struct who	 h = { "h@x.de", "Held", NULL };
	struct reg_resolution rs = { 0 };
	struct reg_result res;
	int64_t		 mid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mid = mail(fx, T0 + 2, INTENT_REGISTER, "fv3", "h@x.de", &h, 1, 1);
	assert_int_equal(reg_held(fx->db, "fv3"), 1);
	decide(fx, T0 + 3, INTENT_REGISTER, "b@x.de", "Beta");
	assert_status(fx, "b@x.de", "waitlisted");
	assert_status(fx, "h@x.de", "none");
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    0);
	assert_string_equal(res.kind, "confirmed");
	assert_status(fx, "h@x.de", "confirmed");
	assert_status(fx, "b@x.de", "waitlisted");
	assert_int_equal(reg_held(fx->db, "fv3"), 0);
	assert_int_equal(outbox_count(fx, "confirmed", "h@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit WHERE actor ="
	    " 'anna' AND detail LIKE 'resolved by staff%'"), 1);
	/* Resolving twice is refused. */
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    -1);
	assert_true(res.refused);
}

/*
 * A review mail with no event holds nothing: a later arrival takes the
 * seat and keeps it; resolved, the mail waits ahead of later arrivals.
 */
static void
test_review_resolved_after_later_arrivals(void **state)
{
	struct fx	*fx = *state;
	struct who	 h = { "h@x.de", "Held", NULL };
	struct reg_resolution rs = { 0 };
	struct reg_result res;
	int64_t		 mid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mid = mail(fx, T0 + 2, INTENT_REGISTER, NULL, "h@x.de", &h, 1, 0);
	decide(fx, T0 + 3, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 4, INTENT_REGISTER, "c@x.de", "Gamma");
	assert_status(fx, "b@x.de", "confirmed");
	assert_int_equal(position_of(fx, "c@x.de"), 1);
	rs.event_key = "fv3";
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    0);
	assert_string_equal(res.kind, "waitlisted");
	assert_int_equal(res.position, 1);
	assert_status(fx, "b@x.de", "confirmed");
	assert_int_equal(position_of(fx, "h@x.de"), 1);
	assert_int_equal(position_of(fx, "c@x.de"), 2);
	/* The next free seat goes to the held mail, not to c. */
	decide(fx, T0 + 9, INTENT_CANCEL, "a@x.de", NULL);
	assert_status(fx, "h@x.de", "confirmed");
	assert_int_equal(outbox_count(fx, "promoted", "h@x.de"), 1);
	assert_status(fx, "c@x.de", "waitlisted");
}

/* Dismissing a review mail frees its held place for the next in line. */
static void
test_dismiss_releases_hold(void **state)
{
	struct fx	*fx = *state;
	struct who	 h = { "h@x.de", "Held", NULL };
	struct reg_resolution rs = { 0 };
	struct reg_result res;
	int64_t		 mid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mid = mail(fx, T0 + 2, INTENT_REGISTER, "fv3", "h@x.de", &h, 1, 1);
	decide(fx, T0 + 3, INTENT_REGISTER, "b@x.de", "Beta");
	assert_status(fx, "b@x.de", "waitlisted");
	rs.intent = INTENT_QUESTION;
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    0);
	assert_string_equal(res.kind, "dismissed");
	assert_status(fx, "b@x.de", "confirmed");
	assert_int_equal(outbox_count(fx, "promoted", "b@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox WHERE rcpt ="
	    " 'h@x.de'"), 0);
}

static void
test_already_registered_tells_position(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	decide(fx, T0 + 5, INTENT_REGISTER, "d@x.de", "Delta");
	assert_int_equal(outbox_count(fx, "already-registered", "d@x.de"), 1);
	assert_true(outbox_has(fx, "already-registered", "d@x.de",
	    "Warteliste, Platz 2"));
	/* Same name and organisation, other address: still the same. */
	decide(fx, T0 + 6, INTENT_REGISTER, "alpha2@x.de", "Alpha");
	assert_int_equal(outbox_count(fx, "already-registered",
	    "alpha2@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM registrations"), 4);
}

static void
test_per_organisation(void **state)
{
	struct fx	*fx = *state;
	struct who	 a = { "a@x.de", "Alpha", "Stadt X" };
	struct who	 b = { "b@x.de", "Beta", "Stadt X" };
	struct who	 c = { "c@x.de", "Gamma", "Stadt Y" };

	mail(fx, T0 + 1, INTENT_REGISTER, "org", "a@x.de", &a, 1, 0);
	mail(fx, T0 + 2, INTENT_REGISTER, "org", "b@x.de", &b, 1, 0);
	mail(fx, T0 + 3, INTENT_REGISTER, "org", "c@x.de", &c, 1, 0);
	assert_status(fx, "a@x.de", "confirmed");
	assert_status(fx, "b@x.de", "waitlisted");
	assert_status(fx, "c@x.de", "confirmed");
	assert_true(outbox_has(fx, "waitlisted", "b@x.de", "Grund: Je "
	    "Organisation sind"));
	/* A seat is free, but b's organisation is still at its limit. */
	assert_int_equal(q(fx, "SELECT count(*) FROM registrations WHERE"
	    " event_key = 'org' AND status = 'confirmed'"), 2);
	mail(fx, T0 + 4, INTENT_CANCEL, "org", "a@x.de", NULL, 0, 0);
	assert_status(fx, "b@x.de", "confirmed");
	assert_int_equal(outbox_count(fx, "promoted", "b@x.de"), 1);
}

static void
test_registration_closes(void **state)
{
	struct fx	*fx = *state;
	struct who	 a = { "a@x.de", "Alpha", NULL };
	struct who	 b = { "b@x.de", "Beta", NULL };

	mail(fx, T0 + 1, INTENT_REGISTER, "late", "a@x.de", &a, 1, 0);
	mail(fx, T0 + 7200, INTENT_REGISTER, "late", "b@x.de", &b, 1, 0);
	assert_status(fx, "a@x.de", "confirmed");
	assert_status(fx, "b@x.de", "none");
	assert_int_equal(outbox_count(fx, "closed", "b@x.de"), 1);
}

/* Several people in one mail: in the order written, one reply. */
static void
test_several_people_one_reply(void **state)
{
	struct fx	*fx = *state;
	struct who	 w[3] = { { "p1@x.de", "Eins", NULL },
			    { "p2@x.de", "Zwei", NULL },
			    { "p3@x.de", "Drei", NULL } };

	mail(fx, T0 + 1, INTENT_REGISTER, "fv3", "sek@x.de", w, 3, 0);
	assert_status(fx, "p1@x.de", "confirmed");
	assert_status(fx, "p2@x.de", "confirmed");
	assert_status(fx, "p3@x.de", "waitlisted");
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(outbox_count(fx, "confirmed", "sek@x.de"), 1);
	/* each person as understood: name, organisation, status */
	assert_true(outbox_has(fx, "confirmed", "sek@x.de",
	    "- Anna Drei, Gemeinde Musterdorf: Warteliste, Platz 1"));
	assert_true(outbox_has(fx, "confirmed", "sek@x.de",
	    "- Anna Zwei, Gemeinde Musterdorf: Teilnahme"));
}

/*
 * The letters about 1, 2 and 3 people: each person once, in one list
 * that says what was done for them; one person: the block "So haben
 * wir Ihre Nachricht verstanden"; everyone full: still the list.
 */
static void
test_letters_list_each_person_once(void **state)
{
	struct fx	*fx = *state;
	struct who	 one = { "p1@x.de", "Eins", NULL };
	struct who	 three[3] = { { "p2@x.de", "Zwei", NULL },
			    { "p3@x.de", "Drei", NULL },
			    { "p4@x.de", "Vier", NULL } };
	struct who	 two[2] = { { "p5@x.de", "Fuenf", NULL },
			    { "p6@x.de", "Sechs", NULL } };
	struct who	 org[2] = { { "x1@x.de", "Ix", "Stadt X" },
			    { "x2@x.de", "Ixzwei", "Stadt X" } };
	char		*b;
	size_t		 i;

	mail(fx, T0 + 1, INTENT_REGISTER, "fv3", "p1@x.de", &one, 1, 0);
	b = letter(fx, "p1@x.de");
	assert_int_equal(count_in(b, "Anna Eins"), 1);
	assert_int_equal(count_in(b, "So haben wir Ihre Nachricht "
	    "verstanden"), 1);
	free(b);
	/* 3 people: a seat, then the waiting list (mixed) */
	mail(fx, T0 + 2, INTENT_REGISTER, "fv3", "sek@x.de", three, 3, 0);
	b = letter(fx, "sek@x.de");
	for (i = 0; i < 3; i++) {
		char *nm = xasprintf("Anna %s", three[i].family);

		assert_int_equal(count_in(b, nm), 1);
		free(nm);
	}
	assert_int_equal(count_in(b, "verstanden"), 0);
	assert_non_null(strstr(b, "- Anna Zwei, Gemeinde Musterdorf: "
	    "Teilnahme bestätigt\r\n- Anna Drei, Gemeinde Musterdorf: "
	    "Warteliste, Platz 1\r\n- Anna Vier, Gemeinde Musterdorf: "
	    "Warteliste, Platz 2\r\n"));
	/* the letter goes to the sender, not to the first person named */
	assert_null(strstr(b, "Frau Zwei"));
	free(b);
	/* 2 people, both too late for seat and waiting list */
	mail(fx, T0 + 3, INTENT_REGISTER, "fv3", "sek2@x.de", two, 2, 0);
	b = letter(fx, "sek2@x.de");
	assert_non_null(strstr(b, "Subject: Ausgebucht"));
	assert_int_equal(count_in(b, "Anna Fuenf"), 1);
	assert_int_equal(count_in(b, "Anna Sechs"), 1);
	assert_non_null(strstr(b, "- Anna Sechs, Gemeinde Musterdorf: "
	    "nicht angemeldet (ausgebucht)"));
	free(b);
	/* 2 people of one organisation, one seat each organisation */
	mail(fx, T0 + 4, INTENT_REGISTER, "org", "sek3@x.de", org, 2, 0);
	b = letter(fx, "sek3@x.de");
	assert_int_equal(count_in(b, "Anna Ix,"), 1);
	assert_int_equal(count_in(b, "Anna Ixzwei"), 1);
	assert_non_null(strstr(b, "Höchstzahl je Organisation"));
	free(b);
}

/* Raising seats promotes, several at once, in order; shrinking refused. */
static void
test_capacity_change(void **state)
{
	struct fx	*fx = *state;

	fx->cf->events[0].waitlist = 0;
	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	decide(fx, T0 + 5, INTENT_REGISTER, "e@x.de", "Epsilon");
	fx->cf->events[0].seats = 4;
	assert_int_equal(reg_sync_events(fx->db, fx->cf), 0);
	assert_status(fx, "c@x.de", "confirmed");
	assert_status(fx, "d@x.de", "confirmed");
	assert_status(fx, "e@x.de", "waitlisted");
	assert_int_equal(outbox_count(fx, "promoted", "c@x.de"), 1);
	assert_int_equal(outbox_count(fx, "promoted", "d@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit WHERE actor ="
	    " 'config' AND action = 'promoted'"), 2);
	/* Below the confirmed count: refused, database unchanged. */
	fx->cf->events[0].seats = 3;
	assert_int_equal(reg_sync_events(fx->db, fx->cf), -1);
	assert_int_equal(q(fx, "SELECT seats FROM events WHERE key = 'fv3'"),
	    4);
}

static void
test_event_removal(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	fx->cf->nevents = 2;	/* "late" gone: nobody registered */
	assert_int_equal(reg_sync_events(fx->db, fx->cf), 0);
	assert_int_equal(q(fx, "SELECT retired FROM events WHERE key ="
	    " 'late'"), 1);
	/* "fv3" gone (it is first: drop it by moving "org" over it). */
	fx->cf->events[0].key[0] = 'X';
	assert_int_equal(reg_sync_events(fx->db, fx->cf), -1);
	assert_int_equal(q(fx, "SELECT retired FROM events WHERE key ="
	    " 'fv3'"), 0);
	fx->cf->events[0].key[0] = 'f';
	fx->cf->nevents = 3;
}

/*
 * Only the person or whoever registered them may cancel or substitute by
 * mail: a stranger naming a registered person goes to staff, nothing
 * changes; the secretary who registered her mayor may cancel him.
 */
static void
test_stranger_cannot_cancel(void **state)
{
	struct fx	*fx = *state;
	struct who	 mayor = { "bm@x.de", "Mayer", NULL };
	struct who	 w[2] = { { "bm@x.de", "Mayer", NULL },
			    { "z@evil.example", "Zeta", NULL } };

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mail(fx, T0 + 2, INTENT_REGISTER, "fv3", "sek@x.de", &mayor, 1, 0);
	assert_status(fx, "bm@x.de", "confirmed");
	decide(fx, T0 + 3, INTENT_CANCEL, "evil@evil.example", NULL);
	mail(fx, T0 + 4, INTENT_CANCEL, "fv3", "evil@evil.example", &mayor, 1,
	    0);
	mail(fx, T0 + 5, INTENT_SUBSTITUTE, "fv3", "evil@evil.example", w, 2,
	    0);
	assert_status(fx, "bm@x.de", "confirmed");
	assert_status(fx, "z@evil.example", "none");
	assert_int_equal(q(fx, "SELECT count(*) FROM messages WHERE state ="
	    " 'review' AND reason LIKE '%neither the person nor who"
	    " registered them%'"), 2);
	/* The secretary who registered him, and he himself, may. */
	mail(fx, T0 + 6, INTENT_CANCEL, "fv3", "sek@x.de", &mayor, 1, 0);
	assert_status(fx, "bm@x.de", "cancelled");
	decide(fx, T0 + 7, INTENT_CANCEL, "a@x.de", "Alpha");
	assert_status(fx, "a@x.de", "cancelled");
}

/* Substitution: same seat, new person; both told. */
static void
test_substitution(void **state)
{
	struct fx	*fx = *state;
	struct who	 w[2] = { { "a@x.de", "Alpha", NULL },
			    { "z@x.de", "Zeta", NULL } };
	int64_t		 id;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	id = q(fx, "SELECT id FROM registrations WHERE email = 'a@x.de'");
	mail(fx, T0 + 2, INTENT_SUBSTITUTE, "fv3", "a@x.de", w, 2, 0);
	assert_int_equal(q(fx, "SELECT id FROM registrations WHERE email ="
	    " 'z@x.de' AND status = 'confirmed'"), id);
	assert_status(fx, "a@x.de", "none");
	assert_int_equal(outbox_count(fx, "substituted", "a@x.de"), 1);
	assert_int_equal(outbox_count(fx, "substituted", "z@x.de"), 1);
	assert_true(outbox_has(fx, "substituted", "z@x.de", "Anna Zeta"));
	/* Both letters name who had the place and who takes it. */
	assert_true(outbox_has(fx, "substituted", "a@x.de",
	    "Anstelle von Anna Alpha nimmt nun Anna Zeta teil"));
	assert_true(outbox_has(fx, "substituted", "z@x.de",
	    "Anstelle von Anna Alpha nimmt nun Anna Zeta teil"));
	/* The new person already registered: to staff, nothing changed. */
	decide(fx, T0 + 3, INTENT_REGISTER, "b@x.de", "Beta");
	w[0].email = "z@x.de";
	w[0].family = "Zeta";
	w[1].email = "b@x.de";
	w[1].family = "Beta";
	mail(fx, T0 + 4, INTENT_SUBSTITUTE, "fv3", "z@x.de", w, 2, 0);
	assert_status(fx, "z@x.de", "confirmed");
	assert_int_equal(q(fx, "SELECT count(*) FROM messages WHERE state ="
	    " 'review' AND reason LIKE 'substitution:%'"), 1);
}

/* Staff: phone registration, cancel, out-of-turn promotion, no-reply. */
static void
test_staff_actions(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { "Herr", "", "Max", "Tel", "", "Amt", "t@x.de" };
	struct person	 np = { "", "", "Neu", "Neu", "", "Amt", "n@x.de" };
	struct reg_result res;
	int64_t		 cid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	assert_int_equal(reg_add(fx->db, fx->cf, "fv3", &p, 0, "anna", &res),
	    0);
	assert_string_equal(res.kind, "confirmed");
	assert_int_equal(outbox_count(fx, "confirmed", "t@x.de"), 1);
	assert_int_equal(reg_add(fx->db, fx->cf, "fv3", &p, 0, "anna", &res),
	    -1);
	assert_true(res.refused);
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	/* No free seat: the override is refused. */
	cid = q(fx, "SELECT id FROM registrations WHERE email = 'd@x.de'");
	assert_int_equal(reg_promote(fx->db, fx->cf, "fv3", cid, 0, "anna",
	    &res), -1);
	assert_true(res.refused);
	/* Cancel without reply: c moves up (and is told), a is not. */
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", 0,
	    "a@x.de", REG_NO_REPLY, "anna", &res), 0);
	assert_int_equal(outbox_count(fx, "cancelled", "a@x.de"), 0);
	assert_status(fx, "c@x.de", "confirmed");
	assert_int_equal(outbox_count(fx, "promoted", "c@x.de"), 0);
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", 0,
	    "a@x.de", 0, "anna", &res), -1);
	assert_true(res.refused);
	/* Cancel by id, then promote d out of turn by override. */
	decide(fx, T0 + 5, INTENT_REGISTER, "e@x.de", "Epsilon");
	cid = q(fx, "SELECT id FROM registrations WHERE email = 't@x.de'");
	fx->cf->events[0].seats = 3;
	assert_int_equal(reg_sync_events(fx->db, fx->cf), 0);
	assert_status(fx, "d@x.de", "confirmed");
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", cid, NULL,
	    0, "anna", &res), 0);
	assert_status(fx, "e@x.de", "confirmed");
	assert_int_equal(reg_substitute(fx->db, fx->cf, "fv3", cid, &np, 0,
	    "anna", &res), -1);
	cid = q(fx, "SELECT id FROM registrations WHERE email = 'e@x.de'");
	assert_int_equal(reg_substitute(fx->db, fx->cf, "fv3", cid, &np, 0,
	    "anna", &res), 0);
	assert_status(fx, "n@x.de", "confirmed");
	assert_int_equal(outbox_count(fx, "substituted", "n@x.de"), 1);
	assert_int_equal(outbox_count(fx, "substituted", "e@x.de"), 1);
	assert_true(q(fx, "SELECT count(*) FROM audit WHERE actor = 'anna'")
	    >= 4);
}

static void
test_staff_promote_override(void **state)
{
	struct fx	*fx = *state;
	struct who	 a = { "a@x.de", "Alpha", "Stadt X" };
	struct who	 b = { "b@x.de", "Beta", "Stadt X" };
	struct reg_result res;
	int64_t		 id;

	mail(fx, T0 + 1, INTENT_REGISTER, "org", "a@x.de", &a, 1, 0);
	mail(fx, T0 + 2, INTENT_REGISTER, "org", "b@x.de", &b, 1, 0);
	assert_status(fx, "b@x.de", "waitlisted");
	id = q(fx, "SELECT id FROM registrations WHERE email = 'b@x.de'");
	assert_int_equal(reg_promote(fx->db, fx->cf, "org", id, 0, "anna",
	    &res), 0);
	assert_status(fx, "b@x.de", "confirmed");
	assert_int_equal(outbox_count(fx, "promoted", "b@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit WHERE actor ="
	    " 'anna' AND action = 'promoted' AND detail LIKE"
	    " 'staff override%'"), 1);
}

/* A reply that cannot be rendered rolls the whole decision back. */
static void
test_decision_is_atomic(void **state)
{
	struct fx	*fx = *state;
	struct verdict	*v;
	struct who	 a = { "a@x.de", "Alpha", NULL };
	struct msg	 m;
	const char	*raw = "Message-ID: <at@t>\r\n\r\nx\r\n";
	char		*saved = fx->cf->templates;

	assert_int_equal(msg_store(fx->db, "INBOX", 7, 99, T0, raw,
	    strlen(raw), strlen(raw)), 0);
	assert_int_equal(msg_next_received(fx->db, &m), 1);
	v = verdict_for(fx, INTENT_REGISTER, "fv3", "a@x.de", &a, 1);
	fx->cf->templates = "/nonexistent";
	assert_int_equal(reg_decide(fx->db, fx->cf, &m, v, "daemon"), -1);
	fx->cf->templates = saved;
	assert_int_equal(q(fx, "SELECT count(*) FROM registrations"), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit"), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM messages WHERE state ="
	    " 'received'"), 1);
	verdict_free(v);
	msg_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_seats_then_waitlist_then_full, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancel_promotes_first_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_and_closed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_cancel_and_auto,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_is_ignored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_errors, setup,
		    teardown),
		cmocka_unit_test(test_msg_header_unfolds),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_internaldate_uid_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_holds_place,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_resolved_after_later_arrivals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dismiss_releases_hold,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_already_registered_tells_position,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_organisation,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_registration_closes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_people_one_reply,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_letters_list_each_person_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity_change,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_removal,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stranger_cannot_cancel,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_substitution,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_actions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_promote_override,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_decision_is_atomic,
		    setup, teardown),
	};

	log_init("test", 1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
