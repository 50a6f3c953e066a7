/*
 * mime_html.c - HTML-only mail to plain text, and format=flowed.
 *
 * libxml2's HTML parser is forgiving (RECOVER) and never touches the
 * network (NONET); entities arrive decoded in the text nodes. We only
 * need the words and the line structure for the rules in parse.c.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/text.h"

static int
mime_html_in(const char *name, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (util_strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

static int
mime_html_skip(const char *name)
{
	static const char *const skip[] = { "script", "style", "head",
	    "title", "noscript", "template", "object", "iframe", "xml",
	    "meta", "link", "svg" };

	return mime_html_in(name, skip, nitems(skip));
}

static int
mime_html_block(const char *name)
{
	static const char *const block[] = { "p", "div", "br", "tr", "li",
	    "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl",
	    "dt", "dd", "blockquote", "pre", "hr", "address", "section",
	    "article", "header", "footer", "form", "center", "body" };

	return mime_html_in(name, block, nitems(block));
}

/* Appends a newline unless the buffer already ends with one. */
static void
mime_html_nl(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		buf_addc(b, '\n');
}

/* Text node: runs of white space collapse to one space, as browsers do. */
static void
mime_html_text(struct buf *b, const char *s, int pre)
{
	int	 sp, nb;

	for (; *s; s++) {
		sp = *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n';
		/* U+00A0 would hide words from the keyword rules. */
		if ((nb = s[0] == '\xc2' && s[1] == '\xa0')) {
			s++;
			sp = 1;
		}
		if (pre || !sp)
			buf_addc(b, nb ? ' ' : *s);
		else if (b->len > 0 && b->data[b->len - 1] != ' ' &&
		    b->data[b->len - 1] != '\n' && b->data[b->len - 1] != '\t')
			buf_addc(b, ' ');
	}
}

static void
mime_html_walk(struct buf *b, xmlNode *n, int pre, int depth)
{
	const char *name;
	int	 blk;

	if (depth > 200)		/* libxml2 caps depth too; be sure */
		return;
	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				mime_html_text(b, (const char *)n->content, pre);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || n->name == NULL)
			continue;
		name = (const char *)n->name;
		if (mime_html_skip(name))
			continue;
		if ((blk = mime_html_block(name)))
			mime_html_nl(b);
		/* A tab before each cell keeps a table's columns apart
		 * for people_from_table (a space merged them). */
		if (util_strcasecmp(name, "td") == 0 ||
		    util_strcasecmp(name, "th") == 0)
			buf_addc(b, '\t');
		mime_html_walk(b, n->children, pre ||
		    util_strcasecmp(name, "pre") == 0, depth + 1);
		if (blk)
			mime_html_nl(b);
	}
}

/* Trims spaces at line ends and squeezes runs of blank lines. */
static char *
mime_html_tidy(const char *s)
{
	struct buf b = { 0 };
	int	 nl = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			while (b.len > 0 && b.data[b.len - 1] == ' ')
				b.data[--b.len] = '\0';
			if (++nl <= 2 && b.len > 0)
				buf_addc(&b, '\n');
			continue;
		}
		if (*s == ' ' && (b.len == 0 || b.data[b.len - 1] == '\n'))
			continue;
		nl = 0;
		buf_addc(&b, *s);
	}
	return buf_detach(&b);
}

char *
mime_html_to_text(const char *html, size_t len)
{
	htmlDocPtr doc;
	struct buf b = { 0 };
	char	*out;

	if (len == 0 || len > INT32_MAX)
		return xstrdup("");
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8", HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER);
	if (doc == NULL)
		return text_utf8_repair(html, len);
	mime_html_walk(&b, xmlDocGetRootElement(doc), 0, 0);
	xmlFreeDoc(doc);
	out = mime_html_tidy(b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/*
 * RFC 3676: a line ending in a space is continued by the next one
 * (unless it is the signature separator "-- "); space-stuffing removed.
 */
char *
mime_unflow(const char *text, int delsp)
{
	struct buf b = { 0 };
	const char *l = text, *eol;
	size_t	 n;

	for (; *l; l = *eol ? eol + 1 : eol) {
		eol = strchr(l, '\n');
		if (eol == NULL)
			eol = l + strlen(l);
		n = eol - l;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n > 0 && l[0] == ' ')	/* space-stuffed */
			l++, n--;
		if (n > 0 && l[n - 1] == ' ' && !(n == 3 &&
		    memcmp(l, "-- ", 3) == 0) && l[0] != '>') {
			buf_add(&b, l, delsp ? n - 1 : n);
			continue;
		}
		buf_add(&b, l, n);
		if (*eol)
			buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}
