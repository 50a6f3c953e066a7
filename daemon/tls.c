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
	if (n <= 0) {
		snprintf(err, errlen, "no trusted certificates loaded from %s%s",
		    ca_file ? ca_file : "the system store",
		    n < 0 ? gnutls_strerror(n) : "");
		return -1;
	}
	return 0;
}

int
tls_verify_stream(mailstream *s, const char *ca_file, const char *host,
    char *err, size_t errlen)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t	 crts[16];
	gnutls_typed_vdata_st	 vd;
	gnutls_datum_t		 der, msg = { NULL, 0 };
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
		gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &msg, 0);
		snprintf(err, errlen, "certificate of %s not trusted: %s", host,
		    msg.data ? (char *)msg.data : "unknown reason");
		gnutls_free(msg.data);
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
