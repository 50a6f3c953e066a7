/*
 * test_ics.c - calendar invitations, parsed back with libical: one VEVENT,
 * the right instants in Europe/Berlin (summer and winter), a stable UID.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/util.h"
#include "templates/ics.h"

#define ICS_TEST_FROM	"Servicestelle IKZ <ikz@ssg-sachsen.de>"

static struct event_cfg
ics_test_event(const char *starts, const char *ends)
{
	struct event_cfg ev = { 0 };

	ev.key = (char *)"fv3";
	ev.title = (char *)"Workshop „Gemeinsame Bauhöfe, Vergabestellen und "
	    "Standesämter – Rechtsfragen der Zweckvereinbarung; SächsKomZG“";
	ev.location = (char *)"Sitzungssaal 2. OG, Bahnhofstraße 14, "
	    "01796 Pirna";
	ev.starts = util_parse_local_time(starts);
	ev.ends = util_parse_local_time(ends);
	return ev;
}

/* RFC 5545 3.1: CRLF, lines of at most 75 octets, UTF-8 kept whole. */
static void
ics_test_lines(const char *s)
{
	const char	*p, *e;

	for (p = s; *p; p = e + 2) {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 75);
		assert_null(memchr(p, '\n', (size_t)(e - p)));
		/* a continuation never starts inside a UTF-8 sequence */
		if (*p == ' ')
			assert_true(((unsigned char)p[1] & 0xc0) != 0x80);
	}
}

/* Parses ics back; checks the one VEVENT and returns its UID. */
static char *
ics_test_parse(const char *ics, const struct event_cfg *ev)
{
	icalcomponent		*cal, *ve, *tz;
	struct icaltimetype	 t;
	char			*uid;
	int			 n = 0;

	cal = icalcomponent_new_from_string(ics);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
	tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(tz);
	assert_string_equal(icalproperty_get_tzid(icalcomponent_get_first_property(
	    tz, ICAL_TZID_PROPERTY)), "Europe/Berlin");
	for (ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ve != NULL; ve = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT))
		n++;
	assert_int_equal(n, 1);
	ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	/* the instants, resolved through the calendar's own VTIMEZONE */
	t = icalcomponent_get_dtstart(ve);
	assert_non_null(t.zone);
	assert_string_equal(icaltimezone_get_tzid((icaltimezone *)t.zone),
	    "Europe/Berlin");
	assert_int_equal(icaltime_as_timet_with_zone(t, t.zone), ev->starts);
	t = icalcomponent_get_dtend(ve);
	assert_int_equal(icaltime_as_timet_with_zone(t, t.zone), ev->ends);
	assert_string_equal(icalcomponent_get_summary(ve), ev->title);
	assert_string_equal(icalcomponent_get_location(ve), ev->location);
	assert_non_null(strstr(icalproperty_get_organizer(
	    icalcomponent_get_first_property(ve, ICAL_ORGANIZER_PROPERTY)),
	    "mailto:ikz@ssg-sachsen.de"));
	uid = xstrdup(icalcomponent_get_uid(ve));
	icalcomponent_free(cal);
	return uid;
}

static void
ics_test_winter_summer(void **state)
{
	struct event_cfg	 w = ics_test_event("2024-11-12T09:30",
				    "2024-11-12T15:30");
	struct event_cfg	 s = ics_test_event("2025-07-01T09:00",
				    "2025-07-01T16:00");
	char			*a, *b, *ua, *ub;

	setenv("TZ", "UTC", 1);
	tzset();
	a = ics_event(&w, ICS_TEST_FROM, 1730800000);
	assert_non_null(a);
	ics_test_lines(a);
	assert_non_null(strstr(a, "\r\nDTSTART;TZID=Europe/Berlin:"
	    "20241112T093000\r\n"));
	assert_non_null(strstr(a, "\r\nMETHOD:PUBLISH\r\n"));
	ua = ics_test_parse(a, &w);
	/* summer time, and another DTSTAMP: same UID, same event */
	b = ics_event(&s, ICS_TEST_FROM, 1750000000);
	assert_non_null(strstr(b, "\r\nDTSTART;TZID=Europe/Berlin:"
	    "20250701T090000\r\n"));
	ub = ics_test_parse(b, &s);
	assert_string_equal(ua, ub);
	assert_string_equal(ua, "ikzreg-fv3@ssg-sachsen.de");
	free(a);
	free(b);
	free(ua);
	free(ub);
}

static void
ics_test_uid(void **state)
{
	char	*u;

	u = ics_uid("Fachtag 2024/ä@x", "ikz@ssg.de");
	assert_string_equal(u, "ikzreg-Fachtag-2024----x@ssg.de");
	free(u);
	u = ics_uid("a", NULL);
	assert_string_equal(u, "ikzreg-a@ikzreg.invalid");
	free(u);
	assert_null(ics_event(NULL, "no address", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ics_test_winter_summer),
		cmocka_unit_test(ics_test_uid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
