/*
 * util.h - allocation wrappers, growable buffers, small string helpers.
 *
 * Return convention of the whole code base: functions that can fail for
 * reasons of the world (network, bad input, busy database) return 0 on
 * success and -1 on failure, after logging or filling an error string.
 * Allocation failure is a bug-class event: the x* wrappers abort.
 */
#ifndef IKZ_UTIL_H
#define IKZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);		/* xstrdup(NULL) returns NULL */
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);
/* xjoin('\n', a, b, NULL) is "a\nb"; the list ends with NULL. */
char	*xjoin(int sep, ...) __attribute__((sentinel));

/* A growable byte buffer; data is always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_add_slow(struct buf *, const void *, size_t);
void	 buf_reserve(struct buf *, size_t);	/* room for n more */
void	 buf_adds(struct buf *, const char *);

/*
 * Appends n bytes; the data stays NUL-terminated. Inline for the case
 * that fits, which is nearly every call of the parsers' inner loops.
 */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len > n) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else
		buf_add_slow(b, p, n);
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->cap - b->len > 1) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
	} else
		buf_add_slow(b, &c, 1);
}
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_detach(struct buf *);	/* caller owns result; buf reset */
void	 buf_free(struct buf *);

/* ASCII-only, locale-independent helpers. */
int	 util_strcasecmp(const char *, const char *);
int	 util_strncasecmp(const char *, const char *, size_t);
const char *util_strcasestr(const char *, const char *);
char	*util_trim(char *);		/* trims in place, returns start */

/* Reads a whole file; returns NULL and sets errno on failure. */
char	*util_read_file(const char *, size_t *);
/*
 * As util_read_file, but fails with errno EFBIG, before reading, for a
 * file bigger than max bytes, and after max + 1 bytes for a pipe or a
 * device (/dev/zero), so that no input can exhaust memory.
 */
char	*util_read_file_max(const char *, size_t max, size_t *);

/* Fills buf with n random bytes from getrandom(2); aborts on failure. */
void	 util_random(void *, size_t);

/* Hex SHA-256 of data into out[65]. */
void	 util_sha256_hex(const void *, size_t, char out[65]);

/* Parses "YYYY-MM-DDTHH:MM[:SS]" as Europe/Berlin local time. -1 on error. */
time_t	 util_parse_local_time(const char *);
/* localtime_r in Europe/Berlin (sets TZ once for the process). */
void	 util_localtime(time_t, struct tm *);
/* Formats t as ISO 8601 in Europe/Berlin ("2024-11-12T09:30"). */
void	 util_format_local_time(time_t, char *, size_t);

/* 1 if host is a loopback name or address (localhost, 127.0.0.0/8, ::1). */
int	 util_is_loopback(const char *);

/*
 * Crash-test hook of the pipeline (fetched, stored, decided, committed,
 * moved, sent, marked): when IKZREG_STOP_AFTER names this step, the
 * process exits at once with status 75, as if killed, without cleanup.
 */
void	 util_step(const char *step);

#endif
