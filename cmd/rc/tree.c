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
