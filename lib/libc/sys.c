/* SPDX-License-Identifier: MIT */
/*
 * The Plan 9 system calls of libc.h for programs under core: each is one
 * IPC call to core (abi/core/sys.h) with names and data passed through
 * the system-call buffer shared with core at CoreBufVa.  Also the error
 * string (per thread: core's clerks keep their own), notes, and wait.
 */
#include "libc.h"
#include "mu.h"
#include "abi/core/sys.h"

#define BUF ((uchar *)CoreBufVa)
#define DATA (BUF + CoreBufData)

enum { TlsErr = 4 };  /* MuTls.user slot: this thread's error buffer, if any */

static char errbuf0[ERRMAX];

static char *
errbuf(void)
{
	char *b = (char *)mu_tls()->user[TlsErr];
	return b ? b : errbuf0;
}

void
werrstr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprint(errbuf(), ERRMAX, fmt, ap);
	va_end(ap);
}

int
errstr(char *buf, uint n)
{
	char tmp[ERRMAX], *e = errbuf();

	if (n == 0)
		return 0;
	strlcpy(tmp, e, sizeof tmp);
	strlcpy(e, buf, ERRMAX);
	strlcpy(buf, tmp, n);
	return 0;
}

void
rerrstr(char *buf, uint n)
{
	if (n > 0)
		strlcpy(buf, errbuf(), n);
}

/* ------------------------------------------------------------------ */
/* notes */

enum { NHandler = 8 };
static int (*handlers[NHandler])(void *, char *);
static void (*notefn)(void *, char *);
static int innote;

static long call(int n, MuWord a0, MuWord a1, MuWord a2, MuWord a3, MuWord *r2, MuWord *r3);

/* Notes are pending: hand each to the handlers, or die of it. */
static void
donotes(void)
{
	char note[ERRMAX], err[ERRMAX];

	if (innote)
		return;
	innote = 1;
	rerrstr(err, sizeof err);
	while (call(CoreNoteget, 0, 0, 0, 0, NULL, NULL) > 0) {
		int handled = 0;
		strlcpy(note, (char *)DATA, sizeof note);
		for (int i = 0; i < NHandler && !handled; i++)
			if (handlers[i] && handlers[i](NULL, note))
				handled = 1;
		if (!handled && notefn) {
			notefn(NULL, note);
			handled = 1;
		}
		if (!handled)
			exits(note);
	}
	werrstr("%s", err);
	innote = 0;
}

static long
call(int n, MuWord a0, MuWord a1, MuWord a2, MuWord a3, MuWord *r2, MuWord *r3)
{
	MuMsg m;
	long r;

	m.tag = TAG(n, 4, 0);
	m.mr[0] = a0;
	m.mr[1] = a1;
	m.mr[2] = a2;
	m.mr[3] = a3;
	if (mu_call(mu_parent, &m) < 0) {
		werrstr("core does not answer");
		return -1;
	}
	r = (long)m.mr[0];
	if (r == -1)
		strlcpy(errbuf(), (char *)BUF + CoreBufErr, ERRMAX);
	if (r2)
		*r2 = m.mr[2];
	if (r3)
		*r3 = m.mr[3];
	if (m.mr[1] & CoreRNote)
		donotes();
	return r;
}

#define call0(n) call(n, 0, 0, 0, 0, NULL, NULL)
#define call1(n, a) call(n, a, 0, 0, 0, NULL, NULL)
#define call2(n, a, b) call(n, a, b, 0, 0, NULL, NULL)
#define call3(n, a, b, c) call(n, a, b, c, 0, NULL, NULL)

/* Put a name into the buffer; -1 if it is too long. */
static int
name(int off, const char *s)
{
	size_t n = strlen(s);

	if (n > CoreNameMax) {
		werrstr("file name too long");
		return -1;
	}
	memcpy(BUF + off, s, n + 1);
	return 0;
}

int
notify(void (*fn)(void *, char *))
{
	notefn = fn;
	return call1(CoreNotify, fn != NULL || handlers[0] != NULL);
}

