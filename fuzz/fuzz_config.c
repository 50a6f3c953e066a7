/*
 * fuzz_config.c - libFuzzer target for the INI reader (base/config.c):
 * any bytes as a configuration file must load or be refused with
 * messages, never crash. The file is a memfd, named by /proc.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fuzz_fd = -1, fuzz_null = -1, fuzz_err = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz", 1, 0);
	if ((fuzz_fd = memfd_create("fuzz.ini", 0)) == -1)
		abort();
	/* One message per mistake would flood the fuzzer's output. */
	if ((fuzz_null = open("/dev/null", O_WRONLY)) == -1 ||
	    (fuzz_err = dup(2)) == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config	*cf;
	char		 path[64];

	if (ftruncate(fuzz_fd, 0) == -1 || pwrite(fuzz_fd, data, len, 0) !=
	    (ssize_t)len)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fuzz_fd);
	fflush(stderr);
	dup2(fuzz_null, 2);
	cf = config_load(path);
	fflush(stderr);
	dup2(fuzz_err, 2);
	config_free(cf);
	return 0;
}
