/* imap.c - IMAP intake on libetpan. */
#include <libetpan/libetpan.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/imap.h"
#include "daemon/notify.h"
#include "daemon/sig.h"
#include "daemon/tls.h"

struct imap {
	mailimap		*s;
	const struct imap_cfg	*cf;
	int			 has_move;
	int			 has_uidplus;
	int			 has_idle;
	int			 has_multiappend;	/* and LITERAL+ */
	char			 err[512];
};

static int
imap_ok(int r)
{
	return r == MAILIMAP_NO_ERROR ||
	    r == MAILIMAP_NO_ERROR_AUTHENTICATED ||
	    r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

/* Records why r failed; the server's own words where it gave some. */
static int
imap_fail(struct imap *im, const char *what, int r)
{
	const char	*resp = im->s ? im->s->imap_response : NULL;

	/*
	 * After a stream error the response text is the previous command's
	 * ("Append completed"): it says nothing about this failure.
	 */
	if (r == MAILIMAP_ERROR_STREAM) {
		snprintf(im->err, sizeof(im->err), "IMAP %s failed: connection "
		    "lost (server closed it, or network error)%s", what,
		    sig_quit() ? " at shutdown" : "");
		return -1;
	}
	snprintf(im->err, sizeof(im->err), "IMAP %s failed (libetpan error "
	    "%d)%s%s", what, r, resp ? ": " : "", resp ? resp : "");
	return -1;
}

const char *
imap_error(const struct imap *im)
{
	return im->err;
}

/* Server Name Indication, for names only: never for address literals. */
static void
imap_sni(struct mailstream_ssl_context *ctx, void *data)
{
	const char	*host = data;
	unsigned char	 a[16];

	if (inet_pton(AF_INET, host, a) != 1 &&
	    inet_pton(AF_INET6, host, a) != 1)
		mailstream_ssl_set_server_name(ctx, (char *)host);
}

/*
 * Our own TCP connect, so that a connect or a TLS handshake to a silent
 * server can be cut by SIGTERM (see sig_set_netfd) and is bounded by the
 * configured timeout. Returns the connected socket or -1.
 */
static int
imap_tcp_connect(struct imap *im, const struct server_cfg *srv)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct pollfd	 pfd[2];
	char		 port[16];
	int		 fd = -1, r, err = 0;
	socklen_t	 len = sizeof(err);

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", srv->port);
	if ((r = getaddrinfo(srv->host, port, &hints, &res)) != 0) {
		snprintf(im->err, sizeof(im->err), "%s", gai_strerror(r));
		return -1;
	}
	for (ai = res; ai && fd == -1; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol)) == -1)
			continue;
		sig_set_netfd(fd);
		err = 0;
		if ((r = connect(fd, ai->ai_addr, ai->ai_addrlen)) == -1 &&
		    errno == EINPROGRESS) {
			pfd[0].fd = fd;
			pfd[0].events = POLLOUT;
			pfd[1].fd = sig_fd();
			pfd[1].events = POLLIN;
			r = poll(pfd, sig_fd() == -1 ? 1 : 2,
			    im->cf->timeout * 1000);
			err = r == 0 ? ETIMEDOUT : r < 0 ? errno : 0;
			if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1)
				err = errno;
			if (r > 0 && !(pfd[0].revents & POLLOUT))
				err = EINTR;
		} else if (r == -1)
			err = errno;
		if (err != 0 || sig_quit()) {
			snprintf(im->err, sizeof(im->err), "connect: %s",
			    strerror(err ? err : EINTR));
			sig_set_netfd(-1);
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd != -1 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
	    == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
imap_open_stream(struct imap *im)
{
	const struct server_cfg	*srv = &im->cf->srv;
	mailstream		*st;
	int			 fd, r;

	if ((fd = imap_tcp_connect(im, srv)) == -1)
		return -1;
	if (srv->security == SEC_TLS)
		st = mailstream_ssl_open_with_callback_timeout(fd,
		    im->cf->timeout, imap_sni, srv->host);
	else
		st = mailstream_socket_open_timeout(fd, im->cf->timeout);
	if (st == NULL) {
		close(fd);
		snprintf(im->err, sizeof(im->err), "%s failed",
		    srv->security == SEC_TLS ? "TLS handshake" : "stream setup");
		return -1;
	}
	/* mailimap_connect closes the stream itself when it fails. */
	if (!imap_ok(r = mailimap_connect(im->s, st)))
		return imap_fail(im, "greeting", r);
	if (srv->security == SEC_STARTTLS) {
		r = mailimap_socket_starttls_with_callback(im->s, imap_sni,
		    srv->host);
		if (!imap_ok(r))
			return imap_fail(im, "STARTTLS", r);
	}
	if (srv->security != SEC_NONE &&
	    tls_verify_stream(im->s->imap_stream, srv->ca_file, srv->host,
	    im->err, sizeof(im->err)) == -1)
		return -1;
	return 0;
}

/*
 * libetpan 1.9.4 reads a literal in a loop that takes a read of 0 (end of
 * stream) for "try again": a server that closes the connection in the
 * middle of a literal would spin the daemon forever. The stream driver is
 * wrapped so that end of stream is an error, as it always is mid-response.
 */
static mailstream_low_driver	 imap_drv_socket, imap_drv_ssl;

/* Exported by libetpan, declared only when its headers see USE_SSL. */
extern mailstream_low_driver	*mailstream_ssl_driver;

static ssize_t
imap_read_socket(mailstream_low *s, void *buf, size_t n)
{
	ssize_t	 r = mailstream_socket_driver->mailstream_read(s, buf, n);

	return r == 0 ? -1 : r;
}

static ssize_t
imap_read_ssl(mailstream_low *s, void *buf, size_t n)
{
	ssize_t	 r = mailstream_ssl_driver->mailstream_read(s, buf, n);

	return r == 0 ? -1 : r;
}

static void
imap_guard_eof(mailstream *st)
{
	mailstream_low	*low = mailstream_get_low(st);

	if (low->driver == mailstream_socket_driver) {
		imap_drv_socket = *mailstream_socket_driver;
		imap_drv_socket.mailstream_read = imap_read_socket;
		low->driver = &imap_drv_socket;
	} else if (low->driver == mailstream_ssl_driver) {
		imap_drv_ssl = *mailstream_ssl_driver;
		imap_drv_ssl.mailstream_read = imap_read_ssl;
		low->driver = &imap_drv_ssl;
	} else
		fatalx("imap: unknown libetpan stream driver");
}

struct imap *
imap_connect(const struct imap_cfg *cf, const char *password, char *err,
    size_t errlen)
{
	struct imap	*im;
	struct mailimap_capability_data *caps = NULL;
	int		 r;

	im = xcalloc(1, sizeof(*im));
	im->cf = cf;
	im->s = mailimap_new(0, NULL);
	mailimap_set_timeout(im->s, cf->timeout);
	if (imap_open_stream(im) == -1)
		goto fail;
	imap_guard_eof(im->s->imap_stream);
	r = mailimap_login(im->s, cf->srv.user, password);
	if (!imap_ok(r)) {
		imap_fail(im, "LOGIN", r);
		goto fail;
	}
	/* Servers may announce more after LOGIN: ask again. */
	r = mailimap_capability(im->s, &caps);
	if (!imap_ok(r)) {
		imap_fail(im, "CAPABILITY", r);
		goto fail;
	}
	mailimap_capability_data_free(caps);
	im->has_move = mailimap_has_extension(im->s, "MOVE");
	im->has_uidplus = mailimap_has_uidplus(im->s);
	im->has_idle = mailimap_has_idle(im->s);
	im->has_multiappend = mailimap_has_extension(im->s, "MULTIAPPEND") &&
	    mailimap_has_extension(im->s, "LITERAL+");
	log_debug("imap: connected to %s:%d, MOVE %s, UIDPLUS %s",
	    cf->srv.host, cf->srv.port, im->has_move ? "yes" : "no",
	    im->has_uidplus ? "yes" : "no");
	return im;
fail:
	snprintf(err, errlen, "%s:%d: %s", cf->srv.host, cf->srv.port,
	    im->err);
	imap_close(im);
	return NULL;
}

void
imap_close(struct imap *im)
{
	if (im == NULL)
		return;
	sig_set_netfd(-1);
	if (im->s) {
		if (im->s->imap_stream)
			mailimap_logout(im->s);
		mailimap_free(im->s);
	}
	free(im);
}

/*
 * SELECT (read-write) or EXAMINE (read-only) mailbox; *uidvalidity, when
 * asked for, must be given by the server.
 */
static int
imap_open_box(struct imap *im, const char *mailbox, int readonly,
    uint32_t *uidvalidity)
{
	char	*name = imap_utf7_encode(mailbox);
	int	 r;

	r = readonly ? mailimap_examine(im->s, name) :
	    mailimap_select(im->s, name);
	free(name);
	if (!imap_ok(r))
		return imap_fail(im, readonly ? "EXAMINE" : "SELECT", r);
	if (uidvalidity && (im->s->imap_selection_info == NULL ||
	    im->s->imap_selection_info->sel_uidvalidity == 0)) {
		snprintf(im->err, sizeof(im->err), "server gave no "
		    "UIDVALIDITY for %s", mailbox);
		return -1;
	}
	if (uidvalidity)
		*uidvalidity = im->s->imap_selection_info->sel_uidvalidity;
	return 0;
}

int
imap_select(struct imap *im, const char *mailbox, uint32_t *uidvalidity)
{
	return imap_open_box(im, mailbox, 0, uidvalidity);
}

int
imap_examine(struct imap *im, const char *mailbox, uint32_t *uidvalidity)
{
	return imap_open_box(im, mailbox, 1, uidvalidity);
}

/* IMAP date-time (with zone such as +0100 given as 100) to Unix time. */
static time_t
imap_date(const struct mailimap_date_time *d)
{
	struct tm	 tm;
	int		 z = d->dt_zone < 0 ? -d->dt_zone : d->dt_zone;
	time_t		 off = (z / 100) * 3600 + (z % 100) * 60;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d->dt_year - 1900;
	tm.tm_mon = d->dt_month - 1;
	tm.tm_mday = d->dt_day;
	tm.tm_hour = d->dt_hour;
	tm.tm_min = d->dt_min;
	tm.tm_sec = d->dt_sec;
	return timegm(&tm) - (d->dt_zone < 0 ? -off : off);
}

static int
imap_flags_deleted(struct mailimap_msg_att_dynamic *dyn)
{
	struct mailimap_flag_fetch	*ff;
	clistiter			*it;

	if (dyn == NULL || dyn->att_list == NULL)
		return 0;
	for (it = clist_begin(dyn->att_list); it; it = clist_next(it)) {
		ff = clist_content(it);
		if (ff->fl_type == MAILIMAP_FLAG_FETCH_OTHER && ff->fl_flag &&
		    ff->fl_flag->fl_type == MAILIMAP_FLAG_DELETED)
			return 1;
	}
	return 0;
}

static void
imap_msginfo_fill(struct mailimap_msg_att *att, struct imap_msginfo *mi)
{
	clistiter			*it;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*sa;

	memset(mi, 0, sizeof(*mi));
	for (it = clist_begin(att->att_list); it; it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		sa = item->att_data.att_static;
		if (sa->att_type == MAILIMAP_MSG_ATT_UID)
			mi->uid = sa->att_data.att_uid;
		else if (sa->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
			mi->size = sa->att_data.att_rfc822_size;
		else if (sa->att_type == MAILIMAP_MSG_ATT_INTERNALDATE)
			mi->internaldate =
			    imap_date(sa->att_data.att_internal_date);
	}
	for (it = clist_begin(att->att_list); it; it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC)
			mi->deleted = imap_flags_deleted(item->att_data.att_dyn);
	}
}

static int
imap_msginfo_cmp(const void *a, const void *b)
{
	const struct imap_msginfo *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

uint32_t
imap_uidnext(const struct imap *im)
{
	return im->s->imap_selection_info ?
	    im->s->imap_selection_info->sel_uidnext : 0;
}

int
imap_list_new(struct imap *im, uint32_t after, struct imap_msginfo **list,
    size_t *n)
{
	return imap_list_range(im, after, 0, list, n);
}

int
imap_list_range(struct imap *im, uint32_t after, uint32_t upto,
    struct imap_msginfo **list, size_t *n)
{
	struct mailimap_set		*set;
	struct mailimap_fetch_type	*ft;
	struct imap_msginfo		 mi;
	clist				*res = NULL;
	clistiter			*it;
	int				 r;

	*list = NULL;
	*n = 0;
	set = mailimap_set_new_interval(after + 1, upto);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_flags());
	r = mailimap_uid_fetch(im->s, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (!imap_ok(r))
		return imap_fail(im, "UID FETCH", r);
	for (it = clist_begin(res); it; it = clist_next(it)) {
		imap_msginfo_fill(clist_content(it), &mi);
		/* "n:*" also returns the last message when its UID < n. */
		if (mi.uid <= after || (upto != 0 && mi.uid > upto))
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[(*n)++] = mi;
	}
	mailimap_fetch_list_free(res);
	if (*n > 1)
		qsort(*list, *n, sizeof(**list), imap_msginfo_cmp);
	return 0;
}

int
imap_fetch_body(struct imap *im, uint32_t uid, char **raw, size_t *len)
{
	struct mailimap_set		*set;
	struct mailimap_fetch_type	*ft;
	struct mailimap_msg_att		*att;
	struct mailimap_msg_att_item	*item;
	clist				*res = NULL;
	clistiter			*it, *jt;
	int				 r;

	*raw = NULL;
	set = mailimap_set_new_single(uid);
	ft = mailimap_fetch_type_new_fetch_att(
	    mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new(NULL)));
	r = mailimap_uid_fetch(im->s, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (!imap_ok(r))
		return imap_fail(im, "UID FETCH BODY.PEEK[]", r);
	for (it = clist_begin(res); it && !*raw; it = clist_next(it)) {
		att = clist_content(it);
		for (jt = clist_begin(att->att_list); jt; jt = clist_next(jt)) {
			item = clist_content(jt);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC ||
			    item->att_data.att_static->att_type !=
			    MAILIMAP_MSG_ATT_BODY_SECTION)
				continue;
			struct mailimap_msg_att_body_section *bs =
			    item->att_data.att_static->att_data.att_body_section;
			*len = bs->sec_length;
			*raw = xstrndup(bs->sec_body_part ? bs->sec_body_part :
			    "", bs->sec_length);
			break;
		}
	}
	mailimap_fetch_list_free(res);
	if (*raw == NULL) {
		snprintf(im->err, sizeof(im->err), "message UID %u is gone",
		    uid);
		return -1;
	}
	return 0;
}

int
imap_ensure_folder(struct imap *im, const char *folder)
{
	char	*name = imap_utf7_encode(folder);
	clist	*res = NULL;
	int	 r, exists;

	r = mailimap_list(im->s, "", name, &res);
	if (!imap_ok(r)) {
		free(name);
		return imap_fail(im, "LIST", r);
	}
	exists = res && clist_count(res) > 0;
	if (res)
		mailimap_list_result_free(res);
	r = exists ? MAILIMAP_NO_ERROR : mailimap_create(im->s, name);
	free(name);
	if (!imap_ok(r))
		return imap_fail(im, "CREATE", r);
	if (!exists)
		log_info("imap: created folder %s", folder);
	return 0;
}

/* UID STORE +FLAGS.SILENT of \\Deleted, or of \\Seen and our keyword. */
static int
imap_store_flags(struct imap *im, struct mailimap_set *set, int deleted)
{
	struct mailimap_flag_list	*fl;
	struct mailimap_store_att_flags	*sf;
	int				 r;

	fl = mailimap_flag_list_new_empty();
	if (deleted)
		mailimap_flag_list_add(fl, mailimap_flag_new_deleted());
	else {
		mailimap_flag_list_add(fl, mailimap_flag_new_seen());
		mailimap_flag_list_add(fl,
		    mailimap_flag_new_flag_keyword(xstrdup(IMAP_DONE_KEYWORD)));
	}
	sf = mailimap_store_att_flags_new_add_flags_silent(fl);
	r = mailimap_uid_store(im->s, set, sf);
	mailimap_store_att_flags_free(sf);
	if (!imap_ok(r))
		return imap_fail(im, "UID STORE", r);
	return 0;
}

/*
 * MOVE where offered; else COPY, \Deleted and UID EXPUNGE of this UID only.
 * Without UIDPLUS a plain EXPUNGE could delete mail others flagged
 * \Deleted, so the message is only flagged and stays where it is.
 */
int
imap_move(struct imap *im, uint32_t uid, const char *folder)
{
	struct mailimap_set	*set = mailimap_set_new_single(uid);
	char			*name = imap_utf7_encode(folder);
	int			 r, rv = -1;

	if (im->has_move) {
		if (imap_ok(r = mailimap_uid_move(im->s, set, name)))
			rv = 0;
		else
			imap_fail(im, "UID MOVE", r);
	} else if (!im->has_uidplus) {
		log_warnx("imap: server lacks MOVE and UIDPLUS: message uid %u "
		    "flagged %s instead of moved to %s", uid,
		    IMAP_DONE_KEYWORD, folder);
		rv = imap_store_flags(im, set, 0);
	} else if (!imap_ok(r = mailimap_uid_copy(im->s, set, name)))
		imap_fail(im, "UID COPY", r);
	else if (imap_store_flags(im, set, 1) == 0) {
		if (imap_ok(r = mailimap_uid_expunge(im->s, set)))
			rv = 0;
		else
			imap_fail(im, "UID EXPUNGE", r);
	}
	mailimap_set_free(set);
	free(name);
	return rv;
}

/* A UID set of uids (ascending), consecutive UIDs as intervals. */
static struct mailimap_set *
imap_uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set	*set = mailimap_set_new_empty();
	size_t			 i, j;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
			;
		mailimap_set_add_interval(set, uids[i], uids[j - 1]);
	}
	return set;
}

