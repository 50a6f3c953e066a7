/*
 * people_person.c - struct person: fields that are never NULL, set only
 * through people_set (valid UTF-8, no control characters), and the
 * shared empty field.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people.h"
#include "parsers/text.h"

const char people_empty[] = "";

void
people_put(char **field, char *value)
{
	if (*field != people_empty)
		free(*field);
	*field = value;
}

void
people_init(struct person *p)
{
	p->salutation = p->title = p->given_name = p->family_name =
	    p->function = p->organisation = p->email = (char *)people_empty;
}

void
people_clear(struct person *p)
{
	people_put(&p->salutation, NULL);
	people_put(&p->title, NULL);
	people_put(&p->given_name, NULL);
	people_put(&p->family_name, NULL);
	people_put(&p->function, NULL);
	people_put(&p->organisation, NULL);
	people_put(&p->email, NULL);
	memset(p, 0, sizeof(*p));
}

/*
 * Replaces *field by a valid UTF-8 copy of value (NULL: ""). Control
 * characters (CR, LF, TAB ...) become spaces and runs of spaces one, so
 * a name can never smuggle a header line into a reply.
 */
void
people_set(char **field, const char *value)
{
	char	*n, *r, *w;

	if (value == NULL || *value == '\0') {
		people_put(field, (char *)people_empty);
		return;
	}
	n = text_utf8_repair(value, strlen(value));
	for (r = w = n; *r; r++) {
		if ((unsigned char)*r < 0x20 || *r == 0x7f)
			*r = ' ';
		if (*r == ' ' && (w == n || w[-1] == ' '))
			continue;
		*w++ = *r;
	}
	while (w > n && w[-1] == ' ')
		w--;
	*w = '\0';
	people_put(field, n);
}

char *
people_display_name(const struct person *p)
{
	struct buf b = { 0 };
	const char *parts[3];
	size_t	 i;

	parts[0] = p->title;
	parts[1] = p->given_name;
	parts[2] = p->family_name;
	for (i = 0; i < nitems(parts); i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, parts[i]);
	}
	return buf_detach(&b);
}
