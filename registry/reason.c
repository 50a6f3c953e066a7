/*
 * reason.c - the daemon's review reasons in German for staff (reason.h).
 * The English texts are those of mail_actions.c, gate.c, message.c,
 * intake.c and undo.c; a prefix match keeps the details after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "registry/reason.h"

static const char *const reason_words[][2] = {
	{ "parser asks for review", "Einschätzung unsicher" },
	{ "no event matched", "keine Veranstaltung erkannt" },
	{ "event is set to review_all", "Veranstaltung wird immer geprüft "
	    "(review_all)" },
	{ "no reply address", "keine Antwortadresse" },
	{ "no participant found", "kein Teilnehmer erkannt" },
	{ "substitution: old and new person not both found", "Umschreibung: "
	    "alte und neue Person nicht beide erkannt" },
	{ "substitution: no registration of the old person", "Umschreibung: "
	    "die alte Person ist nicht angemeldet" },
	{ "substitution: the new person is already registered",
	    "Umschreibung: die neue Person ist schon angemeldet" },
	{ "cancellation: no registration found", "Abmeldung: keine "
	    "Anmeldung gefunden" },
	{ "not a registration, cancellation or substitution", "weder "
	    "Anmeldung noch Abmeldung noch Umschreibung" },
	{ "too large: kept without body", "zu groß: ohne Inhalt gespeichert "
	    "(im Postfach lesen)" },
	{ "earlier attempts failed", "konnte nicht gelesen werden "
	    "(Quarantäne)" },
	{ "reopened by staff", "wieder zur Prüfung geöffnet" },
	/* details of the audit trail (Verlauf, ikzreg log) */
	{ "register", "Anmeldung" },
	{ "registered", "angemeldet" },
	{ "cancelled", "abgemeldet" },
	{ "substituted", "umgeschrieben" },
	{ "dismissed by staff", "ohne Änderung erledigt" },
	{ "auto-generated: recorded, no reply", "automatische Mail: "
	    "erfasst, keine Antwort" },
	{ "no usable address for the reply", "keine brauchbare Adresse "
	    "für die Antwort" },
	{ "per_organisation reached", "Höchstzahl je Organisation erreicht" },
	{ "passed on to staff", "an das Team weitergegeben" },
	{ "reminder queued", "Erinnerung vorgemerkt" },
	{ "daily summary queued to staff", "Tagesübersicht an das Team "
	    "vorgemerkt" },
	{ "daily summary: nothing new", "Tagesübersicht: nichts Neues" },
	{ "reinstated (undo of a cancellation)", "wieder angemeldet "
	    "(Abmeldung rückgängig gemacht)" },
	{ "undo of an edit", "Änderung rückgängig gemacht" },
	{ "added at the door as attended; not told by mail", "vor Ort "
	    "ergänzt, erschienen; nicht per Mail benachrichtigt" },
};

/* Prefixes whose details (numbers, names of checks) are kept. */
static const char *const reason_prefix[][2] = {
	{ "rate limit: ", "Antwortgrenze erreicht: " },
	{ "rate limit check failed", "Antwortgrenze nicht prüfbar" },
	{ "not authenticated by ", "Absender nicht bestätigt (DMARC/DKIM/"
	    "SPF), geprüft von " },
};

const char *
reason_text(const char *reason, char *buf, size_t len)
{
	size_t	 i, n;

	if (reason == NULL)
		return "";
	/* staff's resolution: the outcome after it in German as well */
	if (!strncmp(reason, "resolved by staff: ", 19)) {
		for (i = 0; i < nitems(reason_words); i++)
			if (!strcmp(reason + 19, reason_words[i][0]))
				break;
		snprintf(buf, len, "von Hand entschieden: %s", i <
		    nitems(reason_words) ? reason_words[i][1] : reason + 19);
		return buf;
	}
	for (i = 0; i < nitems(reason_words); i++)
		if (!strcmp(reason, reason_words[i][0]))
			return reason_words[i][1];
	for (i = 0; i < nitems(reason_prefix); i++) {
		n = strlen(reason_prefix[i][0]);
		if (!strncmp(reason, reason_prefix[i][0], n)) {
			snprintf(buf, len, "%s%s", reason_prefix[i][1],
			    reason + n);
			return buf;
		}
	}
	return reason;
}

const char *
reason_intent(enum intent i)
{
	switch (i) {
	case INTENT_REGISTER:
		return "Anmeldung";
	case INTENT_CANCEL:
		return "Abmeldung";
	case INTENT_SUBSTITUTE:
		return "Vertretung";
	case INTENT_QUESTION:
		return "Frage";
	case INTENT_AUTO:
		return "automatische Nachricht";
	case INTENT_SPAM:
		return "Spam oder Betrug";
	default:
		return "unklar";
	}
}

/*
 * The parser's evidence and doubts (docs/evidence.md: "evidence: intent:
 * ...", "review: people: ...") in German for staff, the same for
 * `ikzreg show` and the desk's review page.
 */

/* The parts of a decision, in German. */
static const char *const reason_parts[][2] = {
	{ "intent: ", "Absicht" }, { "people: ", "Personen" },
	{ "event: ", "Veranstaltung" }, { "sender: ", "Absender" },
};

