/* SPDX-License-Identifier: MIT */
/*
 * chmod: change the permissions of files, as an octal number (0755) or
 * as Plan 9's symbolic form [ugoa][+-=][rwxalt], clauses joined by
 * commas ("u+x,go-w").  a, l and t are the append-only, exclusive-use
 * and temporary bits.  See doc/cmd/chmod.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: chmod 0777 file ... or chmod [ugoa][+-=][rwxalt] file ...\n");
	exits("usage");
}

/* One symbolic clause: who/op/perm already split out. */
typedef struct Clause {
	ulong who;   /* the permission bits who covers: 0700, 0070, 0007 */
	int op;      /* '+', '-' or '=' */
	ulong bits;  /* rwx, as 0777 masked by who */
	ulong flags; /* DMAPPEND, DMEXCL, DMTMP */
} Clause;

static Clause clauses[16];
static int nclause;
static int octal = -1;  /* the octal mode, or -1 when symbolic */

/* Parse one clause at *s; 0 or -1 if malformed. */
static int parseclause(const char **sp, Clause *c)
{
	const char *s = *sp;
	ulong rwx = 0;

	c->who = 0;
	for (; *s && strchr("ugoa", *s); s++)
		c->who |= *s == 'u' ? 0700 : *s == 'g' ? 0070 : *s == 'o' ? 0007 : 0777;
	if (c->who == 0)
		c->who = 0777;
	if (*s != '+' && *s != '-' && *s != '=')
		return -1;
	c->op = *s++;
	c->flags = 0;
	for (; *s && *s != ','; s++)
		switch (*s) {
		case 'r': rwx |= 0444; break;
		case 'w': rwx |= 0222; break;
		case 'x': rwx |= 0111; break;
		case 'a': c->flags |= DMAPPEND; break;
		case 'l': c->flags |= DMEXCL; break;
		case 't': c->flags |= DMTMP; break;
		default: return -1;
		}
	c->bits = rwx & c->who;
	*sp = *s == ',' ? s + 1 : s;
	return 0;
}

static int parsemode(const char *s)
{
	char *end;
	ulong m;

	if (isdigit(*s)) {
		m = strtoul(s, &end, 8);
		if (*end != 0 || m > 0777)
			return -1;
		octal = m;
		return 0;
	}
	while (*s) {
		if (nclause == nelem(clauses) || parseclause(&s, &clauses[nclause]) < 0)
			return -1;
		nclause++;
	}
	return nclause > 0 ? 0 : -1;
}

static ulong newmode(ulong mode)
{
	Clause *c;
	ulong flagmask = DMAPPEND | DMEXCL | DMTMP;

	if (octal >= 0)
		return (mode & ~0777ul) | (ulong)octal;
	for (c = clauses; c < clauses + nclause; c++)
		switch (c->op) {
		case '+':
			mode |= c->bits | c->flags;
			break;
		case '-':
			mode &= ~(c->bits | c->flags);
			break;
		case '=':
			mode = (mode & ~c->who) | c->bits;
			mode = (mode & ~flagmask) | c->flags;
			break;
		}
	return mode;
}

int main(int argc, char **argv)
{
	const char *status = NULL;
	char err[ERRMAX];
	Dir *d, nd;

	/* No flags: "-w" is a mode, not an option. */
	argv0 = argv[0];
	argc--, argv++;
	if (argc < 2 || parsemode(argv[0]) < 0)
		usage();
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if ((d = dirstat(argv[0])) == NULL)
			goto bad;
		nulldir(&nd);
		nd.mode = newmode(d->mode);
		free(d);
		if (dirwstat(argv[0], &nd) < 0)
			goto bad;
		continue;
	bad:
		rerrstr(err, sizeof err);
		fprint(2, "chmod: %s: %s\n", argv[0], err);
		status = "error";
	}
	exits(status);
}
