/* tls.c - verify a libetpan TLS peer with GnuTLS. */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "daemon/tls.h"

static int
tls_load_trust(gnutls_x509_trust_list_t tl, const char *ca_file, char *err,
    size_t errlen)
{
	int	 n;

	if (ca_file)
		n = gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
	else
		n = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (n <= 0 && ca_file)
		snprintf(err, errlen, "ca_file %s: no CA certificate could be "
		    "read (missing, unreadable or not PEM); set ca_file to the "
		    "PEM file of the server's CA", ca_file);
	else if (n <= 0)
		snprintf(err, errlen, "no trusted certificates in the system "
		    "store; install ca-certificates or set ca_file");
	return n <= 0 ? -1 : 0;
}

/* What a failed verification means, and what to do about it. */
static void
tls_status_text(unsigned int status, const char *host, char *err,
    size_t errlen)
{
	gnutls_datum_t	 msg = { NULL, 0 };

	if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA))
		snprintf(err, errlen, "the certificate of %s is signed by an "
		    "unknown CA: set ca_file to that CA's PEM file (or add "
		    "the CA to the system store)", host);
	else if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
		snprintf(err, errlen, "the host name %s is not in the server's "
		    "certificate: set host to a name the certificate holds",
		    host);
	else if (status & GNUTLS_CERT_EXPIRED)
		snprintf(err, errlen, "the certificate of %s has expired: the "
		    "mail server's administrator must renew it", host);
	else {
		gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &msg, 0);
		snprintf(err, errlen, "certificate of %s not trusted: %s", host,
		    msg.data ? (char *)msg.data : "unknown reason");
		gnutls_free(msg.data);
	}
}

int
tls_verify_stream(mailstream *s, const char *ca_file, const char *host,
    char *err, size_t errlen)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t	 crts[16];
	gnutls_typed_vdata_st	 vd;
	gnutls_datum_t		 der;
	carray			*chain;
	MMAPString		*c;
	unsigned int		 i, n = 0, status = 0;
	int			 rv = -1;

	if ((chain = mailstream_get_certificate_chain(s)) == NULL ||
	    carray_count(chain) == 0) {
		snprintf(err, errlen, "server sent no certificate");
		goto out;
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0 ||
	    tls_load_trust(tl, ca_file, err, errlen) == -1)
		goto out;
	for (i = 0; i < carray_count(chain) && n < nitems(crts); i++) {
		c = carray_get(chain, i);
		der.data = (unsigned char *)c->str;
		der.size = (unsigned int)c->len;
		if (gnutls_x509_crt_init(&crts[n]) < 0)
			goto out;
		if (gnutls_x509_crt_import(crts[n++], &der,
		    GNUTLS_X509_FMT_DER) < 0) {
			snprintf(err, errlen, "server certificate unreadable");
			goto out;
		}
	}
	memset(&vd, 0, sizeof(vd));
	vd.type = GNUTLS_DT_DNS_HOSTNAME;
	vd.data = (unsigned char *)host;
	if (gnutls_x509_trust_list_verify_crt2(tl, crts, n, &vd, 1, 0, &status,
	    NULL) < 0) {
		snprintf(err, errlen, "certificate verification failed");
		goto out;
	}
	if (status != 0) {
		tls_status_text(status, host, err, errlen);
		goto out;
	}
	rv = 0;
out:
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	if (chain)
		mailstream_certificate_chain_free(chain);
	return rv;
}
