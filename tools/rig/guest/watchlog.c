// SPDX-License-Identifier: GPL-2.0-only
/*
 * watchlog FROM TO: print the write-watch hits with sequence numbers FROM
 * to TO from /sys/kernel/rampart/watch/log (struct rampart_watch_hit, the
 * one with sequence s at (s - 1) * 128, as events/log), one line each:
 *
 *   seq=S cpu=C old=0x.. new=0x.. va=0x.. pa=0x.. watch=0x.. width=W len=L
 *   line=N rip=0x.. nstack=K
 *
 * (one line), old and new as the tracepoint prints them: the len bytes as
 * one little-endian number, 0x and two hex digits a byte. A slot that
 * holds another sequence number prints "seq=S missing (slot holds T)";
 * the exit status is then 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../../../uapi/watch.h"


static void hex(const char *name, const __u8 *b, unsigned int len)
{
	printf(" %s=0x", name);
	while (len--)
		printf("%02x", b[len]);
}

int main(int argc, char **argv)
{
	unsigned long long from, to, s;
	struct rampart_watch_hit h;
	int fd, rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: watchlog FROM TO\n");
		return 2;
	}
	from = strtoull(argv[1], NULL, 0);
	to = strtoull(argv[2], NULL, 0);
	fd = open("/sys/kernel/rampart/watch/log", O_RDONLY);
	if (fd < 0) {
		perror("watchlog: /sys/kernel/rampart/watch/log");
		return 1;
	}
	for (s = from; s && s <= to; s++) {
		off_t off = (off_t)(s - 1) * sizeof(h);

		if (pread(fd, &h, sizeof(h), off) != (ssize_t)sizeof(h)) {
			perror("watchlog: read");
			return 1;
		}
		if (h.seq != s) {
			printf("seq=%llu missing (slot holds %llu)\n", s,
			       (unsigned long long)h.seq);
			rc = 1;
			continue;
		}
		printf("seq=%llu cpu=%u", s, h.cpu);
		hex("old", h.old, h.len <= RAMPART_WATCH_BYTES ? h.len : RAMPART_WATCH_BYTES);
		hex("new", h.new, h.len <= RAMPART_WATCH_BYTES ? h.len : RAMPART_WATCH_BYTES);
		printf(" va=0x%llx pa=0x%llx watch=0x%llx width=%u len=%u line=%u rip=0x%llx nstack=%u\n",
		       (unsigned long long)h.va, (unsigned long long)h.pa,
		       (unsigned long long)h.watch, h.width, h.len, h.line,
		       (unsigned long long)h.rip, h.nstack);
	}
	close(fd);
	return rc;
}
