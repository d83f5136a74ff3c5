/* SPDX-License-Identifier: MIT */
/*
 * Never linked: compiled to assembly so the Makefile can pull out the
 * structure offsets and constants entry.S needs (build/asmoffs.h), so the
 * hand-written fast path cannot drift from the C structures.
 */
#include "port/kern.h"
#include "amd64/amd64.h"

#define DEF(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %c0\"" ::"i"((long)(val)))

void asmoffs(void);
void asmoffs(void)
{
	DEF(T_TASK, offsetof(Thread, task));
	DEF(T_STATE, offsetof(Thread, state));
	DEF(T_PRIO, offsetof(Thread, prio));
	DEF(T_CPU, offsetof(Thread, cpu));
	DEF(T_SENDKIND, offsetof(Thread, sendkind));
	DEF(T_FPU, offsetof(Thread, fpu_used));
	DEF(T_ONCPU, offsetof(Thread, oncpu));
	DEF(T_QNEXT, offsetof(Thread, qnext));
	DEF(T_QPREV, offsetof(Thread, qprev));
	DEF(T_WAITON, offsetof(Thread, waiton));
	DEF(T_DEADLINE, offsetof(Thread, deadline));
	DEF(T_CALLER, offsetof(Thread, caller));
	DEF(T_REPLYHOLDER, offsetof(Thread, replyholder));
	DEF(T_BOUND, offsetof(Thread, bound));
	DEF(T_FSBASE, offsetof(Thread, fsbase));
	DEF(TK_HANDLES, offsetof(Task, handles));
	DEF(TK_CR3, offsetof(Task, cr3));
	DEF(TK_STALE, offsetof(Task, stale));
	DEF(TK_CPUS, offsetof(Task, cpus));
	DEF(TK_IOBITMAP, offsetof(Task, iobitmap));
	DEF(O_DEAD, offsetof(Obj, dead));
	DEF(O_REF, offsetof(Obj, ref));
	DEF(EP_STATE, offsetof(Endpoint, state));
	DEF(EP_HEAD, offsetof(Endpoint, head));
	DEF(EP_TAIL, offsetof(Endpoint, tail));
	DEF(N_BITS, offsetof(Ntf, bits));
	DEF(CPU_ID, offsetof(Cpu, id));
	DEF(CPU_AS, offsetof(Cpu, as));
	DEF(CPU_IOPB, offsetof(Cpu, iopb));
	DEF(CPU_IOPBTASK, offsetof(Cpu, iopbtask));
	DEF(CPU_IOMAP, offsetof(Cpu, iomap));
	DEF(IOMAP_ON, TSS_IOMAP_ON);
	DEF(CPU_FSBASE, offsetof(Cpu, fsbase));
	DEF(OBJ_ENDPOINT, ObjEndpoint);
	DEF(EP_IDLE, EpIdle);
	DEF(EP_SEND, EpSend);
	DEF(EP_RECV, EpRecv);
	DEF(TS_READY, TReady);
	DEF(TS_RECV, TRecv);
	DEF(TS_REPLY, TReply);
	DEF(SEND_CALL, SendCall);
	DEF(R_SEND, RSend);
	DEF(R_RECV, RRecv);
	DEF(MAXHANDLES, MuMaxHandles);
	DEF(SYS_CALL, SysCall);
	DEF(TAG_TIMEOUT_BIT, __builtin_ctzl(TAG_TIMEOUT));
	DEF(SYS_REPLYRECV, SysReplyRecv);
	DEF(SYS_FORWARDRECV, SysForwardRecv);
	DEF(HANDLE_RIGHTS, 15); /* the byte of Handle.rights */
}
