/* SPDX-License-Identifier: MIT */
/*
 * ls: list files and the contents of directories, sorted by name.
 *	-d	a directory itself, not its contents
 *	-l	the long form: mode, servant, instance, owner, group,
 *		length, modification time, name
 *	-p	only the last element of each name
 *	-q	the qid (path, version, type) first
 * See doc/cmd/ls.md.
 */
#include "libc.h"

typedef struct Ent {
	Dir *d;      /* d->name is replaced by the name to print */
	char *name;  /* that name, malloc'd */
} Ent;

static int dflag, lflag, pflag, qflag;
static Ent *ents;
static long nent, maxent;
static const char *status;
static Biobuf out;

static void nomem(void)
{
	fprint(2, "ls: out of memory\n");
	exits("no memory");
}

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "ls: %s: %s\n", name, err);
	status = "error";
}

/* Add a copy of d, to be listed as name (taken over). */
static void add(const Dir *d, char *name)
{
	Dir *c;

	if (name == NULL || (c = malloc(sizeof *c)) == NULL)
		nomem();
	*c = *d;
	c->name = name;  /* d's strings live in d's block, freed after this */
	c->muid = NULL;
	c->uid = strdup(d->uid ? d->uid : "");
	c->gid = strdup(d->gid ? d->gid : "");
	if (c->uid == NULL || c->gid == NULL)
		nomem();
	if (nent == maxent) {
		maxent = maxent ? 2 * maxent : 64;
		if ((ents = realloc(ents, maxent * sizeof *ents)) == NULL)
			nomem();
	}
	ents[nent].d = c;
	ents[nent].name = name;
	nent++;
}

/* List argument name: itself, or what it holds. */
static void lsarg(const char *name)
{
	Dir *d, *dd;
	long n, i;
	int fd;

	if ((d = dirstat(name)) == NULL) {
		fail(name);
		return;
	}
	if (dflag || !(d->mode & DMDIR)) {
		add(d, strdup(name));
		free(d);
		return;
	}
	free(d);
	if ((fd = open(name, OREAD)) < 0) {
		fail(name);
		return;
	}
	n = dirreadall(fd, &dd);
	close(fd);
	if (n < 0) {
		fail(name);
		return;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(name, ".") == 0)
			add(&dd[i], strdup(dd[i].name));
		else if (strcmp(name, "/") == 0)
			add(&dd[i], smprint("/%s", dd[i].name));
		else
			add(&dd[i], smprint("%s/%s", name, dd[i].name));
	}
	free(dd);
}

static int entcmp(const void *a, const void *b)
{
	return strcmp(((const Ent *)a)->name, ((const Ent *)b)->name);
}

static void modestr(char *s, ulong mode)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	*s++ = mode & DMDIR ? 'd' : mode & DMAPPEND ? 'a' : mode & DMEXCL ? 'l' : '-';
	*s++ = mode & DMTMP ? 't' : '-';
	for (i = 0; i < 9; i++)
		*s++ = mode & (0400 >> i) ? rwx[i] : '-';
	*s = 0;
}

/* "Jan 02 15:04" within six months of now, else "Jan 02  2006", as
 * ctime writes the day. */
static void timestr(char *s, size_t n, ulong t, long now)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	Tm *tm = gmtime(t);
	long age = now - (long)t;

	if (age > -3600 && age < 180L * 86400)
		snprint(s, n, "%.3s %.2d %.2d:%.2d", mon + 3 * tm->mon, tm->mday, tm->hour, tm->min);
	else
		snprint(s, n, "%.3s %.2d %5d", mon + 3 * tm->mon, tm->mday, tm->year + 1900);
}

static int numwidth(uvlong v)
{
	int w = 1;

	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

static void printent(Ent *e, int wdev, int wuid, int wgid, int wlen, long now)
{
	Dir *d = e->d;
	char mode[16], when[32];
	const char *name = e->name, *slash;

	if (pflag && (slash = strrchr(name, '/')) != NULL && slash[1] != 0)
		name = slash + 1;
	if (qflag)
		Bprint(&out, "(%.16llx %u %.2x) ", (unsigned long long)d->qid.path,
		       d->qid.vers, d->qid.type);
	if (lflag) {
		modestr(mode, d->mode);
		timestr(when, sizeof when, d->mtime, now);
		Bprint(&out, "%s %c %*u %-*s %-*s %*lld %s ", mode, d->type ? d->type : '-',
		       wdev, d->dev, wuid, d->uid, wgid, d->gid, wlen, (long long)d->length,
		       when);
	}
	Bprint(&out, "%s\n", name);
}

static void printall(void)
{
	int wdev = 1, wuid = 1, wgid = 1, wlen = 1, w;
	long i, now = time(NULL);

	qsort(ents, nent, sizeof *ents, entcmp);
	for (i = 0; i < nent; i++) {
		Dir *d = ents[i].d;

		if ((w = numwidth(d->dev)) > wdev)
			wdev = w;
		if ((w = strlen(d->uid)) > wuid)
			wuid = w;
		if ((w = strlen(d->gid)) > wgid)
			wgid = w;
		if ((w = numwidth(d->length)) > wlen)
			wlen = w;
	}
	for (i = 0; i < nent; i++)
		printent(&ents[i], wdev, wuid, wgid, wlen, now);
}

static void usage(void)
{
	fprint(2, "usage: ls [-dlpq] [file ...]\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	ARGBEGIN {
	case 'd':
		dflag = 1;
		break;
	case 'l':
		lflag = 1;
		break;
	case 'p':
		pflag = 1;
		break;
	case 'q':
		qflag = 1;
		break;
	default:
		usage();
	} ARGEND
	Binit(&out, 1, OWRITE);
	if (argc == 0)
		lsarg(".");
	for (; argc > 0; argc--, argv++)
		lsarg(argv[0]);
	printall();
	if (Bterm(&out) < 0)
		fail("write error");
	exits(status);
}
