/* SPDX-License-Identifier: MIT */
/*
 * rc's words at run time: a word tree becomes a list of strings here
 * ($x, $#x, $"x, $x(n), `{cmd}, ^ with its pairwise and distributive
 * rules), then globbing turns marked patterns into file names, and
 * rc_match matches the patterns of ~ and switch.  Variables themselves
 * are in var.c, running commands in exec.c.
 */
#include "rc.h"

Word *
word_newn(const char *s, size_t n, Word *next)
{
	Word *w = malloc(sizeof *w);

	if (w == NULL || (w->s = malloc(n + 1)) == NULL)
		sysfatal("out of memory");
	memcpy(w->s, s, n);
	w->s[n] = 0;
	w->next = next;
	return w;
}

Word *
word_new(const char *s, Word *next)
{
	return word_newn(s, strlen(s), next);
}

void
word_free(Word *w)
{
	Word *n;

	for (; w; w = n) {
		n = w->next;
		free(w->s);
		free(w);
	}
}

Word *
word_copy(const Word *w)
{
	Word *l = NULL, **t = &l;

	for (; w; w = w->next) {
		*t = word_new(w->s, NULL);
		t = &(*t)->next;
	}
	return l;
}

int
word_count(const Word *w)
{
	int n = 0;

	for (; w; w = w->next)
		n++;
	return n;
}

/* The words joined by sep, in one malloc'd string. */
char *
word_flat(const Word *w, const char *sep)
{
	size_t n = 1, ns = strlen(sep);
	const Word *v;
	char *s, *p;

	for (v = w; v; v = v->next)
		n += strlen(v->s) + ns;
	if ((s = p = malloc(n)) == NULL)
		sysfatal("out of memory");
	for (v = w; v; v = v->next) {
		size_t l = strlen(v->s);
		memcpy(p, v->s, l);
		p += l;
		if (v->next) {
			memcpy(p, sep, ns);
			p += ns;
		}
	}
	*p = 0;
	return s;
}

char *
unglob(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++)
		if (*r != GLOB)
			*w++ = *r;
	*w = 0;
	return s;
}

/* A bare word: its glob characters are marked. */
static Word *
markglob(const char *s)
{
	size_t n = 0;
	const char *p;
	char *d;
	Word *w;

	for (p = s; *p; p++)
		n += 1 + (strchr("*?[", *p) != NULL);
	w = word_newn("", 0, NULL);
	free(w->s);
	if ((w->s = d = malloc(n + 1)) == NULL)
		sysfatal("out of memory");
	for (p = s; *p; p++) {
		if (strchr("*?[", *p))
			*d++ = GLOB;
		*d++ = *p;
	}
	*d = 0;
	return w;
}

static Word *
append(Word *a, Word *b)
{
	Word **t = &a;

	while (*t)
		t = &(*t)->next;
	*t = b;
	return a;
}

/* The value of variable name; $1, $2... are elements of $*. */
static Word *
lookup(const char *name)
{
	const char *p;
	int n;
	Word *w;

	for (p = name; *p >= '0' && *p <= '9'; p++)
		;
	if (*p || p == name || strcmp(name, "0") == 0)
		return word_copy(var_val(name));
	n = atoi(name);
	for (w = var_val("*"); w && n > 1; w = w->next)
		n--;
	return w ? word_new(w->s, NULL) : NULL;
}

/* The name after $: one word. */
static char *
varname(Tree *t)
{
	Word *w = eval_word(t);
	char *s;

	if (errflag)
		return NULL;
	if (w == NULL || w->next) {
		word_free(w);
		rc_error("variable name not singleton!");
		return NULL;
	}
	s = strdup(unglob(w->s));
	word_free(w);
	return s;
}

/* $name(subscripts): each is n, n-m or n-. */
static Word *
subscript(Word *val, Word *subs)
{
	Word *r = NULL, **t = &r, *s, *v;
	int n = word_count(val);

	for (s = subs; s; s = s->next) {
		char *p = unglob(s->s), *e;
		long lo = strtol(p, &e, 10), hi = lo;
		if (e == p)
			continue;
		if (*e == '-') {
			p = e + 1;
			if (*p == 0) {
				hi = n; /* n-: to the end */
				e = p;
			} else if ((hi = strtol(p, &e, 10)), e == p)
				continue;
		}
		if (*e)
			continue;
		for (long i = lo; i <= hi; i++) {
			if (i < 1 || i > n)
				continue;
			v = val;
			for (long j = 1; j < i; j++)
				v = v->next;
			*t = word_new(v->s, NULL);
			t = &(*t)->next;
		}
	}
	return r;
}

