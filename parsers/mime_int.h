/*
 * mime_int.h - what mime.c shares with its helper files and its tests.
 * Not for use outside parsers/ and tests/unit/test_mime*.c.
 */
#ifndef IKZ_MIME_INT_H
#define IKZ_MIME_INT_H

#include <stddef.h>

#include "base/util.h"

/*
 * The top-level header block cut in two for libetpan, which would
 * otherwise parse every header of it (Received, DKIM ...) a second time
 * after mime_read_headers: mime holds the raw lines its MIME parser
 * needs (Content-*), env those mime_parse takes From, Reply-To, To,
 * Message-ID and Date from, each verbatim with its folds and in mail
 * order; body is the offset of the empty line that ends the block.
 */
struct mime_split {
	struct buf	 mime;
	struct buf	 env;
	size_t		 body;
};

/*
 * Fills *sp from raw[0..len). Returns 0, or -1 (sp left empty) when the
 * block is not plain enough to be sure that libetpan reads each header
 * alone the way it reads it in the whole block: a field name with
 * control characters or blanks, a line without a colon, no empty line.
 */
int		 mime_split_headers(const char *raw, size_t len,
		    struct mime_split *sp);
void		 mime_split_free(struct mime_split *);	/* NULL safe */

struct mailimf_fields;
struct mime_msg;

/*
 * The named fields of m (from_addr, from_name, reply_to, to, message_id,
 * date_t) from libetpan's model of a header block: the first From,
 * Reply-To, To and Message-ID count, the last Date.
 */
void		 mime_fields_read(struct mime_msg *m, struct mailimf_fields *);
/* The same from header fields[0..len) parsed by libetpan. */
void		 mime_fields_etpan(struct mime_msg *m, const char *fields,
		    size_t len);
/*
 * One field (name, colon, value, line end) by the strict parsers of
 * mime_fields.c: 0 if they took it (m updated as mime_fields_read
 * would), -1 (m untouched) if libetpan must parse it.
 */
int		 mime_fields_fast(struct mime_msg *m, const char *field,
		    size_t len);
/*
 * The env fields of a struct mime_split into m: fast while it can, the
 * rest from the first field it cannot take by libetpan in one block.
 */
void		 mime_fields_read_env(struct mime_msg *m, const struct buf *env);

/*
 * s[0..len) transfer-decoded by enc (a MAILMIME_MECHANISM_*; all but
 * base64 and quoted-printable count as binary) exactly as libetpan's
 * mailmime_part_parse() would: a new NUL-terminated buffer of *olen
 * bytes, or NULL for the few inputs where libetpan's answer depends on
 * bytes beyond s[len] (the caller then asks libetpan).
 */
char		*mime_body_decode(const char *s, size_t len, int enc,
		    size_t *olen);

/*
 * The reference for tests: libetpan over the whole mail as it is, no
 * pre-scan, no cuts, no split header (no limits either: only for mail
 * the pre-scan passes). 0 and *out, or -1 if libetpan refuses it.
 */
int		 mime_parse_whole(const char *raw, size_t len,
		    struct mime_msg **out);

#endif
