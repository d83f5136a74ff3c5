/* SPDX-License-Identifier: MIT */
/*
 * The POSIX shim: libc.h's Plan 9 system calls on the Linux host, so
 * that rc, the commands and servers can be built and tested there
 * (-DHOSTP9; p9names.h renames the calls glibc also has to p9_*).  On
 * Musubi the same calls are IPC to core (lib/libc/sys.c).
 *
 * What differs from Musubi: no namespaces (bind, mount, unmount fail);
 * rfork's namespace and environment groups are ignored; notes are
 * signals; uid and gid are the host's names.  A directory read returns
 * stat records, as on Plan 9, so dirread works unchanged.  Exit status
 * strings reach a waiting shim parent through a file
 * /tmp/p9shim-status.PID (the exit code only says 0 or 1).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libc.h"

/* From here on the plain names are glibc's; ours are spelled p9_. */
#undef open
#undef read
#undef write
#undef pread
#undef pwrite
#undef close
#undef dup
#undef pipe
#undef remove
#undef chdir
#undef access
#undef stat
#undef fstat
#undef bind
#undef mount
#undef fork
#undef execl
#undef wait
#undef waitpid
#undef getpid
#undef getppid
#undef sleep
#undef time
#undef getenv
#undef putenv
#undef strdup
#undef strtoll
#undef qsort
#undef gmtime
#undef asctime
#undef ctime
#undef abort

enum { MaxFd = 1024 };

/* What the shim remembers about an fd besides what the host does. */
typedef struct Fdinfo {
	DIR *dir;      /* a directory being read as stat records */
	char *rclose;  /* ORCLOSE: remove this name on close */
	bool isdir;
} Fdinfo;

static Fdinfo fdinfo[MaxFd];
static char errbuf[ERRMAX];
static pid_t shimparent;  /* our parent if it is a shim program too, else 0 */

static const char shimenv[] = "P9SHIM_PARENT";

const char *__asan_default_options(void);
/* Programs exit without freeing, as Plan 9 programs do. */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}

/* ---- Errors ---- */

static const struct {
	int no;
	const char *msg;
} errs[] = {
	{ENOENT, "file does not exist"},
	{EACCES, "permission denied"},
	{EPERM, "permission denied"},
	{EEXIST, "file already exists"},
	{ENOTDIR, "not a directory"},
	{EISDIR, "is a directory"},
	{EINVAL, "bad arg in system call"},
	{EBUSY, "device or object already in use"},
	{ENOMEM, "out of memory"},
	{EIO, "i/o error"},
	{EBADF, "fd out of range or not open"},
	{EINTR, "interrupted"},
	{ENOTEMPTY, "directory not empty"},
	{ECHILD, "no living children"},
	{EPIPE, "write on closed pipe"},
	{ENAMETOOLONG, "file name too long"},
	{EMFILE, "no free file descriptors"},
	{ENFILE, "no free file descriptors"},
	{ENOEXEC, "exec header invalid"},
	{ESPIPE, "seek on a stream"},
	{ENOSPC, "file system full"},
	{EROFS, "file system read only"},
	{EXDEV, "cross-device rename"},
};

/* Set the error string from errno; returns -1 for the caller to return. */
static int
oserr(void)
{
	int e = errno;

	for (size_t i = 0; i < nelem(errs); i++)
		if (errs[i].no == e) {
			strlcpy(errbuf, errs[i].msg, sizeof errbuf);
			return -1;
		}
	strlcpy(errbuf, strerror(e), sizeof errbuf);
	if (errbuf[0] >= 'A' && errbuf[0] <= 'Z')
		errbuf[0] += 'a' - 'A';
	return -1;
}

int
errstr(char *buf, uint n)
{
	char old[ERRMAX];

	if (n == 0)
		return 0;
	strlcpy(old, errbuf, sizeof old);
	strlcpy(errbuf, buf, sizeof errbuf);
	strlcpy(buf, old, n);
	return 0;
}

void
rerrstr(char *buf, uint n)
{
	if (n > 0)
		strlcpy(buf, errbuf, n);
}

