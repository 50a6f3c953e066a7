/*
 * tls.h - server certificate checks with GnuTLS.
 *
 * libetpan 1.9.4 does not verify the certificates of the TLS sessions it
 * opens; we verify the peer chain it hands us, including the host name,
 * before any credential is sent.
 */
#ifndef IKZ_TLS_H
#define IKZ_TLS_H

#include <stddef.h>

#include <libetpan/libetpan.h>

/*
 * Verifies the peer chain of an established TLS stream against ca_file
 * (or the system trust store when NULL) and host. Returns 0 when trusted;
 * -1 with a one-line reason in err otherwise.
 */
int	tls_verify_stream(mailstream *, const char *ca_file,
	    const char *host, char *err, size_t errlen);

#endif
