/*
 * test_parse_evidence.c - the evidence model of docs/evidence.md, one
 * test per rule: each doubt sends to review with its part named, each
 * part's evidence is quoted, and what is clear is still decided.
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
#include "parsers/parse.h"
#include "parsers/people.h"

static char *test_kw[] = { "fachveranstaltung" };
static struct parse_event test_ev = { .key = "fv3", .title =
	"3. Fachveranstaltung", .match = test_kw, .nmatch = 1 };

#define TEST_HEAD "From: %s\nSubject: %s\n" \
	"Date: Mon, 14 Oct 2024 09:00:00 +0200\n%s\n"
#define TEST_FROM "Anna Beispiel <anna@gemeinde-x.example>"

static struct verdict *
test_mail_from(const char *from, const char *subject, const char *hdrs,
    const char *body)
{
	struct parse_ctx ctx = { &test_ev, 1, 0, "ikz@example.org", 0.8 };
	struct verdict *v;
	char	*raw;

	test_ev.starts = 1731400200;		/* 2024-11-12 09:30 CET */
	test_ev.ends = 1731421800;
	test_ev.registration_closes = 1730847540;
	raw = xasprintf(TEST_HEAD "%s", from, subject, hdrs, body);
	v = parse_mail(raw, strlen(raw), &ctx);
	free(raw);
	return v;
}

static struct verdict *
test_mail(const char *subject, const char *body)
{
	return test_mail_from(TEST_FROM, subject, "", body);
}

static int
test_reason(const struct verdict *v, const char *part)
{
	size_t	 i;

	for (i = 0; i < v->nreasons; i++)
		if (strstr(v->reasons[i], part))
			return 1;
	return 0;
}

/* Asserts review with the named doubt, and frees v. */
static void
test_doubt(struct verdict *v, const char *doubt)
{
	if (!test_reason(v, doubt)) {
		size_t i;
		for (i = 0; i < v->nreasons; i++)
			fprintf(stderr, "  reason: %s\n", v->reasons[i]);
	}
	assert_int_equal(v->needs_review, 1);
	assert_true(test_reason(v, doubt));
	verdict_free(v);
}

/* A clear registration: decided, every part with its evidence quoted. */
static void
test_clear_registration_evidence(void **state)
{
	struct verdict *v = test_mail("Anmeldung", "Guten Tag,\n\nhiermit "
	    "melde ich mich zur 3. Fachveranstaltung an.\n\nAnna Beispiel\n"
	    "Kämmerin\nGemeinde X\n");

	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_true(test_reason(v, "evidence: intent: line 3: \"hiermit "
	    "melde ich mich zur 3. Fachveranstaltung an.\""));
	assert_true(test_reason(v, "evidence: people: Anna Beispiel (source: "
	    "display name)"));
	assert_true(test_reason(v, "evidence: event: 'fv3'"));
	assert_true(test_reason(v, "evidence: sender: replies go to "
	    "anna@gemeinde-x.example"));
	verdict_free(v);
}

/*
 * A dictated mail or one signed on behalf of another: the "ich" may be
 * the mayor named in the signature, not the secretary who sends it.
 */
static void
test_people_signed_for_another(void **state)
{
	static const char *const body[] = {
	    "Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich zur "
	    "3. Fachveranstaltung an.\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f"
	    "en\n\nThomas Vogel\nB\xc3\xbcrgermeister\n\ndiktiert, nach "
	    "Diktat verreist\ni.A. Monika Brandt\nGemeinde Lindenau\n",
	    "Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich zur "
	    "3. Fachveranstaltung an.\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f"
	    "en\ni.A. Monika Brandt\nf\xc3\xbcr B\xc3\xbcrgermeister Thomas "
	    "Vogel\nGemeinde Lindenau\n",
	};
	struct verdict *v;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(body); i++)
		test_doubt(test_mail_from("Monika Brandt "
		    "<sekretariat@lindenau.example>", "Anmeldung", "", body[i]),
		    "review: people: named in the text but not booked:, "
		    "Thomas Vogel");
	/* her own mail, signed i.A. with her own name: decided */
	v = test_mail_from("Monika Brandt <m.brandt@lindenau.example>",
	    "Anmeldung", "", "Guten Tag,\n\nich nehme an der 3. "
	    "Fachveranstaltung teil.\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f"
	    "en\ni.A.\nMonika Brandt\nHauptamt, Gemeinde Lindenau\n"
	    "Vertretung im Urlaub: Maria Fuchs\nMartin Luther Stra\xc3\x9f" "e 5"
	    "\n");
	assert_int_equal(v->needs_review, 0);
	verdict_free(v);
}

