/* SPDX-License-Identifier: MIT */
/*
 * rc syntax trees: allocating a node, freeing a tree, and printing the
 * canonical fully parenthesized form the tests compare against.  What
 * each kind of node means is in rc.h; parse.c builds them.
 */
#include "rc.h"

/*
 * A new node of the given kind, with a copy of str[0..len-1] (if str is
 * not NULL) stored in the same allocation, linked onto *chain so the
 * parser can free everything after an error.  NULL when out of memory.
 */
Tree *
tree_new(Tree **chain, int kind, int line, const char *str, size_t len)
{
	Tree *t = malloc(sizeof *t + (str ? len + 1 : 0));

	if (t == NULL)
		return NULL;
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->line = line;
	if (str) {
		t->str = (char *)(t + 1);
		memcpy(t->str, str, len);
		t->str[len] = 0;
	}
	t->chain = *chain;
	*chain = t;
	return t;
}

/* A node with children a and b; NULL when out of memory. */
Tree *
tree_new2(Tree **chain, int kind, int line, Tree *a, Tree *b)
{
	Tree *t = tree_new(chain, kind, line, NULL, 0);

	if (t) {
		t->kid[0] = a;
		t->kid[1] = b;
	}
	return t;
}

/*
 * The chain field is free once parsing is over, so it serves as the
 * stack of nodes still to visit: freeing a long list or a deep tree
 * takes no C stack.
 */
void
rc_freetree(Tree *t)
{
	Tree *stack = NULL;

	if (t == NULL)
		return;
	t->chain = NULL;
	stack = t;
	while ((t = stack) != NULL) {
		stack = t->chain;
		Tree *more[4] = {t->kid[0], t->kid[1], t->kid[2], t->next};
		for (int i = 0; i < 4; i++) {
			if (more[i]) {
				more[i]->chain = stack;
				stack = more[i];
			}
		}
		free(t);
	}
}

static const char *const names[TNkind] = {
	[TList] = "list", [TVar] = "$", [TCount] = "$#", [TFlat] = "$\"",
	[TSub] = "$sub", [TBackq] = "`", [TConcat] = "^", [TSimple] = "cmd",
	[TSeq] = ";", [TAsync] = "&", [TAnd] = "&&", [TOr] = "||",
	[TNot] = "!", [TSubshell] = "@", [TBrace] = "{}", [TIf] = "if",
	[TIfNot] = "if-not", [TFor] = "for", [TWhile] = "while",
	[TSwitch] = "switch", [TCase] = "case", [TMatch] = "~", [TFn] = "fn",
	[TFnDelete] = "fn-delete", [TAssign] = "=",
};

static const char *const rnames[] = {
	[RIn] = "<", [ROut] = ">", [RAppend] = ">>", [RRdwr] = "<>",
	[RDup] = "dup", [RClose] = "close", [RHere] = "<<",
};

static int
fmtquoted(Fmt *f, const char *s)
{
	int n = fmtprint(f, "'");

	for (; *s; s++)
		n += fmtprint(f, *s == '\'' ? "''" : "%c", *s);
	return n + fmtprint(f, "'");
}

/* Each node of the list starting at t, each after a space. */
static int
fmtlist(Fmt *f, const Tree *t)
{
	int n = 0;

	for (; t; t = t->next)
		n += fmtprint(f, " ") + rc_fmttree(f, t);
	return n;
}

static int
fmtredir(Fmt *f, const Tree *t)
{
	int n = fmtprint(f, "(%s %d", rnames[t->op], t->fd[0]);

	if (t->op == RDup)
		n += fmtprint(f, " %d", t->fd[1]);
	if (t->kid[0])
		n += fmtprint(f, " ") + rc_fmttree(f, t->kid[0]);
	if (t->kid[1])
		n += fmtprint(f, " ") + fmtquoted(f, t->kid[1]->str);
	return n + fmtprint(f, ")");
}

