/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: runs of physical frames (or device memory) that user
 * space maps.  A page database records which Memory owns each RAM frame,
 * so every mapping can hold a reference on it: frames go back to frame.c
 * only when no handle and no mapping is left.  Also the system calls on
 * memory: allocate, device memory, physical address, map, unmap, protect.
 */
#include "kern.h"

#define PTE_DEV 0x200ul
static Memory **pagedb; /* by page frame number, RAM only */
static u64 npagedb;

void page_db_init(u64 maxpfn)
{
	u64 bytes = maxpfn * sizeof(Memory *);
	u64 pa = frame_alloc((bytes + PGSIZE - 1) / PGSIZE, 0);

	if (pa == 0)
		panic("no memory for the page database");
	pagedb = P2V(pa);
	npagedb = maxpfn;
}

Memory *mem_owner(u64 pa)
{
	u64 pfn = pa / PGSIZE;
	return pfn < npagedb ? pagedb[pfn] : NULL;
}

void mem_ref_frame(u64 pa)
{
	Memory *m = mem_owner(pa);
	if (m)
		obj_ref(&m->o);
}

void mem_unref_frame(u64 pa)
{
	Memory *m = mem_owner(pa);
	if (m)
		obj_unref(&m->o);
}

void mem_destroy(Memory *m)
{
	if (m->device)
		return;
	for (u64 i = 0; i < m->npages; i++)
		pagedb[m->base / PGSIZE + i] = NULL;
	frame_free(m->base, m->npages);
}

/* A Memory object of n frames, charged to pool; the handle goes to t. */
kerr mem_new(Pool *pool, u64 n, u64 base, int device, Memory **out)
{
	Memory *m;
	kerr e;

	if ((e = obj_new(pool, ObjMemory, sizeof(Memory), (Obj **)&m)) < 0)
		return e;
	if (!device) {
		if ((e = pool_charge(pool, n * PGSIZE)) < 0)
			goto bad;
		m->o.charge += n * PGSIZE;
		if ((base = frame_alloc(n, 0)) == 0) {
			e = -ErrNoMem;
			goto bad;
		}
		for (u64 i = 0; i < n; i++)
			pagedb[base / PGSIZE + i] = m;
	}
	m->base = base;
	m->npages = n;
	m->device = device;
	*out = m;
	return 0;
bad:
	obj_unref(&m->o);
	return e;
}

/* A Memory object for frames already in use (boot modules), so they are
 * freed like any other once unmapped and closed. */
kerr mem_adopt(Pool *pool, u64 base, u64 n, Memory **out)
{
	Memory *m;
	kerr e;

	if ((e = obj_new(pool, ObjMemory, sizeof(Memory), (Obj **)&m)) < 0)
		return e;
	for (u64 i = 0; i < n; i++)
		pagedb[base / PGSIZE + i] = m;
	m->base = base;
	m->npages = n;
	*out = m;
	return 0;
}

u64 pteflags(u64 rights, int device)
{
	u64 f = 0;
	if (rights & RWrite)
		f |= PTE_W;
	if (!(rights & RExec))
		f |= PTE_NX;
	if (device)
		f |= PTE_DEV | PTE_PCD | PTE_PWT;
	return f;
}

kerr sys_memalloc(u64 hpool, u64 n, u64 flags, u64 a3, u64 a4, u64 a5)
{
	Task *t = curthread()->task;
	Handle *hd;
	Memory *m;
	kerr e;

	if ((e = handle_get(t, hpool, ObjPool, RCtl, &hd)) < 0)
		return e;
	if (n == 0 || n > (1ul << 20) || (flags & ~(u64)(MemZero | MemContig | MemDma32)))
		return -ErrInval;
	if ((e = mem_new((Pool *)hd->obj, n, 0, 0, &m)) < 0)
		return e;
	return handle_install(t, &m->o, 0, RAll);
}

/* Device memory: only addresses that are not RAM, and only with a pool
 * handle that has RCtl and RGrant (the root pool). */
