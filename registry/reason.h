/*
 * reason.h - why a mail waits for staff, in German.
 *
 * The daemon stores its reasons in English (messages.reason, audit
 * detail: for the log and for administrators). Staff read them in the
 * review list of `ikzreg review`, `ikzreg log` and the web desk (Prüfen,
 * Verlauf): reason_text turns a stored reason or audit detail into the
 * German text for staff. Unknown ones are returned as they are.
 */
#ifndef IKZ_REASON_H
#define IKZ_REASON_H

#include <stddef.h>

#include "parsers/verdict.h"

/* German text of reason (NULL gives ""); may point into buf (len). */
const char *reason_text(const char *reason, char *buf, size_t len);
/*
 * A parser reason "evidence: <part>: ..." or "review: <part>: ..."
 * (docs/evidence.md) or a side question, in German for staff ("Beleg
 * Absicht: Zeile 3: ...", "Zweifel Personen: ..."); the caller frees it.
 * NULL for any other reason. Not yet safe for a terminal or a page.
 */
char *reason_part(const char *reason);
/* The parser's intent as staff say it ("Anmeldung", "Abmeldung" ...). */
const char *reason_intent(enum intent);

#endif