/* The UID and the body section of one FETCH response. */
static void
imap_att_body(struct mailimap_msg_att *att, uint32_t *uid, const char **p,
    size_t *len)
{
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*sa;
	clistiter			*jt;

	*uid = 0;
	*p = NULL;
	*len = 0;
	for (jt = clist_begin(att->att_list); jt; jt = clist_next(jt)) {
		item = clist_content(jt);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		sa = item->att_data.att_static;
		if (sa->att_type == MAILIMAP_MSG_ATT_UID)
			*uid = sa->att_data.att_uid;
		else if (sa->att_type == MAILIMAP_MSG_ATT_BODY_SECTION) {
			*p = sa->att_data.att_body_section->sec_body_part;
			*len = sa->att_data.att_body_section->sec_length;
			if (*p == NULL)
				*p = "", *len = 0;
		}
	}
}

int
imap_fetch_bodies(struct imap *im, const uint32_t *uids, size_t n,
    int (*fn)(void *, uint32_t uid, const char *raw, size_t len), void *arg)
{
	struct mailimap_set		*set;
	struct mailimap_fetch_type	*ft;
	clist				*res = NULL;
	clistiter			*it;
	const char			*p;
	size_t				 len;
	uint32_t			 uid;
	int				 r, rv = 0;

	if (n == 0)
		return 0;
	set = imap_uid_set(uids, n);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new(NULL)));
	r = mailimap_uid_fetch(im->s, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (!imap_ok(r))
		return imap_fail(im, "UID FETCH BODY.PEEK[]", r);
	for (it = clist_begin(res); it && rv == 0; it = clist_next(it)) {
		imap_att_body(clist_content(it), &uid, &p, &len);
		/* Unsolicited FETCH responses (flag changes) carry no body. */
		if (uid != 0 && p != NULL)
			rv = fn(arg, uid, p, len);
	}
	mailimap_fetch_list_free(res);
	return rv;
}

