/* SPDX-License-Identifier: MIT */
/*
 * test: evaluate an expression; the exit status is "" for true and
 * "false" for false (a malformed expression is "syntax", with a
 * message).  Grammar, loosest first:
 *	expr	:= and [-o expr]
 *	and	:= not [-a and]
 *	not	:= ! not | prim
 *	prim	:= ( expr ) | arg binop arg | unop arg | arg
 * with unop one of -e -f -d -r -w -x -s (files) -z -n (strings), and
 * binop one of = != (strings) -eq -ne -lt -le -gt -ge (integers).  A
 * lone arg is true when it is not empty.  See doc/cmd/test.md.
 */
#include "libc.h"

static char **av;
static int ac, pos;

static _Noreturn void syntax(const char *why, const char *at)
{
	if (at != NULL)
		fprint(2, "test: %s: %s\n", why, at);
	else
		fprint(2, "test: %s\n", why);
	exits("syntax");
}

static const char *next(void)
{
	if (pos >= ac)
		syntax("argument expected", NULL);
	return av[pos++];
}

static int peekis(const char *s)
{
	return pos < ac && strcmp(av[pos], s) == 0;
}

static int expr(void);

static int isbinop(const char *s)
{
	static const char *const ops[] = {"=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
	size_t i;

	for (i = 0; i < nelem(ops); i++)
		if (strcmp(s, ops[i]) == 0)
			return 1;
	return 0;
}

static vlong number(const char *s)
{
	char *end;
	vlong v;

	v = strtoll(s, &end, 10);
	if (*s == 0 || *end != 0)
		syntax("bad number", s);
	return v;
}

static int binop(const char *a, const char *op, const char *b)
{
	vlong x, y;

	if (strcmp(op, "=") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(a, b) != 0;
	x = number(a);
	y = number(b);
	switch (op[1] << 8 | op[2]) {
	case 'e' << 8 | 'q': return x == y;
	case 'n' << 8 | 'e': return x != y;
	case 'l' << 8 | 't': return x < y;
	case 'l' << 8 | 'e': return x <= y;
	case 'g' << 8 | 't': return x > y;
	default: return x >= y;  /* -ge */
	}
}

/* A file test; op is known to be one of the unary operators. */
static int filetest(int op, const char *name)
{
	Dir *d;
	int r;

	switch (op) {
	case 'r': return access(name, AREAD) == 0;
	case 'w': return access(name, AWRITE) == 0;
	case 'x': return access(name, AEXEC) == 0;
	}
	if ((d = dirstat(name)) == NULL)
		return 0;
	switch (op) {
	case 'f': r = !(d->mode & DMDIR); break;
	case 'd': r = (d->mode & DMDIR) != 0; break;
	case 's': r = d->length > 0; break;
	default: r = 1; break;  /* -e */
	}
	free(d);
	return r;
}

static int prim(void)
{
	const char *a = next(), *op;
	int r;

	if (strcmp(a, "(") == 0 && pos < ac) {
		r = expr();
		if (!peekis(")"))
			syntax("missing )", NULL);
		pos++;
		return r;
	}
	if (pos + 1 < ac && isbinop(av[pos])) {
		op = next();
		return binop(a, op, next());
	}
	if (a[0] == '-' && a[1] != 0 && a[2] == 0 && strchr("efdrwxszn", a[1]) != NULL &&
	    pos < ac) {
		if (a[1] == 'z')
			return *next() == 0;
		if (a[1] == 'n')
			return *next() != 0;
		return filetest(a[1], next());
	}
	return *a != 0;
}

static int notexpr(void)
{
	if (peekis("!")) {
		pos++;
		return !notexpr();
	}
	return prim();
}

static int andexpr(void)
{
	int r = notexpr();

	if (peekis("-a")) {
		pos++;
		return andexpr() && r;
	}
	return r;
}

static int expr(void)
{
	int r = andexpr();

	if (peekis("-o")) {
		pos++;
		return expr() || r;
	}
	return r;
}

int main(int argc, char **argv)
{
	int r;

	/* No ARGBEGIN: every argument is part of the expression. */
	av = argv + 1;
	ac = argc - 1;
	if (ac == 0)
		exits("false");
	r = expr();
	if (pos < ac)
		syntax("unexpected argument", av[pos]);
	exits(r ? NULL : "false");
}
