/*
 * html.c - the one place where text becomes HTML, the page frame and the
 * style sheet. Mail text is hostile: everything shown goes through
 * desk_html_esc, which also removes what could reorder or hide text on
 * screen (controls, bidi overrides).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "parsers/text.h"

static const char desk_fffd[] = "\xef\xbf\xbd";

/* 1 for a code point shown as U+FFFD: C0 (not TAB/LF), DEL, C1, bidi. */
static int
desk_html_bad(uint32_t c)
{
	if (c < 0x20)
		return c != '\t' && c != '\n';
	if (c >= 0x7f && c <= 0x9f)
		return 1;
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static uint32_t
desk_utf8_cp(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0];
	if (n == 2)
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	if (n == 3)
		return (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

void
desk_html_esc(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");
	size_t			 len = strlen((const char *)p), n;

	while (len > 0) {
		n = text_utf8_seq(p, len);
		if (n == 0) {
			buf_adds(b, desk_fffd);
			p++, len--;
			continue;
		}
		switch (*p) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default:
			if (desk_html_bad(desk_utf8_cp(p, n)))
				buf_adds(b, desk_fffd);
			else
				buf_add(b, p, n);
		}
		p += n, len -= n;
	}
}

/*
 * printf whose %s arguments are escaped: the format is trusted markup,
 * the arguments never are. Only %s, %d, %lld, %zu and %% are known.
 */
void
desk_html_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 num[32];

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			buf_addc(b, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == 's')
			desk_html_esc(b, va_arg(ap, const char *));
		else if (*fmt == 'd') {
			snprintf(num, sizeof(num), "%d", va_arg(ap, int));
			buf_adds(b, num);
		} else if (!strncmp(fmt, "lld", 3)) {
			snprintf(num, sizeof(num), "%lld",
			    va_arg(ap, long long));
			buf_adds(b, num);
			fmt += 2;
		} else if (!strncmp(fmt, "zu", 2)) {
			snprintf(num, sizeof(num), "%zu", va_arg(ap, size_t));
			buf_adds(b, num);
			fmt++;
		} else if (*fmt == '%')
			buf_addc(b, '%');
		else
			abort();	/* a bug in a format of ours */
	}
	va_end(ap);
}

static const char *const desk_nav[][2] = {
	{ "/", "Übersicht" },
	{ "/review", "Prüfen" },
	{ "/people", "Teilnehmer" },
	{ "/history", "Verlauf" },
	{ "/attend", "Anwesenheit" },
	{ "/stats", "Statistik" },
};

void
desk_page_begin(struct desk_req *r, const char *title, const char *nav)
{
	size_t	 i;

	desk_html_printf(&r->out, "<!DOCTYPE html>\n<html lang=\"de\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\""
	    "width=device-width\"><title>%s – Anmeldungen IKZ</title><link "
	    "rel=\"stylesheet\" href=\"/desk.css\"></head><body>\n", title);
	if (r->s) {
		buf_adds(&r->out, "<header><nav>");
		/* The class is markup, not text: it must not be escaped. */
		for (i = 0; i < nitems(desk_nav); i++)
			desk_html_printf(&r->out, nav && !strcmp(nav,
			    desk_nav[i][0]) ? "<a href=\"%s\" class=\"on\">%s"
			    "</a>" : "<a href=\"%s\">%s</a>", desk_nav[i][0],
			    desk_nav[i][1]);
		desk_html_printf(&r->out, "</nav><form method=\"post\" action="
		    "\"/logout\" class=\"who\"><span>%s</span>", r->s->user);
		desk_csrf_field(r);
		buf_adds(&r->out, "<button>Abmelden</button></form></header>\n");
	}
	desk_html_printf(&r->out, "<main><h1>%s</h1>\n", title);
}

void
desk_page_end(struct desk_req *r)
{
	buf_adds(&r->out, "</main></body></html>\n");
}

void
desk_csrf_field(struct desk_req *r)
{
	if (r->s)
		desk_html_printf(&r->out, "<input type=\"hidden\" name=\"csrf\""
		    " value=\"%s\">", r->s->csrf);
}

void
desk_msg(struct desk_req *r, int ok, const char *text)
{
	desk_html_printf(&r->out, "<p class=\"%s\">%s</p>\n", ok ? "ok" :
	    "err", text);
}

void
desk_time(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	if (t == 0) {
		snprintf(out, len, "–");
		return;
	}
	util_localtime(t, &tm);
	strftime(out, len, "%d.%m.%Y %H:%M", &tm);
}

/*
 * German words for stored states, result kinds and audit actions (the
 * same words as `ikzreg log`; unknown ones are shown as stored).
 */