static Word *
concat(Word *a, Word *b)
{
	Word *r = NULL, **t = &r, *x, *y;
	int na = word_count(a), nb = word_count(b);

	if (na == 0 || nb == 0)
		rc_error("null list in concatenation");
	else if (na != 1 && nb != 1 && na != nb)
		rc_error("mismatched list lengths in concatenation");
	else {
		for (x = a, y = b; x && y;) {
			char *s = smprint("%s%s", x->s, y->s);
			*t = word_new(s, NULL);
			free(s);
			t = &(*t)->next;
			if (na == 1 && nb != 1)
				y = y->next;
			else if (nb == 1 && na != 1)
				x = x->next;
			else {
				x = x->next;
				y = y->next;
			}
		}
	}
	word_free(a);
	word_free(b);
	return errflag ? (word_free(r), NULL) : r;
}

static Word *
variable(Tree *t)
{
	char *name = varname(t->kid[0]), buf[24];
	Word *v, *subs, *r;

	if (name == NULL)
		return NULL;
	v = lookup(name);
	free(name);
	switch (t->kind) {
	case TCount:
		snprint(buf, sizeof buf, "%d", word_count(v));
		word_free(v);
		return word_new(buf, NULL);
	case TFlat:
		name = word_flat(v, " ");
		word_free(v);
		r = word_new(name, NULL);
		free(name);
		return r;
	case TSub:
		subs = eval_words(t->kid[1]->kid[0], false);
		r = errflag ? NULL : subscript(v, subs);
		word_free(subs);
		word_free(v);
		return r;
	}
	return v;
}

/* One word tree to a list; globbing is done later, by the user. */
Word *
eval_word(Tree *t)
{
	Word *a;

	if (errflag || t == NULL)
		return NULL;
	switch (t->kind) {
	case TWord:
		return markglob(t->str);
	case TQuoted:
		return word_new(t->str, NULL);
	case TList:
		return eval_words(t->kid[0], false);
	case TVar:
	case TCount:
	case TFlat:
	case TSub:
		return variable(t);
	case TBackq:
		return backquote(t->kid[0]);
	case TConcat:
		a = eval_word(t->kid[0]);
		if (errflag)
			return NULL;
		return concat(a, eval_word(t->kid[1]));
	}
	rc_error("bad word");
	return NULL;
}

/* The words of a list of word trees, globbed if glob. */
Word *
eval_words(Tree *list, bool glob)
{
	Word *r = NULL, *w;

	for (; list && !errflag; list = list->next) {
		w = eval_word(list);
		r = append(r, glob ? rc_glob(w) : w);
	}
	if (errflag) {
		word_free(r);
		return NULL;
	}
	if (!glob)
		return r;
	return r;
}

/* Whether s (its first n bytes) match pattern p, the marks in p active. */
static bool
match(const char *s, const char *p)
{
	for (; *p; p++) {
		if (*p != GLOB) {
			if (*s++ != *p)
				return false;
			continue;
		}
		p++;
		switch (*p) {
		case '*':
			for (;;) {
				if (match(s, p + 1))
					return true;
				if (*s == 0)
					return false;
				s++;
			}
		case '?':
			if (*s == 0)
				return false;
			s++;
			/* a whole UTF-8 sequence */
			while ((*s & 0xC0) == 0x80)
				s++;
			break;
		case '[': {
			const char *q = p + 1;
			bool neg = false, hit = false;
			int c = (uchar)*s;
			if (*q == '~') {
				neg = true;
				q++;
			}
			for (; *q && *q != ']'; q++) {
				int lo, hi;
				if (*q == GLOB)
					q++;
				lo = hi = (uchar)*q;
				if (q[1] == '-' && q[2] && q[2] != ']') {
					q += 2;
					if (*q == GLOB)
						q++;
					hi = (uchar)*q;
				}
				if (lo <= c && c <= hi)
					hit = true;
			}
			if (*q != ']') {
				/* no closing ]: an ordinary [ */
				if (*s++ != '[')
					return false;
				break;
			}
			if (c == 0 || hit == neg)
				return false;
			s++;
			p = q;
			break;
		}
		case 0:
			return *s == 0;
		default:
			if (*s++ != *p)
				return false;
		}
	}
	return *s == 0;
}

bool
rc_match(const char *s, const char *pat)
{
	return match(s, pat);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct Names Names;
struct Names {
	char **v;
	int n, cap;
};

static void
addname(Names *nm, char *s)
{
	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? 2 * nm->cap : 16;
		if ((nm->v = realloc(nm->v, nm->cap * sizeof *nm->v)) == NULL)
			sysfatal("out of memory");
	}
	nm->v[nm->n++] = s;
}

/*
 * Expand the pattern elements of pat from its element at rest, below
 * the directory name dir ("" for the current one), adding matches to nm.
 */
