/*
 * ics.c - calendar invitations with libical.
 *
 * Times are written as Berlin wall-clock time with TZID=Europe/Berlin and
 * a VTIMEZONE of our own: a client that knows the zone by name and one
 * that only reads the VTIMEZONE (Outlook) then agree on the instant.
 */
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "templates/ics.h"
#include "templates/mail.h"

/* EU rules since 1996: last Sunday of March and of October. */
static const char ics_vtimezone[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:" ICS_TZID "\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

char *
ics_uid(const char *event_key, const char *from_addr)
{
	const char	*at = from_addr ? strchr(from_addr, '@') : NULL;
	char		*uid, *p, *e;

	uid = xasprintf("ikzreg-%s@%s", event_key, at ? at + 1 :
	    "ikzreg.invalid");
	/* A section name may hold anything; a UID should not. */
	e = uid + 7 + strlen(event_key);
	for (p = uid + 7; p < e; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_'))
			*p = '-';
	return uid;
}

/* Berlin wall-clock time of t, to go with TZID=Europe/Berlin. */
static struct icaltimetype
ics_local(time_t t)
{
	struct icaltimetype	 it = icaltime_null_time();
	struct tm		 tm;

	util_localtime(t, &tm);
	it.year = tm.tm_year + 1900;
	it.month = tm.tm_mon + 1;
	it.day = tm.tm_mday;
	it.hour = tm.tm_hour;
	it.minute = tm.tm_min;
	it.second = tm.tm_sec;
	it.is_date = 0;
	return it;
}

static icalproperty *
ics_berlin(icalproperty *p)
{
	icalproperty_add_parameter(p, icalparameter_new_tzid(ICS_TZID));
	return p;
}

/* ORGANIZER;CN=<name>:mailto:<addr> */
static icalproperty *
ics_organizer(const char *name, const char *addr)
{
	icalproperty	*p;
	char		*mailto = xasprintf("mailto:%s", addr);

	p = icalproperty_new_organizer(mailto);
	if (name != NULL && *name != '\0')
		icalproperty_add_parameter(p, icalparameter_new_cn(name));
	free(mailto);
	return p;
}

static icalcomponent *
ics_vevent(const struct event_cfg *ev, const char *name, const char *addr,
    time_t stamp)
{
	icalcomponent	*ve = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	char		*uid = ics_uid(ev->key, addr);

	icalcomponent_add_property(ve, icalproperty_new_uid(uid));
	free(uid);
	icalcomponent_add_property(ve, icalproperty_new_dtstamp(
	    icaltime_from_timet_with_zone(stamp, 0,
	    icaltimezone_get_utc_timezone())));
	icalcomponent_add_property(ve, icalproperty_new_sequence(0));
	icalcomponent_add_property(ve, ics_berlin(icalproperty_new_dtstart(
	    ics_local(ev->starts))));
	icalcomponent_add_property(ve, ics_berlin(icalproperty_new_dtend(
	    ics_local(ev->ends > ev->starts ? ev->ends : ev->starts + 3600))));
	icalcomponent_add_property(ve, icalproperty_new_summary(ev->title));
	if (ev->location != NULL && *ev->location != '\0')
		icalcomponent_add_property(ve,
		    icalproperty_new_location(ev->location));
	icalcomponent_add_property(ve, ics_organizer(name, addr));
	icalcomponent_add_property(ve, icalproperty_new_status(
	    ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ve, icalproperty_new_transp(
	    ICAL_TRANSP_OPAQUE));
	return ve;
}

char *
ics_event(const struct event_cfg *ev, const char *from, time_t stamp)
{
	icalcomponent	*cal, *tz;
	char		*name, *addr, *s, *out;

	if (mail_split_from(from, &name, &addr) == -1) {
		log_warnx("ics: unusable organizer address");
		return NULL;
	}
	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid(
	    "-//ikzreg//Veranstaltungsanmeldung//DE"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(
	    ICAL_METHOD_PUBLISH));
	if ((tz = icalcomponent_new_from_string(ics_vtimezone)) == NULL)
		fatalx("ics: libical refuses the built-in VTIMEZONE");
	icalcomponent_add_component(cal, tz);
	icalcomponent_add_component(cal, ics_vevent(ev, name, addr, stamp));
	s = icalcomponent_as_ical_string_r(cal);
	out = xstrdup(s);
	icalmemory_free_buffer(s);
	icalcomponent_free(cal);
	free(name);
	free(addr);
	return out;
}