/* COPY, \Deleted and UID EXPUNGE of the set: the fallback for MOVE. */
static int
imap_copy_expunge(struct imap *im, struct mailimap_set *set,
    const char *name)
{
	int	 r;

	if (!imap_ok(r = mailimap_uid_copy(im->s, set, name)))
		return imap_fail(im, "UID COPY", r);
	util_step("copied");
	if (imap_store_flags(im, set, 1) == -1)
		return -1;
	if (!imap_ok(r = mailimap_uid_expunge(im->s, set)))
		return imap_fail(im, "UID EXPUNGE", r);
	return 0;
}

int
imap_move_set(struct imap *im, const uint32_t *uids, size_t n,
    const char *folder)
{
	struct mailimap_set	*set;
	char			*name;
	int			 r, rv = -1;

	if (n == 0)
		return 0;
	set = imap_uid_set(uids, n);
	name = imap_utf7_encode(folder);
	if (im->has_move) {
		if (imap_ok(r = mailimap_uid_move(im->s, set, name)))
			rv = 0;
		else
			imap_fail(im, "UID MOVE", r);
	} else if (!im->has_uidplus) {
		log_warnx("imap: server lacks MOVE and UIDPLUS: %zu message%s "
		    "flagged %s instead of moved to %s", n, n == 1 ? "" : "s",
		    IMAP_DONE_KEYWORD, folder);
		rv = imap_store_flags(im, set, 0);
	} else
		rv = imap_copy_expunge(im, set, name);
	mailimap_set_free(set);
	free(name);
	return rv;
}

