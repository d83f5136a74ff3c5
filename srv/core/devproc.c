/* SPDX-License-Identifier: MIT */
/*
 * "#p": /proc, a directory per live process, named by its pid, holding
 *
 *	args	its arguments, joined by spaces
 *	ctl	write "kill" to end it
 *	fd	its current directory, then a line per open fd (devdup.h's fdline)
 *	ns	its namespace as rc commands (mount.c's nstext)
 *	note	write a note to post it; reads give nothing
 *	status	"name user state realms memorykb\n"
 *
 * Qid paths: the root 0, a process's directory pid<<5 | Qdir, its files
 * pid<<5 | Qargs ...  A Chan keeps only the pid; every call looks the
 * process up again and fails "process does not exist" once it is gone.
 * ns and fd are taken when opened (c->aux), so reads at offsets see one
 * text; status and args are made afresh for each read.
 *
 * Another process's fields are read under proclock, and its groups are
 * referenced under it before use.
 */
#include "dat.h"
#include "fns.h"
#include "devdup.h"

enum {
	Qroot,
	Qdir,
	Qargs,
	Qctl,
	Qfd,
	Qns,
	Qnote,
	Qstatus,
	QShift = 5,
	QMask = (1 << QShift) - 1,
};

static const char Eprocdied[] = "process does not exist";

static Dirtab procfiles[] = {
	{"args", {Qargs, 0, QTFILE}, 0, 0444},
	{"ctl", {Qctl, 0, QTFILE}, 0, 0200},
	{"fd", {Qfd, 0, QTFILE}, 0, 0444},
	{"ns", {Qns, 0, QTFILE}, 0, 0444},
	{"note", {Qnote, 0, QTFILE}, 0, 0666},
	{"status", {Qstatus, 0, QTFILE}, 0, 0444},
};

/* The root's listing: a snapshot of the live pids. */
typedef struct Procdir Procdir;
struct Procdir {
	int n;
	Dirtab tab[NPROC];
	char name[NPROC][12];
};

static int
qfile(Chan *c)
{
	return (int)(c->qid.path & QMask);
}

static int
qpid(Chan *c)
{
	return (int)(c->qid.path >> QShift);
}

static Qid
procqid(int pid, int file)
{
	return mkqid((uvlong)pid << QShift | (uvlong)file, 0, file == Qdir ? QTDIR : QTFILE);
}

static Dirtab *
fileentry(int file)
{
	for (int i = 0; i < (int)nelem(procfiles); i++)
		if ((int)procfiles[i].qid.path == file)
			return &procfiles[i];
	return NULL;
}

/* Is pid alive?  1, or 0 with the error set. */
static int
alive(int pid)
{
	if (procbypid(pid) == NULL) {
		werrstr("%s", Eprocdied);
		return 0;
	}
	return 1;
}

/* Entry i of a process directory (c's pid). */
static int
pidgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	(void)tab;
	(void)ntab;
	if (i < 0 || i >= (int)nelem(procfiles))
		return 0;
	devdir(c, procqid(qpid(c), (int)procfiles[i].qid.path), procfiles[i].name, 0, eve,
	       procfiles[i].perm, d);
	return 1;
}

/* c's own entry in t (name stored in name). */
static void
selfentry(Chan *c, Dirtab *t, char *name, int nname)
{
	if (qfile(c) == Qdir) {
		snprint(name, (size_t)nname, "%d", qpid(c));
		t->name = name;
		t->perm = DMDIR | 0555;
	} else {
		Dirtab *f = fileentry(qfile(c));
		t->name = f ? f->name : "?";
		t->perm = f ? f->perm : 0;
	}
	t->qid = c->qid;
	t->length = 0;
}

/*
 * A copy of one of pid's strings (which: Qargs, or Qfd for its current
 * directory), taken under proclock; NULL with the error set.
 */
static char *
procstr(int pid, int which)
{
	size_t cap = 128, len;
	char *buf = NULL, *nb;
	const char *s;
	Proc *p;

	for (;;) {
		if ((nb = realloc(buf, cap)) == NULL) {
			free(buf);
			werrstr("%s", Enomem);
			return NULL;
		}
		buf = nb;
		lock(&proclock);
		if ((p = procbypid(pid)) == NULL) {
			unlock(&proclock);
			free(buf);
			werrstr("%s", Eprocdied);
			return NULL;
		}
		s = which == Qargs ? p->args : p->dot;
		if (s == NULL)
			s = "";
		len = strlen(s);
		if (len < cap) {
			memmove(buf, s, len + 1);
			unlock(&proclock);
			return buf;
		}
		unlock(&proclock);
		cap = len + 1;
	}
}

