/*
 * mail.h - builds complete RFC 5322 reply messages.
 *
 * The result uses CRLF line ends only, no line longer than 998 octets,
 * a quoted-printable UTF-8 text body, RFC 2047 encoded Subject and display
 * names, and RFC 3834 headers. No value reaches a header unencoded: CR and
 * LF are removed, non-ASCII is encoded.
 */
#ifndef IKZ_MAIL_H
#define IKZ_MAIL_H

#include <stddef.h>
#include <time.h>

#define MAIL_LOOP_HEADER	"X-IKZReg-Loop"

struct mail_out {
	const char	*from;		/* "Display Name <addr>" or "addr" */
	const char	*to;		/* bare address */
	const char	*cc;		/* bare address or NULL */
	const char	*subject;	/* UTF-8 */
	const char	*body;		/* UTF-8, LF or CRLF line ends */
	const char	*message_id;	/* "<...>" */
	const char	*in_reply_to;	/* "<...>" or NULL */
	const char	*references;	/* "<...> <...>" or NULL */
	time_t		 date;
	const char	*ics;		/* text/calendar object or NULL */
	const char	*attach;	/* a file's bytes (base64 part) or NULL */
	size_t		 attach_len;
	const char	*attach_name;	/* filename: [A-Za-z0-9._-] only */
	const char	*attach_type;	/* e.g. "application/pdf" */
	int		 unsolicited;	/* not an answer: "auto-generated" */
};

/*
 * Builds the message; never fails for valid inputs. Caller frees.
 * Returns NULL (logged) if from has no valid address or to is not
 * mail_addr_valid(); an invalid cc, or a cc equal to to, is left out.
 * Invalid message ids are left out. Same inputs give the same bytes.
 */
char	*mail_build(const struct mail_out *, size_t *len);

/* A new unique "<random.time@domain>" Message-ID for the given address. */
char	*mail_new_message_id(const char *from_addr);

/*
 * 1 if s is a plain addr-spec safe for an SMTP envelope and a header:
 * printable ASCII, one '@', no spaces, quotes, brackets, CR or LF.
 */
int	 mail_addr_valid(const char *s);

/* Splits "Name <addr>" into its parts (caller frees); -1 if no address. */
int	 mail_split_from(const char *from, char **name, char **addr);

/*
 * Quoted-printable body encoding (RFC 2045) of UTF-8 text with LF or CRLF
 * line ends: CRLF lines of at most 76 octets, soft breaks, and "=", non-ASCII,
 * trailing white space, and a "." or "From " at a line start encoded.
 * Control characters other than TAB are dropped. Caller frees.
 */
char	*mail_qp_encode(const char *text);

/*
 * One complete unstructured header field "Field: value\r\n": controls
 * removed, RFC 2047 Q-encoded if value is not plain ASCII, folded so lines
 * stay within 78 octets. Caller frees.
 */
char	*mail_header_text(const char *field, const char *value);

/* RFC 5322 date in Europe/Berlin, "Tue, 12 Nov 2024 09:30:00 +0100". */
void	 mail_format_date(time_t, char *out, size_t len);

/* s with every bare LF turned into CRLF (CRLF kept); caller frees. */
char	*mail_crlf(const char *s);

#endif
