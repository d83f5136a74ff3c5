/* SPDX-License-Identifier: MIT */
/*
 * Indexing a ustar archive in memory (tarfs.h).  A ustar header is one
 * 512-byte block of NUL- or space-terminated fields: name[100] at 0,
 * mode[8] at 100, size[12] at 124, mtime[12] at 136 (octal text),
 * chksum[8] at 148 (the byte sum of the header with the checksum field
 * read as blanks), typeflag at 156, magic "ustar" at 257 and prefix[155]
 * at 345 (the leading part of a long path).  The contents follow,
 * padded to whole blocks; two zero blocks end the archive.
 * devboot.c serves the result; this file knows nothing of Chans.
 */
#include "tarfs.h"

enum {
	Blk = 512,
	OName = 0, NName = 100,
	OMode = 100, NMode = 8,
	OSize = 124, NSize = 12,
	OMtime = 136, NMtime = 12,
	OSum = 148, NSum = 8,
	OType = 156,
	OMagic = 257,
	OPrefix = 345, NPrefix = 155,
	MaxPath = NPrefix + 1 + NName + 1,
};

/* An octal field: blanks, digits, then only blanks or NULs; -1 if not. */
static vlong
octal(const uchar *p, int n)
{
	vlong v = 0;
	int i = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '7')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 56)
			return -1;
		v = v * 8 + (p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != 0)
			return -1;
	return v;
}

static int
zeroblock(const uchar *h)
{
	for (int i = 0; i < Blk; i++)
		if (h[i] != 0)
			return 0;
	return 1;
}

static int
sumok(const uchar *h)
{
	vlong want = octal(h + OSum, NSum);
	long sum = 0;

	for (int i = 0; i < Blk; i++)
		sum += (i >= OSum && i < OSum + NSum) ? ' ' : h[i];
	return want == sum;
}

static Tnode *
newnode(Tarfs *fs, Tnode *parent, const char *name, ulong mode)
{
	size_t len = strlen(name);
	Tnode *n;

	if (fs->nnode == fs->anode) {
		ulong a = fs->anode ? 2 * fs->anode : 64;
		Tnode **nn = realloc(fs->node, a * sizeof *nn);
		if (nn == NULL)
			return NULL;
		fs->node = nn;
		fs->anode = a;
	}
	if ((n = malloc(sizeof *n + len + 1)) == NULL)
		return NULL;
	memset(n, 0, sizeof *n);
	n->name = (char *)(n + 1);
	memcpy(n->name, name, len + 1);
	n->id = fs->nnode;
	n->mode = mode;
	n->parent = parent ? parent : n;
	fs->node[fs->nnode++] = n;
	return n;
}

/* Insert n among dir's entries, keeping them sorted; 0 or -1 (memory). */
static int
addkid(Tnode *dir, Tnode *n)
{
	int i;

	if (dir->nkid == dir->akid) {
		int a = dir->akid ? 2 * dir->akid : 8;
		Tnode **k = realloc(dir->kid, (size_t)a * sizeof *k);
		if (k == NULL)
			return -1;
		dir->kid = k;
		dir->akid = a;
	}
	for (i = dir->nkid; i > 0 && strcmp(dir->kid[i - 1]->name, n->name) > 0; i--)
		dir->kid[i] = dir->kid[i - 1];
	dir->kid[i] = n;
	dir->nkid++;
	return 0;
}