const char *
desk_status_word(const char *s)
{
	static const char *const words[][2] = {
		{ "confirmed", "bestätigt" }, { "waitlisted", "Warteliste" },
		{ "full", "ausgebucht, nicht angemeldet" },
		{ "closed", "Anmeldeschluss, nicht angemeldet" },
		{ "already-registered", "bereits angemeldet" },
		{ "cancelled", "abgemeldet" }, { "promoted", "nachgerückt" },
		{ "substituted", "umgeschrieben" },
		{ "dismissed", "erledigt, ohne Änderung" },
		{ "edited", "geändert" }, { "reopened", "wieder zur Prüfung" },
		{ "withdrawn", "zurückgezogen" },
		{ "undone", "rückgängig gemacht" },
		{ "not-found", "keine Anmeldung gefunden" },
		{ "decided", "entschieden" }, { "review", "zur Prüfung" },
		{ "quarantined", "Quarantäne" },
		{ "restored", "Angaben zurückgeholt" },
		{ "companion", "Begleitperson" },
		{ "not-told", "nicht benachrichtigt" }, { "reply", "Antwort" },
		{ "retry", "erneut senden" }, { "forget", "Person gelöscht" },
		{ "purge", "Veranstaltung gelöscht" },
		{ "answered-by-hand", "von Hand beantwortet" },
		{ "resolved", "von Hand entschieden" },
	};
	size_t	 i;

	for (i = 0; i < nitems(words); i++)
		if (!strcmp(s, words[i][0]))
			return words[i][1];
	return s;
}

const char *
desk_template_word(const char *kind)
{
	static const char *const words[][2] = {
		{ "confirmed", "Anmeldebestätigung" },
		{ "waitlisted", "Warteliste" }, { "promoted", "Nachgerückt" },
		{ "cancelled", "Abmeldebestätigung" },
		{ "already-registered", "Bereits angemeldet" },
		{ "full", "Ausgebucht" }, { "closed", "Anmeldeschluss" },
		{ "substituted", "Teilnehmerwechsel" },
		{ "review-ack", "Eingangsbestätigung" },
		{ "reminder", "Erinnerung" },
		{ "documentation", "Dokumentation" },
		{ "summary", "Tagesübersicht" },
	};
	size_t	 i;

	for (i = 0; i < nitems(words); i++)
		if (!strcmp(kind, words[i][0]))
			return words[i][1];
	return kind;
}

const char *
desk_event_title(struct desk_req *r, const char *key)
{
	const struct event_cfg	*ev;

	if (key == NULL || *key == '\0')
		return "–";
	ev = config_event(r->d->cf, key);
	return ev ? ev->title : key;
}

void
desk_event_select(struct desk_req *r, const char *key)
{
	const struct config	*cf = r->d->cf;
	const struct event_cfg	*ev;
	time_t			 now = time(NULL);
	char			 when[32];
	size_t			 i;
	int			 on;

	buf_adds(&r->out, "<select name=\"event\"><option value=\"\">– bitte "
	    "wählen –</option>");
	for (i = 0; i < cf->nevents; i++) {
		ev = &cf->events[i];
		on = key && !strcmp(key, ev->key);
		if (!on && ev->starts <= now)
			continue;
		desk_time(ev->starts, when, sizeof(when));
		desk_html_printf(&r->out, "<option value=\"%s\"%s>%s (%s)"
		    "</option>", ev->key, on ? " selected" : "", ev->title,
		    when);
	}
	buf_adds(&r->out, "</select>");
}

const char desk_css[] =
"*{box-sizing:border-box}\n"
"body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1b1f24;"
"background:#f4f5f7}\n"
"header{display:flex;justify-content:space-between;align-items:center;"
"background:#0b4f6c;padding:0 1rem}\n"
"header nav a{display:inline-block;color:#fff;padding:.8rem 1rem;"
"text-decoration:none}\n"
"header nav a.on,header nav a:hover{background:#093d54}\n"
".who{color:#fff;display:flex;gap:.6rem;align-items:center}\n"
"main{max-width:78rem;margin:0 auto;padding:1rem 1.5rem}\n"
"h1{font-size:1.5rem;margin:.4rem 0 1rem}h2{font-size:1.2rem}\n"
"table{border-collapse:collapse;width:100%;background:#fff;"
"margin-bottom:1.2rem}\n"
"th,td{border:1px solid #d5d9de;padding:.35rem .5rem;text-align:left;"
"vertical-align:top}\n"
"th{background:#e8ecf0}\n"
"td.n{text-align:right}\n"
"input,select,button,textarea{font:inherit;padding:.3rem .4rem}\n"
"input[type=text],input[type=email],input[type=password]{width:100%}\n"
"button{background:#0b4f6c;color:#fff;border:0;border-radius:3px;"
"cursor:pointer;padding:.35rem .8rem}\n"
"button.alt{background:#6b7682}button.warn{background:#a4262c}\n"
"pre{white-space:pre-wrap;background:#fff;border:1px solid #d5d9de;"
"padding:.6rem;max-height:40rem;overflow:auto}\n"
"details{margin:.4rem 0}summary{cursor:pointer;color:#0b4f6c}\n"
".ok{background:#dff3e4;border:1px solid #7bc98d;padding:.5rem}\n"
".err{background:#fbe3e4;border:1px solid #d9777c;padding:.5rem}\n"
".box{background:#fff;border:1px solid #d5d9de;padding:.8rem 1rem;"
"margin-bottom:1rem}\n"
".reason{background:#fff7d6;padding:.1rem .3rem}\n"
".login{max-width:24rem;margin:4rem auto}\n"
".row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}\n"
".row label{display:flex;flex-direction:column;font-size:.85rem}\n"
"form.inline{display:inline}\n"
"button.big{font-size:1.1rem;padding:.7rem 1.1rem;margin:.15rem;"
"min-width:8rem}\n";
