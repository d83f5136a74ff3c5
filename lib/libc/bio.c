/* SPDX-License-Identifier: MIT */
/*
 * Buffered I/O on a file descriptor, as Plan 9's bio(2).  A Biobuf reads
 * or writes, never both.  Its buffer is b[Bungetsize..] (bbuf..ebuf); the
 * bytes before bbuf keep the tail of the previous buffer so that a few
 * Bungetc calls always work.
 *
 * Reading: the unread bytes are ebuf[icount..-1] (icount <= 0), the bytes
 * that may be un-got start at gbuf, and the byte at ebuf is the file's
 * offset `offset`.  Writing: the pending bytes are bbuf..ebuf[icount-1]
 * (icount = -(room left)), to be written at `offset`.
 */
#include "libc.h"

enum { Bmalloced = 0x42696f };

int
Binit(Biobuf *bp, int fd, int mode)
{
	vlong off;

	mode &= ~(OCEXEC | ORCLOSE | OTRUNC);
	if (mode != OREAD && mode != OWRITE) {
		werrstr("Binit: bad mode");
		return Beof;
	}
	bp->fd = fd;
	bp->mode = mode;
	bp->eof = 0;
	bp->flag = 0;
	bp->rdline = 0;
	bp->bbuf = bp->b + Bungetsize;
	bp->ebuf = bp->bbuf + Bsize;
	bp->gbuf = bp->ebuf;
	bp->icount = mode == OREAD ? 0 : -Bsize;
	/* Pipes have no offset; Boffset then counts from 0. */
	off = seek(fd, 0, SEEKCUR);
	bp->offset = off < 0 ? 0 : off;
	return 0;
}

/* Returns a malloc'd Biobuf that Bterm will close and free, or NULL. */
Biobuf *
Bfdopen(int fd, int mode)
{
	Biobuf *bp;

	bp = malloc(sizeof *bp);
	if (bp == NULL) {
		werrstr("out of memory");
		return NULL;
	}
	if (Binit(bp, fd, mode) < 0) {
		free(bp);
		return NULL;
	}
	bp->flag = Bmalloced;
	return bp;
}

/* OREAD opens name, OWRITE creates (truncates) it with mode 0666. */
Biobuf *
Bopen(const char *name, int mode)
{
	Biobuf *bp;
	int fd;

	switch (mode & ~(OCEXEC | ORCLOSE | OTRUNC)) {
	case OREAD:
		fd = open(name, mode);
		break;
	case OWRITE:
		fd = create(name, mode, 0666);
		break;
	default:
		werrstr("Bopen: bad mode");
		return NULL;
	}
	if (fd < 0)
		return NULL;
	bp = Bfdopen(fd, mode);
	if (bp == NULL)
		close(fd);
	return bp;
}

/* Flush; a Bopen'd or Bfdopen'd Biobuf is also closed and freed. */
int
Bterm(Biobuf *bp)
{
	int r;

	r = Bflush(bp);
	if (bp->flag == Bmalloced) {
		bp->flag = 0;
		close(bp->fd);
		free(bp);
	}
	return r;
}

/* Write the pending bytes; 0, or Beof if the write failed (they are dropped). */
int
Bflush(Biobuf *bp)
{
	long n;

	if (bp->mode != OWRITE)
		return 0;
	n = Bsize + bp->icount;
	bp->icount = -Bsize;
	if (n == 0)
		return 0;
	if (write(bp->fd, bp->bbuf, n) != n)
		return Beof;
	bp->offset += n;
	return 0;
}

/*
 * Read the next buffer when the current one is used up (icount == 0),
 * keeping up to Bungetsize old bytes in front of it.  Returns the bytes
 * read, 0 at end of file, -1 on error; then the Biobuf is unchanged.
 */