int
rc_fmttree(Fmt *f, const Tree *t)
{
	int n, depth = 0;

	if (t == NULL)
		return fmtprint(f, "()");
	switch (t->kind) {
	case TWord:
		return fmtprint(f, "%s", t->str);
	case TQuoted:
		return fmtquoted(f, t->str);
	case TRedir:
		return fmtredir(f, t);
	case TPipe:
		n = fmtprint(f, "(|[%d=%d]", t->fd[0], t->fd[1]);
		break;
	case TSeq:
		/* Sequences nest to the right: print the spine in a loop. */
		n = 0;
		for (; t && t->kind == TSeq; t = t->kid[1], depth++)
			n += fmtprint(f, "(; ") + rc_fmttree(f, t->kid[0]) + fmtprint(f, " ");
		n += rc_fmttree(f, t);
		while (depth-- > 0)
			n += fmtprint(f, ")");
		return n;
	default:
		if (t->kind < 0 || t->kind >= TNkind || names[t->kind] == NULL)
			return fmtprint(f, "(?%d)", t->kind);
		n = fmtprint(f, "(%s", names[t->kind]);
		break;
	}
	switch (t->kind) {
	case TList:
	case TCase:
	case TMatch:
	case TFnDelete:
		n += fmtlist(f, t->kid[0]);
		break;
	case TSimple:
	case TBrace:
		if (t->kind == TSimple)
			n += fmtlist(f, t->kid[0]);
		else if (t->kid[0])
			n += fmtprint(f, " ") + rc_fmttree(f, t->kid[0]);
		n += fmtlist(f, t->kid[1]);
		break;
	case TFn:
		n += fmtlist(f, t->kid[0]) + fmtprint(f, " ") + rc_fmttree(f, t->kid[1]);
		break;
	default:
		for (int i = 0; i < 3; i++)
			if (t->kid[i])
				n += fmtprint(f, " ") + rc_fmttree(f, t->kid[i]);
		break;
	}
	return n + fmtprint(f, ")");
}

/*
 * Printing a tree back as rc source.  Here-document bodies cannot go
 * where their redirection is: they wait in Src.here until the next
 * command separator, which becomes a newline followed by them.
 */
typedef struct Src Src;
struct Src {
	Fmt *f;
	const Tree *here[16];
	int nhere;
};

static void src(Src *s, const Tree *t);

static void
srcwords(Src *s, const Tree *t, const char *sep)
{
	for (; t; t = t->next) {
		src(s, t);
		if (t->next)
			fmtprint(s->f, "%s", sep);
	}
}

static void
srcredir(Src *s, const Tree *t)
{
	static const char *const ops[] = {
		[RIn] = "<", [ROut] = ">", [RAppend] = ">>", [RRdwr] = "<>", [RHere] = "<<",
	};
	int dfd = t->op == ROut || t->op == RAppend;

	switch (t->op) {
	case RDup:
		fmtprint(s->f, ">[%d=%d]", t->fd[0], t->fd[1]);
		return;
	case RClose:
		fmtprint(s->f, ">[%d=]", t->fd[0]);
		return;
	}
	fmtprint(s->f, "%s", ops[t->op]);
	if (t->fd[0] != dfd)
		fmtprint(s->f, "[%d]", t->fd[0]);
	if (t->op == RHere && s->nhere < (int)nelem(s->here))
		s->here[s->nhere++] = t;
	src(s, t->kid[0]);
}

static void
srcredirs(Src *s, const Tree *t)
{
	for (; t; t = t->next) {
		fmtprint(s->f, " ");
		srcredir(s, t);
	}
}

/* A command separator; the bodies of pending here documents follow it. */
static void
srcsep(Src *s)
{
	if (s->nhere == 0) {
		fmtprint(s->f, ";");
		return;
	}
	fmtprint(s->f, "\n");
	for (int i = 0; i < s->nhere; i++)
		fmtprint(s->f, "%s%s\n", s->here[i]->kid[1]->str, s->here[i]->kid[0]->str);
	s->nhere = 0;
}

static void
srcvar(Src *s, const Tree *t)
{
	fmtprint(s->f, "%s", t->kind == TCount ? "$#" : t->kind == TFlat ? "$\"" : "$");
	src(s, t->kid[0]);
	if (t->kind == TSub) {
		fmtprint(s->f, "(");
		srcwords(s, t->kid[1]->kid[0], " ");
		fmtprint(s->f, ")");
	}
}

