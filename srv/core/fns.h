/* SPDX-License-Identifier: MIT */
/* core's functions, by file. */
#ifndef CORE_FNS_H
#define CORE_FNS_H

/* lock.c */
Clerk *clerkof(void);
void setclerk(Clerk *c);
void clerkintr(Clerk *c);
void clerkcancel(Clerk *c, void *ipc); /* end c's wait in IPC channel ipc (NULL: any) */
void clerkscancel(void *ipc);          /* ... for every clerk (main.c) */
void sysclerkscancel(void *ipc);       /* ... for the threads that are no clerks (lock.c) */
void ipcsrvgone(Proc *p);              /* p's task is gone: its IPC channels are dead (devmnt.c) */
int qlockintr(QLock *q);     /* -1 "interrupted" if a note comes first */

/* chan.c */
Chan *newchan(void);
/* Reference counts: decref returns what is left. */
static inline void incref(long *r) { __atomic_add_fetch(r, 1, __ATOMIC_RELAXED); }
static inline long decref(long *r) { return __atomic_sub_fetch(r, 1, __ATOMIC_ACQ_REL); }
void cclose(Chan *c);
Chan *cclone(Chan *c);
void setpath(Chan *c, const char *path);
void sharepath(Chan *to, Chan *from);
char *pathref(char *p);
void pathput(char *p);
int eqchan(Chan *a, Chan *b);
int fullpath(const char *name, char *buf);
enum { Aaccess, Aopen, Acreate, Aremove };
Chan *namec(const char *name, int amode, int omode, ulong perm);
Chan *copen(Chan *c, int omode);
long unionread(Chan *c, void *buf, long n);
void dirfix(Chan *c, uchar *buf, long n);  /* stat records get c's letter and dev */

/* mount.c */
void putmhead(Mhead *mh);
Chan *domount(Chan *c);
int cmount(Chan *new, Chan *old, int flag, const char *spec, const char *src, int ismount);
int cunmount(Chan *old, Chan *new);
Pgrp *newpgrp(void);
Pgrp *pgrpcopy(Pgrp *from);
void closepgrp(Pgrp *pg);
char *nstext(Pgrp *pg);

/* fd.c: file descriptor tables */
Fgrp *newfgrp(void);
Fgrp *fgrpcopy(Fgrp *f);
void closefgrp(Fgrp *f);
int newfd(Chan *c);          /* lowest free fd in up's table, -1 if full */
Chan *fdtochan(int fd, int mode, int iochk);  /* a new reference; NULL + werrstr */
void fdclose(int fd);

/* env.c */
Egrp *newegrp(void);
Egrp *egrpcopy(Egrp *e);
void closeegrp(Egrp *e);

/* proc.c */
Proc *procbypid(int pid);
int procnote(Proc *p, int dolock, const char *note, int flag);  /* flag: NUser, NExit */
enum { NUser, NExit };
void pexit(Proc *p, const char *status);  /* end p (not the caller's thread) */
int procstart(const char *path, char **argv, int argc);  /* the first process: init */
const char *procstate(Proc *p);
Proc *procbybadge(MuWord badge);
int procexec(Proc *p, const char *name, const char *args, long alen, int argc);
int procfork(Proc *p, int flags, MuWord ctx, MuWord fsbase, MuWord entry);
int procrfork(Proc *p, int flags);
int procawait(Proc *p, char *buf, int n);
int postnotegroup(int noteid, const char *note);

/*
 * Clerk c (a system call's, or the fault thread's) has done its work
 * for p, which it claimed: let go of p.  -1 if p is no longer c's (an
 * exec gave it to another clerk); 1 if p was killed meanwhile and c has
 * ended it; else 0, with *notes set if notes wait.  Inline: it is on
 * every system call's path.
 */
static inline int
procletgo(Proc *p, Clerk *c, int *notes)
{
	lock(&proclock);
	lock(&p->notelock);
	if (p->clerk != c) {
		unlock(&p->notelock);
		unlock(&proclock);
		c->proc = NULL;
		return -1;
	}
	p->clerk = NULL;
	int killed = p->killed;
	*notes = p->nnote > 0;
	if (killed)
		p->state = Pexit; /* this clerk ends it: procnote must not too */
	unlock(&p->notelock);
	unlock(&proclock);
	c->proc = NULL;
	if (!killed)
		return 0;
	pexit(p, killed == 2 ? p->exitmsg : "killed");
	return 1;
}
void faultloop(void *arg);
int syscall(Proc *p, MuMsg *m);
long procmemkb(Proc *p);

/* devmnt.c */
Chan *mntattach(Chan *srv, const char *spec);  /* the root of the server behind srv */
Chan *ipcsrvchan(Proc *p, long *ephandle, MuWord *va);  /* SysIpcSrv */

/* devtab.c */
Dev *devbychar(int dc);
int devno(Dev *d);
void devinit(void);

#endif