static long
Bfill(Biobuf *bp)
{
	long k, n;

	k = bp->ebuf - bp->gbuf;
	if (k > Bungetsize)
		k = Bungetsize;
	memmove(bp->bbuf - k, bp->ebuf - k, k);
	n = read(bp->fd, bp->bbuf, Bsize);
	if (n <= 0) {
		bp->eof = 1;
		return n;
	}
	if (n < Bsize)
		memmove(bp->ebuf - n - k, bp->bbuf - k, n + k);
	bp->gbuf = bp->ebuf - n - k;
	bp->icount = -n;
	bp->offset += n;
	return n;
}

int
Bgetc(Biobuf *bp)
{
	if (bp->mode != OREAD)
		return Beof;
	if (bp->icount == 0) {
		if (bp->eof == 2) {
			bp->eof = 1;
			return Beof;
		}
		if (Bfill(bp) <= 0)
			return Beof;
	}
	bp->eof = 0;
	return bp->ebuf[bp->icount++];
}

/* Step back over the last Bgetc, Beof included.  Returns 1, or Beof. */
int
Bungetc(Biobuf *bp)
{
	if (bp->mode != OREAD)
		return Beof;
	if (bp->eof == 1 && bp->icount == 0) {
		bp->eof = 2;
		return 1;
	}
	if (bp->ebuf + bp->icount <= bp->gbuf)
		return Beof;
	bp->icount--;
	return 1;
}

/* Read n bytes unless the file ends.  Returns the count; -1 if an error
 * came before any byte. */
long
Bread(Biobuf *bp, void *buf, long n)
{
	uchar *p = buf;
	long m, got = 0, r = 0;

	if (bp->mode != OREAD)
		return -1;
	bp->eof = 0;
	while (got < n) {
		if (bp->icount == 0 && (r = Bfill(bp)) <= 0)
			break;
		m = -bp->icount;
		if (m > n - got)
			m = n - got;
		memmove(p + got, bp->ebuf + bp->icount, m);
		bp->icount += m;
		got += m;
	}
	if (got == 0 && r < 0)
		return -1;
	return got;
}

long
Bwrite(Biobuf *bp, const void *buf, long n)
{
	const uchar *p = buf;
	long m, done = 0;

	if (bp->mode != OWRITE)
		return -1;
	while (done < n) {
		if (bp->icount == 0 && Bflush(bp) < 0)
			return -1;
		m = -bp->icount;
		if (m > n - done)
			m = n - done;
		memmove(bp->ebuf + bp->icount, p + done, m);
		bp->icount += m;
		done += m;
	}
	return n;
}

/* Returns 0, or Beof if a flush failed. */
int
Bputc(Biobuf *bp, int c)
{
	if (bp->mode != OWRITE)
		return Beof;
	if (bp->icount == 0 && Bflush(bp) < 0)
		return Beof;
	bp->ebuf[bp->icount++] = c;
	return 0;
}

static uchar *
findbyte(uchar *p, uchar *e, int c)
{
	for (; p < e; p++)
		if (*p == (uchar)c)
			return p;
	return NULL;
}

/*
 * The next line, delim included, inside the buffer (not NUL-terminated;
 * Blinelen is its length), valid until the next call.  NULL when no delim
 * comes within a full buffer or before end of file: then Blinelen is the
 * number of bytes waiting (Bsize, the partial last line, or 0 at the end),
 * and they are still there for Bread.
 */
char *
Brdline(Biobuf *bp, int delim)
{
	uchar *p, *q;
	long n, m;

	if (bp->mode != OREAD) {
		bp->rdline = 0;
		return NULL;
	}
	bp->eof = 0;
	p = bp->ebuf + bp->icount;
	q = findbyte(p, bp->ebuf, delim);
	if (q == NULL) {
		/* Gather the partial line at the front and read behind it. */
		n = -bp->icount;
		memmove(bp->bbuf, p, n);
		while (n < Bsize && q == NULL) {
			m = read(bp->fd, bp->bbuf + n, Bsize - n);
			if (m <= 0) {
				bp->eof = 1;
				break;
			}
			bp->offset += m;
			q = findbyte(bp->bbuf + n, bp->bbuf + n + m, delim);
			n += m;
		}
		p = bp->ebuf - n;
		memmove(p, bp->bbuf, n);
		bp->gbuf = p;
		bp->icount = -n;
		if (q == NULL) {
			bp->rdline = n;
			return NULL;
		}
		q = p + (q - bp->bbuf);
	}
	bp->rdline = q - p + 1;
	bp->icount += bp->rdline;
	return (char *)p;
}

