/* SPDX-License-Identifier: MIT */
/* Every system call's entry function, as syscall.c's table names them. */
#ifndef SYS_H
#define SYS_H

#define SYS(name) kerr name(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
SYS(sys_send); SYS(sys_recv); SYS(sys_reply); SYS(sys_forward); SYS(sys_forwardrecv);
SYS(sys_replysave); SYS(sys_replyto); SYS(sys_signal); SYS(sys_wait);
SYS(sys_call_fast); SYS(sys_call_slow); SYS(sys_replyrecv_fast); SYS(sys_replyrecv_slow);
SYS(sys_forwardrecv_fast);
SYS(sys_memalloc); SYS(sys_memphys); SYS(sys_meminfo); SYS(sys_map); SYS(sys_unmap);
SYS(sys_protect);
SYS(sys_irqcreate); SYS(sys_irqack); SYS(sys_iocreate); SYS(sys_ioenable);

#endif
