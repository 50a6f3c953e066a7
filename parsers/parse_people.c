/*
 * parse_people.c - who is to be registered, and who gets the reply.
 *
 * Sources in order of trust: form lines ("Name: ..."), list lines,
 * people named in a sentence (a secretary registering her mayor, a
 * substitute), and last the sender (display name or signature). The
 * sender's signature and own phrases fill function and organisation;
 * the mail domain is the last resort for the organisation, marked as
 * a guess. The reply goes to Reply-To or From, except for web forms
 * from a no-reply address, which are answered at the form's address.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/parse_int.h"
#include "parsers/people.h"

enum parse_who { WHO_NONE, WHO_DISPLAY, WHO_SIGNATURE };

#define PARSE_SIG_BLOCK_LINES	6	/* a closing-less signature block */
#define PARSE_SIG_LINE_MAX	60

/*
 * Whether the line l of n bytes ends a sentence: its last byte is its
 * only '.', '!' or '?'.
 */
static int
parse_people_sentence_end(const char *l, size_t n)
{
	return n > 0 && strcspn(l, ".!?\n") == n - 1;
}

/*
 * The signature: after "-- " or a closing; without either, the last
 * block of short lines ("Claudia Schröder / Beigeordnete / Landkreis
 * Nordheide"). Caller frees.
 */
static char *
parse_people_sig(struct parse_state *st)
{
	const char *own = st->qp.own, *b, *e, *l;
	size_t	 lines = 0, n;

	if (*st->qp.signature)
		return xstrdup(st->qp.signature);
	e = own + strlen(own);
	while (e > own && (e[-1] == '\n' || e[-1] == ' '))
		e--;
	for (b = e; b > own && !(b[-1] == '\n' && b - 1 > own &&
	    b[-2] == '\n'); b--)
		;
	/*
	 * Each line is read once and the loop stops after one line too
	 * many: the block may be the whole text (issue 17: a search to
	 * the end of the text for each line made 2 MB take 90 s).
	 */
	for (l = b; l < e && lines <= PARSE_SIG_BLOCK_LINES; lines++) {
		n = strcspn(l, "\n");
		if (n > PARSE_SIG_LINE_MAX || parse_people_sentence_end(l, n))
			return xstrdup("");
		l += n + 1;
	}
	if (b == own || lines > PARSE_SIG_BLOCK_LINES)
		return xstrdup("");
	return xstrndup(b, e - b);
}

/*
 * A mail typed all in lower case ("buergermeisterin der gemeinde
 * wolkenhain"): the organisation kinds and the word after them are
 * capitalised in a copy, so that the phrase rules see "Gemeinde
 * Wolkenhain". Only the organisation is taken from it.
 */
