/* SPDX-License-Identifier: MIT */
/*
 * The C side of interrupts and exceptions (entry.S has the stubs).  From
 * user mode the registers are saved in the thread, the event is handled
 * (fault message, device interrupt, timer tick) and we leave through
 * exit_prepare().  From kernel mode only interrupts of the idle loop are
 * expected; an exception there is a kernel bug.
 */
#include "port/kern.h"
#include "amd64/amd64.h"

static const char *const excname[32] = {
	"divide error", "debug", "nmi", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid tss", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check", "machine check",
	"simd error", "virtualization", "control protection",
};

static u64 rdcr2(void)
{
	u64 v;
	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* An interrupt, on any path: called with the kernel lock held. */
static void interrupt(u64 vec)
{
	Cpu *c = thiscpu();

	if (vec == VecTimer) {
		arch_eoi();
		sched_tick();
	} else if (vec == VecResched) {
		arch_eoi();
		c->resched = 1;
	} else if (vec >= VecIrq0 && vec < VecIrq0 + 24) {
		irq_fire(vec - VecIrq0);
		arch_eoi();
	} else if (vec != VecSpurious) {
		arch_eoi();
	}
}

void trap_user(TrapFrame *f)
{
	Cpu *c;
	Thread *t;

	arch_lock();
	c = thiscpu();
	t = c->cur;
	c->kentries++;
	memcpy(&t->regs, f, 15 * sizeof(u64));
	t->regs.rip = f->rip;
	t->regs.rflags = f->rflags;
	t->regs.rsp = f->rsp;
	t->regs.full = 1;
	if (t->o.dead) {
		/* killed while it ran: just leave it */
	} else if (f->vec == 7) {
		if (fpu_first_use(t) < 0)
			fault_user(t, f->vec, 0, 0);
	} else if (f->vec == 14) {
		fault_user(t, f->vec, f->err, rdcr2());
	} else if (f->vec < 32) {
		fault_user(t, f->vec, f->err, 0);
	} else {
		interrupt(f->vec);
	}
	exit_to_user(exit_prepare());
}

void trap_kernel(TrapFrame *f)
{
	Cpu *c;

	if (f->vec < 32) {
		kprintf("\nkernel %s (vector %lu) err %lx at rip %lx rsp %lx cr2 %lx\n",
			excname[f->vec] ? excname[f->vec] : "exception", f->vec, f->err, f->rip,
			f->rsp, rdcr2());
		kprintf("rax %lx rbx %lx rcx %lx rdx %lx rsi %lx rdi %lx\n", f->rax, f->rbx,
			f->rcx, f->rdx, f->rsi, f->rdi);
		panic("kernel trap");
	}
	/* Only the idle loop runs with interrupts on. */
	arch_lock();
	c = thiscpu();
	c->kentries++;
	interrupt(f->vec);
	if (c->cur == NULL && c->readymask) {
		exit_to_user(exit_prepare());
	}
	arch_unlock();
}