/* The parser's doubts (English, for the log) in German. */
static const char *const reason_doubts[][2] = {
	{ "the mail answers one of our replies; the earlier decision stands "
	    "until staff look", "Die Mail antwortet auf "
	    "eine unserer Antworten; die frühere Entscheidung gilt, bis Sie "
	    "entscheiden" },
	{ "the reader is asked to register or log in", "Der Leser wird "
	    "aufgefordert, sich anzumelden oder einzuloggen" },
	{ "a third person registers on their own", "Eine dritte Person "
	    "meldet sich selbst an" },
	{ "third persons register on their own", "Dritte melden sich "
	    "selbst an" },
	{ "a request about the distribution list", "Es geht um den "
	    "Verteiler, nicht um eine Veranstaltung" },
	{ "no registration, cancellation or substitution the sender "
	    "commits to", "Keine An-, Ab- "
	    "oder Ummeldung, zu der sich der Absender selbst bekennt" },
	{ "only the subject says so", "Nur der Betreff sagt es" },
	{ "nobody to book", "Niemand zum Eintragen gefunden" },
	{ "a person without given or family name", "Eine Person ohne Vor- "
	    "oder Nachnamen" },
	{ "named in the text but not booked:", "Im Text genannt, aber nicht "
	    "eingetragen" },
	{ "the organisation stands in the greeting, it may be ours",
	    "Die Organisation steht nur in der Anrede, vielleicht ist es "
	    "unsere" },
	{ "an address in the text belongs to nobody booked:", "Eine Adresse "
	    "im Text gehört zu niemandem, der eingetragen würde" },
	{ "a forwarded mail, not ours, may name someone else",
	    "Eine weitergeleitete Mail (nicht von uns) nennt vielleicht "
	    "jemand anderen" },
	{ "no event recognised", "Keine Veranstaltung erkannt" },
	{ "the event is set to review_all", "Die Veranstaltung verlangt "
	    "Prüfung jeder Mail" },
	{ "the deciding sentence names another day", "Der entscheidende Satz "
	    "nennt einen anderen Tag" },
	{ "no valid reply address", "Keine gültige Antwortadresse" },
	{ "Reply-To and the text name different addresses, the text says",
	    "Reply-To und Text nennen verschiedene Adressen" },
};

/* English words of the parser's evidence, in German. */
static const char *const reason_evidence_words[][2] = {
	{ "replies go to ", "Antworten gehen an " },
	{ " (asked for in the text)", " (im Text so erbeten)" },
	{ " (source: form lines)", " (aus Formularzeilen)" },
	{ " (source: list lines)", " (aus einer Liste)" },
	{ " (source: sentences of the text and the sender)",
	    " (aus Sätzen des Textes, dazu der Absender)" },
	{ " (source: sentences of the text)", " (aus Sätzen des Textes)" },
	{ " (source: display name)", " (aus dem Absendernamen)" },
	{ " (source: signature)", " (aus der Signatur)" },
	{ " (source: form)", " (aus dem Webformular)" },
	{ "web form", "Webformular" },
};

/* "line 3: ..." and "subject, line 1: ..." as "Zeile 3: ...". */
static void
reason_add_quote(struct buf *b, const char *q)
{
	if (strncmp(q, "subject, line ", 14) == 0) {
		buf_adds(b, "Betreff, ");
		q += 9;
	}
	if (strncmp(q, "line ", 5) == 0) {
		buf_adds(b, "Zeile ");
		q += 5;
	}
	buf_adds(b, q);
}

/* Evidence text with the parser's English words put into German. */
static void
reason_add_evidence(struct buf *b, const char *s)
{
	char	*t = xstrdup(s), *hit, *n;
	size_t	 i;

	for (i = 0; i < nitems(reason_evidence_words); i++)
		if ((hit = strstr(t, reason_evidence_words[i][0])) != NULL) {
			*hit = '\0';
			n = xasprintf("%s%s%s", t, reason_evidence_words[i][1],
			    hit + strlen(reason_evidence_words[i][0]));
			free(t);
			t = n;
		}
	reason_add_quote(b, t);
	free(t);
}

/* The doubt after "review: <part>: " in German, the quote after it kept. */
static void
reason_add_doubt(struct buf *b, const char *rest)
{
	const char	*tail;
	size_t		 j, n;

	for (j = 0; j < nitems(reason_doubts); j++) {
		n = strlen(reason_doubts[j][0]);
		if (strncmp(rest, reason_doubts[j][0], n) != 0)
			continue;
		buf_adds(b, reason_doubts[j][1]);
		tail = rest + n;
		tail += strspn(tail, ",: ");
		if (*tail) {
			buf_adds(b, " – ");
			reason_add_quote(b, tail);
		}
		return;
	}
	reason_add_evidence(b, rest);
}

char *
reason_part(const char *reason)
{
	const char	*q = "question: side question for staff, ", *rest;
	struct buf	 b = { 0 };
	size_t		 i;
	int		 doubt;

	if (reason == NULL)
		return NULL;
	if (strncmp(reason, q, strlen(q)) == 0) {
		buf_adds(&b, "Rückfrage (an das Team weitergegeben): ");
		reason_add_quote(&b, reason + strlen(q));
		return buf_detach(&b);
	}
	doubt = strncmp(reason, "review: ", 8) == 0;
	if (!doubt && strncmp(reason, "evidence: ", 10) != 0)
		return NULL;
	rest = reason + (doubt ? 8 : 10);
	for (i = 0; i < nitems(reason_parts); i++)
		if (!strncmp(rest, reason_parts[i][0],
		    strlen(reason_parts[i][0])))
			break;
	if (i == nitems(reason_parts))
		return NULL;
	rest += strlen(reason_parts[i][0]);
	buf_printf(&b, "%s %s: ", doubt ? "Zweifel" : "Beleg",
	    reason_parts[i][1]);
	if (doubt)
		reason_add_doubt(&b, rest);
	else
		reason_add_evidence(&b, rest);
	return buf_detach(&b);
}
