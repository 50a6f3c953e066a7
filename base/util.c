/* util.c - allocation wrappers, buffers and small helpers. */
#include <sys/random.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL)
		fatal("malloc %zu", n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n ? n : 1, sz ? sz : 1)) == NULL)
		fatal("calloc %zu*%zu", n, sz);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t sz)
{
	void	*p;

	if (sz && n > SIZE_MAX / sz)
		fatalx("xreallocarray: overflow %zu*%zu", n, sz);
	if ((p = realloc(old, (n * sz) != 0 ? n * sz : 1)) == NULL)
		fatal("realloc %zu", n * sz);
	return p;
}

char *
xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	if (n > 0)	/* s may be NULL for an empty SQLite blob */
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		fatal("vasprintf");
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* The strings up to a NULL, joined by sep: one allocation, no format. */
char *
xjoin(int sep, ...)
{
	va_list	 ap;
	const char *p;
	char	*r, *w;
	size_t	 n = 0;

	va_start(ap, sep);
	while ((p = va_arg(ap, const char *)) != NULL)
		n += strlen(p) + 1;
	va_end(ap);
	w = r = xmalloc(n > 0 ? n : 1);
	va_start(ap, sep);
	while ((p = va_arg(ap, const char *)) != NULL) {
		if (w != r)
			*w++ = sep;
		n = strlen(p);
		memcpy(w, p, n);
		w += n;
	}
	va_end(ap);
	*w = '\0';
	return r;
}

static void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 need;

	if (extra > SIZE_MAX - b->len - 1)
		fatalx("buf_grow: overflow");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->data = xreallocarray(b->data, b->cap, 1);
}

void
buf_add_slow(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Room for extra more bytes at once: a known size grows a buffer once. */
void
buf_reserve(struct buf *b, size_t extra)
{
	buf_grow(b, extra);
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(b, s);
	free(s);
}

char *
buf_detach(struct buf *b)
{
	char	*p;

	if (b->data == NULL)
		buf_grow(b, 0), b->data[0] = '\0';
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int
util_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int
util_strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; a++, b++, n--) {
		int d = util_lower((unsigned char)*a) -
		    util_lower((unsigned char)*b);
		if (d != 0 || *a == '\0')
			return d;
	}
	return 0;
}

int
util_strcasecmp(const char *a, const char *b)
{
	return util_strncasecmp(a, b, SIZE_MAX);
}

const char *
util_strcasestr(const char *hay, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; *hay; hay++)
		if (util_strncasecmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}

char *
util_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/*
 * Reads straight into a buffer sized by fstat(2). A read shorter than
 * asked ends a regular file (POSIX), which saves the second read that
 * would only return 0; anything else (pipes, and files that claim size
 * 0 as those of /proc do) is read until read(2) returns 0.
 */
char *
util_read_file(const char *path, size_t *lenp)
{
	return util_read_file_max(path, SIZE_MAX / 2, lenp);
}

char *
util_read_file_max(const char *path, size_t max, size_t *lenp)
{
	struct buf	 b = { 0 };
	struct stat	 st;
	size_t		 want;
	ssize_t		 n;
	int		 fd, saved, sized;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1)
		goto fail;
	sized = S_ISREG(st.st_mode) && st.st_size > 0;
	if (sized && (uintmax_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	buf_reserve(&b, sized ? (size_t)st.st_size + 1 : 65536);
	for (;;) {
		if (b.cap - b.len - 1 == 0)
			buf_reserve(&b, b.cap);
		want = b.cap - b.len - 1;
		/* A pipe or device is cut off one byte past max. */
		if (want > max - b.len + 1)
			want = max - b.len + 1;
		if ((n = read(fd, b.data + b.len, want)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		b.len += (size_t)n;
		b.data[b.len] = '\0';
		if (b.len > max) {
			errno = EFBIG;
			goto fail;
		}
		if (n == 0 || (sized && (size_t)n < want))
			break;
	}
	close(fd);
	if (lenp)
		*lenp = b.len;
	return buf_detach(&b);
fail:
	saved = errno;
	close(fd);
	buf_free(&b);
	errno = saved;
	return NULL;
}

void
util_random(void *p, size_t n)
{
	unsigned char	*q = p;
	ssize_t		 r;

	while (n > 0) {
		if ((r = getrandom(q, n, 0)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("getrandom");
		}
		q += r;
		n -= (size_t)r;
	}
}

void
util_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char	 d[32];
	size_t		 i;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, p, n, d) != 0)
		fatalx("gnutls_hash_fast failed");
	for (i = 0; i < sizeof(d); i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/*
 * All calendar times of the office are Europe/Berlin, whatever the host.
 * Setting TZ is safe here: both programs are single-threaded.
 */
static void
util_tz(void)
{
	const char	*tz = getenv("TZ");

	if (tz == NULL || strcmp(tz, "Europe/Berlin") != 0) {
		setenv("TZ", "Europe/Berlin", 1);
		tzset();
	}
}

void
util_localtime(time_t t, struct tm *tm)
{
	util_tz();
	localtime_r(&t, tm);
}

time_t
util_parse_local_time(const char *s)
{
	struct tm	 tm;
	char		*end;

	util_tz();
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M", &tm)) == NULL &&
	    (end = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL)
			return -1;
	}
	if (*end == ':' && (end = strptime(end, ":%S", &tm)) == NULL)
		return -1;
	if (*end != '\0')
		return -1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

void
util_format_local_time(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	util_localtime(t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M", &tm);
}

int
util_is_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (util_strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

void
util_step(const char *step)
{
	const char	*stop = getenv("IKZREG_STOP_AFTER");

	if (stop && strcmp(stop, step) == 0) {
		log_warnx("test hook: stopping after step \"%s\"", step);
		_exit(75);
	}
}