static void
test_intent_reader_addressed(void **state)
{
	test_doubt(test_mail("Teilnehmerliste", "Bitte melden Sie sich "
	    "unter dem Link mit Ihrem Konto an, um die Liste zur "
	    "Fachveranstaltung zu sehen.\n"), "review: intent: the reader is "
	    "asked to register or log in");
}

static void
test_intent_third_person_alone(void **state)
{
	test_doubt(test_mail("Anmeldung", "Ich melde mich zur "
	    "Fachveranstaltung an. Unser Bauamtsleiter meldet sich noch "
	    "selbst an.\n\nAnna Beispiel\n"), "review: intent: a third person "
	    "registers on their own");
}

static void
test_intent_distribution_list(void **state)
{
	struct verdict *v = test_mail("Verteiler", "Bitte streichen Sie mich "
	    "aus Ihrem Verteiler.\n\nAnna Beispiel\n");

	assert_int_not_equal(v->intent, INTENT_CANCEL);
	test_doubt(v, "review: intent: a request about the distribution list");
}

static void
test_intent_only_asked(void **state)
{
	struct verdict *v = test_mail("Fachveranstaltung", "Ich hatte mich "
	    "angemeldet. Kann ich mich noch abmelden?\n\nAnna Beispiel\n");

	assert_int_equal(v->needs_review, 1);
	assert_true(test_reason(v, "question:"));
	verdict_free(v);
}

static void
test_intent_hedges(void **state)
{
	static const char *const body[] = {
	    "Ich werde voraussichtlich an der Fachveranstaltung teilnehmen "
	    "und melde mich hiermit an.\n",
	    "Ist die Teilnahme für Zweckverbände möglich? Wenn ja, melde ich "
	    "mich hiermit an.\n",
	    "I would like to register for the event, subject to approval.\n",
	    /* conditions and doubts of the sender's own */
	    "Ich w\xc3\xbcrde gern teilnehmen, wei\xc3\x9f aber noch nicht, "
	    "ob ich den Termin halten kann.\n",
	    "Ich melde mich zur Fachveranstaltung an, vorausgesetzt mein "
	    "Urlaub wird nicht verschoben.\n",
	    /* a colleague would come, the sender cannot: no registration */
	    "Meine Kollegin Frau Petra Kunze w\xc3\xbcrde gerne teilnehmen. "
	    "Ich selbst kann leider nicht.\n",
	    /* a table of two, booked as the writer: the table is not read */
	    "F\xc3\xbcr die 3. Fachveranstaltung melden wir an:\n\nName | "
	    "Vorname | Funktion\nKrause | Birgit | K\xc3\xa4mmerin\n"
	    "Schubert | Lars | Bauamtsleiter\n",
	    /* the sender registers a colleague and does not come himself */
	    "Ich melde meine Mitarbeiterin Frau Sabine Roth zur "
	    "Fachveranstaltung an. Ich selbst komme nicht.\n",
	    /* a tab-separated table read as the writer */
	    "Hiermit melden wir zur 3. Fachveranstaltung an:\nKrause\tBirgit"
	    "\tK\xc3\xa4mmerin\n\nAnna Beispiel\n",
	    /* "wir zu zweit", only the sender booked */
	    "Wir nehmen zu zweit teil: ich und meine Kollegin Eva "
	    "Dvo\xc5\x99\xc3\xa1k.\n",
	};
	size_t	 i;

	for (i = 0; i < nitems(body); i++) {
		struct verdict *v = test_mail("Fachveranstaltung", body[i]);
		assert_int_equal(v->needs_review, 1);
		verdict_free(v);
	}
}

static void
test_intent_answers_our_reply(void **state)
{
	struct verdict *v = test_mail("AW: Anmeldebest\xc3\xa4tigung: "
	    "3. Fachveranstaltung", "Leider muss ich absagen.\n\nAnna "
	    "Beispiel\n");

	assert_int_equal(v->intent, INTENT_CANCEL);
	test_doubt(v, "review: intent: the mail answers one of our replies");
}