static void
src(Src *s, const Tree *t)
{
	Fmt *f = s->f;

	if (t == NULL)
		return;
	switch (t->kind) {
	case TWord:
		fmtprint(f, "%s", t->str);
		break;
	case TQuoted:
		/* quoted as written: a quoted word is never a keyword or a pattern */
		fmtquoted(f, t->str);
		break;
	case TList:
		fmtprint(f, "(");
		srcwords(s, t->kid[0], " ");
		fmtprint(f, ")");
		break;
	case TVar:
	case TCount:
	case TFlat:
	case TSub:
		srcvar(s, t);
		break;
	case TBackq:
		fmtprint(f, "`{");
		src(s, t->kid[0]);
		fmtprint(f, "}");
		break;
	case TConcat:
		src(s, t->kid[0]);
		fmtprint(f, "^");
		src(s, t->kid[1]);
		break;
	case TSimple:
		srcwords(s, t->kid[0], " ");
		if (t->kid[0] == NULL && t->kid[1]) {
			srcredir(s, t->kid[1]);
			srcredirs(s, t->kid[1]->next);
		} else
			srcredirs(s, t->kid[1]);
		break;
	case TPipe:
		src(s, t->kid[0]);
		if (t->fd[0] == 1 && t->fd[1] == 0)
			fmtprint(f, "|");
		else if (t->fd[1] == 0)
			fmtprint(f, "|[%d]", t->fd[0]);
		else
			fmtprint(f, "|[%d=%d]", t->fd[0], t->fd[1]);
		src(s, t->kid[1]);
		break;
	case TSeq:
		for (; t && t->kind == TSeq; t = t->kid[1]) {
			src(s, t->kid[0]);
			srcsep(s);
		}
		src(s, t);
		break;
	case TAsync:
		src(s, t->kid[0]);
		fmtprint(f, "&");
		break;
	case TAnd:
	case TOr:
		src(s, t->kid[0]);
		fmtprint(f, t->kind == TAnd ? " && " : " || ");
		src(s, t->kid[1]);
		break;
	case TNot:
	case TSubshell:
		fmtprint(f, t->kind == TNot ? "! " : "@ ");
		src(s, t->kid[0]);
		break;
	case TBrace:
		fmtprint(f, "{");
		src(s, t->kid[0]);
		if (s->nhere)
			srcsep(s);
		fmtprint(f, "}");
		srcredirs(s, t->kid[1]);
		break;
	case TIf:
	case TWhile:
		fmtprint(f, t->kind == TIf ? "if(" : "while(");
		src(s, t->kid[0]);
		if (s->nhere)
			srcsep(s);
		fmtprint(f, ")");
		src(s, t->kid[1]);
		break;
	case TIfNot:
		fmtprint(f, "if not ");
		src(s, t->kid[0]);
		break;
	case TFor:
		fmtprint(f, "for(");
		src(s, t->kid[0]);
		if (t->kid[1]) {
			fmtprint(f, " in ");
			srcwords(s, t->kid[1]->kid[0], " ");
		}
		fmtprint(f, ")");
		src(s, t->kid[2]);
		break;
	case TSwitch:
		fmtprint(f, "switch ");
		src(s, t->kid[0]);
		fmtprint(f, " {");
		src(s, t->kid[1]);
		if (s->nhere)
			srcsep(s);
		fmtprint(f, "}");
		break;
	case TCase:
	case TMatch:
		fmtprint(f, t->kind == TCase ? "case" : "~");
		if (t->kid[0])
			fmtprint(f, " ");
		srcwords(s, t->kid[0], " ");
		break;
	case TFn:
	case TFnDelete:
		fmtprint(f, "fn ");
		srcwords(s, t->kid[0], " ");
		if (t->kind == TFn) {
			fmtprint(f, " ");
			src(s, t->kid[1]);
		}
		break;
	case TAssign:
		src(s, t->kid[0]);
		fmtprint(f, "=");
		src(s, t->kid[1]);
		if (t->kid[2]) {
			fmtprint(f, " ");
			src(s, t->kid[2]);
		}
		break;
	}
}

int
rc_fmtsrc(Fmt *f, const Tree *t)
{
	Src s;
	size_t n = f->nout + (size_t)(f->p - f->buf);

	memset(&s, 0, sizeof s);
	s.f = f;
	src(&s, t);
	if (s.nhere)
		srcsep(&s);
	return (int)(f->nout + (size_t)(f->p - f->buf) - n);
}

typedef struct Str Str;
struct Str {
	char *s;
	size_t n, cap;
	bool nomem;
};

/* The Fmt's flush for rc_srcstr: append the buffer to a growing string. */
static int
strflush(Fmt *f)
{
	Str *st = f->farg;
	size_t n = (size_t)(f->p - f->buf);

	if (st->n + n + 1 > st->cap) {
		size_t cap = 2 * (st->n + n + 1);
		char *b = realloc(st->s, cap);
		if (b == NULL) {
			st->nomem = true;
			return -1;
		}
		st->s = b;
		st->cap = cap;
	}
	memcpy(st->s + st->n, f->buf, n);
	st->n += n;
	st->s[st->n] = 0;
	return 0;
}

char *
rc_srcstr(const Tree *t)
{
	Fmt f;
	char buf[256];
	Str st = {0};

	fmtinit(&f, buf, sizeof buf, strflush, &st);
	rc_fmtsrc(&f, t);
	if (strflush(&f) < 0 || st.nomem) {
		free(st.s);
		return NULL;
	}
	return st.s;
}
