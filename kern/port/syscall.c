/* SPDX-License-Identifier: MIT */
/*
 * The system-call table and the calls that are too small for a file of
 * their own: debug console, information, handles, pools and object
 * creation, thread and task control.  IPC is in ipc.c and fastpath.c,
 * notifications in notify.c, memory in mem.c, drivers in irq.c.
 * Each call checks every argument before it changes anything.
 */
#include "kern.h"

#define SYS(name) kerr name(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)

static SYS(sys_null)
{
	return 0;
}

static SYS(sys_debugput)
{
	char buf[128];
	u64 len = a1, done = 0;
	kerr e;

	if (len > (1ul << 20))
		return -ErrInval;
	while (done < len) {
		u64 n = len - done < sizeof buf ? len - done : sizeof buf;
		if ((e = copyin(buf, a0 + done, n)) < 0)
			return e;
		for (u64 i = 0; i < n; i++)
			arch_putc(buf[i]);
		done += n;
	}
	return len;
}

static SYS(sys_debugget)
{
	int c = arch_getc();
	return c < 0 ? -ErrAgain : c;
}

static SYS(sys_info)
{
	Cpu *c = thiscpu();
	Handle *hd;

	switch (a0) {
	case InfoFreePages: return frame_nfree();
	case InfoTotalPages: return frame_ntotal();
	case InfoNCpu: return ncpu;
	case InfoCpu: return c->id;
	case InfoKEntries: return c->kentries;
	case InfoSwitches: return c->switches;
	case InfoKObjects: return a1 == 0 ? (kerr)nkobj : a1 < NObj ? (kerr)nkobjtype[a1] : -ErrInval;
	case InfoPoolFree:
		if (handle_get(c->cur->task, a1, ObjPool, 0, &hd) < 0)
			return -ErrBadHandle;
		return (((Pool *)hd->obj)->limit - ((Pool *)hd->obj)->used) / PGSIZE;
	}
	return -ErrInval;
}

static SYS(sys_time)
{
	return time_ns() & ~(1ul << 63);
}

static SYS(sys_yield)
{
	Cpu *c = thiscpu();
	c->resched = 1;
	c->slow = 1;
	return 0;
}

static SYS(sys_close)
{
	Task *t = curthread()->task;
	Handle *hd;
	kerr e = handle_get(t, a0, 0, 0, &hd);

	if (e < 0)
		return e;
	handle_clear(t, hd);
	return 0;
}

/* A copy with rights narrowed (and, for mint, a badge). */
static kerr dup(u64 h, u64 badge, u64 rights, int mint)
{
	Task *t = curthread()->task;
	Handle *hd;
	kerr e = handle_get(t, h, 0, RDup, &hd);

	if (e < 0)
		return e;
	if (mint) {
		int ty = hd->obj->type;
		if ((ty != ObjEndpoint && ty != ObjNotification) || hd->badge)
			return -ErrInval;
		if (badge == 0 || badge >> 56)
			return -ErrInval;
	} else
		badge = hd->badge;
	obj_ref(hd->obj);
	return handle_install(t, hd->obj, badge, hd->rights & rights);
}

static SYS(sys_dup)
{
	return dup(a0, 0, a1, 0);
}

static SYS(sys_mint)
{
	return dup(a0, a1, a2, 1);
}

static SYS(sys_handleinfo)
{
	Handle *hd;
	kerr e = handle_get(curthread()->task, a0, 0, 0, &hd);

	return e < 0 ? e : (kerr)(hd->obj->type | hd->rights << 8 | (u64)hd->obj->dead << 16);
}

/* Put a copy of (or move) handle h into task a0. */
static SYS(sys_handlegive)
{
	Task *t = curthread()->task, *dst;
	Handle *ht, *hd;
	kerr e;

	if ((e = handle_get(t, a0, ObjTask, RCtl, &ht)) < 0 || (e = handle_get(t, a1, 0, RDup, &hd)) < 0)
		return e;
	dst = (Task *)ht->obj;
	if (dst->o.dead)
		return -ErrGone;
	obj_ref(hd->obj);
	e = handle_install(dst, hd->obj, hd->badge, hd->rights & a2);
	if (e >= 0 && a3)
		handle_clear(t, hd);
	return e;
}

static SYS(sys_poolcreate)
{
	Task *t = curthread()->task;
	Handle *hd;
	Pool *p, *parent;
	kerr e;

	if ((e = handle_get(t, a0, ObjPool, RCtl, &hd)) < 0)
		return e;
	parent = (Pool *)hd->obj;
	if (a1 == 0 || a1 > (1ul << 30))
		return -ErrInval;
	if ((e = obj_new(parent, ObjPool, sizeof(Pool), (Obj **)&p)) < 0)
		return e;
	p->limit = a1 * PGSIZE;
	return handle_install(t, &p->o, 0, hd->rights); /* no more than the parent's handle */
}