/* Every template's subject is one the parser knows as ours. */
static void
test_template_subjects_known(void **state)
{
	static const char *const tpl[] = { "already-registered", "cancelled",
	    "closed", "confirmed", "documentation", "full", "promoted",
	    "reminder", "review-ack", "substituted", "waitlisted" };
	char	 path[128], line[256], *subj, *e;
	size_t	 i;
	FILE	*f;

	for (i = 0; i < nitems(tpl); i++) {
		snprintf(path, sizeof(path), "templates/de/%s.txt", tpl[i]);
		assert_non_null(f = fopen(path, "r"));
		assert_non_null(fgets(line, sizeof(line), f));
		fclose(f);
		assert_int_equal(strncmp(line, "Betreff: ", 9), 0);
		if ((e = strstr(line, "{{")) != NULL)
			*e = '\0';
		subj = xasprintf("AW: %s 3. Fachveranstaltung", line + 9);
		struct verdict *v = test_mail(subj, "Danke.\n");
		if (!test_reason(v, "answers one of our replies"))
			fail_msg("not known as ours: %s", subj);
		verdict_free(v);
		free(subj);
	}
}

static void
test_people_named_not_booked(void **state)
{
	test_doubt(test_mail("Anmeldung", "Hiermit melde ich mich zur "
	    "Fachveranstaltung an.\nUnser Bauhofleiter Herr Bernd Pientka "
	    "hat leider Urlaub.\n\nAnna Beispiel\n"), "review: people: named in "
	    "the text but not booked:, Pientka");
}

static void
test_people_stray_address(void **state)
{
	test_doubt(test_mail("Anmeldung", "Wir kommen zur Fachveranstaltung, "
	    "ich melde mich an und dr Kämmerer Frank Lötzsch "
	    "(f.loetzsch@gemeinde-x.example).\n\nAnna Beispiel\n"),
	    "review: people: an address in the text belongs to nobody booked:, "
	    "f.loetzsch@gemeinde-x.example");
}

static void
test_people_forward_from_other(void **state)
{
	test_doubt(test_mail("WG: Fachveranstaltung", "Ich melde hiermit zur "
	    "Fachveranstaltung an.\n\nAnna Beispiel\n\n"
	    "-----Urspr\xc3\xbcngliche Nachricht-----\nVon: Pientka, Holger "
	    "<h.pientka@gemeinde-x.example>\nBetreff: Fachveranstaltung\n\n"
	    "Ich w\xc3\xbcrde gern teilnehmen.\n"), "review: people: a "
	    "forwarded mail, not ours, may name someone else");
}

/*
 * An invitation forwarded as an attachment (message/rfc822), the
 * forwarder registering herself in her own words: the forward is only
 * the background, she is booked. A forwarded mail in which someone
 * commits in the first person still goes to review.
 */
static void
test_people_forward_as_background(void **state)
{
	struct verdict *v;

	(void)state;
	v = test_mail_from("Claudia Wei\xc3\x9f <c.weiss@lindenau.example>",
	    "WG: Einladung 3. Fachveranstaltung", "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BB\"\n",
	    "--BB\nContent-Type: text/plain; charset=utf-8\n\nGuten Tag,\n\n"
	    "die Einladung wurde mir weitergeleitet. Hiermit melde ich mich "
	    "zur 3. Fachveranstaltung an.\n\nMit freundlichen Gr\xc3\xbc\xc3"
	    "\x9f" "en\nClaudia Wei\xc3\x9f\nBauamt, Gemeinde Lindenau\n"
	    "\n--BB\nContent-Type: message/rfc822\n\nFrom: Thomas Vogel "
	    "<bm@lindenau.example>\nSubject: Einladung\nContent-Type: "
	    "text/plain; charset=utf-8\n\nFrau Wei\xc3\x9f, bitte melden "
	    "Sie sich an, wenn Sie Zeit haben.\nVogel\n\n--BB--\n");
	if (v->needs_review) {
		size_t i;
		for (i = 0; i < v->nreasons; i++)
			fprintf(stderr, "  reason: %s\n", v->reasons[i]);
	}
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].family_name, "Wei\xc3\x9f");
	verdict_free(v);
	test_doubt(test_mail_from("Claudia Wei\xc3\x9f "
	    "<c.weiss@lindenau.example>", "WG: Fachveranstaltung", "",
	    "Hiermit melde ich mich zur 3. Fachveranstaltung an.\n\n"
	    "Claudia Wei\xc3\x9f\n\n-----Urspr\xc3\xbcngliche Nachricht-----\n"
	    "Von: Vogel, Thomas <bm@lindenau.example>\nBetreff: "
	    "Fachveranstaltung\n\nClaudia, melde mich bitte auch an.\n"),
	    "review: people: a forwarded mail, not ours, may name someone "
	    "else");
}

