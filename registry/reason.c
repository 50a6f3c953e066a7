/*
 * reason.c - the daemon's review reasons in German for staff (reason.h).
 * The English texts are those of mail_actions.c, gate.c, message.c,
 * intake.c and undo.c; a prefix match keeps the details after it.
 */
#include <stdio.h>
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
