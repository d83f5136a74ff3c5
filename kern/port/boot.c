/* SPDX-License-Identifier: MIT */
/*
 * Builds the root task from the first boot module: its ELF segments, a
 * stack, the boot-information page, its IPC buffer, every module mapped
 * read-only, and the handles to all free memory, interrupts and I/O ports.
 * From then on the root task is the memory manager and program loader.
 */
#include "kern.h"
#include "lib/libelf/elf.h"

enum { RootStackPages = 16, RootPrio = 20 };

/* Put o at a fixed slot of t's table (boot only: slots are free). */
static void put(Task *t, u64 slot, Obj *o, u32 rights)
{
	t->handles[slot] = (Handle){ .obj = o, .rights = rights };
	o->nhandles++;
	if (slot >= t->nhandles)
		t->nhandles = slot + 1;
	if (slot >= t->hmax)
		t->hmax = slot + 1;
}

/* Fresh memory mapped in t at va; returns its kernel address. */
static void *newmem(Pool *pool, Task *t, u64 va, u64 n, u32 rights)
{
	Memory *m;

	if (mem_new(pool, n, 0, 0, &m) < 0)
		panic("boot: no memory for the root task");
	for (u64 i = 0; i < n; i++) {
		if (vm_map(t, va + i * PGSIZE, m->base + i * PGSIZE, pteflags(rights, 0)) < 0)
			panic("boot: cannot map root task");
		obj_ref(&m->o);
	}
	obj_unref(&m->o); /* the mappings hold it now */
	return P2V(m->base);
}

static void loadelf(Pool *pool, Task *t, BootMod *bm, u64 *entry)
{
	const void *img = P2V(bm->start);
	u64 len = bm->end - bm->start;
	ElfInfo info;
	ElfSeg seg;
	int r;

	if ((r = elf_check(img, len, &info)) < 0)
		panic("boot: root module %s: %s", bm->name, elf_errstr(r));
	for (int i = 0; (r = elf_segment(img, len, i, &seg)) >= 0 && i < 64; i++) {
		if (r == 0)
			continue;
		u64 va = seg.vaddr & ~(PGSIZE - 1), end = PGROUND(seg.vaddr + seg.memsz);
		u32 rights = RRead | (seg.flags & ElfWrite ? RWrite : 0) | (seg.flags & ElfExec ? RExec : 0);
		u8 *k = newmem(pool, t, va, (end - va) / PGSIZE, rights);
		memcpy(k + (seg.vaddr - va), (const u8 *)img + seg.offset, seg.filesz);
	}
	*entry = info.entry;
}

void boot_root(void)
{
	Pool *pool;
	Task *t;
	Thread *th;
	Obj *irqctl;
	IoPorts *io;
	MuBootInfo *bi;
	u64 entry, va = MU_MODULES_VA;

	if (nbootmod == 0)
		panic("boot: no modules; the root task must be the first");
	if (obj_new(NULL, ObjPool, sizeof(Pool), (Obj **)&pool) < 0 || task_new(NULL, &t) < 0 ||
	    thread_new(NULL, t, &th) < 0 || obj_new(NULL, ObjIrqCtl, sizeof(Obj), &irqctl) < 0 ||
	    obj_new(NULL, ObjIoPorts, sizeof(IoPorts), (Obj **)&io) < 0)
		panic("boot: no memory");
	pool->limit = frame_nfree() * PGSIZE;
	io->base = 0;
	io->count = 0x10000;
	put(t, HRootThread, &th->o, RAll);
	put(t, HRootPool, &pool->o, RAll);
	put(t, HIrqCtl, irqctl, RAll);
	put(t, HIoAll, &io->o, RAll);

	loadelf(pool, t, &bootmods[0], &entry);
	newmem(pool, t, MU_ROOTSTACK_TOP - RootStackPages * PGSIZE, RootStackPages, RRead | RWrite);
	newmem(pool, t, MU_ROOTIPC_VA, 1, RRead | RWrite);
	bi = newmem(pool, t, MU_BOOTINFO_VA, 1, RRead);
	bi->magic = MU_BOOTINFO_MAGIC;
	bi->ncpu = ncpu;
	bi->totalpages = frame_ntotal();
	strlcpy(bi->cmdline, bootcmdline, sizeof bi->cmdline);
	for (u32 i = 0; i < nbootmod; i++) {
		BootMod *bm = &bootmods[i];
		u64 base = bm->start & ~(PGSIZE - 1), n = (PGROUND(bm->end) - base) / PGSIZE;
		Memory *m;
		if (mem_adopt(NULL, base, n, &m) < 0)
			panic("boot: no memory");
		for (u64 j = 0; j < n; j++) {
			if (vm_map(t, va + j * PGSIZE, base + j * PGSIZE, pteflags(RRead, 0)) < 0)
				panic("boot: cannot map modules");
			obj_ref(&m->o);
		}
		put(t, HFirstModule + i, &m->o, RRead | RDup);
		bi->module[i].handle = HFirstModule + i;
		bi->module[i].size = bm->end - bm->start;
		bi->module[i].vaddr = va + (bm->start - base);
		strlcpy(bi->module[i].name, bm->name, sizeof bi->module[i].name);
		va += (n + 1) * PGSIZE;
	}
	bi->nmodule = nbootmod;
	bi->freepages = frame_nfree();

	if (thread_set_ipcbuf(th, MU_ROOTIPC_VA) < 0)
		panic("boot: root IPC buffer");
	th->prio = RootPrio;
	arch_thread_init(th, entry, MU_ROOTSTACK_TOP - 8, 0);
	obj_ref(&th->o); /* alive */
	t->started = 1;
	sched_ready(th);
	kprintf("mu: root task %s, entry %lx, %lu modules, %lu MiB free\n", bootmods[0].name, entry,
		(u64)nbootmod, frame_nfree() / 256);
}
