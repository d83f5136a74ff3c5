/* SPDX-License-Identifier: MIT */
/*
 * rc's variables and functions, and the environment.  Each name hashes
 * to a chain whose first entry of that name is the visible one: a local
 * (x=v cmd, $* of a function call) is pushed in front of the global and
 * popped after.  The environment is /env: one file per variable, the
 * elements each ending in a NUL byte, and /env/fn#name holding
 * "fn name {body}".  Changed variables are written out before a child
 * is started (var_export), so children inherit them.
 */
#include "rc.h"

enum { NHASH = 64 };

static Var *vars[NHASH];
static Var *fns[NHASH];

static uint
hash(const char *s)
{
	uint h = 0;

	while (*s)
		h = h * 31 + (uchar)*s++;
	return h % NHASH;
}

static Var *
look(Var **tab, const char *name)
{
	Var *v;

	for (v = tab[hash(name)]; v; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static Var *
newvar(Var **tab, const char *name)
{
	Var *v = calloc(1, sizeof *v);
	uint h = hash(name);

	if (v == NULL || (v->name = strdup(name)) == NULL)
		sysfatal("out of memory");
	v->next = tab[h];
	tab[h] = v;
	return v;
}

Var *
var_look(const char *name)
{
	return look(vars, name);
}

Var *
var_get(const char *name)
{
	Var *v = look(vars, name);

	return v ? v : newvar(vars, name);
}

Word *
var_val(const char *name)
{
	Var *v = look(vars, name);

	return v ? v->val : NULL;
}

void
var_set(const char *name, Word *val)
{
	Var *v = var_get(name);

	word_free(v->val);
	v->val = val;
	v->dirty = true;
}

void
var_setstr(const char *name, const char *s)
{
	var_set(name, word_new(s, NULL));
}

void
var_push(const char *name, Word *val)
{
	Var *v = newvar(vars, name);

	v->val = val;
	v->local = true;
	v->dirty = true;
}

void
var_pop(const char *name)
{
	Var **l, *v;

	for (l = &vars[hash(name)]; (v = *l) != NULL; l = &v->next)
		if (strcmp(v->name, name) == 0)
			break;
	if (v == NULL)
		return;
	*l = v->next;
	word_free(v->val);
	free(v->name);
	free(v);
	/* the outer value is visible again: the environment must say so */
	if ((v = look(vars, name)) != NULL)
		v->dirty = true;
	else
		var_set(name, NULL);
}

Var *
fn_look(const char *name)
{
	Var *v = look(fns, name);

	return v && v->fn ? v : NULL;
}

void
fn_define(const char *name, Tree *body)
{
	Var *v = look(fns, name);
	const char *err;
	char *src = rc_srcstr(body);
	Tree *t = rc_parse(src, strlen(src), &err);

	if (v == NULL)
		v = newvar(fns, name);
	if (v->busy == 0) /* else a running body: left to leak */
		rc_freetree(v->fn);
	free(v->fnsrc);
	/* The body is kept as its own parse of its source text: the tree
	 * it came from goes when its line is done. */
	if (t == NULL || t->kind != TBrace) {
		Tree *chain = NULL;
		t = tree_new2(&chain, TBrace, 0, t, NULL);
		if (t == NULL)
			sysfatal("out of memory");
	}
	v->fn = t;
	v->fnsrc = src;
	v->fndirty = true;
}

void
fn_delete(const char *name)
{
	Var *v = look(fns, name);

	if (v == NULL)
		return;
	if (v->busy == 0)
		rc_freetree(v->fn);
	free(v->fnsrc);
	v->fn = NULL;
	v->fnsrc = NULL;
	v->fndirty = true;
}

/* Names not passed on to children. */
static bool
private(const char *name)
{
	return strcmp(name, "*") == 0 || strcmp(name, "0") == 0 || strcmp(name, "pid") == 0 ||
	       strcmp(name, "apid") == 0 || strcmp(name, "status") == 0;
}

static void
putfile(const char *name, const char *buf, long n)
{
	char *path = smprint("/env/%s", name);
	int fd = create(path, OWRITE, 0664);

	if (fd >= 0) {
		if (n > 0)
			write(fd, buf, n);
		close(fd);
	}
	free(path);
}

static void
envput(Var *v)
{
	size_t n = 0;
	char *buf, *p;
	Word *w;

	if (private(v->name))
		return;
	for (w = v->val; w; w = w->next)
		n += strlen(w->s) + 1;
	if ((buf = p = malloc(n + 1)) == NULL)
		sysfatal("out of memory");
	for (w = v->val; w; w = w->next) {
		size_t l = strlen(w->s) + 1;
		memcpy(p, w->s, l);
		p += l;
	}
	putfile(v->name, buf, (long)n);
	free(buf);
}

static void
fnput(Var *v)
{
	char *name = smprint("fn#%s", v->name), *path, *s;

	if (v->fn == NULL) {
		path = smprint("/env/%s", name);
		remove(path);
		free(path);
	} else {
		s = smprint("fn %s %s", v->name, v->fnsrc);
		putfile(name, s, (long)strlen(s));
		free(s);
	}
	free(name);
}

/* Write the changed variables and functions to /env. */
void
var_export(void)
{
	Var *v;

	for (int i = 0; i < NHASH; i++) {
		for (v = vars[i]; v; v = v->next) {
			/* only the visible one of each name */
			if (v->dirty && look(vars, v->name) == v)
				envput(v);
			if (look(vars, v->name) == v)
				v->dirty = false;
		}
		for (v = fns[i]; v; v = v->next) {
			if (v->fndirty)
				fnput(v);
			v->fndirty = false;
		}
	}
}

/* The contents of /env/name, a malloc'd block of *n bytes plus a NUL. */
static char *
readfile(const char *name, long *n)
{
	char *path = smprint("/env/%s", name), *buf = NULL;
	long m, cap = 0;
	int fd = open(path, OREAD);

	free(path);
	*n = 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		if (*n + 1024 > cap) {
			cap = cap ? 2 * cap : 2048;
			if ((buf = realloc(buf, cap)) == NULL)
				sysfatal("out of memory");
		}
		if ((m = read(fd, buf + *n, cap - *n - 1)) <= 0)
			break;
		*n += m;
	}
	close(fd);
	buf[*n] = 0;
	return buf;
}

static void
importvar(const char *name)
{
	long n, i, j;
	char *buf = readfile(name, &n);
	Word *l = NULL, **t = &l;
	Var *v;

	if (buf == NULL)
		return;
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && buf[j]; j++)
			;
		*t = word_newn(buf + i, j - i, NULL);
		t = &(*t)->next;
	}
	free(buf);
	var_set(name, l);
	v = var_look(name);
	v->dirty = false;
}

static void
importfn(const char *name)
{
	long n;
	char *buf = readfile(name, &n);
	const char *err;
	Tree *t;
	Var *v;

	if (buf == NULL)
		return;
	t = rc_parse(buf, n, &err);
	if (t && t->kind == TFn)
		run(t);
	else
		fprint(2, "rc: bad function in /env/%s\n", name);
	rc_freetree(t);
	free(buf);
	if ((v = look(fns, name + 3)) != NULL)
		v->fndirty = false;
}

/* Read every variable and function of /env. */
void
var_import(void)
{
	int fd = open("/env", OREAD);
	Dir *d;
	long n;

	if (fd < 0)
		return;
	n = dirreadall(fd, &d);
	close(fd);
	for (long i = 0; i < n; i++) {
		if (strncmp(d[i].name, "fn#", 3) == 0)
			importfn(d[i].name);
		else if (!private(d[i].name) && var_valid(d[i].name))
			importvar(d[i].name);
	}
	if (n > 0)
		free(d);
}

/* Whether name may be set: no empty names, no '/'. */
int
var_valid(const char *name)
{
	return *name && strchr(name, '/') == NULL && strchr(name, GLOB) == NULL;
}