static SYS(sys_objcreate)
{
	Task *t = curthread()->task, *nt;
	Handle *hd;
	Obj *o;
	kerr e;
	static const u32 size[NObj] = { [ObjEndpoint] = sizeof(Endpoint), [ObjNotification] = sizeof(Ntf) };

	if ((e = handle_get(t, a0, ObjPool, RCtl, &hd)) < 0)
		return e;
	switch (a1) {
	case ObjTask:
		if ((e = task_new((Pool *)hd->obj, &nt)) < 0)
			return e;
		o = &nt->o;
		break;
	case ObjEndpoint:
	case ObjNotification:
		if ((e = obj_new((Pool *)hd->obj, a1, size[a1], &o)) < 0)
			return e;
		break;
	default:
		return -ErrInval;
	}
	return handle_install(t, o, 0, RAll);
}

static SYS(sys_threadcreate)
{
	Task *t = curthread()->task;
	Handle *hp, *ht;
	Thread *th;
	kerr e;

	if ((e = handle_get(t, a0, ObjPool, RCtl, &hp)) < 0 ||
	    (e = handle_get(t, a1, ObjTask, RCtl, &ht)) < 0)
		return e;
	if ((e = thread_new((Pool *)hp->obj, (Task *)ht->obj, &th)) < 0)
		return e;
	return handle_install(t, &th->o, 0, RAll);
}

static kerr getthread(u64 h, Thread **out)
{
	Handle *hd;
	kerr e = handle_get(curthread()->task, h, ObjThread, RCtl, &hd);

	if (e < 0)
		return e;
	*out = OBJTHREAD(hd->obj);
	return (*out)->state == TDead ? -ErrGone : 0;
}

static SYS(sys_threadstart)
{
	Thread *th;
	kerr e;

	if ((e = getthread(a0, &th)) < 0)
		return e;
	if (th->state != TInactive)
		return -ErrBusy;
	if (!arch_canonical(a1) || !arch_canonical(a2))
		return -ErrInval;
	arch_thread_init(th, a1, a2, a3);
	obj_ref(&th->o); /* alive */
	th->task->started = 1;
	sched_ready(th);
	return 0;
}

/* An endpoint for faults: a handle with RSend; its badge goes with it. */
static kerr setep(Endpoint **slot, u64 *badge, u64 h)
{
	Handle *hd;
	kerr e;

	if (h && (e = handle_get(curthread()->task, h, ObjEndpoint, RSend, &hd)) < 0)
		return e;
	if (*slot)
		obj_unref(&(*slot)->o);
	*slot = NULL;
	if (h) {
		*slot = (Endpoint *)hd->obj;
		*badge = hd->badge;
		obj_ref(&hd->obj[0]);
	}
	return 0;
}

static kerr bindntf(Thread *th, u64 h)
{
	Handle *hd;
	Ntf *n;
	kerr e;

	if (h && (e = handle_get(curthread()->task, h, ObjNotification, RRecv, &hd)) < 0)
		return e;
	if (h && ((Ntf *)hd->obj)->boundto && ((Ntf *)hd->obj)->boundto != th)
		return -ErrBusy;
	if (th->bound) {
		th->bound->boundto = NULL;
		obj_unref(&th->bound->o);
		th->bound = NULL;
	}
	if (h) {
		n = (Ntf *)hd->obj;
		obj_ref(&n->o);
		n->boundto = th;
		th->bound = n;
	}
	return 0;
}

static SYS(sys_threadset)
{
	Thread *th, *me = curthread();
	kerr e;

	if ((e = getthread(a0, &th)) < 0)
		return e;
	switch (a1) {
	case ThrPager: return setep(&th->pager, &th->pagerbadge, a2);
	case ThrExcHandler: return setep(&th->exch, &th->exchbadge, a2);
	case ThrIpcBuf: return thread_set_ipcbuf(th, a2);
	case ThrBindNtf: return bindntf(th, a2);
	case ThrFsBase:
		if (!arch_canonical(a2))
			return -ErrInval;
		th->fsbase = a2;
		if (th == me) {
			arch_set_fsbase(a2);
			thiscpu()->fsbase = a2;
		} else if (th->oncpu) { /* running elsewhere: exit_prepare loads it */
			arch_ipi(th->oncpu - 1, VecResched);
		}
		return 0;
	case ThrPriority:
		if (a2 >= MuMaxPrio || a2 > me->prio)
			return -ErrInval;
		if (th->state == TReady && !th->oncpu) {
			sched_remove(th);
			th->prio = a2;
			sched_ready(th);
		} else
			th->prio = a2;
		if (th == me) {
			thiscpu()->resched = 1;
			thiscpu()->slow = 1;
		}
		return 0;
	case ThrCpu:
		if (a2 >= ncpu)
			return -ErrInval;
		if (th->state == TReady && !th->oncpu) {
			sched_remove(th);
			th->cpu = a2;
			sched_ready(th);
		} else
			th->cpu = a2;
		if (th->oncpu) {
			Cpu *c = &cpus[th->oncpu - 1];
			c->resched = 1;
			if (c == thiscpu())
				c->slow = 1;
			else
				arch_ipi(c->id, VecResched);
		}
		return 0;
	}
	return -ErrInval;
}

