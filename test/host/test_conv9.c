/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/conv9.c: stat records packed and unpacked
 * (checked byte by byte against stat(5)), malformed records refused, and
 * the Dir helpers on real files through the POSIX shim (libp9.a).
 */
#define _POSIX_C_SOURCE 200809L
#include "hosttest.h"
#include <stdlib.h>
#include <string.h>
#define HOSTP9 1
#include "libc.h"

static char dir[64];

static char *
tmpname(const char *elem)
{
	static char buf[2][512];
	static int i;

	i = !i;
	snprint(buf[i], sizeof buf[i], "%s/%s", dir, elem);
	return buf[i];
}

static Dir
sample(void)
{
	Dir d;

	d.type = 0x4d;
	d.dev = 0x01020304;
	d.qid.type = QTDIR;
	d.qid.vers = 0x11223344;
	d.qid.path = 0x0102030405060708ull;
	d.mode = DMDIR | 0755;
	d.atime = 0xa0a1a2a3;
	d.mtime = 0xb0b1b2b3;
	d.length = 0x1122334455667788ll;
	d.name = "name";
	d.uid = "glenda";
	d.gid = "";
	d.muid = "m";
	return d;
}

static void
test_layout(void)
{
	static const uchar want[] = {
		58, 0,                   /* size: 60 - 2 */
		0x4d, 0,                 /* type */
		4, 3, 2, 1,              /* dev */
		0x80,                    /* qid.type */
		0x44, 0x33, 0x22, 0x11,  /* qid.vers */
		8, 7, 6, 5, 4, 3, 2, 1,  /* qid.path */
		0xed, 1, 0, 0x80,        /* mode */
		0xa3, 0xa2, 0xa1, 0xa0,  /* atime */
		0xb3, 0xb2, 0xb1, 0xb0,  /* mtime */
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
		4, 0, 'n', 'a', 'm', 'e',
		6, 0, 'g', 'l', 'e', 'n', 'd', 'a',
		0, 0,
		1, 0, 'm',
	};
	Dir d = sample();
	uchar buf[100];

	CHECK(sizeD2M(&d) == sizeof want);
	CHECK(convD2M(&d, buf, sizeof buf) == sizeof want);
	for (size_t i = 0; i < sizeof want; i++)
		CHECKF(buf[i] == want[i], "byte %zu: %#x, want %#x", i, buf[i], want[i]);
	CHECK(statcheck(buf, sizeof want) == 0);
}

static void
test_roundtrip(void)
{
	Dir d = sample(), e;
	uchar buf[100];
	char strs[100];
	uint n;

	n = convD2M(&d, buf, sizeof buf);
	CHECK(convM2D(buf, n, &e, strs) == n);
	CHECK(e.type == d.type && e.dev == d.dev && e.qid.type == d.qid.type &&
	      e.qid.vers == d.qid.vers && e.qid.path == d.qid.path && e.mode == d.mode &&
	      e.atime == d.atime && e.mtime == d.mtime && e.length == d.length);
	CHECK(strcmp(e.name, "name") == 0 && strcmp(e.uid, "glenda") == 0 &&
	      strcmp(e.gid, "") == 0 && strcmp(e.muid, "m") == 0);
	/* The strings need no more room than the record itself. */
	CHECK(e.muid + 2 <= strs + n);
	CHECK(convM2D(buf, n, &e, NULL) == n && e.name[0] == 0 && e.uid[0] == 0);
	/* NULL strings pack as empty ones. */
	d.gid = NULL;
	CHECK(convD2M(&d, buf, sizeof buf) == sizeD2M(&d));
}

static void
test_short(void)
{
	Dir d = sample();
	uchar buf[100];
	uint n = sizeD2M(&d);

	CHECK(convD2M(&d, buf, 1) == 0);
	CHECK(convD2M(&d, buf, n - 1) == 2 && buf[0] + (buf[1] << 8) == (int)n - 2);
	CHECK(convD2M(&d, buf, n) == n);
}

static void
test_malformed(void)
{
	Dir d = sample(), e;
	uchar buf[100], bad[100];
	char strs[100];
	uint n;

	n = convD2M(&d, buf, sizeof buf);
	/* Every truncation, and a record longer than its size says. */
	for (uint m = 0; m < n; m++)
		CHECKF(statcheck(buf, m) < 0 && convM2D(buf, m, &e, strs) == 0, "truncated to %u", m);
	memcpy(bad, buf, n);
	bad[n] = 0;
	CHECK(statcheck(bad, n + 1) < 0);
	/* A string count running past the end. */
	memcpy(bad, buf, n);
	bad[41] = 200;
	CHECK(statcheck(bad, n) < 0 && convM2D(bad, n, &e, strs) == 0);
	/* A string count that stops short of the end. */
	memcpy(bad, buf, n);
	bad[n - 3] = 0;
	CHECK(statcheck(bad, n) < 0);
}

