// SPDX-License-Identifier: GPL-2.0-only
/*
 * asuser UID CMD...    run CMD as UID (and GID UID), no supplementary groups
 * asuser nocap CMD...  run CMD as root without CAP_SYS_ADMIN: dropped from
 *                      the bounding set, so the exec'd root process does
 *                      not get it back (capabilities(7))
 * For the policy scenario's bad-writer checks; busybox has neither.
 */
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective &= ~(1U << CAP_SYS_ADMIN);
	d[0].permitted &= ~(1U << CAP_SYS_ADMIN);
	d[0].inheritable &= ~(1U << CAP_SYS_ADMIN);
	return syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: asuser UID|nocap CMD...\n");
		return 2;
	}
	if (!strcmp(argv[1], "nocap")) {
		if (drop_sys_admin()) {
			perror("asuser: drop CAP_SYS_ADMIN");
			return 1;
		}
	} else {
		int id = atoi(argv[1]);

		if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
			perror("asuser: setuid");
			return 1;
		}
	}
	execvp(argv[2], argv + 2);
	perror("asuser: exec");
	return 127;
}