int
imap_remove_set(struct imap *im, const uint32_t *uids, size_t n)
{
	struct mailimap_set	*set;
	int			 r, rv = -1;

	if (n == 0)
		return 0;
	set = imap_uid_set(uids, n);
	if (!im->has_uidplus) {
		/* A plain EXPUNGE could remove what others flagged. */
		rv = imap_store_flags(im, set, 0);
	} else if (imap_store_flags(im, set, 1) == 0) {
		if (imap_ok(r = mailimap_uid_expunge(im->s, set)))
			rv = 0;
		else
			imap_fail(im, "UID EXPUNGE", r);
	}
	mailimap_set_free(set);
	return rv;
}

/* Sizes of the messages in set, as UID FETCH RFC822.SIZE reports. */
static int
imap_any_size(struct imap *im, clist *uids, size_t size)
{
	struct mailimap_set		*set = mailimap_set_new_empty();
	struct mailimap_fetch_type	*ft;
	struct imap_msginfo		 mi;
	clist				*res = NULL;
	clistiter			*it;
	int				 r, found = 0;

	for (it = clist_begin(uids); it; it = clist_next(it))
		mailimap_set_add_single(set, *(uint32_t *)clist_content(it));
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(im->s, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (!imap_ok(r))
		return imap_fail(im, "UID FETCH RFC822.SIZE", r);
	for (it = clist_begin(res); it; it = clist_next(it)) {
		imap_msginfo_fill(clist_content(it), &mi);
		if (mi.uid != 0 && mi.size == size)
			found = 1;
	}
	mailimap_fetch_list_free(res);
	return found;
}

int
imap_has_copy(struct imap *im, const char *message_id, size_t size)
{
	struct mailimap_search_key	*key;
	clist				*res = NULL;
	int				 r, found = 0;

	if (message_id == NULL || *message_id == '\0' ||
	    strpbrk(message_id, "\"\\\r\n") != NULL)
		return 0;	/* nothing to look for: move as usual */
	key = mailimap_search_key_new_header(xstrdup("Message-ID"),
	    xstrdup(message_id));
	r = mailimap_uid_search(im->s, NULL, key, &res);
	mailimap_search_key_free(key);
	if (!imap_ok(r))
		return imap_fail(im, "UID SEARCH", r);
	if (res && clist_count(res) > 0)
		found = imap_any_size(im, res, size);
	if (res)
		mailimap_search_result_free(res);
	return found;
}

int
imap_append(struct imap *im, const char *folder, const char *data, size_t len)
{
	struct mailimap_flag_list	*fl;
	char				*name = imap_utf7_encode(folder);
	int				 r;

	fl = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(fl, mailimap_flag_new_seen());
	r = mailimap_append(im->s, name, fl, NULL, data, len);
	mailimap_flag_list_free(fl);
	free(name);
	if (!imap_ok(r))
		return imap_fail(im, "APPEND", r);
	return 0;
}

/* An IMAP quoted string (the name is modified UTF-7: ASCII only). */
static void
imap_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* Writes s to the stream; 0 or -1. */
static int
imap_put(struct imap *im, const char *s, size_t n)
{
	return mailstream_write(im->s->imap_stream, s, n) == (ssize_t)n ?
	    0 : -1;
}

/*
 * MULTIAPPEND (RFC 3502) with non-synchronising literals (LITERAL+, RFC
 * 7888): all messages in one command, one round trip, and for the server
 * one transaction. Line ends are sent as CRLF (as mailimap_append does).
 */
static int
imap_multiappend(struct imap *im, const char *name, const char *const *data,
    const size_t *len, size_t n)
{
	struct mailimap_response	*rsp = NULL;
	struct buf			 b = { 0 };
	size_t				 i;
	int				 r, ok;

	if ((r = mailimap_send_current_tag(im->s)) != MAILIMAP_NO_ERROR)
		return imap_fail(im, "MULTIAPPEND", r);
	buf_adds(&b, "APPEND ");
	imap_quoted(&b, name);
	for (i = 0; i < n; i++) {
		buf_printf(&b, " (\\Seen) {%zu+}\r\n",
		    mailstream_get_data_crlf_size(data[i], len[i]));
		if (imap_put(im, b.data, b.len) == -1 ||
		    mailstream_send_data_crlf(im->s->imap_stream, data[i],
		    len[i], 0, NULL) == -1) {
			buf_free(&b);
			return imap_fail(im, "MULTIAPPEND", MAILIMAP_ERROR_STREAM);
		}
		b.len = 0;
	}
	buf_free(&b);
	if (imap_put(im, "\r\n", 2) == -1 ||
	    mailstream_flush(im->s->imap_stream) == -1 ||
	    mailimap_read_line(im->s) == NULL)
		return imap_fail(im, "MULTIAPPEND", MAILIMAP_ERROR_STREAM);
	if ((r = mailimap_parse_response(im->s, &rsp)) != MAILIMAP_NO_ERROR)
		return imap_fail(im, "MULTIAPPEND", r);
	ok = rsp->rsp_resp_done->rsp_type == MAILIMAP_RESP_DONE_TYPE_TAGGED &&
	    rsp->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type ==
	    MAILIMAP_RESP_COND_STATE_OK;
	mailimap_response_free(rsp);
	return ok ? 0 : imap_fail(im, "MULTIAPPEND", MAILIMAP_ERROR_APPEND);
}

int
imap_append_many(struct imap *im, const char *folder,
    const char *const *data, const size_t *len, size_t n)
{
	char	*name;
	size_t	 i;
	int	 rv;

	if (n == 0)
		return 0;
	if (n == 1 || !im->has_multiappend) {
		for (i = 0; i < n; i++)
			if (imap_append(im, folder, data[i], len[i]) == -1)
				return -1;
		return 0;
	}
	name = imap_utf7_encode(folder);
	rv = imap_multiappend(im, name, data, len, n);
	free(name);
	return rv;
}

int
imap_has_idle(const struct imap *im)
{
	return im->has_idle;
}

int
imap_idle(struct imap *im, int secs, int wakefd)
{
	struct pollfd	 pfd[2];
	int		 r, n = 0;

	if (!im->has_idle)
		return 0;
	if (!imap_ok(r = mailimap_idle(im->s)))
		return imap_fail(im, "IDLE", r);
	/* An answer may already sit in libetpan's buffer: then don't wait. */
	if (im->s->imap_stream->read_buffer_len == 0) {
		pfd[0].fd = mailimap_idle_get_fd(im->s);
		pfd[0].events = POLLIN;
		pfd[1].fd = wakefd;
		pfd[1].events = POLLIN;
		/* Pings the watchdog while nothing happens. */
		n = notify_poll(pfd, wakefd == -1 ? 1 : 2, secs * 1000);
		if (n == -1 && errno != EINTR) {
			snprintf(im->err, sizeof(im->err), "poll: %s",
			    strerror(errno));
			return -1;
		}
		n = n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR));
	} else
		n = 1;
	/* SIGTERM shut the socket down: no DONE, and nothing to report. */
	if (sig_quit())
		return 0;
	if (!imap_ok(r = mailimap_idle_done(im->s)))
		return imap_fail(im, "IDLE DONE", r);
	return n;
}