/* The status line of pid into buf; 0, or -1 with the error set. */
static int
procstatus(int pid, char *buf, int n)
{
	char name[sizeof ((Proc *)0)->name];
	const char *user;
	Proc *p;

	lock(&proclock);
	if ((p = procbypid(pid)) == NULL) {
		unlock(&proclock);
		werrstr("%s", Eprocdied);
		return -1;
	}
	strlcpy(name, p->name[0] ? p->name : "?", sizeof name);
	for (char *s = name; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n')
			*s = '_';
	user = p->user && p->user[0] ? p->user : eve;
	snprint(buf, (size_t)n, "%s %.64s %s %lld %ld\n", name, user, procstate(p),
		(long long)((vlong)(mu_nsec() - (unsigned long)p->start) / 1000000), procmemkb(p));
	unlock(&proclock);
	return 0;
}

/* The text of /proc/pid/ns; NULL with the error set. */
static char *
procns(int pid)
{
	Pgrp *pg = NULL;
	Proc *p;
	char *s;

	lock(&proclock);
	if ((p = procbypid(pid)) != NULL && (pg = p->pgrp) != NULL)
		incref(&pg->ref);
	unlock(&proclock);
	if (pg == NULL) {
		werrstr("%s", Eprocdied);
		return NULL;
	}
	s = nstext(pg);
	closepgrp(pg);
	if (s == NULL)
		werrstr("%s", Enomem);
	return s;
}

/* The text of /proc/pid/fd; NULL with the error set. */
static char *
procfds(int pid)
{
	Fgrp *fg = NULL;
	Proc *p;
	char *dot, *buf;
	size_t n = 4096;
	Fmt f;

	if ((dot = procstr(pid, Qfd)) == NULL)
		return NULL;
	lock(&proclock);
	if ((p = procbypid(pid)) != NULL && (fg = p->fgrp) != NULL)
		incref(&fg->ref);
	unlock(&proclock);
	if (fg == NULL) {
		free(dot);
		werrstr("%s", Eprocdied);
		return NULL;
	}
	for (;;) {
		if ((buf = malloc(n)) == NULL) {
			free(dot);
			closefgrp(fg);
			werrstr("%s", Enomem);
			return NULL;
		}
		fmtinit(&f, buf, n - 1, NULL, NULL);
		fmtprint(&f, "%s\n", dot);
		lock(&fg->l);
		for (int i = 0; i <= fg->maxfd && i < NFD; i++)
			if (fg->fd[i])
				fdline(&f, i, fg->fd[i]);
		unlock(&fg->l);
		if (f.p < f.end)
			break;
		free(buf); /* it did not fit */
		n *= 2;
	}
	*f.p = 0;
	free(dot);
	closefgrp(fg);
	return buf;
}

static void
procinit(void)
{
}

extern Dev procdevtab;

static Chan *
procattach(const char *spec)
{
	Chan *c = devattach('p', spec);

	if (c)
		c->type = (ushort)devno(&procdevtab);
	return c;
}

/* ns and fd keep their text in aux; a clone has its own copy. */
static void
procclone(Chan *from, Chan *to)
{
	to->aux = NULL;
	if (from->aux && (qfile(from) == Qns || qfile(from) == Qfd))
		to->aux = strdup(from->aux);
}

static int
procwalk(Chan *c, const char *name)
{
	Dirtab *f;
	char *end;
	long pid;

	if (!(c->qid.type & QTDIR)) {
		werrstr("%s", Enotdir);
		return -1;
	}
	if (strcmp(name, ".") == 0)
		return 0;
	if (strcmp(name, "..") == 0) {
		c->qid = mkqid(0, 0, QTDIR);
		return 0;
	}
	if (qfile(c) == Qroot) {
		if (name[0] < '1' || name[0] > '9')
			goto nonexist;
		pid = strtol(name, &end, 10);
		if (*end != 0 || pid <= 0 || pid > (1L << 30))
			goto nonexist;
		if (!alive((int)pid))
			return -1;
		c->qid = procqid((int)pid, Qdir);
		return 0;
	}
	for (int i = 0; i < (int)nelem(procfiles); i++) {
		f = &procfiles[i];
		if (strcmp(f->name, name) == 0) {
			if (!alive(qpid(c)))
				return -1;
			c->qid = procqid(qpid(c), (int)f->qid.path);
			return 0;
		}
	}
nonexist:
	werrstr("%s", Enonexist);
	return -1;
}

static int
procstat(Chan *c, uchar *buf, int n)
{
	char name[16];
	Dirtab t;

	if (qfile(c) == Qroot)
		return devstat(c, buf, n, NULL, 0, devgen);
	if (!alive(qpid(c)))
		return -1;
	selfentry(c, &t, name, sizeof name);
	return devstat(c, buf, n, &t, 1, devgen);
}

static int
procopen(Chan *c, int mode)
{
	char name[16];
	Dirtab t;
	char *text = NULL;

	if (qfile(c) == Qroot)
		return devopen(c, mode, NULL, 0, devgen);
	if (!alive(qpid(c)))
		return -1;
	selfentry(c, &t, name, sizeof name);
	if (devopen(c, mode, &t, 1, devgen) < 0)
		return -1;
	switch (qfile(c)) {
	case Qns:
		text = procns(qpid(c));
		break;
	case Qfd:
		text = procfds(qpid(c));
		break;
	default:
		return 0;
	}
	if (text == NULL) {
		c->flag &= ~COPEN;
		return -1;
	}
	c->aux = text;
	return 0;
}

static void
procclose(Chan *c)
{
	if (c->aux && (qfile(c) == Qns || qfile(c) == Qfd)) {
		free(c->aux);
		c->aux = NULL;
	}
}

/* The root's entries: the live processes now. */
static Procdir *
procsnap(void)
{
	Procdir *pd = malloc(sizeof *pd);

	if (pd == NULL) {
		werrstr("%s", Enomem);
		return NULL;
	}
	pd->n = 0;
	lock(&proclock);
	for (int i = 0; i < NPROC; i++) {
		Proc *p = &proctab[i];
		if (p->state == Pfree)
			continue;
		Dirtab *t = &pd->tab[pd->n];
		snprint(pd->name[pd->n], sizeof pd->name[0], "%d", p->pid);
		t->name = pd->name[pd->n];
		t->qid = procqid(p->pid, Qdir);
		t->length = 0;
		t->perm = DMDIR | 0555;
		pd->n++;
	}
	unlock(&proclock);
	return pd;
}

static long
procread(Chan *c, void *buf, long n, vlong off)
{
	char line[160];
	char *s;
	long r;

	switch (qfile(c)) {
	case Qroot: {
		Procdir *pd = procsnap();
		if (pd == NULL)
			return -1;
		r = devdirread(c, buf, n, off, pd->tab, pd->n, devgen);
		free(pd);
		return r;
	}
	case Qdir:
		if (!alive(qpid(c)))
			return -1;
		return devdirread(c, buf, n, off, NULL, 0, pidgen);
	case Qstatus:
		if (procstatus(qpid(c), line, sizeof line) < 0)
			return -1;
		return readstr(off, buf, n, line);
	case Qargs:
		if ((s = procstr(qpid(c), Qargs)) == NULL)
			return -1;
		r = readstr(off, buf, n, s);
		free(s);
		return r;
	case Qns:
	case Qfd:
		if (!alive(qpid(c)))
			return -1;
		return readstr(off, buf, n, c->aux);
	case Qnote:
		if (!alive(qpid(c)))
			return -1;
		return 0;
	default:
		werrstr("%s", Eperm);
		return -1;
	}
}

/* The live Proc of c's pid, or NULL with the error set. */
static Proc *
chanproc(Chan *c)
{
	Proc *p = procbypid(qpid(c));

	if (p == NULL)
		werrstr("%s", Eprocdied);
	return p;
}

static long
procwrite(Chan *c, const void *buf, long n, vlong off)
{
	char msg[ERRMAX];
	long m;
	Proc *p;

	switch (qfile(c)) {
	case Qctl:
		if (n <= 0 || n >= (long)sizeof msg) {
			werrstr("unknown control message");
			return -1;
		}
		memmove(msg, buf, (size_t)n);
		msg[n] = 0;
		for (m = n; m > 0 && (msg[m - 1] == '\n' || msg[m - 1] == ' '); m--)
			msg[m - 1] = 0;
		if (strcmp(msg, "kill") != 0) {
			werrstr("unknown control message");
			return -1;
		}
		if ((p = chanproc(c)) == NULL)
			return -1;
		if (procnote(p, 1, "kill", NExit) < 0)
			return -1;
		return n;
	case Qnote:
		if (n <= 0) {
			werrstr("%s", Ebadarg);
			return -1;
		}
		if (n >= (long)sizeof msg) {
			werrstr("note too long");
			return -1;
		}
		memmove(msg, buf, (size_t)n);
		msg[n] = 0;
		if ((p = chanproc(c)) == NULL)
			return -1;
		if (procnote(p, 1, msg, NUser) < 0)
			return -1;
		return n;
	default:
		werrstr("%s", Eperm);
		return -1;
	}
}

Dev procdevtab = {
	.dc = 'p',
	.name = "proc",
	.init = procinit,
	.attach = procattach,
	.clone = procclone,
	.walk = procwalk,
	.stat = procstat,
	.open = procopen,
	.create = devcreate,
	.close = procclose,
	.read = procread,
	.write = procwrite,
	.remove = devremove,
	.wstat = devwstat,
};