Tnode *
tarfs_lookup(Tnode *dir, const char *name)
{
	int lo = 0, hi = dir->nkid;

	while (lo < hi) {
		int mid = (lo + hi) / 2, r = strcmp(name, dir->kid[mid]->name);
		if (r == 0)
			return dir->kid[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

Tnode *
tarfs_node(Tarfs *fs, uvlong id)
{
	return id < fs->nnode ? fs->node[id] : NULL;
}

/* The name of the entry h as a path in buf (prefix/name). */
static void
entrypath(const uchar *h, char *buf)
{
	size_t np = 0, nn = strnlen((const char *)h + OName, NName);

	if (memcmp(h + OMagic, "ustar", 5) == 0)
		np = strnlen((const char *)h + OPrefix, NPrefix);
	memcpy(buf, h + OPrefix, np);
	if (np > 0)
		buf[np++] = '/';
	memcpy(buf + np, h + OName, nn);
	buf[np + nn] = 0;
}

/* Whether s is empty or only slashes: the element before it is the last. */
static int
onlyslashes(const char *s)
{
	while (*s == '/')
		s++;
	return *s == 0;
}

/* Whether path has no ".." element: checked before anything is made. */
static int
goodpath(const char *path)
{
	const char *p = path;

	for (;;) {
		while (*p == '/')
			p++;
		if (*p == 0)
			return 1;
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0))
			return 0;
		while (*p && *p != '/')
			p++;
	}
}

/* Whether n lies under the top-level directory bin. */
static int
underbin(Tarfs *fs, Tnode *n)
{
	Tnode *root = fs->node[0];

	while (n->parent != root)
		n = n->parent;
	return strcmp(n->name, "bin") == 0;
}

/*
 * Enter path into the tree: a directory (isdir) or a file.  Missing
 * directories on the way are made.  Returns the node, or NULL with *why
 * set (a bad name, a file where a directory should be, no memory: then
 * *why is NULL).
 */
static Tnode *
enter(Tarfs *fs, char *path, int isdir, ulong mtime, const char **why)
{
	Tnode *dir = fs->node[0], *n = NULL;
	char *p = path, *e;
	int last;

	if (!goodpath(path)) {
		*why = "\"..\" in the name";
		return NULL;
	}
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == 0)
			break;
		for (e = p; *e && *e != '/'; e++)
			;
		last = onlyslashes(e);
		if (*e)
			*e++ = 0;
		if (strcmp(p, ".") == 0) {
			p = e;
			continue;
		}
		if (!(dir->mode & DMDIR)) {
			*why = "a file is used as a directory";
			return NULL;
		}
		if ((n = tarfs_lookup(dir, p)) == NULL) {
			ulong mode = (last && !isdir) ? 0444 : DMDIR | 0555;
			if ((n = newnode(fs, dir, p, mode)) == NULL || addkid(dir, n) < 0) {
				*why = NULL;
				return NULL;
			}
			n->mtime = mtime;
		}
		if (last && !!(n->mode & DMDIR) != isdir) {
			*why = isdir ? "a directory replaces a file" : "a file replaces a directory";
			return NULL;
		}
		dir = n;
		p = e;
	}
	if (n == NULL && isdir)
		return fs->node[0]; /* "./": the root itself */
	if (n == NULL)
		*why = "empty name";
	return n;
}

int
tarfs_build(Tarfs *fs, const void *tar, long len, void (*warn)(const char *why, const char *name))
{
	const uchar *a = tar;
	char path[MaxPath], work[MaxPath];
	const char *why = NULL;
	long off;

	memset(fs, 0, sizeof *fs);
	if (newnode(fs, NULL, "/", DMDIR | 0555) == NULL)
		return -1;
	if (a == NULL || len < 0)
		len = 0;
	for (off = 0; len - off >= Blk; ) {
		const uchar *h = a + off;
		vlong size, mode, mtime;
		int type = h[OType];
		Tnode *n;

		if (zeroblock(h))
			break;
		entrypath(h, path);
		/* Without a good checksum and size the next header cannot be found. */
		if (!sumok(h)) {
			if (warn)
				warn("bad checksum; the rest of the archive is ignored", path);
			fs->nbad++;
			break;
		}
		size = octal(h + OSize, NSize);
		if (size < 0 || size > len - off - Blk) {
			if (warn)
				warn("bad size; the rest of the archive is ignored", path);
			fs->nbad++;
			break;
		}
		off += Blk + (long)((size + Blk - 1) / Blk * Blk);
		if (off > len) /* the padding of the last file may be cut off */
			off = len;
		mode = octal(h + OMode, NMode);
		mtime = octal(h + OMtime, NMtime);
		if (mode < 0 || mtime < 0) {
			why = "bad mode or time";
			goto skip;
		}
		if (type != '0' && type != 0 && type != '7' && type != '5') {
			why = "not a file or directory";
			goto skip;
		}
		memcpy(work, path, sizeof work);
		if ((n = enter(fs, work, type == '5', (ulong)mtime, &why)) == NULL) {
			if (why == NULL)
				return -1;
			goto skip;
		}
		n->mtime = (ulong)mtime;
		if (type != '5') {
			n->mode = ((ulong)mode & 0555) | (underbin(fs, n) ? 0111 : 0);
			n->data = h + Blk;
			n->length = size;
		}
		continue;
	skip:
		if (warn)
			warn(why, path);
		fs->nbad++;
	}
	return 0;
}

void
tarfs_free(Tarfs *fs)
{
	for (ulong i = 0; i < fs->nnode; i++) {
		free(fs->node[i]->kid);
		free(fs->node[i]);
	}
	free(fs->node);
	memset(fs, 0, sizeof *fs);
}
