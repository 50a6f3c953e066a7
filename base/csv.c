/* csv.c - CSV cells that a spreadsheet reads as text (csv.h). */
#include <string.h>

#include "base/csv.h"

int
csv_formula_like(const char *s)
{
	if (*s == '\t' || *s == '\r')
		return 1;
	s += strspn(s, " \t\r\n");
	return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

void
csv_field(struct buf *b, const char *s, char sep)
{
	const char	*p;
	int		 text;

	if (s == NULL)
		s = "";
	text = csv_formula_like(s);
	if (!text && strchr(s, sep) == NULL && strpbrk(s, "\"\r\n") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	if (text)
		buf_addc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}