static SYS(sys_threadexit)
{
	thread_kill(curthread());
	return 0;
}

/* End the thread's current blocking wait (send, receive, reply, wait);
 * a thread stopped by a fault runs the instruction again. */
static SYS(sys_threadcancel)
{
	Thread *th;
	kerr e;

	if ((e = getthread(a0, &th)) < 0)
		return e;
	thread_unblock(th, -ErrGone);
	return 0;
}

/* Read or write the registers of a thread that is not running. */
static SYS(sys_threadregs)
{
	Thread *th;
	MuRegs r;
	kerr e;

	if ((e = getthread(a0, &th)) < 0)
		return e;
	if (th->oncpu || th->state == TReady)
		return -ErrBusy;
	if (a2) {
		if ((e = copyin(&r, a1, sizeof r)) < 0)
			return e;
		if (!arch_canonical(r.rip) || !arch_canonical(r.rsp) || !arch_canonical(r.fsbase))
			return -ErrInval;
		memcpy(&th->regs, &r, 18 * sizeof(u64));
		th->regs.rflags = (r.rflags & 0xcd5) | 0x202; /* arithmetic flags only */
		th->fsbase = r.fsbase;
		th->regs.full = 1;
		return 0;
	}
	memcpy(&r, &th->regs, 18 * sizeof(u64));
	r.fsbase = th->fsbase;
	return copyout(a1, &r, sizeof r);
}

static SYS(sys_taskkill)
{
	Handle *hd;
	kerr e = handle_get(curthread()->task, a0, ObjTask, RCtl, &hd);

	if (e < 0)
		return e;
	task_destroy((Task *)hd->obj);
	return 0;
}

/* Add a death notification (several watchers may each add one). */
static SYS(sys_taskset)
{
	Task *t = curthread()->task;
	Handle *ht, *hn;
	Task *k;
	Ntf *n;
	kerr e;

	if ((e = handle_get(t, a0, ObjTask, RCtl, &ht)) < 0)
		return e;
	k = (Task *)ht->obj;
	if (a1 != TaskDeathNtf)
		return -ErrInval;
	if ((e = handle_get(t, a2, ObjNotification, RSend, &hn)) < 0)
		return e;
	if (a3 == 0 || a3 >> 63)
		return -ErrInval;
	if (k->o.dead)
		return -ErrGone;
	n = (Ntf *)hn->obj;
	for (size_t i = 0; i < nelem(k->death); i++)
		if (k->death[i].ntf == n) {
			k->death[i].bits = a3;
			return 0;
		}
	for (size_t i = 0; i < nelem(k->death); i++)
		if (k->death[i].ntf == NULL) {
			obj_ref(&n->o);
			k->death[i].ntf = n;
			k->death[i].bits = a3;
			return 0;
		}
	return -ErrNoSpace;
}

kerr (*const systab[NSys])(u64, u64, u64, u64, u64, u64) = {
	[SysNull] = sys_null,
	[SysDebugPut] = sys_debugput,
	[SysDebugGet] = sys_debugget,
	[SysInfo] = sys_info,
	[SysTime] = sys_time,
	[SysYield] = sys_yield,
	[SysClose] = sys_close,
	[SysDup] = sys_dup,
	[SysMint] = sys_mint,
	[SysHandleInfo] = sys_handleinfo,
	[SysHandleGive] = sys_handlegive,
	[SysPoolCreate] = sys_poolcreate,
	[SysObjCreate] = sys_objcreate,
	[SysThreadCreate] = sys_threadcreate,
	[SysThreadStart] = sys_threadstart,
	[SysThreadSet] = sys_threadset,
	[SysThreadExit] = sys_threadexit,
	[SysThreadRegs] = sys_threadregs,
	[SysTaskKill] = sys_taskkill,
	[SysTaskSet] = sys_taskset,
	[SysSend] = sys_send,
	[SysRecv] = sys_recv,
	[SysCall] = sys_call_fast,
	[SysReply] = sys_reply,
	[SysReplyRecv] = sys_replyrecv_fast,
	[SysForward] = sys_forward,
	[SysForwardRecv] = sys_forwardrecv_fast,
	[SysReplySave] = sys_replysave,
	[SysReplyTo] = sys_replyto,
	[SysSignal] = sys_signal,
	[SysWait] = sys_wait,
	[SysMemAlloc] = sys_memalloc,
	[SysMemPhys] = sys_memphys,
	[SysMemInfo] = sys_meminfo,
	[SysMap] = sys_map,
	[SysUnmap] = sys_unmap,
	[SysProtect] = sys_protect,
	[SysIrqCreate] = sys_irqcreate,
	[SysIrqAck] = sys_irqack,
	[SysIoCreate] = sys_iocreate,
	[SysIoEnable] = sys_ioenable,
	[SysThreadCancel] = sys_threadcancel,
};
