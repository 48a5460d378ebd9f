// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module's sysfs files, under /sys/kernel/rampart (or --sysfs DIR,
 * $RAMPART_SYSFS): reading and writing them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "rampartctl.h"

#define SYSFS_DEFAULT	"/sys/kernel/rampart"
#define SYSFS_MAGIC_FS	0x62656572	/* SYSFS_MAGIC, linux/magic.h */
#define TEXT_MAX	(16u << 20)	/* largest policy file we read */

const char *sysfs_root = SYSFS_DEFAULT;

/**
 * sys_path() - The path of a sysfs file.
 * @buf: where to write it.
 * @size: the size of @buf.
 * @rel: the file, relative to the sysfs root.
 */
void sys_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", sysfs_root, rel);
}

/**
 * read_attr() - Read a small sysfs text file.
 * @rel: the file, relative to the sysfs root.
 * @buf: where its text goes, without the trailing newline.
 * @size: the size of @buf.
 *
 * Return: 0 or -errno.
 */
int read_attr(const char *rel, char *buf, size_t size)
{
	char path[4096];
	ssize_t n;
	size_t len = 0;
	int fd, err = 0;

	sys_path(path, sizeof(path), rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (err)
		return err;
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return 0;
}

/**
 * read_num() - Read a sysfs number.
 * @rel: the file, relative to the sysfs root.
 * @v: where the number goes.
 *
 * Return: 0, or -errno (-EBADMSG if it is not one).
 */
int read_num(const char *rel, unsigned long long *v)
{
	char buf[64], *end;
	int err = read_attr(rel, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EBADMSG;
	return 0;
}

/**
 * attr_or_q() - read_attr() for printing.
 * @rel: the file, relative to the sysfs root.
 * @buf: where its text goes.
 * @size: the size of @buf.
 *
 * Return: @buf, "?" where the file cannot be read.
 */
const char *attr_or_q(const char *rel, char *buf, size_t size)
{
	if (read_attr(rel, buf, size) || !buf[0])
		snprintf(buf, size, "?");
	return buf;
}

/**
 * num_or_q() - read_num() for printing.
 * @rel: the file, relative to the sysfs root.
 * @buf: where the number goes, as text.
 * @size: the size of @buf.
 *
 * Return: @buf, "?" where the file cannot be read.
 */
const char *num_or_q(const char *rel, char *buf, size_t size)
{
	unsigned long long v;

	if (read_num(rel, &v))
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%llu", v);
	return buf;
}

/**
 * jnum_attr() - A sysfs number as a JSON member, null where it cannot be read.
 * @o: the object.
 * @key: the member's key.
 * @rel: the file, relative to the sysfs root.
 */
void jnum_attr(struct jobj *o, const char *key, const char *rel)
{
	unsigned long long v;

	jkey(o, key);
	if (read_num(rel, &v))
		fputs("null", stdout);
	else
		printf("%llu", v);
}

/**
 * jbool_attr() - A sysfs 0 or 1 as a JSON boolean, null where it is neither.
 * @o: the object.
 * @key: the member's key.
 * @rel: the file, relative to the sysfs root.
 */
void jbool_attr(struct jobj *o, const char *key, const char *rel)
{
	char buf[16];

	if (read_attr(rel, buf, sizeof(buf)) ||
	    (strcmp(buf, "0") && strcmp(buf, "1"))) {
		jstr(o, key, NULL);
		return;
	}
	jbool(o, key, buf[0] == '1');
}

/**
 * write_attr() - Write all of a buffer to a sysfs file.
 * @rel: the file, relative to the sysfs root.
 * @data: what to write.
 * @len: how many bytes.
 * @at: where the offset of the failing write goes.
 *
 * Writes through one fd, from offset 0, in as many write() calls as the
 * kernel wants (sysfs takes binary files a page at a time). A regular
 * file (a fake tree in tests) is truncated to what was written, as a new
 * staging buffer would be.
 *
 * Return: 0 or -errno.
 */
int write_attr(const char *rel, const char *data, size_t len,
	       size_t *at)
{
	char path[4096];
	struct statfs sfs;
	size_t off = 0;
	int fd, err = 0;

	*at = 0;
	sys_path(path, sizeof(path), rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n && len) {
			err = -EIO;
			break;
		}
		off += n;
	} while (off < len);
	*at = off;
	if (!err && !fstatfs(fd, &sfs) && sfs.f_type != SYSFS_MAGIC_FS &&
	    ftruncate(fd, len))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/**
 * slurp() - Read all of a file descriptor into a malloc()ed buffer.
 * @fd: the file descriptor.
 * @text: where the buffer goes.
 * @len: where its length goes.
 *
 * Return: 0 or -errno.
 */
int slurp(int fd, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= TEXT_MAX) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (!r)
			break;
		n += r;
	}
	*text = buf;
	*len = n;
	return 0;
}

/**
 * read_whole() - Read a sysfs file whole.
 * @rel: the file, relative to the sysfs root.
 * @text: where the malloc()ed text goes.
 * @len: where its length goes.
 *
 * Return: 0 or -errno.
 */
int read_whole(const char *rel, char **text, size_t *len)
{
	char path[4096];
	int fd, err;

	sys_path(path, sizeof(path), rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = slurp(fd, text, len);
	close(fd);
	return err;
}

/**
 * read_active() - Read policy/active whole.
 * @text: where the malloc()ed text goes.
 * @len: where its length goes.
 *
 * Return: 0 or -errno.
 */
int read_active(char **text, size_t *len)
{
	return read_whole("policy/active", text, len);
}