static void
parse_people_lower_org(struct parse_state *st, struct person *p)
{
	static const char *const kind[] = { "gemeinde ", "stadt ",
	    "landkreis ", "verwaltungsverband ", "zweckverband " };
	struct person tmp = { 0 };
	const char *s;
	char	*c, *w;
	size_t	 i;

	if (*p->organisation != '\0')
		return;
	for (s = st->qp.own; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return;
	c = xstrdup(st->qp.own);
	for (i = 0; i < nitems(kind); i++)
		for (w = strstr(c, kind[i]); w; w = strstr(w + 1, kind[i])) {
			if (w > c && w[-1] >= 'a' && w[-1] <= 'z')
				continue;
			w[0] -= 32;
			if (w[strlen(kind[i])] >= 'a' && w[strlen(kind[i])] <= 'z')
				w[strlen(kind[i])] -= 32;
		}
	people_init(&tmp);
	people_from_phrases(&tmp, c);
	if (*tmp.organisation)
		people_set(&p->organisation, tmp.organisation);
	people_clear(&tmp);
	free(c);
}

/*
 * The sender as a person: name from a person-like display name, else
 * from the signature; function and organisation from the signature and
 * the sender's own phrases. Returns where the name came from.
 */
static enum parse_who
parse_people_sender(struct parse_state *st, struct person *p)
{
	const char *dn = st->msg->from_name;
	enum parse_who who = WHO_NONE;
	char	*sig = parse_people_sig(st);
	int	 dn_person, dn_org = 0;

	/* people_name_like() is 0 for an office: no people_is_org again. */
	if (dn && *dn && !strchr(dn, '@') && people_name_like(dn))
		dn_person = 1;
	else {
		dn_org = dn && *dn && people_is_org(dn);
		dn_person = dn && *dn && !dn_org && !strchr(dn, '@') &&
		    strchr(dn, ',');
	}
	if (dn_person) {
		people_split_name(p, dn);
		who = WHO_DISPLAY;
	}
	if (people_from_signature(p, sig, !dn_person))
		who = WHO_SIGNATURE;
	free(sig);
	people_from_phrases(p, st->qp.own);
	parse_people_lower_org(st, p);
	if (who == WHO_NONE && dn_org &&
	    *p->organisation == '\0' && !st->noreply)
		people_set(&p->organisation, dn);
	if (!st->noreply && people_addr_valid(st->msg->from_addr))
		people_set(&p->email, st->msg->from_addr);
	return who;
}

/*
 * Plain copies: every field of s was made by people_init or people_set,
 * so it is clean already and need not pass people_set's checks again.
 */
static void
parse_people_copy_field(char **d, const char *s)
{
	people_put(d, *s ? xstrdup(s) : (char *)people_empty);
}

static void
parse_people_copy(struct person *d, const struct person *s)
{
	parse_people_copy_field(&d->salutation, s->salutation);
	parse_people_copy_field(&d->title, s->title);
	parse_people_copy_field(&d->given_name, s->given_name);
	parse_people_copy_field(&d->family_name, s->family_name);
	parse_people_copy_field(&d->function, s->function);
	parse_people_copy_field(&d->organisation, s->organisation);
	parse_people_copy_field(&d->email, s->email);
}

/* Puts a copy of s in front of v's people (the old one of a swap). */
static void
parse_people_prepend(struct verdict *v, const struct person *s)
{
	struct person tmp;
	size_t	 i;

	verdict_add_person(v);
	tmp = v->people[v->npeople - 1];
	for (i = v->npeople - 1; i > 0; i--)
		v->people[i] = v->people[i - 1];
	v->people[0] = tmp;
	parse_people_copy(&v->people[0], s);
}

/*
 * Whether the sender's own words say the sender takes part as well as
 * the people named ("gern nehme ich teil", "neben mir", "melde mich und
 * Herrn ... an", "uns zu dritt anzumelden").
 */
static int
parse_people_self_too(const struct parse_state *st)
{
	static const char *const self[] = { "|nehme*|teil|", "|melde mich",
	    "|melde ich mich", "|mich*|anmelden", "|mich*|anzumelden",
	    "|neben mir", "|mit mir|", "|uns|*|anmelden", "|uns|*|anzumelden",
	    "|sie mich|", "|ich selber|", "|ich selbst|",
	    "|komme ich", "|ich komme", "|i will attend", "|i would like to "
	    "attend", "|register myself" };
	size_t	 i;

	for (i = 0; i < nitems(self); i++)
		if (parse_match(st->own, self[i]))
			return 1;
	return 0;
}

/*
 * Whether the sender is the one who stands in for someone named: "An
 * seiner Stelle nehme ich teil", "statt ihrer komme ich".
 */
static int
parse_people_sender_stands_in(const struct parse_state *st)
{
	static const char *const in[] = { "|an seiner stelle*|ich|",
	    "|an ihrer stelle*|ich|", "|statt seiner*|ich|",
	    "|statt ihrer*|ich|", "|ich|*|an seiner stelle",
	    "|ich|*|an ihrer stelle", "|ich|*|statt seiner",
	    "|ich|*|statt ihrer" };
	size_t	 i;

	for (i = 0; i < nitems(in); i++)
		if (parse_match(st->own, in[i]))
			return 1;
	return 0;
}

/* People from forms, lists or sentences; returns how many were found. */
static size_t
parse_people_named(struct parse_state *st, const struct person *sender)
{
	struct verdict *v = st->v;
	struct buf b = { 0 };
	size_t	 n;

	buf_adds(&b, st->qp.own);
	buf_adds(&b, st->qp.signature);
	n = people_from_lines(v, b.data ? b.data : "");
	buf_free(&b);
	if (n == 0 && st->from_forward)
		n = people_from_lines(v, st->msg->forwarded ?
		    st->msg->forwarded : "");
	if (n > 0) {
		st->people_source = "form lines";
		return verdict_add_reason(v, "name: form lines (%zu people)",
		    n), n;
	}
	if ((n = people_from_table(v, st->qp.own)) > 0) {
		st->people_source = "table";
		return verdict_add_reason(v, "name: table rows (%zu people)",
		    n), n;
	}
	if ((n = people_from_list(v, st->qp.own)) > 0) {
		st->people_source = "list lines";
		return verdict_add_reason(v, "name: list lines (%zu people)",
		    n), n;
	}
	if (v->intent != INTENT_REGISTER && v->intent != INTENT_CANCEL &&
	    v->intent != INTENT_SUBSTITUTE)
		return 0;
	if ((n = people_from_mentions(v, st->qp.own,
	    sender->family_name)) > 0) {
		st->third_party = 1;
		st->people_source = "sentences of the text";
		verdict_add_reason(v, "name: %zu person(s) named in the text, "
		    "not the sender", n);
	}
	return n;
}

/*
 * The first address in text that is not the sender's, or NULL.
 * Linear (issue 17: "x@y?=...@" repeated made each '@' scan to the end
 * of the text): the scans for one '@' stop where the previous one's
 * did, and an '@' inside the same run shares its start and end.
 */
static char *
parse_people_other_addr(struct parse_state *st, const char *text)
{
	const char *at, *lo = text, *s, *b = text, *e = text, *d = text;
	char	*a;

	for (at = strchr(text, '@'); at; lo = at, at = strchr(at + 1, '@')) {
		for (s = at; s > lo && !strchr(" \t\n<(:;,\"", s[-1]); s--)
			;
		if (s != lo || lo == text)	/* else: the previous start */
			b = s;
		if (at >= e) {
			for (e = at; *e && !strchr(" \t\n>);,\"", *e); e++)
				;
			for (d = e; d > at && d[-1] == '.'; d--)
				;
		}
		/* people_addr_valid() refuses more than 254 bytes: no copy */
		if (d - b > 254)
			continue;
		a = xstrndup(b, d - b);
		if (people_addr_valid(a) && (st->msg->from_addr == NULL ||
		    util_strcasecmp(a, st->msg->from_addr) != 0))
			return a;
		free(a);
	}
	return NULL;
}

/* Header lines smuggled into a name ("Muster Bcc: x@y"). */
static int
parse_people_injected(const struct person *p)
{
	const char *f[] = { p->given_name, p->family_name, p->title,
	    p->salutation };
	size_t	 i;

	for (i = 0; i < nitems(f); i++)
		if (strpbrk(f[i], "@:<>"))
			return 1;
	return 0;
}

/*
 * "Mr Sebastian" from an English list: the courtesy title is the
 * salutation, not part of the given name.
 */
static void
parse_people_courtesy(struct person *p)
{
	static const struct { const char *w, *sal; } ct[] = {
	    { "Mr ", "Herr" }, { "Mr. ", "Herr" }, { "Mrs ", "Frau" },
	    { "Mrs. ", "Frau" }, { "Ms ", "Frau" }, { "Ms. ", "Frau" } };
	char	*rest;
	size_t	 i;

	for (i = 0; i < nitems(ct); i++)
		if (strncmp(p->given_name, ct[i].w, strlen(ct[i].w)) == 0) {
			rest = xstrdup(p->given_name + strlen(ct[i].w));
			people_set(&p->given_name, rest);
			free(rest);
			if (*p->salutation == '\0')
				people_set(&p->salutation, ct[i].sal);
			return;
		}
}

/*
 * "Wuttke Karsten" in the display name, "Gruß K. Wuttke" below the
 * text: the signature's initial and name show the order.
 */
static void
parse_people_order(struct parse_state *st, struct person *p)
{
	char	*want, *tmp;

	if (*p->given_name == '\0' || *p->family_name == '\0')
		return;
	want = xasprintf("%c. %s", *p->family_name, p->given_name);
	if (strstr(st->qp.own, want) != NULL ||
	    strstr(st->qp.signature, want) != NULL) {
		tmp = p->given_name;
		p->given_name = p->family_name;
		p->family_name = tmp;
		verdict_add_reason(st->v, "name: family name first in the "
		    "display name, as '%s' shows", want);
	}
	free(want);
}

/*
 * "Stadtverwaltung X" in a signature, "der Stadt X" in the text: the
 * town is the organisation, its administration only the office.
 */
static void
parse_people_town(struct parse_state *st, struct person *p)
{
	static const struct { const char *office, *town; } ot[] = {
	    { "Stadtverwaltung ", "Stadt " },
	    { "Gemeindeverwaltung ", "Gemeinde " } };
	char	*town;
	size_t	 i;

	for (i = 0; i < nitems(ot); i++) {
		if (strncmp(p->organisation, ot[i].office,
		    strlen(ot[i].office)) != 0)
			continue;
		town = xasprintf("%s%s", ot[i].town, p->organisation +
		    strlen(ot[i].office));
		if (strstr(st->qp.own, town) != NULL ||
		    strstr(st->qp.signature, town) != NULL)
			people_set(&p->organisation, town);
		free(town);
		return;
	}
}

/* What makes person i (p) unfit to book without staff. */
static void
parse_people_check(struct verdict *v, const struct person *p, size_t i)
{
	if (*p->family_name == '\0') {
		verdict_add_reason(v, "name: person %zu has no family name",
		    i + 1);
		v->confidence -= 0.3;
	} else if (*p->given_name == '\0') {
		/* "Herr Weiß": staff find the first name, not us. */
		verdict_add_reason(v, "name: person %zu has no given name",
		    i + 1);
		v->confidence -= 0.3;
	}
	if (parse_people_injected(p)) {
		verdict_add_reason(v, "name: person %zu looks like a header "
		    "injection", i + 1);
		v->confidence = 0.0;
	}
}

/* Missing fields from the sender and the domain. */
static void
parse_people_fill(struct parse_state *st, const struct person *sender)
{
	struct verdict *v = st->v;
	struct person *p;
	char	*guess;
	size_t	 i;

	/* The one person named, or the one who stands in, gets the one
	 * other address of the text. */
	if (st->third_party && (v->npeople == 1 || (v->npeople == 2 &&
	    v->intent == INTENT_SUBSTITUTE)) &&
	    *v->people[v->npeople - 1].email == '\0' &&
	    (guess = parse_people_other_addr(st, st->qp.own)) != NULL) {
		people_set(&v->people[v->npeople - 1].email, guess);
		free(guess);
	}
	for (i = 0; i < v->npeople; i++) {
		p = &v->people[i];
		parse_people_courtesy(p);
		if (v->npeople == 1 && !st->third_party)
			parse_people_order(st, p);
		if (*p->email == '\0' && *sender->email && (v->npeople == 1 ?
		    !st->third_party : strcmp(p->family_name,
		    sender->family_name) == 0))
			people_set(&p->email, sender->email);
		if (*p->organisation == '\0' && *sender->organisation)
			people_set(&p->organisation, sender->organisation);
		/* A form field names the organisation as its writer wants. */
		if (st->people_source == NULL || strcmp(st->people_source,
		    "form lines") != 0)
			parse_people_town(st, p);
		/*
		 * No salutation from a function's grammatical gender
		 * (issue 11): "Elke Muster, Amtsleiter" is no "Herr".
		 * Unknown stays neutral; the reply greets by full name.
		 */
		if (*p->salutation == '\0')
			people_set(&p->salutation,
			    people_given_gender(p->given_name));
		if (*p->organisation == '\0' && (guess = people_guess_org(
		    *p->email ? p->email : st->noreply ? NULL :
		    st->msg->from_addr)) != NULL) {
			people_set(&p->organisation, guess);
			verdict_add_reason(v, "organisation: guessed from the "
			    "mail domain");
			free(guess);
		}
		parse_people_check(v, p, i);
	}
}

/* Reply-To, else From; for a web form the form's address. */
static void
parse_people_reply(struct parse_state *st)
{
	struct verdict *v = st->v;
	const char *to = NULL, *which;
	struct person *last;

	if (st->form)
		to = v->npeople ? v->people[0].email : NULL;
	else if (st->msg->reply_to && people_addr_valid(st->msg->reply_to) &&
	    !parse_auto_noreply_addr(st->msg->reply_to, &which))
		to = st->msg->reply_to;
	else if (!st->noreply)
		to = st->msg->from_addr;
	free(v->reply_to);
	v->reply_to = people_addr_valid(to) ? xstrdup(to) : NULL;
	if (v->reply_to == NULL) {
		verdict_add_reason(v, st->form ? "reply: the form has no valid "
		    "address" : "reply: no valid sender address");
		v->reply_allowed = 0;
		return;
	}
	if (st->form)
		verdict_add_reason(v, "reply: to the address in the form");
	v->reply_allowed = 1;
	if (v->npeople == 0)
		return;
	last = &v->people[v->intent == INTENT_SUBSTITUTE ? v->npeople - 1 : 0];
	if (*last->email && util_strcasecmp(last->email, v->reply_to) != 0)
		v->cc = xstrdup(last->email);
}

void
parse_people(struct parse_state *st)
{
	struct verdict *v = st->v, *tmp = verdict_new();
	struct person *sender = verdict_add_person(tmp);
	enum parse_who who;
	size_t	 n;

	who = parse_people_sender(st, sender);
	n = parse_people_named(st, sender);
	/*
	 * The sender leads the list when nobody else is named, when one
	 * named person stands in for the sender, and when the sender
	 * comes along with those named ("Neben mir werden auch ...").
	 */
	if (st->third_party && v->intent == INTENT_SUBSTITUTE && n == 1 &&
	    parse_people_sender_stands_in(st)) {
		/* the one named goes, the sender comes */
		parse_people_copy(verdict_add_person(v), sender);
		verdict_add_reason(v, "name: the sender stands in");
	} else if (n == 0 || (st->third_party && ((v->intent ==
	    INTENT_SUBSTITUTE && n == 1) || (v->intent == INTENT_REGISTER &&
	    parse_people_self_too(st))))) {
		parse_people_prepend(v, sender);
		if (n > 0 && v->intent == INTENT_REGISTER) {
			verdict_add_reason(v, "name: the sender comes too");
			st->people_source = "sentences of the text and the "
			    "sender";
		}
	}
	if (v->intent == INTENT_SUBSTITUTE && v->npeople > 2) {
		verdict_add_reason(v, "substitute: %zu people named, not one "
		    "who goes and one who comes", v->npeople);
		v->confidence -= 0.4;
	}
	if (n == 0) {
		st->people_source = who == WHO_DISPLAY ? "display name" :
		    who == WHO_SIGNATURE ? "signature" : "nothing";
		verdict_add_reason(v, who == WHO_DISPLAY ? "name: from "
		    "display name" : who == WHO_SIGNATURE ? "name: from "
		    "signature" : "name: unknown");
	}
	if (v->intent == INTENT_SUBSTITUTE && v->npeople < 2) {
		verdict_add_reason(v, "substitute: the new person is not named");
		v->confidence -= 0.4;
	}
	if (v->npeople >= PEOPLE_MAX) {
		verdict_add_reason(v, "people: %d or more participants",
		    PEOPLE_MAX);
		v->confidence = 0.0;
	}
	parse_people_fill(st, sender);
	verdict_free(tmp);
	parse_people_reply(st);
}
