/*
 * fuzz_verdict.c - libFuzzer target for the verdict wire format, read
 * by the daemon from its parser worker (a crashed or hostile worker may
 * send anything): decode must refuse or give a verdict that encodes
 * and decodes to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "parsers/verdict.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz", 1, 0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct verdict	*v, *w;
	char		*a, *b;
	size_t		 na, nb;

	if ((v = verdict_decode((const char *)data, len)) == NULL)
		return 0;
	a = verdict_encode(v, &na);
	if ((w = verdict_decode(a, na)) == NULL)
		abort();
	b = verdict_encode(w, &nb);
	if (na != nb || memcmp(a, b, na) != 0)
		abort();		/* not a fixed point */
	free(a);
	free(b);
	verdict_free(v);
	verdict_free(w);
	return 0;
}