void
werrstr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprint(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

static int
unsupported(void)
{
	werrstr("not supported on the host");
	return -1;
}

/* ---- Files ---- */

static Fdinfo *
info(int fd)
{
	return fd >= 0 && fd < MaxFd ? &fdinfo[fd] : NULL;
}

/* Forget what we knew of fd; remove its ORCLOSE file if asked. */
static void
forget(int fd, bool doremove)
{
	Fdinfo *f = info(fd);

	if (f == NULL)
		return;
	if (f->dir)
		closedir(f->dir);
	if (f->rclose) {
		if (doremove)
			remove(f->rclose);
		free(f->rclose);
	}
	memset(f, 0, sizeof *f);
}

/* Note what a newly opened fd is. */
static int
opened(int fd, const char *name, int mode)
{
	Fdinfo *f = info(fd);
	struct stat st;

	if (fd < 0)
		return oserr();
	forget(fd, false);
	if (f == NULL)
		return fd;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		f->isdir = true;
	if (mode & ORCLOSE)
		f->rclose = p9_strdup(name);
	return fd;
}

static int
oflags(int mode)
{
	static const int acc[4] = {O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY};
	int fl = acc[mode & 3];

	if (mode & OTRUNC)
		fl |= O_TRUNC;
	if (mode & OCEXEC)
		fl |= O_CLOEXEC;
	return fl;
}

int
p9_open(const char *name, int mode)
{
	return opened(open(name, oflags(mode)), name, mode);
}

/* perm with DMDIR makes a directory (opened for reading); OEXCL fails
 * if name exists; otherwise an existing file is truncated. */
int
create(const char *name, int mode, ulong perm)
{
	int fl;

	if (perm & DMDIR) {
		if ((mode & 3) != OREAD) {
			werrstr("bad arg in system call");
			return -1;
		}
		if (mkdir(name, perm & 0777) < 0)
			return oserr();
		return opened(open(name, O_RDONLY | O_DIRECTORY), name, mode);
	}
	fl = oflags(mode) | O_CREAT | O_TRUNC;
	if (mode & OEXCL)
		fl |= O_EXCL;
	return opened(open(name, fl, perm & 0777), name, mode);
}

int
p9_close(int fd)
{
	forget(fd, true);
	if (close(fd) < 0)
		return oserr();
	return 0;
}

int
p9_dup(int oldfd, int newfd)
{
	int fd;

	if (newfd < 0)
		fd = dup(oldfd);
	else if (oldfd == newfd)
		fd = fcntl(oldfd, F_GETFD) < 0 ? -1 : newfd;
	else {
		forget(newfd, true);
		fd = dup2(oldfd, newfd);
	}
	if (fd < 0)
		return oserr();
	if (fd != oldfd && info(fd) && info(oldfd))
		fdinfo[fd].isdir = fdinfo[oldfd].isdir;
	return fd;
}

int
p9_pipe(int fd[2])
{
	if (pipe(fd) < 0)
		return oserr();
	forget(fd[0], false);
	forget(fd[1], false);
	return 0;
}

int
p9_remove(const char *name)
{
	if (remove(name) < 0)
		return oserr();
	return 0;
}

int
p9_chdir(const char *dir)
{
	if (chdir(dir) < 0)
		return oserr();
	return 0;
}

int
p9_access(const char *name, int mode)
{
	if (access(name, mode & 7) < 0)
		return oserr();
	return 0;
}

int
fd2path(int fd, char *buf, int n)
{
	char link[64];
	ssize_t m;

	if (n <= 0)
		return 0;
	snprint(link, sizeof link, "/proc/self/fd/%d", fd);
	m = readlink(link, buf, n - 1);
	if (m < 0)
		return oserr();
	buf[m] = 0;
	return 0;
}

vlong
seek(int fd, vlong off, int whence)
{
	static const int wh[3] = {SEEK_SET, SEEK_CUR, SEEK_END};
	Fdinfo *f = info(fd);
	off_t r;

	if (whence < 0 || whence > 2) {
		werrstr("bad arg in system call");
		return -1;
	}
	if (f && f->dir) {
		/* Directories only rewind, as on Plan 9. */
		if (whence != SEEKSET || off != 0) {
			werrstr("bad arg in system call");
			return -1;
		}
		rewinddir(f->dir);
		return 0;
	}
	r = lseek(fd, off, wh[whence]);
	if (r < 0)
		return oserr();
	return r;
}

/* ---- Stat records ---- */

/* The host's name of a user or group, cached: ls asks the same often. */
static const char *
idname(bool group, unsigned id)
{
	static char name[2][64];
	static unsigned last[2];
	static bool valid[2];
	const char *s = NULL;

	if (valid[group] && last[group] == id)
		return name[group];
	if (group) {
		struct group *g = getgrgid(id);
		s = g ? g->gr_name : NULL;
	} else {
		struct passwd *p = getpwuid(id);
		s = p ? p->pw_name : NULL;
	}
	if (s)
		strlcpy(name[group], s, sizeof name[group]);
	else
		snprint(name[group], sizeof name[group], "%u", id);
	last[group] = id;
	valid[group] = true;
	return name[group];
}

/* A stat record for st named name in buf[0..n-1]; convD2M's result. */
static uint
packstat(const struct stat *st, const char *name, uchar *buf, uint n)
{
	char uid[64];
	Dir d;

	strlcpy(uid, idname(false, st->st_uid), sizeof uid);
	d.type = 'M';
	d.dev = st->st_dev;
	d.qid.path = st->st_ino;
	d.qid.vers = st->st_mtime;
	d.qid.type = S_ISDIR(st->st_mode) ? QTDIR : QTFILE;
	d.mode = (st->st_mode & 0777) | (S_ISDIR(st->st_mode) ? DMDIR : 0);
	d.atime = st->st_atime;
	d.mtime = st->st_mtime;
	d.length = S_ISDIR(st->st_mode) ? 0 : st->st_size;
	d.name = (char *)name;
	d.uid = uid;
	d.gid = (char *)idname(true, st->st_gid);
	d.muid = uid;
	return convD2M(&d, buf, n);
}

/* The last element of path, as Plan 9's stat names a file; "/" for the root. */
static void
lastelem(const char *path, char *elem, size_t n)
{
	char *real, *p;

	real = realpath(path, NULL);
	if (real == NULL) {
		strlcpy(elem, path, n);
		return;
	}
	p = strrchr(real, '/');
	strlcpy(elem, p && p[1] ? p + 1 : "/", n);
	free(real);
}

static int
statresult(uint r)
{
	if (r == 0) {
		werrstr("stat buffer too small");
		return -1;
	}
	return r;
}

int
p9_stat(const char *name, uchar *buf, int n)
{
	char elem[NAMELEN];
	struct stat st;

	if (stat(name, &st) < 0)
		return oserr();
	lastelem(name, elem, sizeof elem);
	return statresult(packstat(&st, elem, buf, n < 0 ? 0 : n));
}

int
p9_fstat(int fd, uchar *buf, int n)
{
	char path[1024], elem[NAMELEN];
	struct stat st;

	if (fstat(fd, &st) < 0)
		return oserr();
	if (fd2path(fd, path, sizeof path) < 0)
		strlcpy(path, "?", sizeof path);
	lastelem(path, elem, sizeof elem);
	return statresult(packstat(&st, elem, buf, n < 0 ? 0 : n));
}

/*
 * Apply the fields of a stat record that are not "don't touch": mode,
 * mtime, length, and name (a rename within the directory).  uid, gid
 * and muid are ignored.  path names the file (for the rename); fd >= 0
 * is used instead of path where it can be.
 */
static int
applywstat(const char *path, int fd, const uchar *buf, int n)
{
	char *strs, *to, *slash;
	Dir d;
	int r = -1;

	strs = malloc(n > 0 ? n : 1);
	if (strs == NULL)
		return oserr();
	if (n <= 0 || convM2D(buf, n, &d, strs) == 0) {
		werrstr("bad arg in system call");
		goto out;
	}
	/* Length first: truncating sets the mtime. */
	if (d.length != -1 && (fd >= 0 ? ftruncate(fd, d.length) : truncate(path, d.length)) < 0)
		goto oserr;
	if ((uint)d.mode != ~0u &&
	    (fd >= 0 ? fchmod(fd, d.mode & 0777) : chmod(path, d.mode & 0777)) < 0)
		goto oserr;
	if ((uint)d.mtime != ~0u) {
		struct timespec ts[2] = {{0, UTIME_OMIT}, {(time_t)d.mtime, 0}};
		if ((fd >= 0 ? futimens(fd, ts) : utimensat(AT_FDCWD, path, ts, 0)) < 0)
			goto oserr;
	}
	if (d.name[0] != 0) {
		if (strchr(d.name, '/') != NULL) {
			werrstr("bad arg in system call");
			goto out;
		}
		to = malloc(strlen(path) + strlen(d.name) + 2);
		if (to == NULL)
			goto oserr;
		strcpy(to, path);
		slash = strrchr(to, '/');
		strcpy(slash ? slash + 1 : to, d.name);
		if (strcmp(to, path) != 0 && rename(path, to) < 0) {
			free(to);
			goto oserr;
		}
		free(to);
	}
	r = 0;
	goto out;
oserr:
	oserr();
out:
	free(strs);
	return r;
}

int
wstat(const char *name, const uchar *buf, int n)
{
	return applywstat(name, -1, buf, n);
}

int
fwstat(int fd, const uchar *buf, int n)
{
	char path[1024];

	if (fd2path(fd, path, sizeof path) < 0)
		return -1;
	return applywstat(path, fd, buf, n);
}

/* ---- Reading and writing ---- */

/*
 * A read of a directory: as many whole stat records as fit, none of
 * "." and "..".  An entry that does not fit waits for the next read.
 */
static long
readdirfd(int fd, uchar *buf, long n)
{
	Fdinfo *f = info(fd);
	struct dirent *de;
	struct stat st;
	long off = 0, pos;
	uint m;
	int dfd;

	if (f == NULL) {
		werrstr("is a directory");
		return -1;
	}
	if (f->dir == NULL) {
		dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if (dfd < 0)
			return oserr();
		f->dir = fdopendir(dfd);
		if (f->dir == NULL) {
			close(dfd);
			return oserr();
		}
	}
	for (;;) {
		pos = telldir(f->dir);
		errno = 0;
		de = readdir(f->dir);
		if (de == NULL) {
			if (errno != 0 && off == 0)
				return oserr();
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(f->dir), de->d_name, &st, 0) < 0 &&
		    fstatat(dirfd(f->dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* gone meanwhile */
		m = packstat(&st, de->d_name, buf + off, n - off);
		if (m <= 2) {
			seekdir(f->dir, pos);
			if (off == 0) {
				werrstr("buffer too small for a directory entry");
				return -1;
			}
			break;
		}
		off += m;
	}
	return off;
}

long
p9_read(int fd, void *buf, long n)
{
	Fdinfo *f = info(fd);
	ssize_t r;

	if (f && f->isdir)
		return readdirfd(fd, buf, n);
	r = read(fd, buf, n);
	if (r < 0 && errno == EISDIR && f) {
		f->isdir = true;
		return readdirfd(fd, buf, n);
	}
	if (r < 0)
		return oserr();
	return r;
}

long
p9_write(int fd, const void *buf, long n)
{
	ssize_t r;

	r = write(fd, buf, n);
	if (r < 0)
		return oserr();
	return r;
}

long
p9_pread(int fd, void *buf, long n, vlong off)
{
	ssize_t r;

	if (off < 0)
		return p9_read(fd, buf, n);
	r = pread(fd, buf, n, off);
	if (r < 0)
		return oserr();
	return r;
}

long
p9_pwrite(int fd, const void *buf, long n, vlong off)
{
	ssize_t r;

	r = off < 0 ? write(fd, buf, n) : pwrite(fd, buf, n, off);
	if (r < 0)
		return oserr();
	return r;
}

/* ---- Namespaces: none on the host ---- */

int
p9_bind(const char *name, const char *old, int flag)
{
	return unsupported();
}

int
p9_mount(int fd, int afd, const char *old, int flag, const char *aname)
{
	return unsupported();
}

int
unmount(const char *name, const char *old)
{
	return unsupported();
}

/* ---- Processes ---- */

static void
setshimenv(pid_t pid)
{
	char num[32];

	snprint(num, sizeof num, "%d", (int)pid);
	setenv(shimenv, num, 1);
}

/*
 * At start: P9SHIM_PARENT names the shim program that ran us, if any;
 * our children will see us there.
 */
__attribute__((constructor)) static void
shiminit(void)
{
	char *s = getenv(shimenv);

	shimparent = s ? atoi(s) : 0;
	setshimenv(getpid());
}

/* What happens in a process, old or new, because of flags. */
static void
rforkself(int flags)
{
	if (flags & RFCFDG)
		for (int fd = 0; fd < MaxFd; fd++) {
			forget(fd, false);
			close(fd);
		}
	if (flags & RFCENVG)
		clearenv();
	if (flags & RFNOTEG)
		setpgid(0, 0);
}

/*
 * Without RFPROC the flags change this process.  RFNAMEG, RFCNAMEG,
 * RFNOMNT, RFENVG, RFFDG and RFREND change nothing on the host (a forked
 * process has its own fd table and environment anyway); RFMEM is refused.
 * RFNOWAIT forks twice so that the child is nobody's to wait for.
 */
int
rfork(int flags)
{
	pid_t parent = getpid(), pid;
	int p[2];

	if (flags & RFMEM) {
		werrstr("rfork: RFMEM not supported on the host");
		return -1;
	}
	if (!(flags & RFPROC)) {
		rforkself(flags);
		return 0;
	}
	if ((flags & RFNOWAIT) && pipe(p) < 0)
		return oserr();
	pid = fork();
	if (pid < 0)
		return oserr();
	if (pid == 0 && (flags & RFNOWAIT)) {
		pid = fork();
		if (pid != 0) {
			write(p[1], &pid, sizeof pid);
			_exit(0);
		}
		close(p[0]);
		close(p[1]);
	}
	if (pid == 0) {
		shimparent = (flags & RFNOWAIT) ? 0 : parent;
		setshimenv(getpid());
		rforkself(flags);
		return 0;
	}
	if (flags & RFNOWAIT) {
		close(p[1]);
		waitpid(pid, NULL, 0);
		if (read(p[0], &pid, sizeof pid) != sizeof pid)
			pid = -1;
		close(p[0]);
		if (pid < 0)
			werrstr("rfork: lost the child");
	}
	return pid;
}

int
p9_fork(void)
{
	return rfork(RFFDG | RFREND | RFPROC);
}

/* Returns only on failure, -1.  name is used as given: no $path search. */
int
exec(const char *name, char *const argv[])
{
	/* The program we become has our parent as its parent. */
	if (shimparent != 0 && shimparent == getppid())
		setshimenv(shimparent);
	else
		unsetenv(shimenv);
	execv(name, argv);
	setshimenv(getpid());
	return oserr();
}

static void
statusfile(char *buf, size_t n, int pid)
{
	snprint(buf, n, "/tmp/p9shim-status.%d", pid);
}

/*
 * Exit with status "" (success: exit code 0) or anything else (exit code
 * 1, and if our parent is a shim program the string waits for it in a
 * status file).
 */
void
exits(const char *status)
{
	char name[64];
	int fd;

	/* _exit: host stdio buffers a forked child shares must not flush twice. */
	if (status == NULL || status[0] == 0)
		_exit(0);
	if (shimparent != 0 && shimparent == getppid()) {
		statusfile(name, sizeof name, getpid());
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			write(fd, status, strnlen(status, ERRMAX - 1));
			close(fd);
		}
	}
	_exit(1);
}

/* As exits: the host has nothing to clean up at exit. */
void
_exits(const char *status)
{
	exits(status);
}

/* The status string of a child that ended with wait status st. */
static void
childstatus(int pid, int st, char *msg, size_t n)
{
	char name[64];
	ssize_t m;
	int fd;

	msg[0] = 0;
	if (WIFEXITED(st)) {
		if (WEXITSTATUS(st) == 0)
			return;
		statusfile(name, sizeof name, pid);
		fd = open(name, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			m = read(fd, msg, n - 1);
			close(fd);
			unlink(name);
			if (m > 0) {
				msg[m] = 0;
				return;
			}
		}
		snprint(msg, n, "exit %d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		switch (WTERMSIG(st)) {
		case SIGINT:
			strlcpy(msg, "interrupt", n);
			break;
		case SIGKILL:
		case SIGTERM:
			strlcpy(msg, "killed", n);
			break;
		case SIGSEGV:
		case SIGBUS:
			strlcpy(msg, "sys: trap: fault", n);
			break;
		default:
			snprint(msg, n, "signal %d", WTERMSIG(st));
		}
	}
}

Waitmsg *
p9_wait(void)
{
	char msg[ERRMAX];
	Waitmsg *w;
	pid_t pid;
	int st;

	pid = waitpid(-1, &st, 0);
	if (pid < 0) {
		oserr();
		return NULL;
	}
	childstatus(pid, st, msg, sizeof msg);
	w = malloc(sizeof *w + strlen(msg) + 1);
	if (w == NULL) {
		werrstr("out of memory");
		return NULL;
	}
	w->pid = pid;
	w->time[0] = w->time[1] = w->time[2] = 0; /* not measured on the host */
	w->msg = (char *)(w + 1);
	strcpy(w->msg, msg);
	return w;
}

int
p9_waitpid(void)
{
	Waitmsg *w;
	int pid;

	w = p9_wait();
	if (w == NULL)
		return -1;
	pid = w->pid;
	free(w);
	return pid;
}

/* "pid user system real 'status'", the status quoted as tokenize wants. */
int
await(char *buf, int n)
{
	Waitmsg *w;
	Fmt f;

	if (n <= 0)
		return 0;
	w = p9_wait();
	if (w == NULL)
		return -1;
	fmtinit(&f, buf, n - 1, NULL, NULL);
	fmtprint(&f, "%d %lu %lu %lu '", w->pid, w->time[0], w->time[1], w->time[2]);
	for (char *s = w->msg; *s; s++)
		fmtprint(&f, *s == '\'' ? "''" : "%c", *s);
	fmtprint(&f, "'");
	*f.p = 0;
	free(w);
	return f.p - buf;
}

int
p9_getpid(void)
{
	return getpid();
}

int
p9_getppid(void)
{
	return getppid();
}

/* Returns 0, or -1 if a note cut the sleep short. */
int
p9_sleep(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return 0;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000;
	if (nanosleep(&ts, NULL) < 0)
		return oserr();
	return 0;
}

long
p9_time(long *tp)
{
	long t = (long)time(NULL);

	if (tp)
		*tp = t;
	return t;
}

vlong
nsec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (vlong)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- Notes, as signals ---- */

static const struct {
	int sig;
	const char *note;
} notes[] = {
	{SIGINT, "interrupt"},
	{SIGHUP, "hangup"},
	{SIGALRM, "alarm"},
	{SIGTERM, "kill"},
};

enum { NATNOTIFY = 32 };
static void (*notifyfn)(void *, char *);
static int (*atnotifyfn[NATNOTIFY])(void *, char *);
static volatile sig_atomic_t notedv;

/*
 * The signal handler: atnotify handlers first (one that returns nonzero
 * has taken the note), then the notify handler.  Returning resumes the
 * program; its interrupted system call fails with "interrupted".
 */
static void
onsignal(int sig)
{
	char note[ERRMAX];

	strlcpy(note, "sys: signal", sizeof note);
	for (size_t i = 0; i < nelem(notes); i++)
		if (notes[i].sig == sig)
			strlcpy(note, notes[i].note, sizeof note);
	for (int i = 0; i < NATNOTIFY; i++)
		if (atnotifyfn[i] && atnotifyfn[i](NULL, note))
			return;
	if (notifyfn) {
		notedv = NCONT;
		notifyfn(NULL, note);
		if (notedv == NCONT)
			return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Catch the note signals if anyone handles notes, else let them kill. */
static void
catchnotes(void)
{
	struct sigaction sa;
	bool any = notifyfn != NULL;

	for (int i = 0; i < NATNOTIFY; i++)
		any |= atnotifyfn[i] != NULL;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = any ? onsignal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a note interrupts the system call */
	for (size_t i = 0; i < nelem(notes); i++)
		sigaction(notes[i].sig, &sa, NULL);
}

int
notify(void (*fn)(void *ureg, char *note))
{
	notifyfn = fn;
	catchnotes();
	return 0;
}

/* Called by a notify handler: NCONT resumes, NDFLT dies of the note. */
int
noted(int v)
{
	notedv = v;
	return 0;
}

/* in != 0 adds fn, in == 0 removes it.  Returns 1, or 0 if there is no room or no fn. */
int
atnotify(int (*fn)(void *ureg, char *note), int in)
{
	int r = 0;

	for (int i = 0; i < NATNOTIFY && !r; i++)
		if (in ? atnotifyfn[i] == NULL : atnotifyfn[i] == fn) {
			atnotifyfn[i] = in ? fn : NULL;
			r = 1;
		}
	catchnotes();
	return r;
}

/* The known notes travel as their signals; any other as SIGTERM. */
int
postnote(int group, int pid, const char *note)
{
	int sig = SIGTERM;

	for (size_t i = 0; i < nelem(notes); i++)
		if (strcmp(notes[i].note, note) == 0)
			sig = notes[i].sig;
	if (kill(group == PNGROUP ? -pid : pid, sig) < 0)
		return oserr();
	return 0;
}

/* ---- Environment ---- */

/* A malloc'd copy of the value, or NULL. */
char *
p9_getenv(const char *name)
{
	char *v = getenv(name);

	return v ? p9_strdup(v) : NULL;
}

int
p9_putenv(const char *name, const char *val)
{
	if (setenv(name, val, 1) < 0)
		return oserr();
	return 0;
}

/* ---- print: fd 1 on the host ---- */

int
vprint(const char *fmt, va_list ap)
{
	return vfprint(1, fmt, ap);
}

int
print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprint(1, fmt, ap);
	va_end(ap);
	return n;
}

void
panic(const char *fmt, ...)
{
	char msg[ERRMAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprint(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprint(2, "panic: %s\n", msg);
	exits("panic");
}
