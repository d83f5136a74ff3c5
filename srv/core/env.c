/* SPDX-License-Identifier: MIT */
/*
 * Environment groups (Egrp): the variables of "#e" (devenv.c).  A
 * process has one; rfork(RFENVG) gives the child a deep copy, without
 * it parent and child share one (reference counted).  A copy keeps each
 * variable's qid path and version, as the files are the same files.
 */
#include "dat.h"
#include "fns.h"

Egrp *
newegrp(void)
{
	Egrp *e = malloc(sizeof *e);

	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof *e);
	e->ref = 1;
	return e;
}

static void
freevalue(Evalue *v)
{
	free(v->name);
	free(v->val);
	free(v);
}

/* A copy of v, or NULL when memory runs out. */
static Evalue *
copyvalue(const Evalue *v)
{
	Evalue *n = malloc(sizeof *n);

	if (n == NULL)
		return NULL;
	memset(n, 0, sizeof *n);
	n->name = strdup(v->name);
	if (v->len > 0)
		n->val = malloc((size_t)v->len);
	if (n->name == NULL || (v->len > 0 && n->val == NULL)) {
		freevalue(n);
		return NULL;
	}
	if (v->len > 0)
		memmove(n->val, v->val, (size_t)v->len);
	n->len = v->len;
	n->vers = v->vers;
	n->path = v->path;
	return n;
}

/* A new group holding copies of e's variables, in the same order; NULL if out of memory. */
Egrp *
egrpcopy(Egrp *e)
{
	Egrp *n = newegrp();
	Evalue **tail;

	if (n == NULL || e == NULL)
		return n;
	tail = &n->vars;
	qlock(&e->l);
	for (Evalue *v = e->vars; v; v = v->next) {
		if ((*tail = copyvalue(v)) == NULL) {
			qunlock(&e->l);
			closeegrp(n);
			werrstr("%s", Enomem);
			return NULL;
		}
		tail = &(*tail)->next;
	}
	n->vers = e->vers;
	qunlock(&e->l);
	return n;
}

/* Drop a reference; the last one frees the variables. */
void
closeegrp(Egrp *e)
{
	if (e == NULL || decref(&e->ref) > 0)
		return;
	for (Evalue *v = e->vars, *n; v; v = n) {
		n = v->next;
		freevalue(v);
	}
	free(e);
}
