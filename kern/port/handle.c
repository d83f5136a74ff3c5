/* SPDX-License-Identifier: MIT */
/*
 * Per-task handle tables: a handle is a small number naming an object with
 * rights and a badge.  Lookups check number, type and rights before any
 * system call acts.  A task's handle to itself holds no reference, so a
 * task is not kept alive by its own table.
 */
#include "kern.h"

/* The handle h of task t if it names an object of `type` (0: any) with all
 * of `rights`. */
kerr handle_get(Task *t, u64 h, int type, u32 rights, Handle **out)
{
	Handle *hd;

	if (h == 0 || h >= MuMaxHandles || t->handles == NULL)
		return -ErrBadHandle;
	hd = &t->handles[h];
	if (hd->obj == NULL)
		return -ErrBadHandle;
	if (type && hd->obj->type != type)
		return -ErrType;
	if ((hd->rights & rights) != rights)
		return -ErrPerm;
	*out = hd;
	return 0;
}

/* Install o in t's table; the table takes over one reference the caller
 * holds.  Returns the handle number, or -ErrNoSpace (reference dropped). */
kerr handle_install(Task *t, Obj *o, u64 badge, u32 rights)
{
	if (t->handles == NULL || t->o.dead) {
		obj_unref(o);
		return -ErrGone;
	}
	for (u32 i = t->nhandles ? t->nhandles : 1; i < MuMaxHandles; i++) {
		if (t->handles[i].obj)
			continue;
		t->handles[i] = (Handle){ .obj = o, .badge = badge, .rights = rights };
		t->nhandles = i + 1;
		if (i >= t->hmax)
			t->hmax = i + 1;
		o->nhandles++;
		if (o == &t->o)
			obj_unref(o);
		return i;
	}
	obj_unref(o);
	return -ErrNoSpace;
}

void handle_clear(Task *t, Handle *hd)
{
	Obj *o = hd->obj;
	u32 i = hd - t->handles;

	*hd = (Handle){ 0 };
	if (i < t->nhandles)
		t->nhandles = i;
	if (o == NULL)
		return;
	/* an endpoint no one holds a handle to can never be received on:
	 * its waiters (kept only by a thread's pager slot, say) give up */
	if (--o->nhandles == 0 && o->type == ObjEndpoint && o->ref > 1)
		ep_destroy((Endpoint *)o);
	if (o != &t->o)
		obj_unref(o);
}

kerr handle_table_new(Task *t)
{
	t->handles = kalloc(MuMaxHandles * sizeof(Handle));
	t->nhandles = 1;
	return t->handles ? 0 : -ErrNoMem;
}

void handle_table_free(Task *t)
{
	Handle *tab = t->handles;

	if (tab == NULL)
		return;
	for (u32 i = 1; i < t->hmax; i++)
		if (tab[i].obj)
			handle_clear(t, &tab[i]);
	t->handles = NULL;
	kfree(tab, MuMaxHandles * sizeof(Handle));
}