static void
globdir(Names *nm, const char *dir, const char *rest)
{
	const char *slash = strchr(rest, '/'), *e = slash ? slash : rest + strlen(rest);
	char *elem = malloc(e - rest + 1), *path;
	Dir *d;
	long n;
	int fd;

	if (elem == NULL)
		sysfatal("out of memory");
	memcpy(elem, rest, e - rest);
	elem[e - rest] = 0;
	if (strchr(elem, GLOB) == NULL) {
		path = smprint("%s%s%s", dir, unglob(elem), slash ? "/" : "");
		if (slash)
			globdir(nm, path, slash + 1);
		else if (access(path, AEXIST) == 0) {
			addname(nm, path);
			path = NULL;
		}
		free(path);
		free(elem);
		return;
	}
	if ((fd = open(*dir ? dir : ".", OREAD)) < 0) {
		free(elem);
		return;
	}
	n = dirreadall(fd, &d);
	close(fd);
	for (long i = 0; i < n; i++) {
		if (!match(d[i].name, elem))
			continue;
		path = smprint("%s%s%s", dir, d[i].name, slash ? "/" : "");
		if (slash)
			globdir(nm, path, slash + 1);
		else {
			addname(nm, path);
			path = NULL;
		}
		free(path);
	}
	if (n > 0)
		free(d);
	free(elem);
}

/* Replace each marked word of w by the names it matches, if any. */
Word *
rc_glob(Word *w)
{
	Word *r = NULL, **t = &r, *n;
	Names nm;

	for (; w; w = n) {
		n = w->next;
		w->next = NULL;
		memset(&nm, 0, sizeof nm);
		if (strchr(w->s, GLOB))
			globdir(&nm, w->s[0] == '/' ? "/" : "", w->s[0] == '/' ? w->s + 1 : w->s);
		if (nm.n == 0) {
			unglob(w->s);
			*t = w;
			t = &w->next;
			continue;
		}
		qsort(nm.v, nm.n, sizeof nm.v[0], cmpstr);
		for (int i = 0; i < nm.n; i++) {
			*t = word_new(nm.v[i], NULL);
			t = &(*t)->next;
			free(nm.v[i]);
		}
		free(nm.v);
		word_free(w);
	}
	return r;
}

/* `{body}: its output split at the bytes of $ifs. */
Word *
backquote(Tree *body)
{
	int p[2], pid;
	char *buf = NULL, *ifs, *st;
	size_t n = 0, cap = 0;
	long m;
	Word *r = NULL, **t = &r;

	if (pipe(p) < 0) {
		rc_error("can't make pipe: %s", syserr());
		return NULL;
	}
	if ((pid = rc_fork(RFPROC | RFFDG | RFENVG)) < 0) {
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		close(p[0]);
		dup(p[1], 1);
		close(p[1]);
		run(body);
		exitrc(getstatus());
	}
	close(p[1]);
	for (;;) {
		if (n + 512 > cap) {
			cap = cap ? 2 * cap : 1024;
			if ((buf = realloc(buf, cap)) == NULL)
				sysfatal("out of memory");
		}
		if ((m = read(p[0], buf + n, cap - n - 1)) <= 0) {
			if (m < 0 && interrupted)
				break;
			if (m <= 0)
				break;
		}
		n += m;
	}
	close(p[0]);
	st = waitfor(pid);
	setstatus(st);
	free(st);
	ifs = word_flat(var_val("ifs"), "");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		if (buf[i] == 0 || strchr(ifs, buf[i])) {
			i++;
			continue;
		}
		while (j < n && buf[j] && !strchr(ifs, buf[j]))
			j++;
		*t = word_newn(buf + i, j - i, NULL);
		t = &(*t)->next;
		i = j;
	}
	free(ifs);
	free(buf);
	return r;
}

static bool
hereisname(int c)
{
	return (c & 0x80) || (c > ' ' && c != 0x7f && !strchr("!\"#$%&'()+,-./:;<=>?@[\\]^`{|}~", c));
}

/*
 * The body of a here document with an unquoted tag: $name becomes the
 * value of name, its words joined by spaces (a ^ right after the name
 * is dropped), $$ becomes $, and any other $ disappears.
 */
char *
heresubst(const char *s)
{
	Word *parts = NULL, **t = &parts;
	const char *p, *q;
	char *name, *v, *r;

	for (p = s; *p;) {
		if (*p != '$') {
			for (q = p; *q && *q != '$'; q++)
				;
			*t = word_newn(p, q - p, NULL);
			t = &(*t)->next;
			p = q;
			continue;
		}
		p++;
		if (*p == '$') {
			*t = word_new("$", NULL);
			t = &(*t)->next;
			p++;
			continue;
		}
		for (q = p; *q && hereisname((uchar)*q); q++)
			;
		if (q == p)
			continue;
		name = malloc(q - p + 1);
		memcpy(name, p, q - p);
		name[q - p] = 0;
		p = *q == '^' ? q + 1 : q;
		v = word_flat(var_val(name), " ");
		free(name);
		*t = word_new(v, NULL);
		t = &(*t)->next;
		free(v);
	}
	r = word_flat(parts, "");
	word_free(parts);
	return r;
}