/* A signature line with the function before the name. */
static void
test_people_signature_function_first(void **state)
{
	struct verdict *v;

	(void)state;
	v = test_mail_from("Gemeinde Wiesental <bm@wiesental.example>",
	    "Anmeldung", "", "Sehr geehrte Damen und Herren,\nhiermit melde "
	    "ich mich zur 3. Fachveranstaltung an.\nMit freundlichen "
	    "Gruessen\nBuergermeister Rainer Lindner\nGemeinde Wiesental\n");
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].given_name, "Rainer");
	assert_string_equal(v->people[0].family_name, "Lindner");
	assert_string_equal(v->people[0].function, "Buergermeister");
	assert_string_equal(v->people[0].salutation, "Herr");
	verdict_free(v);
	/* a team mailbox, "Name, Organisation" on one line */
	v = test_mail_from("Team Bauamt <bauamt@hainstadt.example>",
	    "Anmeldung", "", "Hallo,\nich melde mich zur 3. "
	    "Fachveranstaltung an.\n\nMarco Schulz, Stadt Hainstadt\n");
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].given_name, "Marco");
	assert_string_equal(v->people[0].family_name, "Schulz");
	assert_string_equal(v->people[0].organisation, "Stadt Hainstadt");
	verdict_free(v);
	/* a bilingual function line: the German part */
	v = test_mail_from("Marko Mucink <bm@birkau.example>", "Anmeldung",
	    "", "hiermit melde ich mich zur 3. Fachveranstaltung an.\n\nMarko "
	    "Mucink\nWjesnjanosta / B\xc3\xbcrgermeister\nGemeinde Birkau\n");
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].function, "B\xc3\xbcrgermeister");
	verdict_free(v);
}

/*
 * A registration written around a list of people, and what stands next
 * to a name in a sentence: function before or after, address, ordinal.
 */
static void
test_people_around_a_mention(void **state)
{
	struct verdict *v;

	(void)state;
	v = test_mail("Anmeldung", "Sehr geehrte Damen und Herren,\n\n"
	    "f\xc3\xbcr die 3. Fachveranstaltung am 12.11.2024 melde ich mich "
	    "sowie meinen Kollegen\n\nHerrn Tobias Rehn, Sachbearbeiter "
	    "Kommunalaufsicht (tobias.rehn@lra-x.example)\n\nverbindlich an."
	    "\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f" "en\nAnna Beispiel\n");
	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[1].family_name, "Rehn");
	assert_string_equal(v->people[1].function,
	    "Sachbearbeiter Kommunalaufsicht");
	assert_string_equal(v->people[1].email, "tobias.rehn@lra-x.example");
	verdict_free(v);
	v = test_mail("Anmeldung", "hiermit melde ich mich und unseren "
	    "Bauamtsleiter, Herrn Sven Grahl, zur Fachveranstaltung an.\n\n"
	    "Anna Beispiel\n");
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[1].function, "Bauamtsleiter");
	verdict_free(v);
	v = test_mail("Abmeldung", "hiermit melde ich Frau Petra Gl\xc3\xa4"
	    "ser (K\xc3\xa4mmerin) und Herrn Maik Sch\xc3\xb6nherr von der "
	    "Fachveranstaltung ab.\n\nAnna Beispiel\n");
	assert_int_equal(v->intent, INTENT_CANCEL);
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[0].function, "K\xc3\xa4mmerin");
	assert_string_equal(v->people[1].function, "");
	verdict_free(v);
	v = test_mail("Fachveranstaltung", "Herr Oberb\xc3\xbcrgermeister "
	    "Tilo Alt ist verhindert. Die Stadt wird stattdessen durch den "
	    "Ersten B\xc3\xbcrgermeister, Herrn Lutz Neu, vertreten.\n");
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[1].function,
	    "Erster B\xc3\xbcrgermeister");
	verdict_free(v);
	v = test_mail("Anmeldung", "Ich melde Herrn Frank Seidel, "
	    "Verbandsvorsitzender des Verwaltungsverbandes Am Kohlberg, zur "
	    "Fachveranstaltung an.\n\nAnna Beispiel\n");
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].function, "Verbandsvorsitzender");
	verdict_free(v);
}