static void
test_nulldir(void)
{
	Dir d;
	uchar buf[100];
	char strs[100];
	uint n;

	nulldir(&d);
	CHECK(d.mode == (ulong)~0ul && d.length == -1 && d.name[0] == 0);
	n = convD2M(&d, buf, sizeof buf);
	CHECK(n == 49);
	CHECK(convM2D(buf, n, &d, strs) == n);
	CHECK(d.mode == 0xFFFFFFFFul && d.mtime == 0xFFFFFFFFul && d.length == -1 && d.type == 0xFFFF);
}

static void
test_dirstat(void)
{
	Dir *d, nd;
	int fd;

	fd = create(tmpname("f"), OWRITE, 0640);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello", 5) == 5);
	d = dirstat(tmpname("f"));
	CHECK(d != NULL);
	CHECK(strcmp(d->name, "f") == 0 && d->length == 5 && (d->mode & 0777) == 0640 &&
	      !(d->mode & DMDIR) && d->qid.type == QTFILE && d->uid[0] != 0);
	free(d);
	d = dirfstat(fd);
	CHECK(d != NULL && strcmp(d->name, "f") == 0 && d->length == 5);
	free(d);
	close(fd);
	d = dirstat(dir);
	CHECK(d != NULL && (d->mode & DMDIR) && d->qid.type == QTDIR);
	free(d);
	CHECK(dirstat(tmpname("nonexistent")) == NULL);

	/* wstat: mode, length, mtime and name. */
	nulldir(&nd);
	nd.mode = 0600;
	nd.length = 2;
	nd.mtime = 1000000000;
	nd.name = "g";
	CHECK(dirwstat(tmpname("f"), &nd) == 0);
	CHECK(dirstat(tmpname("f")) == NULL);
	d = dirstat(tmpname("g"));
	CHECK(d != NULL && (d->mode & 0777) == 0600 && d->length == 2 && d->mtime == 1000000000);
	free(d);
	nulldir(&nd);
	nd.length = 0;
	fd = open(tmpname("g"), OWRITE);
	CHECK(fd >= 0 && dirfwstat(fd, &nd) == 0);
	close(fd);
	d = dirstat(tmpname("g"));
	CHECK(d != NULL && d->length == 0 && (d->mode & 0777) == 0600);
	free(d);
	remove(tmpname("g"));
}

/* A long file name makes the record outgrow dirstat's first guess. */
static void
test_dirstat_long(void)
{
	char elem[250];
	Dir *d;
	int fd;

	memset(elem, 'n', sizeof elem - 1);
	elem[sizeof elem - 1] = 0;
	fd = create(tmpname(elem), OWRITE, 0644);
	CHECK(fd >= 0);
	close(fd);
	d = dirstat(tmpname(elem));
	CHECK(d != NULL && strcmp(d->name, elem) == 0);
	free(d);
	remove(tmpname(elem));
}

enum { NFiles = 300 };

static void
test_dirread(void)
{
	static char seen[NFiles];
	char elem[32];
	Dir *d;
	long n, total = 0;
	int fd;

	CHECK(create(tmpname("d"), OREAD, DMDIR | 0755) >= 0);
	for (int i = 0; i < NFiles; i++) {
		snprint(elem, sizeof elem, "d/file%d", i);
		fd = create(tmpname(elem), OWRITE, 0644);
		CHECK(fd >= 0);
		CHECK(write(fd, elem, i % 7) == i % 7);
		close(fd);
	}
	/* One read's worth at a time: several reads for 300 entries. */
	fd = open(tmpname("d"), OREAD);
	CHECK(fd >= 0);
	int reads = 0;
	while ((n = dirread(fd, &d)) > 0) {
		for (long i = 0; i < n; i++) {
			int k = atoi(d[i].name + 4);
			CHECK(strncmp(d[i].name, "file", 4) == 0 && k >= 0 && k < NFiles && !seen[k]);
			CHECK(d[i].length == k % 7);
			seen[k] = 1;
		}
		total += n;
		reads++;
		free(d);
	}
	CHECK(n == 0 && total == NFiles && reads > 1);
	/* Back to the start, all at once. */
	CHECK(seek(fd, 0, SEEKSET) == 0);
	n = dirreadall(fd, &d);
	CHECKF(n == NFiles, "dirreadall: %ld", n);
	free(d);
	CHECK(dirreadall(fd, &d) == 0 && d == NULL);
	close(fd);
	for (int i = 0; i < NFiles; i++) {
		snprint(elem, sizeof elem, "d/file%d", i);
		CHECK(remove(tmpname(elem)) == 0);
	}
	CHECK(remove(tmpname("d")) == 0);
}

static const HostTest tests[] = {
	{test_layout, "conv9.layout"},
	{test_roundtrip, "conv9.roundtrip"},
	{test_short, "conv9.short"},
	{test_malformed, "conv9.malformed"},
	{test_nulldir, "conv9.nulldir"},
	{test_dirstat, "conv9.dirstat"},
	{test_dirstat_long, "conv9.dirstat_long"},
	{test_dirread, "conv9.dirread"},
};

int
main(void)
{
	int r;

	strcpy(dir, "/tmp/test_conv9.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	r = hosttest_run(tests, nelem(tests));
	remove(dir);
	return r;
}