int
Blinelen(Biobuf *bp)
{
	return bp->rdline;
}

/* Append n bytes at p to the malloc'd s of length *len; NULL if out of memory. */
static char *
growstr(char *s, long *len, const void *p, long n)
{
	char *t;

	t = realloc(s, *len + n + 1);
	if (t == NULL) {
		free(s);
		return NULL;
	}
	memmove(t + *len, p, n);
	*len += n;
	return t;
}

/*
 * The next line of any length as a malloc'd string, delim included
 * (replaced by NUL if nulldelim); the last line may lack delim.  NULL at
 * end of file.  Blinelen is the length read, delim included.
 */
char *
Brdstr(Biobuf *bp, int delim, int nulldelim)
{
	char *s = NULL, *p;
	long len = 0, n;
	int whole = 0;

	for (;;) {
		p = Brdline(bp, delim);
		n = Blinelen(bp);
		if (n == 0)
			break;
		s = growstr(s, &len, p ? p : (char *)bp->ebuf + bp->icount, n);
		if (s == NULL)
			return NULL;
		if (p != NULL) {
			whole = 1;
			break;
		}
		bp->icount += n;
		if (bp->eof)
			break;
	}
	bp->rdline = len;
	if (s == NULL)
		return NULL;
	s[len] = 0;
	if (whole && nulldelim)
		s[len - 1] = 0;
	return s;
}

static int
bioflush(Fmt *f)
{
	long n = f->p - f->buf;

	if (n > 0 && Bwrite(f->farg, f->buf, n) != n)
		return -1;
	return 0;
}

/* Returns the bytes formatted, or -1 if a write failed. */
int
Bvprint(Biobuf *bp, const char *fmt, va_list ap)
{
	char buf[256];
	Fmt f;
	int n;

	fmtinit(&f, buf, sizeof buf, bioflush, bp);
	n = fmtvprint(&f, fmt, ap);
	if (f.stop || bioflush(&f) < 0)
		return -1;
	return n;
}

int
Bprint(Biobuf *bp, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = Bvprint(bp, fmt, ap);
	va_end(ap);
	return n;
}

/* The file offset of the next byte Bgetc would return or Bputc write. */
vlong
Boffset(Biobuf *bp)
{
	if (bp->mode == OWRITE)
		return bp->offset + Bsize + bp->icount;
	return bp->offset + bp->icount;
}

/* Returns the new offset or -1.  A read within the buffer reads nothing. */
vlong
Bseek(Biobuf *bp, vlong off, int whence)
{
	vlong n;

	if (bp->mode == OREAD) {
		if (whence == SEEKCUR) {
			off += Boffset(bp);
			whence = SEEKSET;
		}
		if (whence == SEEKSET && off <= bp->offset &&
		    off >= bp->offset - (bp->ebuf - bp->gbuf)) {
			bp->icount = -(int)(bp->offset - off);
			bp->eof = 0;
			return off;
		}
	} else if (Bflush(bp) < 0)
		return -1;
	n = seek(bp->fd, off, whence);
	if (n < 0)
		return -1;
	bp->offset = n;
	bp->eof = 0;
	if (bp->mode == OREAD) {
		bp->icount = 0;
		bp->gbuf = bp->ebuf;
	}
	return n;
}

int
Bfildes(Biobuf *bp)
{
	return bp->fd;
}