int
noted(int v)
{
	if (v == NDFLT)
		exits("noted");
	return 0;
}

int
atnotify(int (*fn)(void *, char *), int in)
{
	for (int i = 0; i < NHandler; i++) {
		if (in && handlers[i] == NULL) {
			handlers[i] = fn;
			return call1(CoreNotify, 1) < 0 ? 0 : 1;
		}
		if (!in && handlers[i] == fn) {
			handlers[i] = NULL;
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* files */

int
open(const char *file, int mode)
{
	if (name(CoreBufName, file) < 0)
		return -1;
	return call1(CoreOpen, mode);
}

int
create(const char *file, int mode, ulong perm)
{
	if (name(CoreBufName, file) < 0)
		return -1;
	return call2(CoreCreate, mode, perm);
}

long
pread(int fd, void *buf, long n, vlong off)
{
	long r;

	if (n < 0) {
		werrstr("negative read count");
		return -1;
	}
	if (n > IOUNIT)
		n = IOUNIT;
	r = call3(CorePread, fd, n, off);
	if (r > 0)
		memcpy(buf, DATA, r);
	return r;
}

long
read(int fd, void *buf, long n)
{
	return pread(fd, buf, n, -1);
}

long
pwrite(int fd, const void *buf, long n, vlong off)
{
	long done = 0, r;

	if (n < 0) {
		werrstr("negative write count");
		return -1;
	}
	do {
		long k = n - done > IOUNIT ? IOUNIT : n - done;
		memcpy(DATA, (const char *)buf + done, k);
		r = call3(CorePwrite, fd, k, off == -1 ? (vlong)-1 : off + done);
		if (r < 0)
			return done ? done : -1;
		done += r;
		if (r < k)
			break;
	} while (done < n);
	return done;
}

long
write(int fd, const void *buf, long n)
{
	return pwrite(fd, buf, n, -1);
}

vlong
seek(int fd, vlong off, int whence)
{
	return call3(CoreSeek, fd, off, whence);
}

int
close(int fd)
{
	return call1(CoreClose, fd);
}

int
dup(int oldfd, int newfd)
{
	return call2(CoreDup, oldfd, newfd);
}

int
pipe(int fd[2])
{
	MuWord a, b;

	if (call(CorePipe, 0, 0, 0, 0, &a, &b) < 0)
		return -1;
	fd[0] = a;
	fd[1] = b;
	return 0;
}

static int
statresult(long r, uchar *buf, int n)
{
	if (r < 0)
		return -1;
	if (r > n) { /* only the size fits: Plan 9 returns the size field */
		if (n >= 2)
			memcpy(buf, DATA, 2);
		return n >= 2 ? 2 : -1;
	}
	memcpy(buf, DATA, r);
	return r;
}

int
stat(const char *file, uchar *buf, int n)
{
	if (name(CoreBufName, file) < 0)
		return -1;
	return statresult(call1(CoreStat, CoreBufDataMax), buf, n);
}

int
fstat(int fd, uchar *buf, int n)
{
	return statresult(call2(CoreFstat, fd, CoreBufDataMax), buf, n);
}

int
wstat(const char *file, const uchar *buf, int n)
{
	if (n < 0 || n > CoreBufDataMax || name(CoreBufName, file) < 0) {
		werrstr("bad stat record");
		return -1;
	}
	memcpy(DATA, buf, n);
	return call1(CoreWstat, n);
}

int
fwstat(int fd, const uchar *buf, int n)
{
	if (n < 0 || n > CoreBufDataMax) {
		werrstr("bad stat record");
		return -1;
	}
	memcpy(DATA, buf, n);
	return call2(CoreFwstat, fd, n);
}

int
remove(const char *file)
{
	if (name(CoreBufName, file) < 0)
		return -1;
	return call0(CoreRemove);
}

int
chdir(const char *dir)
{
	if (name(CoreBufName, dir) < 0)
		return -1;
	return call0(CoreChdir);
}

int
fd2path(int fd, char *buf, int n)
{
	long r = call1(CoreFd2path, fd);

	if (r < 0)
		return -1;
	if (n > 0)
		strlcpy(buf, (char *)DATA, n);
	return 0;
}

int
access(const char *file, int mode)
{
	Dir *d = dirstat(file);
	int ok;

	if (d == NULL)
		return -1;
	ok = mode == AEXIST || (d->mode & mode & 7) == (ulong)(mode & 7) ||
	     (d->mode >> 6 & mode & 7) == (ulong)(mode & 7);
	free(d);
	if (!ok) {
		werrstr("permission denied");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* namespaces */

int
bind(const char *new, const char *old, int flag)
{
	if (name(CoreBufName, new) < 0 || name(CoreBufName2, old) < 0)
		return -1;
	return call1(CoreBind, flag);
}

int
mount(int fd, int afd, const char *old, int flag, const char *aname)
{
	if (name(CoreBufName, aname ? aname : "") < 0 || name(CoreBufName2, old) < 0)
		return -1;
	return call3(CoreMount, fd, afd, flag);
}

int
unmount(const char *new, const char *old)
{
	if ((new && name(CoreBufName, new) < 0) || name(CoreBufName2, old) < 0)
		return -1;
	return call1(CoreUnmount, new != NULL);
}

/* ------------------------------------------------------------------ */
/* processes */

/*
 * rfork(RFPROC): the child starts in _forkresume with its copy of the
 * context saved here by _forksave, and returns 0 from rfork.
 */
typedef struct Forkctx {
	MuWord rbx, rbp, r12, r13, r14, r15, rsp, rip;
} Forkctx;
long _forksave(Forkctx *c);
void _forkresume(Forkctx *c);
__asm__(".text\n"
	".globl _forksave\n"
	"_forksave:\n"
	"	movq %rbx, 0(%rdi)\n"
	"	movq %rbp, 8(%rdi)\n"
	"	movq %r12, 16(%rdi)\n"
	"	movq %r13, 24(%rdi)\n"
	"	movq %r14, 32(%rdi)\n"
	"	movq %r15, 40(%rdi)\n"
	"	leaq 8(%rsp), %rax\n"
	"	movq %rax, 48(%rdi)\n"
	"	movq (%rsp), %rax\n"
	"	movq %rax, 56(%rdi)\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	".globl _forkresume\n"
	"_forkresume:\n"
	"	movq 0(%rdi), %rbx\n"
	"	movq 8(%rdi), %rbp\n"
	"	movq 16(%rdi), %r12\n"
	"	movq 24(%rdi), %r13\n"
	"	movq 32(%rdi), %r14\n"
	"	movq 40(%rdi), %r15\n"
	"	movq 48(%rdi), %rsp\n"
	"	movl $1, %eax\n"
	"	jmpq *56(%rdi)\n");

int
rfork(int flags)
{
	Forkctx ctx;

	if (!(flags & RFPROC))
		return call1(CoreRfork, flags);
	if (_forksave(&ctx))
		return 0; /* the child */
	return call(CoreRfork, flags, (MuWord)&ctx, (MuWord)mu_tls(), (MuWord)_forkresume, NULL, NULL);
}

int
fork(void)
{
	return rfork(RFFDG | RFREND | RFPROC);
}

int
exec(const char *file, char *const argv[])
{
	long len = 0;
	int argc = 0;

	if (name(CoreBufName, file) < 0)
		return -1;
	for (; argv[argc]; argc++) {
		size_t n = strlen(argv[argc]) + 1;
		if (len + (long)n > CoreBufDataMax - 8 * (argc + 2)) {
			werrstr("argument list too long");
			return -1;
		}
		memcpy(DATA + len, argv[argc], n);
		len += n;
	}
	if (argc == 0) {
		werrstr("exec: no arguments");
		return -1;
	}
	return call2(CoreExec, argc, len);
}

_Noreturn void
_exits(const char *status)
{
	exits(status);
}

int
await(char *buf, int n)
{
	long r = call1(CoreAwait, n);

	if (r < 0)
		return -1;
	if (n > 0) {
		long k = r < n - 1 ? r : n - 1;
		memcpy(buf, DATA, k);
		buf[k] = 0;
	}
	return r;
}

/* Parse "pid user sys real 'msg'" (await's format). */
Waitmsg *
wait(void)
{
	char buf[ERRMAX + 64], *p, *q;
	Waitmsg *w;
	long len;

	if ((len = await(buf, sizeof buf)) < 0)
		return NULL;
	if ((w = malloc(sizeof *w + len + 1)) == NULL)
		return NULL;
	p = buf;
	w->pid = strtol(p, &p, 10);
	for (int i = 0; i < 3; i++)
		w->time[i] = strtoul(p, &p, 10);
	while (*p == ' ')
		p++;
	w->msg = (char *)(w + 1);
	q = w->msg;
	if (*p == '\'') {
		for (p++; *p; p++) {
			if (*p == '\'') {
				if (p[1] != '\'')
					break;
				p++;
			}
			*q++ = *p;
		}
	}
	*q = 0;
	return w;
}

int
waitpid(void)
{
	Waitmsg *w = wait();
	int pid;

	if (w == NULL)
		return -1;
	pid = w->pid;
	free(w);
	return pid;
}

int
getpid(void)
{
	return call0(CoreGetpid);
}

int
getppid(void)
{
	MuWord pp;

	if (call(CoreGetpid, 0, 0, 0, 0, &pp, NULL) < 0)
		return -1;
	return pp;
}

int
sleep(long ms)
{
	return call1(CoreSleep, ms);
}

/* In core itself (not a process of core) the clock is core's own. */
vlong bootepoch(void) __attribute__((weak));

/* A program asks core once for the wall clock at boot (it never changes)
 * and from then on adds the kernel's clock, without a trip through core. */
vlong
nsec(void)
{
	static vlong epoch = -1;
	MuWord e;

	if (!mu_incore())
		return (bootepoch ? bootepoch() * 1000000000LL : 0) + (vlong)mu_nsec();
	if (epoch < 0) {
		long ns = call(CoreNsec, 0, 0, 0, 0, &e, NULL);
		epoch = (vlong)e;
		return ns;
	}
	return epoch * 1000000000LL + (vlong)mu_nsec();
}

long
time(long *tp)
{
	long t = nsec() / 1000000000;

	if (tp)
		*tp = t;
	return t;
}

int
postnote(int group, int pid, const char *note)
{
	strlcpy((char *)DATA, note, ERRMAX);
	return call2(CorePostnote, group, pid);
}

/* A server's IPC channel: the client fd; *ep and *region for serving it. */
int
ipcsrv(long *ep, void **region)
{
	MuWord e, va;
	long fd = call(CoreIpcsrv, 0, 0, 0, 0, &e, &va);

	if (fd < 0)
		return -1;
	*ep = e;
	*region = (void *)va;
	return fd;
}

/* ------------------------------------------------------------------ */
/* environment: the files of /env */

char *
getenv(const char *var)
{
	char path[NAMELEN + 8];
	int fd;
	long n;
	char *s;

	snprint(path, sizeof path, "/env/%s", var);
	if ((fd = open(path, OREAD)) < 0)
		return NULL;
	Dir *d = dirfstat(fd);
	long len = d ? d->length : 0;
	free(d);
	if ((s = malloc(len + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	n = readn(fd, s, len);
	close(fd);
	if (n < 0) {
		free(s);
		return NULL;
	}
	s[n] = 0;
	return s;
}

int
putenv(const char *var, const char *val)
{
	char path[NAMELEN + 8];
	int fd;
	long n = strlen(val);

	snprint(path, sizeof path, "/env/%s", var);
	if ((fd = create(path, OWRITE, 0664)) < 0)
		return -1;
	if (write(fd, val, n) != n) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