/*
 * heldout7 lessons: the Reply-To person signs a team mailbox's form; a
 * form's organisation is kept as written; "vielleicht wird ein Platz
 * frei" is no hedge; "nicht an der ... teilnehmen" over a long event name.
 */
static void
test_heldout7_lessons(void **state)
{
	struct verdict *v;

	(void)state;
	v = test_mail_from("Gemeinde Au <info@au.example>", "Anmeldung",
	    "Reply-To: Jacqueline Pohl <j.pohl@au.example>\n", "hiermit "
	    "melden wir folgenden Teilnehmer zur Fachveranstaltung an:\n\n"
	    "Name: Wagner\nVorname: Mike\nFunktion: Leiter Ordnungsamt\n"
	    "Dienststelle: Gemeindeverwaltung Au\nE-Mail: m.wagner@au.example"
	    "\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f" "en\ni.A. Jacqueline "
	    "Pohl\nGemeinde Au\n");
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].organisation, "Gemeindeverwaltung Au");
	assert_string_equal(v->people[0].salutation, "Herr");
	assert_string_equal(v->reply_to, "j.pohl@au.example");
	verdict_free(v);
	v = test_mail("Warteliste", "Bitte merken Sie mich f\xc3\xbcr die "
	    "Warteliste der Fachveranstaltung vor, vielleicht wird ja noch ein "
	    "Platz frei.\n\nAnna Beispiel\n");
	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_int_equal(v->needs_review, 0);
	verdict_free(v);
	v = test_mail("Fachveranstaltung", "Ich melde mich vielleicht zur "
	    "Fachveranstaltung an, falls ein Platz frei ist.\n\nAnna "
	    "Beispiel\n");
	assert_int_equal(v->needs_review, 1);
	verdict_free(v);
	v = test_mail("Absage", "Herr B\xc3\xbcrgermeister Jens Kaden kann "
	    "aus terminlichen Gr\xc3\xbcnden leider nicht an der 3. "
	    "Fachveranstaltung am 12.11.2024 teilnehmen. Ich bitte Sie, ihn "
	    "von der Teilnehmerliste zu streichen.\n\nAnna Beispiel\n");
	assert_int_equal(v->intent, INTENT_CANCEL);
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].family_name, "Kaden");
	verdict_free(v);
	/* The sender stands in for the one named: he goes, she comes. */
	v = test_mail("Fachveranstaltung", "unser Verbandsvorsitzender, Herr "
	    "B\xc3\xbcrgermeister Lothar Domsch, ist f\xc3\xbcr die "
	    "Fachveranstaltung angemeldet, ist an dem Tag aber verhindert. An "
	    "seiner Stelle nehme ich an der Veranstaltung teil.\n\nAnna "
	    "Beispiel\n");
	assert_int_equal(v->intent, INTENT_SUBSTITUTE);
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[0].family_name, "Domsch");
	assert_string_equal(v->people[1].family_name, "Beispiel");
	verdict_free(v);
	/* A change of participant; "Dipl.-Ing. (FH)" is a title; "an der". */
	v = test_mail("Teilnehmerwechsel", "f\xc3\xbcr den zur "
	    "Fachveranstaltung angemeldeten Herrn Olaf Br\xc3\xa4uer, Leiter "
	    "Bauamt, wird Frau Dipl.-Ing. (FH) Susann Kaltofen, SGL Tiefbau, "
	    "teilnehmen.\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f" "en\n\n"
	    "Anna Beispiel\nHauptamt\nStadtverwaltung Kirchhain an der "
	    "Mulde\n");
	assert_int_equal(v->intent, INTENT_SUBSTITUTE);
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[0].family_name, "Br\xc3\xa4uer");
	assert_string_equal(v->people[1].given_name, "Susann");
	assert_string_equal(v->people[1].family_name, "Kaltofen");
	assert_string_equal(v->people[1].title, "Dipl.-Ing.");
	assert_string_equal(v->people[1].organisation,
	    "Stadtverwaltung Kirchhain an der Mulde");
	verdict_free(v);
}

