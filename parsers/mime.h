/*
 * mime.h - one mail's headers, best text and attachment list.
 *
 * mime_parse() pre-scans the raw bytes against the limits below before
 * libetpan sees them (libetpan 1.9.4 crashes on some boundaries and is
 * quadratic in nesting depth), then decodes transfer encodings and
 * charsets. Every string in a struct mime_msg is valid UTF-8 and owned
 * by it; absent values are NULL unless said otherwise.
 */
#ifndef IKZ_MIME_H
#define IKZ_MIME_H

#include <stddef.h>
#include <time.h>

#define MIME_MAX_SIZE	(10 * 1024 * 1024)	/* bytes */
#define MIME_MAX_DEPTH	20			/* nested multiparts */
#define MIME_MAX_PARTS	200

struct mime_header {
	char	*name;		/* as written */
	char	*value;		/* unfolded, trimmed, not RFC 2047 decoded */
};

struct mime_attachment {
	char	*name;		/* decoded file name, "" if none */
	char	*type;		/* "application/pdf", lower case */
	size_t	 size;		/* encoded size in bytes */
};

struct mime_msg {
	char		*from_name;	/* display name, RFC 2047 decoded */
	char		*from_addr;	/* bare address */
	char		*reply_to;	/* bare address of the first mailbox */
	char		*to;		/* bare address of the first mailbox */
	char		*subject;	/* RFC 2047 decoded */
	char		*message_id;	/* with <> */
	char		*date;		/* raw Date: value */
	time_t		 date_t;	/* parsed Date:, 0 if none */
	char		*content_type;	/* top level "type/subtype", lower */
	char		*text;		/* best text part, never NULL */
	int		 text_html;	/* 1: text was converted from HTML */
	char		*forwarded;	/* text of attached message/rfc822
					   parts, NULL if none */
	struct mime_header *headers;	/* top-level header block, in order */
	size_t		 nheaders;
	char		*hblock;	/* the headers' strings, one block */
	struct mime_attachment *atts;
	size_t		 natts;
	size_t		 nparts;	/* leaf parts seen */
};

/*
 * Parses raw[0..len). Returns 0 and a new message in *out (caller frees
 * with mime_free), or -1 with a short English reason in err (e.g. "mime:
 * nesting deeper than 20") for mail refused by the limits or unparsable.
 */
int		 mime_parse(const char *raw, size_t len, struct mime_msg **out,
		    char *err, size_t errlen);
void		 mime_free(struct mime_msg *);		/* NULL safe */
/*
 * Installs the table charset converter as libetpan's extended_charconv
 * (a process-wide hook; mime_parse calls it, so nobody has to).
 */
void		 mime_init(void);

/*
 * The cheap pre-scan alone: 0 if raw is within the limits and free of
 * boundaries known to crash libetpan, else -1 with a reason in err.
 */
int		 mime_prescan(const char *raw, size_t len, char *err,
		    size_t errlen);

/*
 * A leaf body the pre-scan could bound (a part of the innermost
 * multipart with one Content-Type, neither message nor multipart):
 * raw[src] up to the newline before the next delimiter of the same
 * multipart, len bytes. off is where it sits in the buffer libetpan
 * reads: src in the scan's answer, moved by mime_parse's copy.
 */
struct mime_cut {
	size_t	 off;
	size_t	 len;
	size_t	 src;
};

#define MIME_CUT_MIN	64	/* shorter bodies are not worth a copy */

/*
 * mime_prescan(), also noting in cuts[] (room for MIME_MAX_PARTS) the
 * leaf bodies of at least MIME_CUT_MIN bytes, in mail order, and
 * their number in *ncuts. For mime_parse and its tests.
 */
int		 mime_prescan_cuts(const char *raw, size_t len,
		    struct mime_cut *cuts, size_t *ncuts, char *err,
		    size_t errlen);

/* First top-level header called name (any case), or NULL. */
const char	*mime_header(const struct mime_msg *, const char *name);
/*
 * The first of the headers RFC 5322 allows once that a decision reads
 * (From, Sender, Reply-To, To, Cc, Subject, Message-ID, Date) if it
 * occurs twice at the top level, else NULL: mime_header() reads the
 * first, a client may show the second.
 */
const char	*mime_header_twice(const struct mime_msg *);
/* 1 if any top-level header name starts with prefix (e.g. "List-"). */
int		 mime_has_header_prefix(const struct mime_msg *,
		    const char *prefix);

/*
 * Plain text from an HTML document (UTF-8 in, UTF-8 out): block elements
 * become line breaks, script/style/head are dropped, entities decoded.
 * Caller frees; never NULL.
 */
char		*mime_html_to_text(const char *html, size_t len);

/*
 * Decodes RFC 2047 encoded words in a header value; raw 8-bit bytes are
 * read as UTF-8 if valid, else windows-1252. Caller frees; never NULL.
 */
char		*mime_decode_2047(const char *);

/* One MIME parameter as libetpan hands it over (borrowed strings). */
struct mime_param {
	const char	*name;
	const char	*value;
};

/*
 * The value of parameter base ("filename", "name") from RFC 2231
 * sections (base*, base*0*, base*1 ...) or a plain, possibly RFC 2047
 * encoded, base= value. Caller frees; NULL if absent.
 */
char		*mime_2231_value(const struct mime_param *, size_t,
		    const char *base);

/* Undoes format=flowed (RFC 3676) soft line breaks; caller frees. */
char		*mime_unflow(const char *text, int delsp);

#endif
