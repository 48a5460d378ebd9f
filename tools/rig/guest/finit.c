// SPDX-License-Identifier: GPL-2.0-only
/*
 * finit MODULE [PARAMS]: load a module with exactly one finit_module()
 * call (busybox insmod retries with init_module on failure, which would
 * make the kernel log twice) and exit with the errno, 0 on success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: finit MODULE [PARAMS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (syscall(SYS_finit_module, fd, argc > 2 ? argv[2] : "", 0))
		err = errno;
	printf("finit: %s: %s\n", argv[1], err ? strerrorname_np(err) : "ok");
	return err;
}
