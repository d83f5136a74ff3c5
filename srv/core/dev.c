/* SPDX-License-Identifier: MIT */
/*
 * The shared defaults of the servant interface (dev.h): error strings,
 * Dir and stat-record helpers, and the generic walk/stat/open/read of a
 * file tree described by a gen function (usually a Dirtab).  Linked into
 * core and into standalone servers (lib/lib9p/devsrv.c hosts a servant),
 * so it uses only libc and lib9p's marshalling, never core internals.
 * Locks are elsewhere: core's own, or lib/lib9p/devlock1.c.
 *
 * Dirtab conventions (Plan 9's): a table describes one flat directory,
 * the root, whose qid is (0, 0, QTDIR) as devattach makes it.  An entry
 * named "." (Plan 9 servants put one first) describes the root itself:
 * gen skips it when listing, ".." and devstat use it.
 */
#include "dev.h"
#ifdef HOSTTEST
#include "test/host/9psrv_host.h" /* werrstr, nsec: hidden from host builds by libc.h */
#endif
#include "lib/lib9p/fcall.h"

const char *eve = "musubi";

const char Enonexist[] = "file does not exist";
const char Eperm[] = "permission denied";
const char Eexist[] = "file already exists";
const char Enotdir[] = "not a directory";
const char Eisdir[] = "is a directory";
const char Ebadarg[] = "bad arg in system call";
const char Einuse[] = "device or object already in use";
const char Enomem[] = "out of memory";
const char Eio[] = "i/o error";
const char Ebadfd[] = "fd out of range or not open";
const char Einterrupted[] = "interrupted";
const char Enotempty[] = "directory not empty";
const char Eshort[] = "short read or write";

Qid
mkqid(uvlong path, uint vers, int type)
{
	Qid q = {.path = path, .vers = vers, .type = (uchar)type};

	return q;
}

/*
 * Fill d for the file qid of c's servant.  The mode carries the qid type
 * in its top byte (DMDIR for QTDIR ...), as stat(5) wants.
 */
void
devdir(Chan *c, Qid qid, const char *name, vlong length, const char *user, ulong perm, Dir *d)
{
	ulong now = (ulong)(nsec() / 1000000000);

	d->type = c->type;
	d->dev = c->dev;
	d->qid = qid;
	d->mode = perm | ((ulong)qid.type << 24);
	d->atime = now;
	d->mtime = now;
	d->length = (qid.type & QTDIR) ? 0 : length;
	d->name = (char *)name;
	d->uid = (char *)user;
	d->gid = (char *)user;
	d->muid = (char *)user;
}

/* Entry i of the table; "." is not listed. */
int
devgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	if (tab == NULL || i < 0 || i >= ntab)
		return 0;
	if (strcmp(tab[i].name, ".") == 0)
		return -1;
	devdir(c, tab[i].qid, tab[i].name, tab[i].length, eve, tab[i].perm, d);
	return 1;
}

/* The root's qid: the table's "." entry, else devattach's. */
static Qid
rootqid(Dirtab *tab, int ntab)
{
	for (int i = 0; i < ntab && tab != NULL; i++)
		if (strcmp(tab[i].name, ".") == 0)
			return tab[i].qid;
	return mkqid(0, 0, QTDIR);
}

int
devokname(const char *name)
{
	return name[0] != 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	       strchr(name, '/') == NULL && strlen(name) < NAMELEN;
}

/*
 * A fresh Chan for the root of servant dc: zeroed, one reference, qid
 * (0, 0, QTDIR).  From core's newchan when linked into core, else
 * malloc'd (devsrv frees it).  The caller sets c->type.
 */
Chan *newchan(void) __attribute__((weak));

Chan *
devattach(int dc, const char *spec)
{
	Chan *c;

	(void)dc;
	(void)spec;
	/* core has its own allocator (chan.c); a standalone server mallocs */
	if (newchan)
		c = newchan();
	else if ((c = malloc(sizeof *c)) != NULL) {
		memset(c, 0, sizeof *c);
		c->ref = 1;
	}
	if (c == NULL) {
		werrstr("%s", Enomem);
		return NULL;
	}
	c->qid = mkqid(0, 0, QTDIR);
	return c;
}