kerr sys_memphys(u64 hpool, u64 pa, u64 n, u64 a3, u64 a4, u64 a5)
{
	Task *t = curthread()->task;
	Handle *hd;
	Memory *m;
	kerr e;

	if ((e = handle_get(t, hpool, ObjPool, RCtl | RGrant, &hd)) < 0)
		return e;
	if ((pa & (PGSIZE - 1)) || n == 0 || n > (1ul << 20) || pa + n * PGSIZE > (1ul << 46))
		return -ErrInval;
	for (u64 i = 0; i < n; i++)
		if (frame_isram(pa + i * PGSIZE))
			return -ErrPerm;
	if ((e = mem_new((Pool *)hd->obj, n, pa, 1, &m)) < 0)
		return e;
	return handle_install(t, &m->o, 0, RAll);
}

kerr sys_meminfo(u64 hmem, u64 idx, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Handle *hd;
	kerr e = handle_get(curthread()->task, hmem, ObjMemory, 0, &hd);
	Memory *m;

	if (e < 0)
		return e;
	m = (Memory *)hd->obj;
	if (idx == ~0ul)
		return m->npages;
	if (!(hd->rights & RCtl))
		return -ErrPerm;
	if (idx >= m->npages)
		return -ErrInval;
	return m->base + idx * PGSIZE;
}

/* The task a memory call acts on: t's own or one reached with RCtl. */
static kerr target(u64 htask, Task **out)
{
	Handle *hd;
	kerr e = handle_get(curthread()->task, htask, ObjTask, RCtl, &hd);

	if (e < 0)
		return e;
	if (hd->obj->dead)
		return -ErrGone;
	*out = (Task *)hd->obj;
	return 0;
}

static kerr checkrange(u64 va, u64 n)
{
	if ((va & (PGSIZE - 1)) || n == 0 || n > (1ul << 24) || va >= MU_USER_TOP ||
	    n > (MU_USER_TOP - va) / PGSIZE || va == 0)
		return -ErrInval;
	return 0;
}

kerr sys_map(u64 htask, u64 hmem, u64 off, u64 va, u64 n, u64 rights)
{
	Task *t;
	Handle *hd;
	Memory *m;
	kerr e;

	if ((e = target(htask, &t)) < 0)
		return e;
	if ((e = handle_get(curthread()->task, hmem, ObjMemory, 0, &hd)) < 0)
		return e;
	m = (Memory *)hd->obj;
	rights &= RRead | RWrite | RExec;
	if ((rights & hd->rights) != rights || !(rights & RRead))
		return -ErrPerm;
	if ((e = checkrange(va, n)) < 0)
		return e;
	if (off >= m->npages || n > m->npages - off)
		return -ErrInval;
	vm_unmap_range(t, va, n, 1);
	for (u64 i = 0; i < n; i++) {
		u64 pa = m->base + (off + i) * PGSIZE;
		if ((e = vm_map(t, va + i * PGSIZE, pa, pteflags(rights, m->device))) < 0)
			return e;
		if (!m->device)
			obj_ref(&m->o);
	}
	return 0;
}

kerr sys_unmap(u64 htask, u64 va, u64 n, u64 a3, u64 a4, u64 a5)
{
	Task *t;
	kerr e;

	if ((e = target(htask, &t)) < 0 || (e = checkrange(va, n)) < 0)
		return e;
	return vm_unmap_range(t, va, n, 1);
}

/* Change rights of mapped pages; rights can only be lowered to what the
 * frame's mapping allows (W and X bits are narrowed, never widened). */
kerr sys_protect(u64 htask, u64 va, u64 n, u64 rights, u64 a4, u64 a5)
{
	Task *t;
	kerr e;

	if ((e = target(htask, &t)) < 0 || (e = checkrange(va, n)) < 0)
		return e;
	if (!(rights & RRead))
		return vm_unmap_range(t, va, n, 1);
	for (u64 i = 0, span; i < n; i += span) {
		u64 *pte = vm_pte_span(t, va + i * PGSIZE, &span);
		if (pte == NULL || !(*pte & PTE_P))
			continue;
		if (!(rights & RWrite))
			*pte &= ~(u64)PTE_W;
		if (!(rights & RExec))
			*pte |= PTE_NX;
	}
	tlb_shootdown(t);
	return 0;
}
