// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /sys/kernel/rampart surface, seen from user space with rampart.ko
 * loaded: what it reports must match the MSRs read through /dev/cpu/N/msr,
 * and every file must be read-only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define SYS "/sys/kernel/rampart"

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int read_msr(int cpu, uint32_t msr, uint64_t *val)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = pread(fd, val, sizeof(*val), msr);
	close(fd);
	return n == sizeof(*val) ? 0 : -EIO;
}

static int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

TEST(version_is_semver)
{
	char buf[64];
	unsigned int a, b, c;

	ASSERT_EQ(0, read_str(SYS "/version", buf, sizeof(buf)));
	EXPECT_EQ(3, sscanf(buf, "%u.%u.%u", &a, &b, &c));
}

/*
 * caps/<file> shows the CPU's MSR; TRUE controls per IA32_VMX_BASIC[55].
 * While root emulates VMX for the kernel (vmx.nested lock allow), the
 * kernel reads what root emulates instead: the same revision, fixed bits
 * and FEATURE_CONTROL, control words within the CPU's allowed settings,
 * MISC and the EPT capabilities a subset of the CPU's.
 */
enum cap_kind { CAP_SAME, CAP_REVISION, CAP_CTL, CAP_SUBSET, CAP_EPT };

static const struct {
	const char *file;
	uint32_t msr;
	enum cap_kind kind;
} raw_caps[] = {
	{ "feature_control", 0x3a, CAP_SAME },
	{ "basic", 0x480, CAP_REVISION },
	{ "misc", 0x485, CAP_SUBSET },
	{ "cr0_fixed0", 0x486, CAP_SAME },
	{ "cr0_fixed1", 0x487, CAP_SAME },
	{ "cr4_fixed0", 0x488, CAP_SAME },
	{ "cr4_fixed1", 0x489, CAP_SAME },
	{ "procbased_ctls2", 0x48b, CAP_CTL },
	{ "ept_vpid_cap", 0x48c, CAP_EPT },
	{ "pinbased_ctls", 0x48d, CAP_CTL },
	{ "procbased_ctls", 0x48e, CAP_CTL },
	{ "exit_ctls", 0x48f, CAP_CTL },
	{ "entry_ctls", 0x490, CAP_CTL },
};

/* Does the policy in force have root emulate VMX for the kernel? */
static int vmx_emulated(void)
{
	char buf[8192];
	FILE *f = fopen(SYS "/policy/active", "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, "vmx.nested lock allow") != NULL;
}

/* Is @msr, as the kernel reads it, consistent with the CPU's @hw? */
static int cap_ok(enum cap_kind kind, uint64_t hw, uint64_t msr)
{
	switch (kind) {
	case CAP_REVISION:
		return (msr & 0x7fffffff) == (hw & 0x7fffffff);
	case CAP_CTL:	/* must-be-one bits kept, may-be-one bits a subset */
		return (msr & hw & 0xffffffff) == (hw & 0xffffffff) &&
		       !((msr >> 32) & ~(hw >> 32));
	case CAP_SUBSET:
		return !(msr & ~hw);
	case CAP_EPT:	/* bits 31:0; root emulates every INVVPID type */
		return !(msr & ~hw & 0xffffffff);
	case CAP_SAME:
		break;
	}
	return msr == hw;
}

TEST(raw_caps_match_msrs)
{
	char path[128], buf[64];
	int emulated = vmx_emulated();
	uint64_t shown, msr;
	size_t i;

	for (i = 0; i < sizeof(raw_caps) / sizeof(raw_caps[0]); i++) {
		snprintf(path, sizeof(path), SYS "/caps/%s", raw_caps[i].file);
		ASSERT_EQ(0, read_str(path, buf, sizeof(buf))) TH_LOG("%s", path);
		shown = strtoull(buf, NULL, 16);
		ASSERT_EQ(0, read_msr(0, raw_caps[i].msr, &msr));
		EXPECT_TRUE(cap_ok(emulated ? raw_caps[i].kind : CAP_SAME, shown, msr))
			TH_LOG("%s %#llx vs MSR 0x%x %#llx%s", raw_caps[i].file,
			       (unsigned long long)shown, raw_caps[i].msr,
			       (unsigned long long)msr,
			       emulated ? " (root emulates VMX)" : "");
	}
}

TEST(revision_is_basic_low_bits)
{
	char buf[64];
	uint64_t basic;

	ASSERT_EQ(0, read_str(SYS "/caps/revision_id", buf, sizeof(buf)));
	ASSERT_EQ(0, read_msr(0, 0x480, &basic));
	EXPECT_EQ(basic & 0x7fffffff, strtoull(buf, NULL, 16));
}

/* With launch=1 (the default) every CPU answers from root; else native. */
static const char *expected_state(void)
{
	char buf[8];

	if (read_str("/sys/module/rampart/parameters/launch", buf, sizeof(buf)))
		return "?";
	return buf[0] == 'Y' ? "launched" : "native";
}

TEST(every_cpu_has_a_state)
{
	char path[128], buf[64];
	int cpu, n = online_cpus();
	const char *want = expected_state();
	uint64_t basic0, basic;

	ASSERT_GT(n, 0);
	ASSERT_EQ(0, read_msr(0, 0x480, &basic0));
	for (cpu = 0; cpu < n; cpu++) {
		snprintf(path, sizeof(path), SYS "/cpus/cpu%d/state", cpu);
		ASSERT_EQ(0, read_str(path, buf, sizeof(buf))) TH_LOG("%s", path);
		EXPECT_STREQ(want, buf) TH_LOG("cpu%d", cpu);
		/* All CPUs agree, or Rampart would have refused to load. */
		ASSERT_EQ(0, read_msr(cpu, 0x480, &basic));
		EXPECT_EQ(basic0, basic);
	}
	snprintf(path, sizeof(path), SYS "/cpus/cpu%d/state", n);
	EXPECT_NE(0, access(path, F_OK)) TH_LOG("no directory past the last CPU");
}

TEST(features_name_the_requirements)
{
	char buf[512];

	ASSERT_EQ(0, read_str(SYS "/caps/features", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "ept"));
	EXPECT_NE(NULL, strstr(buf, "vpid"));
	EXPECT_NE(NULL, strstr(buf, "unrestricted_guest"));
}

/* Every file is 0444 and refuses writers, even root. */
static void check_read_only_dir(struct __test_metadata *_metadata,
				const char *dir, int *seen)
{
	char path[512];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);
	int fd;

	ASSERT_NE(NULL, d) TH_LOG("%s", dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ASSERT_EQ(0, stat(path, &st));
		if (S_ISDIR(st.st_mode))
			continue;
		(*seen)++;
		EXPECT_EQ(0444U, st.st_mode & 07777) TH_LOG("%s", path);
		fd = open(path, O_WRONLY);
		EXPECT_EQ(-1, fd) TH_LOG("%s opened for writing", path);
		EXPECT_EQ(EACCES, errno) TH_LOG("%s", path);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
}

TEST(files_are_read_only)
{
	int seen = 0;

	check_read_only_dir(_metadata, SYS, &seen);
	check_read_only_dir(_metadata, SYS "/caps", &seen);
	check_read_only_dir(_metadata, SYS "/cpus/cpu0", &seen);
	check_read_only_dir(_metadata, SYS "/cpus/cpu0/exits", &seen);
	EXPECT_GE(seen, 50);
}

TEST_HARNESS_MAIN