/* Find the entry with qid path c->qid.path: 1 and d filled, or 0. */
static int
findqid(Chan *c, Dirtab *tab, int ntab, Devgen *gen, Dir *d)
{
	for (int i = 0;; i++) {
		int r = gen(c, tab, ntab, i, d);
		if (r == 0)
			return 0;
		if (r > 0 && d->qid.path == c->qid.path)
			return 1;
	}
}

/*
 * Move c to its child name.  ".." goes to the root (tables are flat);
 * "." stays.  Returns 0, or -1 with the error set, c unchanged.
 */
int
devwalk(Chan *c, const char *name, Dirtab *tab, int ntab, Devgen *gen)
{
	Dir d;

	if (!(c->qid.type & QTDIR)) {
		werrstr("%s", Enotdir);
		return -1;
	}
	if (name[0] == '.' && name[1] == 0)
		return 0;
	if (name[0] == '.' && name[1] == '.' && name[2] == 0) {
		c->qid = rootqid(tab, ntab);
		return 0;
	}
	if (gen == devgen) { /* a plain table: match names, no Dir needed */
		for (int i = 0; i < ntab && tab != NULL; i++)
			if (tab[i].name[0] == name[0] && strcmp(tab[i].name, name) == 0) {
				c->qid = tab[i].qid;
				return 0;
			}
		werrstr("%s", Enonexist);
		return -1;
	}
	for (int i = 0;; i++) {
		int r = gen(c, tab, ntab, i, &d);
		if (r == 0)
			break;
		if (r > 0 && strcmp(d.name, name) == 0) {
			c->qid = d.qid;
			return 0;
		}
	}
	werrstr("%s", Enonexist);
	return -1;
}

/* c's Dir: its entry, or for a directory not listed (the root) a default. */
static void
chandir(Chan *c, Dirtab *tab, int ntab, Devgen *gen, Dir *d)
{
	if (findqid(c, tab, ntab, gen, d))
		return;
	Qid root = rootqid(tab, ntab);
	if (root.path == c->qid.path) {
		for (int i = 0; i < ntab && tab != NULL; i++)
			if (strcmp(tab[i].name, ".") == 0) {
				devdir(c, c->qid, "/", 0, eve, tab[i].perm, d);
				return;
			}
	}
	devdir(c, c->qid, "/", 0, eve, (c->qid.type & QTDIR) ? DMDIR | 0555 : 0444, d);
}

/* d as a stat-record view (strings referenced). */
static Dir9
dir9(const Dir *d)
{
	Dir9 d9 = {
		.type = d->type,
		.dev = d->dev,
		.qid = d->qid,
		.mode = (uint)d->mode,
		.atime = (uint)d->atime,
		.mtime = (uint)d->mtime,
		.length = (uvlong)d->length,
		.name = fstr(d->name),
		.uid = fstr(d->uid),
		.gid = fstr(d->gid),
		.muid = fstr(d->muid),
	};

	return d9;
}

/*
 * The stat record of c into buf[0..n-1]; returns its size.  When it
 * does not fit, as Plan 9's convD2M, only the 2-byte size prefix is
 * written and 2 returned, so the caller can retry with the right size.
 */
int
devstat(Chan *c, uchar *buf, int n, Dirtab *tab, int ntab, Devgen *gen)
{
	Dir d;
	Dir9 d9;
	uint m;

	if (n < 2) {
		werrstr("%s", Eshort);
		return -1;
	}
	chandir(c, tab, ntab, gen, &d);
	d9 = dir9(&d);
	m = dir_pack(&d9, buf, (uint)n);
	if (m > 0)
		return (int)m;
	m = dir_size(&d9) - 2;
	buf[0] = (uchar)m;
	buf[1] = (uchar)(m >> 8);
	return 2;
}

/* c->auxn for devdirread: the next entry index and the offset it starts at. */
enum { DirOffBits = 40 };
#define DIROFFMASK ((1ul << DirOffBits) - 1)

