/* SPDX-License-Identifier: MIT */
/*
 * The small C library of Musubi user programs: basic types, string and
 * memory functions (string.c), ctype (ctype.c), formatting (fmt.c, pure),
 * console printing and panic (print.c), malloc (malloc.c), path cleaning
 * (cleanname.c).  Regular expressions are in regexp.h.  System calls
 * are in lib/libmu/mu.h.  string.c and fmt.c also build into the kernel.
 */
#ifndef LIBC_H
#define LIBC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;

#define nelem(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Host unit tests (test/host) link these sources into a normal hosted
 * program.  There the C library already owns the standard names, and the
 * sanitizers intercept them, so ours take a mu_ prefix instead.  Musubi
 * builds use the plain names: gcc itself emits calls to memcpy, memset,
 * memmove and memcmp.
 */
#ifdef HOSTTEST
#undef isdigit
#undef isxdigit
#undef isalpha
#undef isalnum
#undef isspace
#undef isupper
#undef islower
#undef isprint
#undef tolower
#undef toupper
#define memcpy mu_memcpy
#define memmove mu_memmove
#define memset mu_memset
#define memcmp mu_memcmp
#define strlen mu_strlen
#define strnlen mu_strnlen
#define strcmp mu_strcmp
#define strncmp mu_strncmp
#define strcpy mu_strcpy
#define strlcpy mu_strlcpy
#define strlcat mu_strlcat
#define strchr mu_strchr
#define strrchr mu_strrchr
#define strstr mu_strstr
#define strtoul mu_strtoul
#define strtol mu_strtol
#define atoi mu_atoi
#define isdigit mu_isdigit
#define isxdigit mu_isxdigit
#define isalpha mu_isalpha
#define isalnum mu_isalnum
#define isspace mu_isspace
#define isupper mu_isupper
#define islower mu_islower
#define isprint mu_isprint
#define tolower mu_tolower
#define toupper mu_toupper
#endif

/* string.c: pure, no state; the usual C meanings. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
/* Copy/append into dst of size n, always NUL-terminated when n > 0;
 * return the length of the string they tried to create (BSD). */
size_t strlcpy(char *dst, const char *src, size_t n);
size_t strlcat(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
/* No errno: out-of-range values saturate (ULONG_MAX, LONG_MAX, LONG_MIN). */
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);

/* ctype.c: ASCII only; arguments outside 0..127 are in no class. */
int isdigit(int c);
int isxdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isprint(int c);
int tolower(int c);
int toupper(int c);

/*
 * fmt.c: printf-style formatting, pure (no system calls, no state).
 * Verbs %d %i %u %x %X %o %p %s %c %%; flags - 0 + space #; width and
 * precision (or *); length hh h l ll z j t.  No floating point.
 *
 * A Fmt is an output buffer; when it fills, flush (if set) is called to
 * write out buf..p and returns 0 to go on (the formatter then reuses the
 * buffer) or -1 to stop (the rest is dropped).  Without flush the output
 * is truncated at the end of the buffer.
 */
typedef struct Fmt Fmt;
struct Fmt {
	char *buf;             /* start of the buffer */
	char *p;               /* next free byte */
	char *end;             /* one past the last usable byte */
	int (*flush)(Fmt *f);  /* write out buf..p; may be NULL */
	void *farg;            /* for flush */
	size_t nout;           /* bytes flushed so far */
	bool stop;             /* output is being dropped */
};
/* Set f up on buf[0..n-1]; nothing is NUL-terminated. */
void fmtinit(Fmt *f, char *buf, size_t n, int (*flush)(Fmt *f), void *farg);
/* Format into f; return the number of bytes this call gave f. */
int fmtvprint(Fmt *f, const char *fmt, va_list ap);
int fmtprint(Fmt *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Format into buf of size n; always NUL-terminated when n > 0.  Returns the
 * number of bytes stored, excluding the NUL: unlike C's snprintf, a
 * truncated result returns the truncated length.
 */
int vsnprint(char *buf, size_t n, const char *fmt, va_list ap);
int snprint(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* print.c: to the kernel debug console; return the bytes written. */
int print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprint(const char *fmt, va_list ap);
/* Print "panic: msg" and end the whole task. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * malloc.c: thread-safe; blocks are 16-byte aligned.  Small blocks
 * (<= 2 KiB) are never returned to the system, only reused.
 * realloc(p, 0) frees p and returns NULL.
 */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);

/*
 * cleanname.c: pure.  Lexically clean a path name in place, as Plan 9's
 * cleanname: "//" -> "/", drop "." elements and "name/.." pairs, "/.." ->
 * "/", keep leading ".." of a relative name, no trailing "/" (but "/"),
 * empty -> ".".  Returns path.
 */
char *cleanname(char *path);

#endif
