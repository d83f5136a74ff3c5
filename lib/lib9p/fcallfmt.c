/* SPDX-License-Identifier: MIT */
/*
 * Debug printing of 9P messages and stat records, one line each, in the
 * style of Plan 9's fcallfmt.  The conversions themselves are in fcall.c.
 * Pure: it only formats into a Fmt.
 */
#include "fcall.h"

/* Bytes of data shown before "..." */
enum { DumpMax = 16 };

static int
qidfmt(Fmt *fmt, const Qid *q)
{
	return fmtprint(fmt, "(%.16llx %u %.2x)", q->path, q->vers, q->type);
}

static int
strfmt(Fmt *fmt, const char *label, Fstr s)
{
	return fmtprint(fmt, " %s '%.*s'", label, (int)s.len, s.s ? s.s : "");
}

static int
dump(Fmt *fmt, uint count, const uchar *p)
{
	int n = fmtprint(fmt, " count %u '", count);

	for (uint i = 0; p != NULL && i < count && i < DumpMax; i++)
		n += fmtprint(fmt, "%.2x", p[i]);
	return n + fmtprint(fmt, count > DumpMax ? "...'" : "'");
}

static int
statfmt(Fmt *fmt, ushort n, const uchar *p)
{
	Dir9 d;

	if (p == NULL || dir_unpack(p, n, &d) != n)
		return fmtprint(fmt, " stat (bad, %u bytes)", n);
	return fmtprint(fmt, " stat ") + dir_fmt(fmt, &d);
}

int
dir_fmt(Fmt *fmt, const Dir9 *d)
{
	int n = fmtprint(fmt, "'%.*s' '%.*s' '%.*s' '%.*s' q ", (int)d->name.len,
			 d->name.s ? d->name.s : "", (int)d->uid.len, d->uid.s ? d->uid.s : "",
			 (int)d->gid.len, d->gid.s ? d->gid.s : "", (int)d->muid.len,
			 d->muid.s ? d->muid.s : "");

	n += qidfmt(fmt, &d->qid);
	return n + fmtprint(fmt, " m %#o at %u mt %u l %llu t %u d %u", d->mode, d->atime,
			    d->mtime, d->length, d->type, d->dev);
}

/* Past 40 lines, but it is one flat case per message type. */
int
fcall_fmt(Fmt *fmt, const Fcall *f)
{
	const char *name = fcall_typename(f->type);
	int n;

	if (name == NULL || f->type == Terror)
		return fmtprint(fmt, "unknown type %d tag %u", f->type, f->tag);
	n = fmtprint(fmt, "%s tag %u", name, f->tag);
	switch (f->type) {
	case Tversion:
	case Rversion:
		n += fmtprint(fmt, " msize %u", f->msize);
		return n + strfmt(fmt, "version", f->version);
	case Tauth:
		n += fmtprint(fmt, " afid %u", f->afid);
		return n + strfmt(fmt, "uname", f->uname) + strfmt(fmt, "aname", f->aname);
	case Tattach:
		n += fmtprint(fmt, " fid %u afid %d", f->fid, (int)f->afid);
		return n + strfmt(fmt, "uname", f->uname) + strfmt(fmt, "aname", f->aname);
	case Rauth:
		return n + fmtprint(fmt, " qid ") + qidfmt(fmt, &f->aqid);
	case Rattach:
		return n + fmtprint(fmt, " qid ") + qidfmt(fmt, &f->qid);
	case Ropen:
	case Rcreate:
		n += fmtprint(fmt, " qid ") + qidfmt(fmt, &f->qid);
		return n + fmtprint(fmt, " iounit %u", f->iounit);
	case Rerror:
		return n + strfmt(fmt, "ename", f->ename);
	case Tflush:
		return n + fmtprint(fmt, " oldtag %u", f->oldtag);
	case Twalk:
		n += fmtprint(fmt, " fid %u newfid %u nwname %u", f->fid, f->newfid, f->nwname);
		for (int i = 0; i < f->nwname && i < MAXWELEM; i++)
			n += fmtprint(fmt, " %d:%.*s", i, (int)f->wname[i].len,
				      f->wname[i].s ? f->wname[i].s : "");
		return n;
	case Rwalk:
		n += fmtprint(fmt, " nwqid %u", f->nwqid);
		for (int i = 0; i < f->nwqid && i < MAXWELEM; i++)
			n += fmtprint(fmt, " %d:", i) + qidfmt(fmt, &f->wqid[i]);
		return n;
	case Topen:
		return n + fmtprint(fmt, " fid %u mode %u", f->fid, f->mode);
	case Tcreate:
		n += fmtprint(fmt, " fid %u", f->fid) + strfmt(fmt, "name", f->name);
		return n + fmtprint(fmt, " perm %#o mode %u", f->perm, f->mode);
	case Tread:
		return n + fmtprint(fmt, " fid %u offset %llu count %u", f->fid, f->offset,
				    f->count);
	case Rread:
		return n + dump(fmt, f->count, f->data);
	case Twrite:
		n += fmtprint(fmt, " fid %u offset %llu", f->fid, f->offset);
		return n + dump(fmt, f->count, f->data);
	case Rwrite:
		return n + fmtprint(fmt, " count %u", f->count);
	case Tclunk:
	case Tremove:
	case Tstat:
		return n + fmtprint(fmt, " fid %u", f->fid);
	case Rstat:
		return n + statfmt(fmt, f->nstat, f->stat);
	case Twstat:
		return n + fmtprint(fmt, " fid %u", f->fid) + statfmt(fmt, f->nstat, f->stat);
	}
	return n; /* Rflush, Rclunk, Rremove, Rwstat: nothing more */
}
