/* SPDX-License-Identifier: MIT */
/*
 * User-mode driver primitives: Irq objects (a legacy interrupt line that
 * signals a notification and stays masked until the driver acknowledges
 * it) and IoPorts objects (port ranges opened in a task's I/O permission
 * bitmap).  Device memory is in mem.c.
 */
#include "kern.h"

enum { NLine = 24 };
static Irq *lines[NLine];

void irq_fire(u32 line)
{
	Irq *q = line < NLine ? lines[line] : NULL;

	arch_ioapic_mask(line, 1);
	if (q == NULL)
		return;
	q->masked = 1;
	ntf_signal(q->ntf, q->bits);
}

void irq_destroy(Irq *q)
{
	arch_ioapic_mask(q->line, 1);
	lines[q->line] = NULL;
	obj_unref(&q->ntf->o);
}

kerr sys_irqcreate(u64 hctl, u64 line, u64 hntf, u64 bits, u64 a4, u64 a5)
{
	Task *t = curthread()->task;
	Handle *hc, *hn;
	Irq *q;
	kerr e;

	if ((e = handle_get(t, hctl, ObjIrqCtl, RCtl, &hc)) < 0 ||
	    (e = handle_get(t, hntf, ObjNotification, RSend, &hn)) < 0)
		return e;
	if (line >= 16 || bits == 0 || bits >> 63)
		return -ErrInval;
	if (lines[line])
		return -ErrBusy;
	if ((e = obj_new(NULL, ObjIrq, sizeof(Irq), (Obj **)&q)) < 0)
		return e;
	q->line = line;
	q->ntf = (Ntf *)hn->obj;
	obj_ref(&q->ntf->o);
	q->bits = bits;
	lines[line] = q;
	arch_ioapic_route(line, VecIrq0 + line);
	arch_ioapic_mask(line, 0);
	return handle_install(t, &q->o, 0, RAll);
}

kerr sys_irqack(u64 h, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Handle *hd;
	kerr e;
	Irq *q;

	if ((e = handle_get(curthread()->task, h, ObjIrq, RCtl, &hd)) < 0)
		return e;
	q = (Irq *)hd->obj;
	q->masked = 0;
	arch_ioapic_mask(q->line, 0);
	return 0;
}

kerr sys_iocreate(u64 h, u64 base, u64 count, u64 a3, u64 a4, u64 a5)
{
	Task *t = curthread()->task;
	Handle *hd;
	IoPorts *p, *n;
	kerr e;

	if ((e = handle_get(t, h, ObjIoPorts, RDup, &hd)) < 0)
		return e;
	p = (IoPorts *)hd->obj;
	if (count == 0 || base < p->base || base >= p->base + p->count ||
	    count > p->base + p->count - base)
		return -ErrInval;
	if ((e = obj_new(NULL, ObjIoPorts, sizeof(IoPorts), (Obj **)&n)) < 0)
		return e;
	n->base = base;
	n->count = count;
	return handle_install(t, &n->o, 0, hd->rights);
}

kerr sys_ioenable(u64 h, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Task *t = curthread()->task;
	Handle *hd;
	IoPorts *p;
	kerr e;

	if ((e = handle_get(t, h, ObjIoPorts, RCtl, &hd)) < 0)
		return e;
	p = (IoPorts *)hd->obj;
	if (t->iobitmap == NULL) {
		if ((t->iobitmap = kalloc(8192)) == NULL)
			return -ErrNoMem;
		memset(t->iobitmap, 0xff, 8192);
	}
	for (u32 port = p->base; port < p->base + p->count; port++)
		t->iobitmap[port / 8] &= ~(1 << (port % 8));
	arch_iopb_forget(t);
	if (thiscpu()->as == t)
		arch_set_iopb(t);
	/* other cpus running this task reload it before they return to it */
	for (u32 i = 0; i < ncpu; i++)
		if (i != thiscpu()->id && (t->cpus & (1u << i))) {
			cpus[i].iopbreload = 1;
			arch_ipi(i, VecResched);
		}
	return 0;
}