/*
 * Whole stat records of c's entries from byte offset off.  A read that
 * continues the previous one (or starts at 0) goes on from the entry
 * kept in c->auxn; any other offset is found by counting from the start.
 * A record is never split: if the first does not fit, "short read".
 */
long
devdirread(Chan *c, void *buf, long n, vlong off, Dirtab *tab, int ntab, Devgen *gen)
{
	uchar *p = buf;
	long got = 0;
	int i, r;
	uvlong pos;
	Dir d;
	Dir9 d9;

	if (off < 0 || n < 0) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	i = 0;
	pos = 0;
	if (off != 0 && (c->auxn & DIROFFMASK) == (uvlong)off) {
		i = (int)(c->auxn >> DirOffBits);
		pos = (uvlong)off;
	}
	/* a seek: count records up to off */
	for (; pos < (uvlong)off; i++) {
		if ((r = gen(c, tab, ntab, i, &d)) == 0)
			return 0;
		if (r > 0) {
			d9 = dir9(&d);
			pos += dir_size(&d9);
		}
	}
	for (;; i++) {
		if ((r = gen(c, tab, ntab, i, &d)) == 0)
			break;
		if (r < 0)
			continue;
		d9 = dir9(&d);
		uint m = dir_pack(&d9, p + got, (uint)(n - got));
		if (m == 0) {
			if (got == 0) {
				werrstr("%s", Eshort);
				return -1;
			}
			break;
		}
		got += m;
	}
	pos += (uvlong)got;
	c->auxn = ((ulong)i << DirOffBits) | (pos & DIROFFMASK);
	return got;
}

/*
 * Open c: check mode against the entry's permissions; directories open
 * only for reading.  Sets c->mode (OEXEC reads), COPEN, offset 0.
 */
int
devopen(Chan *c, int mode, Dirtab *tab, int ntab, Devgen *gen)
{
	Dir d;

	chandir(c, tab, ntab, gen, &d);
	if ((c->qid.type & QTDIR) && (((mode & 3) != OREAD && (mode & 3) != OEXEC) || (mode & OTRUNC))) {
		werrstr("%s", Eisdir);
		return -1;
	}
	if (devpermcheck(d.mode, mode) < 0)
		return -1;
	c->mode = (mode & 3) == OEXEC ? OREAD : (mode & 3);
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

/*
 * 0 if the owner bits of perm allow omode (OTRUNC needs write), else -1
 * with "permission denied".  Everyone is eve, so the owner bits decide.
 */
int
devpermcheck(ulong perm, int omode)
{
	static const uchar need[4] = {[OREAD] = DMREAD, [OWRITE] = DMWRITE,
				      [ORDWR] = DMREAD | DMWRITE, [OEXEC] = DMEXEC};
	ulong want = need[omode & 3];

	if (omode & OTRUNC)
		want |= DMWRITE;
	if ((((perm >> 6) & 7) & want) != want) {
		werrstr("%s", Eperm);
		return -1;
	}
	return 0;
}

int
devcreate(Chan *c, const char *name, int mode, ulong perm)
{
	(void)c, (void)name, (void)mode, (void)perm;
	werrstr("%s", Eperm);
	return -1;
}

int
devremove(Chan *c)
{
	(void)c;
	werrstr("%s", Eperm);
	return -1;
}

int
devwstat(Chan *c, const uchar *buf, int n)
{
	(void)c, (void)buf, (void)n;
	werrstr("%s", Eperm);
	return -1;
}

void
devclose(Chan *c)
{
	(void)c;
}

long
readbuf(vlong off, void *buf, long n, const void *data, long len)
{
	if (off < 0 || n <= 0 || off >= len)
		return 0;
	if (n > len - off)
		n = (long)(len - off);
	memmove(buf, (const uchar *)data + off, (size_t)n);
	return n;
}

long
readstr(vlong off, void *buf, long n, const char *str)
{
	return readbuf(off, buf, n, str, str ? (long)strlen(str) : 0);
}