/* Organisations: a compound kind in the signature; domain abbreviations. */
static void
test_people_org_compound_and_abbrev(void **state)
{
	struct verdict *v;
	char	*o;

	(void)state;
	v = test_mail_from("Rainer Weidauer <gf@azv-obere-aue.example>",
	    "Anmeldung", "", "ich melde mich zur 3. Fachveranstaltung an.\n\n"
	    "Rainer Weidauer\nGesch\xc3\xa4" "ftsf\xc3\xbchrer\n-- \n"
	    "Abwasserzweckverband Obere Aue\nAm Kl\xc3\xa4rwerk 3\n");
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].organisation,
	    "Abwasserzweckverband Obere Aue");
	verdict_free(v);
	o = people_guess_org("gf@azv-obere-aue.example");
	assert_string_equal(o, "Abwasserzweckverband Obere Aue");
	free(o);
	o = people_guess_org("info@kvs-sachsen.example");
	assert_string_equal(o, "KVS Sachsen");
	free(o);
}

static void
test_people_particles_and_function_first(void **state)
{
	struct person p;
	struct verdict *v;

	people_init(&p);
	people_split_name(&p, "Herrn Albrecht von Sch\xc3\xb6nfels");
	assert_string_equal(p.given_name, "Albrecht");
	assert_string_equal(p.family_name, "von Sch\xc3\xb6nfels");
	people_clear(&p);
	people_init(&p);
	people_split_name(&p, "Henrike von der Aue");
	assert_string_equal(p.given_name, "Henrike");
	assert_string_equal(p.family_name, "von der Aue");
	people_clear(&p);
	v = test_mail("Anmeldung", "Wir melden zur Fachveranstaltung an:\n\n"
	    "- B\xc3\xbcrgermeister Jens-Uwe Kittlaus\n"
	    "- Sachgebietsleiterin Standesamt Frau Beate Lamprecht\n\n"
	    "Anna Beispiel\n");
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[0].family_name, "Kittlaus");
	assert_string_equal(v->people[0].function, "B\xc3\xbcrgermeister");
	assert_string_equal(v->people[1].given_name, "Beate");
	assert_string_equal(v->people[1].function,
	    "Sachgebietsleiterin Standesamt");
	assert_string_equal(v->people[1].salutation, "Frau");
	assert_int_equal(v->needs_review, 0);
	verdict_free(v);
}

static void
test_event_other_day(void **state)
{
	test_doubt(test_mail("AW: Einladung: 3. Fachveranstaltung",
	    "Zusage f\xc3\xbcr den 21.11. - Gru\xc3\x9f Anna Beispiel\n"),
	    "review: event: the deciding sentence names another day");
}

static void
test_sender_reply_elsewhere(void **state)
{
	struct verdict *v = test_mail("Anmeldung", "Hiermit melde ich mich "
	    "zur Fachveranstaltung an. Die Best\xc3\xa4tigung senden Sie "
	    "bitte an: vorzimmer@gemeinde-x.example\n\nAnna Beispiel\n");

	assert_int_equal(v->needs_review, 0);
	assert_string_equal(v->reply_to, "vorzimmer@gemeinde-x.example");
	assert_true(test_reason(v, "(asked for in the text)"));
	verdict_free(v);
	v = test_mail_from(TEST_FROM, "Anmeldung", "Reply-To: "
	    "sek@gemeinde-x.example\n", "Hiermit melde ich mich zur "
	    "Fachveranstaltung an. Die Best\xc3\xa4tigung bitte an "
	    "vorzimmer@gemeinde-x.example\n\nAnna Beispiel\n");
	test_doubt(v, "review: sender: Reply-To and the text name different "
	    "addresses");
}

static void
test_sender_phishing_login(void **state)
{
	struct verdict *v = test_mail("RE: Einladung: 3. Fachveranstaltung",
	    "anbei die Teilnehmerliste. Bitte melden Sie sich mit Ihren "
	    "Microsoft-365-Zugangsdaten an: http://docs.example/x\n"
	    "Der Link ist 48 Stunden g\xc3\xbcltig.\n");

	assert_int_equal(v->intent, INTENT_SPAM);
	assert_int_equal(v->reply_allowed, 0);
	assert_int_equal(v->needs_review, 1);
	verdict_free(v);
}

