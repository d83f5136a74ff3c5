/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the boot archive index (srv/core/tarfs.c, served by
 * devboot.c): archives written here header by header, broken on
 * purpose, and one made by the host's own `tar --format=ustar`.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "test/host/hosttest.h"

#include <stdlib.h>
#include <string.h>

#include "srv/core/tarfs.h"

enum { Blk = 512 };

static unsigned char ar[64 * 1024];
static long arlen;
static int nwarn;
static char lastwarn[300];

static void warn(const char *why, const char *name)
{
	nwarn++;
	snprintf(lastwarn, sizeof lastwarn, "%s: %s", name, why);
}

static void start(void)
{
	memset(ar, 0, sizeof ar);
	arlen = 0;
	nwarn = 0;
	lastwarn[0] = 0;
}

/* Append one entry; prefix may be NULL.  Returns the header's offset. */
static long add(const char *prefix, const char *name, int type, unsigned mode, const char *data, long size)
{
	unsigned char *h = ar + arlen;
	unsigned sum = 0;
	long at = arlen;

	memcpy(h, name, strnlen(name, 100));
	snprintf((char *)h + 100, 8, "%07o", mode);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011lo", (unsigned long)size);
	snprintf((char *)h + 136, 12, "%011o", 1700000000u);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (prefix)
		memcpy(h + 345, prefix, strnlen(prefix, 155));
	memset(h + 148, ' ', 8);
	for (int i = 0; i < Blk; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	arlen += Blk;
	if (size > 0) {
		memcpy(ar + arlen, data, (size_t)size);
		arlen += (size + Blk - 1) / Blk * Blk;
	}
	return at;
}

static void finish(void) { arlen += 2 * Blk; }

/* The node at path (elements split by '/'), or NULL. */
static Tnode *look(Tarfs *fs, const char *path)
{
	char buf[512], *p, *e;
	Tnode *n = fs->node[0];

	snprintf(buf, sizeof buf, "%s", path);
	for (p = buf; n && *p; p = e) {
		if ((e = strchr(p, '/')) != NULL)
			*e++ = 0;
		else
			e = p + strlen(p);
		n = tarfs_lookup(n, p);
	}
	return n;
}

static void t_basic(void)
{
	Tarfs fs;
	Tnode *n, *root;

	start();
	add(NULL, "bin/", '5', 0755, NULL, 0);
	add(NULL, "bin/rc", '0', 0644, "RCBINARY", 8);
	add(NULL, "bin/ls", '0', 0755, "LS", 2);
	add(NULL, "lib/rcmain", '0', 0644, "rcmain text\n", 12); /* lib/ is implied */
	add(NULL, "./lib/ndb/local", 0, 0600, "sys=x\n", 6);
	add(NULL, "empty", '0', 0444, NULL, 0);
	finish();
	CHECK(tarfs_build(&fs, ar, arlen, warn) == 0);
	CHECKF(nwarn == 0, "%s", lastwarn);
	/* / bin rc ls lib rcmain ndb local empty */
	CHECKF(fs.nnode == 9, "%lu nodes", fs.nnode);
	root = fs.node[0];
	CHECK(root->id == 0 && root->parent == root && (root->mode & DMDIR));
	CHECK(root->nkid == 3);
	CHECK(strcmp(root->kid[0]->name, "bin") == 0 && strcmp(root->kid[1]->name, "empty") == 0 &&
	      strcmp(root->kid[2]->name, "lib") == 0);
	n = look(&fs, "bin");
	CHECK(n && n->mode == (DMDIR | 0555) && n->nkid == 2 && n->mtime == 1700000000u);
	CHECK(strcmp(n->kid[0]->name, "ls") == 0 && strcmp(n->kid[1]->name, "rc") == 0);
	n = look(&fs, "bin/rc");
	/* read-only; files in bin/ executable */
	CHECKF(n && n->mode == 0555, "mode %lo", n ? n->mode : 0);
	CHECK(n->length == 8 && memcmp(n->data, "RCBINARY", 8) == 0);
	CHECK(n->data == ar + Blk * 2);
	CHECK(n->parent == look(&fs, "bin"));
	CHECK(tarfs_node(&fs, n->id) == n && tarfs_node(&fs, fs.nnode) == NULL);
	n = look(&fs, "lib/rcmain");
	CHECK(n && n->mode == 0444 && n->length == 12);
	n = look(&fs, "lib/ndb/local");
	CHECK(n && n->mode == 0400 && n->length == 6 && memcmp(n->data, "sys=x\n", 6) == 0);
	CHECK(look(&fs, "lib/ndb")->mode == (DMDIR | 0555));
	n = look(&fs, "empty");
	CHECK(n && n->length == 0 && !(n->mode & DMDIR));
	CHECK(look(&fs, "bin/cat") == NULL && look(&fs, "nope") == NULL);
	tarfs_free(&fs);
}

/* A name longer than 100 bytes uses the prefix field. */
static void t_prefix(void)
{
	Tarfs fs;
	char dir[160], name[120];
	Tnode *n;

	start();
	memset(dir, 'd', 150);
	dir[150] = 0;
	memset(name, 'f', 100); /* exactly 100 bytes: not NUL-terminated in the header */
	name[100] = 0;
	add(dir, name, '0', 0644, "x", 1);
	finish();
	CHECK(tarfs_build(&fs, ar, arlen, warn) == 0);
	CHECKF(nwarn == 0, "%s", lastwarn);
	CHECK(fs.nnode == 3);
	n = fs.node[0]->kid[0];
	CHECK(strcmp(n->name, dir) == 0 && (n->mode & DMDIR));
	CHECK(strcmp(n->kid[0]->name, name) == 0 && n->kid[0]->length == 1);
	tarfs_free(&fs);
}

/* Entries that are skipped, with a warning each, and the rest kept. */
static void t_skipped(void)
{
	Tarfs fs;

	start();
	add(NULL, "a", '0', 0644, "1", 1);
	add(NULL, "../escape", '0', 0644, "x", 1);
	add(NULL, "bin/../../etc", '0', 0644, "x", 1);
	add(NULL, "link", '2', 0777, NULL, 0);
	add(NULL, "hard", '1', 0644, NULL, 0);
	add(NULL, "dev", '3', 0644, NULL, 0);
	add(NULL, "a/b", '0', 0644, "x", 1);  /* a is a file */
	add(NULL, "a/", '5', 0755, NULL, 0);  /* a directory replacing a file */
	add(NULL, "d/", '5', 0755, NULL, 0);
	add(NULL, "d", '0', 0644, "x", 1);    /* a file replacing a directory */
	add(NULL, "./", '5', 0755, NULL, 0);  /* the root: fine, no warning */
	add(NULL, "./", '0', 0644, "x", 1);   /* a file without a name */
	add(NULL, "z", '0', 0644, "2", 1);
	finish();
	CHECK(tarfs_build(&fs, ar, arlen, warn) == 0);
	CHECKF(nwarn == 9 && fs.nbad == 9, "%d warnings (%s)", nwarn, lastwarn);
	CHECKF(fs.nnode == 4, "%lu nodes", fs.nnode); /* / a d z: nothing left of the skipped */
	CHECK(look(&fs, "a")->length == 1 && look(&fs, "z")->data[0] == '2');
	CHECK(look(&fs, "d")->mode & DMDIR);
	tarfs_free(&fs);
}

/* A later entry for the same file wins. */
static void t_replace(void)
{
	Tarfs fs;

	start();
	add(NULL, "f", '0', 0644, "old", 3);
	add(NULL, "f", '0', 0755, "newer", 5);
	finish();
	CHECK(tarfs_build(&fs, ar, arlen, warn) == 0);
	CHECK(nwarn == 0 && fs.nnode == 2);
	CHECK(look(&fs, "f")->length == 5 && memcmp(look(&fs, "f")->data, "newer", 5) == 0);
	CHECK(look(&fs, "f")->mode == 0555);
	tarfs_free(&fs);
}

/* A bad checksum or size stops the archive there; what came before stays. */
static void t_corrupt(void)
{
	Tarfs fs;
	long h;

	start();
	add(NULL, "good", '0', 0644, "g", 1);
	h = add(NULL, "bad", '0', 0644, "b", 1);
	add(NULL, "after", '0', 0644, "a", 1);
	finish();
	ar[h + 10] ^= 1;
	CHECK(tarfs_build(&fs, ar, arlen, warn) == 0);
	CHECK(nwarn == 1 && strstr(lastwarn, "checksum"));
	CHECK(fs.nnode == 2 && look(&fs, "good"));
	tarfs_free(&fs);

	/* a size past the end of the module */
	start();
	add(NULL, "good", '0', 0644, "g", 1);
	add(NULL, "big", '0', 0644, "0123456789", 10);
	CHECK(tarfs_build(&fs, ar, Blk * 3 + 5, warn) == 0);
	CHECK(nwarn == 1 && strstr(lastwarn, "size"));
	CHECK(fs.nnode == 2);
	tarfs_free(&fs);

	/* the last file's padding cut off is fine */
	CHECK(tarfs_build(&fs, ar, Blk * 3 + 10, warn) == 0);
	CHECK(fs.nnode == 3 && look(&fs, "big")->length == 10);
	tarfs_free(&fs);

	/* a bad number in the size field */
	start();
	h = add(NULL, "x", '0', 0644, "g", 1);
	finish();
	memcpy(ar + h + 124, "0000000009x", 11);
	{
		unsigned sum = 0;
		memset(ar + h + 148, ' ', 8);
		for (int i = 0; i < Blk; i++)
			sum += ar[h + i];
		snprintf((char *)ar + h + 148, 8, "%06o", sum);
	}
	CHECK(tarfs_build(&fs, ar, arlen, warn) == 0);
	CHECK(nwarn == 1 && fs.nnode == 1);
	tarfs_free(&fs);
}

/* Nothing, or garbage shorter than a block: an empty root. */
static void t_empty(void)
{
	Tarfs fs;

	start();
	CHECK(tarfs_build(&fs, NULL, 0, warn) == 0);
	CHECK(fs.nnode == 1 && fs.node[0]->nkid == 0 && nwarn == 0);
	tarfs_free(&fs);
	CHECK(tarfs_build(&fs, "abc", 3, warn) == 0);
	CHECK(fs.nnode == 1 && nwarn == 0);
	tarfs_free(&fs);
	memset(ar, 0xff, Blk);
	CHECK(tarfs_build(&fs, ar, Blk, warn) == 0);
	CHECK(fs.nnode == 1 && nwarn == 1);
	tarfs_free(&fs);
}

/* An archive from the host's tar, as the build makes the real one. */
static void t_hosttar(void)
{
	char dir[] = "/tmp/test_devbootXXXXXX", cmd[512], path[256];
	unsigned char *buf;
	long len;
	FILE *f;
	Tarfs fs;
	Tnode *n;

	start();
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof cmd,
		 "cd %s && mkdir -p root/bin root/lib/font && printf 'echo hi\\n' > root/bin/script && "
		 "chmod 644 root/bin/script && head -c 3000 /dev/urandom > root/lib/font/big && "
		 "tar --format=ustar -C root -cf a.tar bin lib",
		 dir);
	if (system(cmd) != 0) {
		printf("(host tar failed: t_hosttar skipped)\n");
		return;
	}
	snprintf(path, sizeof path, "%s/a.tar", dir);
	CHECK((f = fopen(path, "rb")) != NULL);
	buf = malloc(1 << 20);
	len = (long)fread(buf, 1, 1 << 20, f);
	fclose(f);
	CHECK(tarfs_build(&fs, buf, len, warn) == 0);
	CHECKF(nwarn == 0, "%s", lastwarn);
	n = look(&fs, "bin/script");
	CHECK(n && n->length == 8 && memcmp(n->data, "echo hi\n", 8) == 0 && n->mode == 0555);
	n = look(&fs, "lib/font/big");
	CHECK(n && n->length == 3000 && n->mode == 0444);
	snprintf(path, sizeof path, "%s/root/lib/font/big", dir);
	CHECK((f = fopen(path, "rb")) != NULL);
	{
		unsigned char orig[3000];
		CHECK(fread(orig, 1, sizeof orig, f) == sizeof orig);
		CHECK(memcmp(orig, n->data, sizeof orig) == 0);
	}
	fclose(f);
	CHECK(look(&fs, "lib/font")->mode == (DMDIR | 0555));
	tarfs_free(&fs);
	free(buf);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

static const HostTest tests[] = {
	{ t_basic, "devboot.basic" },
	{ t_prefix, "devboot.prefix" },
	{ t_skipped, "devboot.skipped" },
	{ t_replace, "devboot.replace" },
	{ t_corrupt, "devboot.corrupt" },
	{ t_empty, "devboot.empty" },
	{ t_hosttar, "devboot.hosttar" },
};

int main(void) { return hosttest_run(tests, sizeof tests / sizeof tests[0]); }
