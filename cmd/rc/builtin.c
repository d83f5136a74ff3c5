/* SPDX-License-Identifier: MIT */
/*
 * rc's builtins: cd, exit, eval, ., shift, wait, whatis, rfork, flag.
 * exec and builtin change how the rest of the line runs, so exec.c
 * does them itself.  Each builtin gets its whole argv (argv->s is its
 * own name) and sets $status.
 */
#include "rc.h"

static bool
hasany(const char *s, const char *set)
{
	for (; *s; s++)
		if (strchr(set, *s))
			return true;
	return false;
}

/* s as rc would read it back: quoted if it holds anything special. */
char *
quoteword(const char *s)
{
	const char *p;
	char *r, *d;

	if (*s && !hasany(s, " \t\n#;&|^$=`'{}()<>"))
		return strdup(s);
	if ((r = d = malloc(2 * strlen(s) + 3)) == NULL)
		sysfatal("out of memory");
	*d++ = '\'';
	for (p = s; *p; p++) {
		if (*p == '\'')
			*d++ = '\'';
		*d++ = *p;
	}
	*d++ = '\'';
	*d = 0;
	return r;
}

static void
b_cd(Word *argv)
{
	Word *a = argv->next, *cdpath;
	const char *dir;
	char *p;

	if (a && a->next) {
		fprint(2, "Usage: cd [directory]\n");
		setstatus("usage");
		return;
	}
	if (a == NULL) {
		Word *h = var_val("home");
		if (h == NULL) {
			fprint(2, "Can't cd -- $home empty\n");
			setstatus("can't cd");
			return;
		}
		dir = h->s;
	} else
		dir = a->s;
	if (dir[0] == '/' || strncmp(dir, "./", 2) == 0 || strncmp(dir, "../", 3) == 0 ||
	    (cdpath = var_val("cdpath")) == NULL) {
		if (chdir(dir) == 0) {
			setstatus("");
			return;
		}
	} else {
		for (; cdpath; cdpath = cdpath->next) {
			p = *cdpath->s ? smprint("%s/%s", cdpath->s, dir) : strdup(dir);
			if (chdir(p) == 0) {
				if (*cdpath->s && strcmp(cdpath->s, ".") != 0)
					fprint(1, "%s\n", p);
				free(p);
				setstatus("");
				return;
			}
			free(p);
		}
	}
	fprint(2, "Can't cd %s: %s\n", dir, syserr());
	setstatus("can't cd");
}

static void
b_exit(Word *argv)
{
	exitrc(argv->next ? argv->next->s : getstatus());
}

static void
b_eval(Word *argv)
{
	char *s = word_flat(argv->next, " ");

	rc_runstr(s);
	free(s);
}

static void
b_dot(Word *argv)
{
	Word *a = argv->next;
	bool inter = false;
	char *file;
	int fd;

	if (a && strcmp(a->s, "-i") == 0) {
		inter = true;
		a = a->next;
	}
	if (a == NULL) {
		fprint(2, "Usage: . [-i] file [arg ...]\n");
		setstatus("usage");
		return;
	}
	if ((fd = open(a->s, OREAD)) < 0 && strchr(a->s, '/') == NULL &&
	    (file = pathsearch(a->s)) != NULL) {
		fd = open(file, OREAD);
		free(file);
	}
	if (fd < 0) {
		fprint(2, "%s: can't open: %s\n", a->s, syserr());
		setstatus("can't open");
		return;
	}
	var_push("*", word_copy(a->next));
	rc_runfd(fd, a->s, inter);
	var_pop("*");
	close(fd);
}

static void
b_shift(Word *argv)
{
	int n = argv->next ? atoi(argv->next->s) : 1;
	Var *v = var_get("*");
	Word *w;

	for (; n > 0 && v->val; n--) {
		w = v->val;
		v->val = w->next;
		w->next = NULL;
		word_free(w);
	}
	v->dirty = true;
	setstatus("");
}

static void
b_wait(Word *argv)
{
	char *st;
	int pid;

	if (argv->next) {
		pid = atoi(argv->next->s);
		st = waitbg(pid);
		setstatus(st);
		free(st);
		return;
	}
	while (nbgpids > 0 && !interrupted) {
		pid = bgpids[0];
		st = waitfor(pid);
		for (int i = 0; i < nbgpids; i++)
			if (bgpids[i] == pid)
				bgpids[i] = bgpids[--nbgpids];
		setstatus(st);
		free(st);
	}
}

static void
printvar(Var *v)
{
	char *q;

	q = quoteword(v->name);
	fprint(1, "%s=", q);
	free(q);
	if (v->val && v->val->next == NULL) {
		q = quoteword(v->val->s);
		fprint(1, "%s\n", q);
		free(q);
		return;
	}
	fprint(1, "(");
	for (Word *w = v->val; w; w = w->next) {
		q = quoteword(w->s);
		fprint(1, "%s%s", q, w->next ? " " : "");
		free(q);
	}
	fprint(1, ")\n");
}

static void
b_whatis(Word *argv)
{
	Var *v;
	char *p;
	bool found;

	setstatus("");
	for (Word *a = argv->next; a; a = a->next) {
		found = false;
		if ((v = var_look(a->s)) != NULL && v->val) {
			printvar(v);
			found = true;
		}
		if ((v = fn_look(a->s)) != NULL) {
			fprint(1, "fn %s %s\n", a->s, v->fnsrc);
			found = true;
		} else if (builtin_look(a->s) || strcmp(a->s, "exec") == 0 ||
			   strcmp(a->s, "builtin") == 0) {
			fprint(1, "builtin %s\n", a->s);
			found = true;
		} else if ((p = pathsearch(a->s)) != NULL) {
			fprint(1, "%s\n", p);
			free(p);
			found = true;
		}
		if (!found) {
			fprint(2, "%s: not found\n", a->s);
			setstatus("not found");
		}
	}
}

static void
b_rfork(Word *argv)
{
	const char *s = argv->next ? argv->next->s : "ens";
	int fl = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'n': fl |= RFNAMEG; break;
		case 'N': fl |= RFCNAMEG; break;
		case 'e': fl |= RFENVG; break;
		case 'E': fl |= RFCENVG; break;
		case 's': fl |= RFNOTEG; break;
		case 'f': fl |= RFFDG; break;
		case 'F': fl |= RFCFDG; break;
		case 'm': fl |= RFNOMNT; break;
		default:
			fprint(2, "Usage: rfork [nNeEsfFm]\n");
			setstatus("rfork usage");
			return;
		}
	}
	if (rfork(fl) < 0) {
		fprint(2, "rfork: %s\n", syserr());
		setstatus("rfork failed");
		return;
	}
	setstatus("");
}

static void
b_flag(Word *argv)
{
	Word *a = argv->next;
	int c;

	if (a == NULL || strlen(a->s) != 1 || (a->next && a->next->next)) {
		fprint(2, "Usage: flag [letter] [+-]\n");
		setstatus("flag usage");
		return;
	}
	c = (uchar)a->s[0] & 0x7f;
	if (a->next) {
		flags[c] = a->next->s[0] == '+';
		setstatus("");
		return;
	}
	setstatus(flags[c] ? "" : "flag not set");
}

static const struct {
	const char *name;
	Builtin *fn;
} builtins[] = {
	{"cd", b_cd},         {"exit", b_exit},   {"eval", b_eval}, {".", b_dot},
	{"shift", b_shift},   {"wait", b_wait},   {"whatis", b_whatis},
	{"rfork", b_rfork},   {"flag", b_flag},
};

Builtin *
builtin_look(const char *name)
{
	for (size_t i = 0; i < nelem(builtins); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}