static void
test_side_question(void **state)
{
	struct verdict *v = test_mail("Anmeldung", "Ich melde mich zur "
	    "Fachveranstaltung an.\nGibt es vor Ort Parkm\xc3\xb6glichkeiten?"
	    "\n\nAnna Beispiel\n");

	assert_int_equal(v->needs_review, 0);
	assert_true(test_reason(v, "question: side question for staff, line "
	    "2: \"Gibt es vor Ort Parkm\xc3\xb6glichkeiten?\""));
	verdict_free(v);
	/* About the booking itself: staff decide. */
	v = test_mail("Anmeldung", "Ich melde mich zur Fachveranstaltung an. "
	    "Darf eine Kollegin mitkommen?\n\nAnna Beispiel\n");
	assert_int_equal(v->needs_review, 1);
	verdict_free(v);
	/* A question next to a cancellation: staff decide. */
	v = test_mail("Absage", "Ich muss meine Teilnahme an der "
	    "Fachveranstaltung absagen. Gibt es Folien?\n\nAnna Beispiel\n");
	assert_int_equal(v->needs_review, 1);
	verdict_free(v);
}

static void
test_salutation_not_from_function(void **state)
{
	struct verdict *v = test_mail_from("Elke Muster "
	    "<e.muster@gemeinde-x.example>", "Anmeldung", "", "Hiermit melde "
	    "ich mich zur Fachveranstaltung an.\n\nElke Muster\nAmtsleiter\n"
	    "Gemeinde X\n");

	assert_string_equal(v->people[0].salutation, "Frau");
	verdict_free(v);
	v = test_mail_from("Kim Muster <k.muster@gemeinde-x.example>",
	    "Anmeldung", "", "Hiermit melde ich mich zur Fachveranstaltung "
	    "an.\n\nKim Muster\nB\xc3\xbcrgermeister\nGemeinde X\n");
	assert_string_equal(v->people[0].salutation, "");
	verdict_free(v);
	assert_string_equal(people_given_gender("Anne-Kathrin"), "Frau");
	assert_string_equal(people_given_gender("J\xc3\xbcrgen"), "Herr");
	assert_string_equal(people_given_gender("Kim"), "");
	/* the long list (people_given.c): other languages, upper case */
	assert_string_equal(people_given_gender("\xc5\x81ukasz"), "Herr");
	assert_string_equal(people_given_gender("\xc3\x96zlem"), "Frau");
	assert_string_equal(people_given_gender("Ji\xc5\x99\xc3\xad"), "Herr");
	assert_string_equal(people_given_gender("MA\xc5\x81GORZATA"), "Frau");
	assert_string_equal(people_given_gender("Hans-Georg"), "Herr");
	assert_string_equal(people_given_gender("Swantje"), "Frau");
	assert_string_equal(people_given_gender("Tuan"), "Herr");
	assert_string_equal(people_given_gender("Sascha"), "");
	assert_string_equal(people_given_gender("Dr."), "");
}

static void
test_sentences_and_negation(void **state)
{
	struct verdict *v;

	/* "Hainichtal" holds "nicht": no negation. */
	v = test_mail("Anmeldung", "Gern melden wir f\xc3\xbcr die Stadt "
	    "Hainichtal folgende Teilnehmer zur Fachveranstaltung an:\n\n"
	    "- Herr Jens Kittlaus, B\xc3\xbcrgermeister\n\nAnna Beispiel\n");
	assert_int_equal(v->intent, INTENT_REGISTER);
	verdict_free(v);
	/* "konnten uns nicht mehr anmelden": negated from the clause. */
	v = test_mail("Dokumentation", "Leider konnten wir uns f\xc3\xbcr "
	    "die Fachveranstaltung nicht mehr anmelden.\n\nAnna Beispiel\n");
	assert_int_not_equal(v->intent, INTENT_REGISTER);
	verdict_free(v);
	/* An emoji ends the sentence before a question. */
	v = test_mail("Fachveranstaltung", "ich w\xc3\xbcrd mich gern f\xc3"
	    "\xbcr die Fachveranstaltung am 12.11. in Dresden anmelden "
	    "\xf0\x9f\x99\x8b\xe2\x80\x8d\xe2\x99\x80\xef\xb8\x8f\nGibt's da "
	    "Mittag?\n\nAnna Beispiel\n");
	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_true(test_reason(v, "evidence: intent: line 1"));
	verdict_free(v);
}