/* Modified base64 of RFC 3501 §5.1.3: ',' for '/', no padding. */
static void
imap_utf7_flush(struct buf *b, const uint16_t *u, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+,";
	uint32_t	 acc = 0;
	int		 bits = 0;
	size_t		 i;

	buf_addc(b, '&');
	for (i = 0; i < n; i++) {
		acc = (acc << 16) | u[i];
		bits += 16;
		while (bits >= 6) {
			bits -= 6;
			buf_addc(b, al[(acc >> bits) & 0x3f]);
		}
	}
	if (bits > 0)
		buf_addc(b, al[(acc << (6 - bits)) & 0x3f]);
	buf_addc(b, '-');
}

/* Decodes one UTF-8 sequence; invalid bytes become U+FFFD. */
static uint32_t
imap_utf8_next(const unsigned char **pp)
{
	const unsigned char	*p = *pp;
	uint32_t		 c;
	int			 n, i;

	if (p[0] < 0x80)
		n = 0, c = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		n = 1, c = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 2, c = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 3, c = p[0] & 0x07;
	else {
		*pp = p + 1;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*pp = p + i;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*pp = p + n + 1;
	return c > 0x10ffff ? 0xfffd : c;
}

char *
imap_utf7_encode(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct buf		 b = { 0 };
	uint16_t		*u = xcalloc(strlen(s) * 2 + 2, sizeof(*u));
	size_t			 n = 0;
	uint32_t		 c;

	while (*p) {
		if (*p >= 0x20 && *p < 0x7f) {
			if (n)
				imap_utf7_flush(&b, u, n), n = 0;
			buf_adds(&b, *p == '&' ? "&-" : (char[2]){ *p, 0 });
			p++;
			continue;
		}
		c = imap_utf8_next(&p);
		if (c >= 0x10000) {
			c -= 0x10000;
			u[n++] = (uint16_t)(0xd800 | (c >> 10));
			u[n++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else
			u[n++] = (uint16_t)c;
	}
	if (n)
		imap_utf7_flush(&b, u, n);
	free(u);
	return buf_detach(&b);
}

/* Appends the modified UTF-7 name (RFC 3501 5.1.3) as UTF-8 to b. */
static void
imap_utf7_decode(struct buf *b, const char *s)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+,";
	const char	*e, *q;
	uint32_t	 bits = 0, c, hi = 0;
	int		 nbits = 0;

	for (; *s; s++) {
		if (*s != '&' || (e = strchr(s + 1, '-')) == NULL) {
			buf_addc(b, *s);
			continue;
		}
		if (e == s + 1)
			buf_addc(b, '&');
		for (q = s + 1, nbits = 0, bits = 0; q < e && strchr(al, *q);
		    q++) {
			bits = bits << 6 | (uint32_t)(strchr(al, *q) - al);
			if ((nbits += 6) < 16)
				continue;
			c = bits >> (nbits -= 16) & 0xffff;
			if (c >= 0xd800 && c < 0xdc00) {
				hi = c;
				continue;
			}
			if (c >= 0xdc00 && c < 0xe000 && hi)
				c = 0x10000 + ((hi - 0xd800) << 10) +
				    (c - 0xdc00);
			hi = 0;
			if (c < 0x80)
				buf_addc(b, (char)c);
			else if (c < 0x800)
				buf_printf(b, "%c%c", 0xc0 | c >> 6,
				    0x80 | (c & 0x3f));
			else if (c < 0x10000)
				buf_printf(b, "%c%c%c", 0xe0 | c >> 12,
				    0x80 | (c >> 6 & 0x3f), 0x80 | (c & 0x3f));
			else
				buf_printf(b, "%c%c%c%c", 0xf0 | c >> 18,
				    0x80 | (c >> 12 & 0x3f),
				    0x80 | (c >> 6 & 0x3f), 0x80 | (c & 0x3f));
		}
		s = e;
	}
}

int
imap_folders(struct imap *im, const char *folder, int *exists,
    struct buf *names)
{
	struct mailimap_mailbox_list *mb;
	clist		*res = NULL;
	clistiter	*it;
	char		*want = imap_utf7_encode(folder);
	int		 r;

	*exists = 0;
	if (!imap_ok(r = mailimap_list(im->s, "", "*", &res))) {
		free(want);
		return imap_fail(im, "LIST", r);
	}
	for (it = res ? clist_begin(res) : NULL; it; it = clist_next(it)) {
		mb = clist_content(it);
		if (mb == NULL || mb->mb_name == NULL)
			continue;
		/* INBOX is case-insensitive (RFC 3501 5.1) */
		if (!strcmp(mb->mb_name, want) || (!util_strcasecmp(want,
		    "INBOX") && !util_strcasecmp(mb->mb_name, "INBOX")))
			*exists = 1;
		if (names->len)
			buf_adds(names, ", ");
		imap_utf7_decode(names, mb->mb_name);
	}
	if (res)
		mailimap_list_result_free(res);
	free(want);
	return 0;
}