/* Answered below the quote ("bottom posting"): the sender's own words. */
static void
test_bottom_posting(void **state)
{
	struct verdict *v = test_mail("Re: Einladung: 3. Fachveranstaltung",
	    "Am 01.10.24 um 10:02 schrieb Servicestelle IKZ:\n> Wir laden "
	    "Sie zur 3. Fachveranstaltung ein.\n> Bitte melden Sie sich "
	    "an.\n\nVielen Dank, ich nehme gern teil und melde mich hiermit "
	    "an.\n\nAnna Beispiel\n");

	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_int_equal(v->needs_review, 0);
	assert_true(test_reason(v, "evidence: intent: line 5: \"Vielen "
	    "Dank, ich nehme gern teil"));
	verdict_free(v);
}

/* Tables: tab-separated as pasted, and an HTML table (cells by tab). */
static void
test_people_tables(void **state)
{
	struct verdict *v = test_mail("Anmeldung", "Wir melden zur "
	    "Fachveranstaltung an:\n\nAnrede\tTitel\tVorname\tName\tFunktion"
	    "\tE-Mail\nHerr\tProf. Dr.\tWolfram\tEichelkraut\t"
	    "Oberb\xc3\xbcrgermeister\tw.e@gemeinde-x.example\nFrau\t\tSvenja"
	    "\tRuhnke-Dietze\tAmtsleiterin\ts.r@gemeinde-x.example\n\n"
	    "Anna Beispiel\n");

	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[0].title, "Prof. Dr.");
	assert_string_equal(v->people[0].given_name, "Wolfram");
	assert_string_equal(v->people[0].family_name, "Eichelkraut");
	assert_string_equal(v->people[1].salutation, "Frau");
	assert_string_equal(v->people[1].email, "s.r@gemeinde-x.example");
	assert_int_equal(v->needs_review, 0);
	verdict_free(v);
	v = test_mail_from(TEST_FROM, "Anmeldung", "MIME-Version: 1.0\n"
	    "Content-Type: text/html; charset=utf-8\n", "<p>Wir melden zur "
	    "Fachveranstaltung an:</p><table><tr><th>Name, Vorname</th>"
	    "<th>Funktion</th><th>E-Mail</th></tr><tr><td>Zschiesche, Ingolf"
	    "</td><td>B\xc3\xbcrgermeister</td><td>bm@gemeinde-x.example</td>"
	    "</tr></table><p>Anna Beispiel</p>");
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].given_name, "Ingolf");
	assert_string_equal(v->people[0].family_name, "Zschiesche");
	assert_string_equal(v->people[0].email, "bm@gemeinde-x.example");
	verdict_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clear_registration_evidence),
		cmocka_unit_test(test_people_signed_for_another),
		cmocka_unit_test(test_intent_reader_addressed),
		cmocka_unit_test(test_intent_third_person_alone),
		cmocka_unit_test(test_intent_distribution_list),
		cmocka_unit_test(test_intent_only_asked),
		cmocka_unit_test(test_intent_hedges),
		cmocka_unit_test(test_intent_answers_our_reply),
		cmocka_unit_test(test_template_subjects_known),
		cmocka_unit_test(test_people_named_not_booked),
		cmocka_unit_test(test_people_stray_address),
		cmocka_unit_test(test_people_forward_from_other),
		cmocka_unit_test(test_people_forward_as_background),
		cmocka_unit_test(test_people_signature_function_first),
		cmocka_unit_test(test_people_particles_and_function_first),
		cmocka_unit_test(test_event_other_day),
		cmocka_unit_test(test_sender_reply_elsewhere),
		cmocka_unit_test(test_sender_phishing_login),
		cmocka_unit_test(test_side_question),
		cmocka_unit_test(test_salutation_not_from_function),
		cmocka_unit_test(test_sentences_and_negation),
		cmocka_unit_test(test_bottom_posting),
		cmocka_unit_test(test_people_tables),
		cmocka_unit_test(test_people_org_compound_and_abbrev),
		cmocka_unit_test(test_people_around_a_mention),
		cmocka_unit_test(test_heldout7_lessons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
