/* SPDX-License-Identifier: MIT */
/*
 * libao: active objects.  An active object (Ao) is a struct whose first
 * member is an Ao header: it has its own thread, an endpoint for
 * synchronous messages and a mailbox for asynchronous ones.  Objects talk
 * by messages (AoMsg): synchronous send/call/reply, asynchronous posts,
 * asynchronous calls whose replies are collected through tallies
 * (futures), and CSP channels with alternative receive and send.  The
 * same calls work between threads of one task and between tasks; doc/
 * activeobj.md explains the model, with a worked example.
 *
 * One subject per file: ao.c (object life, threads, blocking), sync.c
 * (synchronous messages and the wire format), mbox.c (mailboxes and
 * posts), tally.c (asynchronous calls and tallies), chan.c (channels and
 * alt), pack.c (packing message arguments; pure), remote.c (the porter
 * that takes posts from other tasks; export and attach).  aoimpl.h holds
 * what the files share privately.
 *
 * Timeouts: every operation that can block takes `long ms`: AoForever
 * (-1) waits as long as it takes, AoPoll (0) never blocks, n > 0 waits
 * at most n milliseconds.
 *
 * Results: >= 0 for success (an index where the call says so), else a
 * negative code: -MuErr from abi/mu/syscall.h, or one of the library's
 * own below.  ao_errstr turns any of them into a string.  Numbers rather
 * than error strings (the house rule above the kernel) because several
 * calls return an index on success and the fast paths must stay cheap;
 * the codes have fixed values so that they mean the same on every node.
 */
#ifndef LIBAO_H
#define LIBAO_H

#include "libc.h"
#include "lib/libmu/mu.h"

enum {
	AoForever = -1,
	AoPoll = 0,
};

enum AoErr {
	AoETimeout = -ErrTimeout, /* nothing came in time (or a poll found nothing) */
	AoEGone = -ErrGone,       /* the object has ended, or the peer went away */
	AoEInval = -ErrInval,     /* bad argument: label out of range, too long... */
	AoENoMem = -ErrNoMem,
	AoEFull = -ErrNoSpace,    /* mailbox full (nothing was queued); message too big */
	AoENoReply = -ErrNoReply, /* nothing to answer: not a call, or answered already */
	AoEPerm = -ErrPerm,
	AoEKilled = -100,         /* the calling object was killed: unwind and return */
	AoEFormat = -101,         /* malformed message, or unpack format does not match */
	AoEClosed = -102,         /* the channel is closed */
};

/* ---- messages ---- */

enum {
	AoMaxData = 480,       /* bytes of packed arguments in one message */
	AoMaxLabel = 0xefff,   /* application labels are 0..AoMaxLabel */
	AoMaxAlt = 16,         /* branches of one ao_alt */
};

/* What a received message is (AoMsg.kind). */
enum AoKind {
	AoKCall = 1,   /* synchronous call: answer with ao_reply */
	AoKSend,       /* synchronous send: no answer */
	AoKPost,       /* asynchronous post from a mailbox: no answer */
	AoKACall,      /* asynchronous call: ao_reply completes the caller's tally */
	AoKReply,      /* (on the wire) a reply */
	AoKError,      /* (on the wire) a reply that is an error code */
};

/*
 * Who sent a message (AoMsg.from): the id of a local object (ao_id), 0
 * for a thread that is no object, or AoRemote | n for the n-th
 * connection made to this task by ao_attach.
 */
typedef unsigned long AoId;
#define AoRemote (1ul << 55) /* badges have 56 bits */

/*
 * A message.  Callers set label, len and data (with ao_pack) and may set
 * handle; receiving calls fill everything.  A handle in a message is
 * copied to the receiver, who owns the copy (and closes it); the sender
 * keeps its own.  Only the first 32 + len bytes are ever copied.
 */
typedef struct AoMsg {
	uint16_t label;   /* 0..AoMaxLabel: what the message means */
	uint16_t len;     /* bytes used in data */
	uint8_t kind;     /* enum AoKind, set on receive */
	uint8_t flags;    /* private */
	uint16_t pad;
	long handle;      /* a handle that travels with the message, or 0 */
	AoId from;        /* set on receive */
	MuWord rto;       /* private: how to answer it */
	uint8_t data[AoMaxData] __attribute__((aligned(8)));
} AoMsg;

/*
 * The wire format, for reference and for peers that do not link libao
 * (tests, future network proxies).  A message on an endpoint is the tag
 * TAG(label, 1 + (len + 7) / 8, handle ? 1 : 0), word 0 = AO_HDR(len,
 * kind, 0, aux) and the data bytes in words 1.. (little-endian, the last
 * word padded).  aux is the sender's local id in a request, the error
 * code in an AoKError reply.  Nothing in a message is an address, so it
 * can travel to another task or node as it is.
 */
#define AO_HDR(len, kind, flags, aux) \
	((MuWord)(len) | (MuWord)(kind) << 16 | (MuWord)(flags) << 24 | (MuWord)(uint32_t)(aux) << 32)
#define AO_HDR_LEN(w) ((w) & 0xffff)
#define AO_HDR_KIND(w) (((w) >> 16) & 0xff)
#define AO_HDR_AUX(w) ((int32_t)((w) >> 32))
/* Labels the library uses itself, above AoMaxLabel. */
enum { AoLHello = 0xf000, AoLPost, AoLKill, AoLError };

/* ---- private parts of the public structs: see aoimpl.h ---- */

typedef struct AoLock {
	volatile int v;
} AoLock;

typedef struct AoWaiter AoWaiter;
typedef struct AoQ {
	AoWaiter *head, *tail;
} AoQ;

/* ---- mailboxes ---- */

/*
 * A mailbox: a queue of up to cap messages.  Every object has one; more
 * can be made and shared (several objects may take from one).  A post
 * never blocks: it hands the message to a waiting taker, queues it, or
 * fails with AoEFull.
 */
typedef struct AoMbox {
	AoLock lk;
	int cap, n, head;  /* ring of cap slots; n queued from head on */
	int dead;          /* destroyed: posts fail with AoEGone */
	int exslot;        /* export slot + 1 (remote.c), or 0 */
	AoMsg *ring;
	AoQ takers;        /* waiters in ao_take and ao_alt */
	volatile int sleeper; /* the owning object sleeps in ao_recv */
	long ownerntf;     /* and is woken through this notification */
} AoMbox;

/* ---- active objects ---- */

enum AoState { AoNew, AoRunning, AoEnded, AoProxy };

/*
 * The thread-control header: the first member of every active object.
 * Fields are private except where marked; the memory is the caller's.
 */
typedef struct Ao {
	AoMbox mbox;          /* its own mailbox */
	volatile int state;   /* enum AoState */
	union {
		struct {
			volatile int killed; /* set by ao_kill */
			int nstash;          /* messages in stash */
		};
		volatile uint64_t attn;      /* either: the fast paths step aside */
	};
	long thread;          /* public: the thread handle (not for a proxy) */
	long ep;              /* endpoint for synchronous messages */
	long callep;          /* ep while calls may reach it, else 0 */
	MuWord callhdr;       /* word 0 of its calls but len; 0 once killed */
	long ntf;             /* its notification, bound to its thread */
	long post;            /* proxy: the porter handle for posts */
	AoId id;              /* public: ao_id */
	void (*fn)(void *);
	struct Ao *volatile joiner;
	volatile int tallywait;
	unsigned rnd;         /* for fair choices */
	int streak;           /* mailbox messages taken in a row (ao_recv) */
	unsigned long slotseq;/* sequence of the call in the kernel reply slot */
	unsigned long seq;
	void *stack;          /* thread pages (guard excluded), and how many */
	size_t stackpages;
	AoMsg *stash;         /* messages ao_recvfrom set aside */
} Ao;

/*
 * Start fn(obj) in a new thread as the active object obj, whose first
 * member is an Ao (zeroed or not: it is set up here).  stack bytes of
 * stack (0: 64 KiB), a mailbox of slots messages (0: 16).  Returns 0 or
 * -err.  The thread inherits the creator's cpu; obj->thread names it.
 * When fn returns the object has ended: calls waiting on it are answered
 * AoEGone, messages left in its mailbox are dropped (their handles
 * closed, their tallies told AoEGone).  Every created object must be
 * joined by ao_join, which frees its stack and kernel objects.
 */
long ao_create(void *obj, void (*fn)(void *obj), size_t stack, int slots);
/*
 * Wait until a has ended, then release what ao_create made; a is then
 * the caller's memory again.  0, AoETimeout (try again later) or
 * AoEKilled (the caller itself was killed).
 */
long ao_join(Ao *a, long ms);
/*
 * Kill a: it is marked killed and woken.  Whatever blocking call of the
 * library it is in, or makes later, returns AoEKilled, so its body can
 * unwind and return; non-blocking calls (ao_reply, ao_post) still work.
 * A thread blocked inside a synchronous ao_call or ao_send to another
 * object cannot be woken this way (the kernel has no call for it); it
 * sees AoEKilled when that call ends.  For a proxy, the kill goes to the
 * remote task, if the export allowed it (AoExpKill).  0 or -err.
 */
long ao_kill(Ao *a);
/* Make the calling thread (not made by ao_create) the active object a,
 * so that it can receive and wait; ao_leave undoes it.  0 or -err. */
long ao_adopt(Ao *a, int slots);
void ao_leave(Ao *a);
/* The active object of the calling thread, or NULL. */
static inline Ao *
ao_self(void)
{
	Ao *a;

	__asm__("mov %%fs:%c1, %0" : "=r"(a) : "i"(__builtin_offsetof(MuTls, user[4])));
	return a;
}
static inline AoId ao_id(Ao *a) { return a->id; }
/* Sleep ms milliseconds; AoEKilled early if the caller is killed. */
long ao_sleep(long ms);
const char *ao_errstr(long err);

/* ---- synchronous messages (sync.c) ---- */

/*
 * Call `to` with req and wait for the reply in rep (which may be req).
 * 0, or the error the server answered (ao_replyerr), or AoETimeout
 * (the request may have been received), AoEGone, AoEKilled...  With
 * AoPoll the call fails at once unless `to` waits in a receive (then
 * the reply is awaited).  Any thread may call; the pointers must be
 * valid.
 */
long ao_call(Ao *to, const AoMsg *req, AoMsg *rep, long ms);
/* Send m to `to` and wait until it is received (a rendezvous). */
long ao_send(Ao *to, const AoMsg *m, long ms);
/*
 * Receive the next message for the calling object: a synchronous one on
 * its endpoint or a post (or asynchronous call) from its own mailbox,
 * oldest first and neither kind starving the other.  Messages that do not
 * follow the wire format are answered AoEFormat and skipped.
 */
long ao_recv(AoMsg *m, long ms);
/*
 * Receive a synchronous message from `from` only.  Messages from others
 * are set aside (up to 16; then AoEFull) for later ao_recv calls; posts
 * stay in the mailbox.
 */
long ao_recvfrom(AoMsg *m, AoId from, long ms);
/*
 * Answer req (an AoKCall or AoKACall) with rep.  A call received
 * directly must be answered before the object's next receive, or be
 * deferred first (ao_defer); a call still unanswered then is answered
 * AoENoReply.  0, AoENoReply or AoEGone (the caller gave up).
 */
long ao_reply(AoMsg *req, const AoMsg *rep);
/* Answer req with an error: the caller's ao_call returns err (< 0). */
long ao_replyerr(AoMsg *req, long err);
/* Keep the right to answer req (a call) past the next receive. */
long ao_defer(AoMsg *req);
/* ao_reply, then ao_recv; in one kernel entry when nothing else waits. */
long ao_replyrecv(AoMsg *req, const AoMsg *rep, AoMsg *m, long ms);

/* ---- mailboxes and posts (mbox.c) ---- */

/* Post m to `to`'s mailbox.  0, AoEFull (nothing was queued), AoEGone,
 * AoETimeout (a remote porter did not answer within two seconds). */
long ao_post(Ao *to, const AoMsg *m);
/* Take the oldest message from mb (NULL: the caller's own mailbox).
 * Only an object (ao_create, ao_adopt) can wait; another thread may
 * poll (AoPoll), else it gets AoEInval.  The same holds for ao_recv,
 * ao_waitany, ao_alt and the channels. */
long ao_take(AoMbox *mb, AoMsg *m, long ms);
/* A mailbox of slots messages (0: 16); destroy drops what is left and
 * fails waiting takers with AoEGone. */
long ao_mbox_init(AoMbox *mb, int slots);
long ao_mbox_post(AoMbox *mb, const AoMsg *m);
void ao_mbox_destroy(AoMbox *mb);

/* ---- asynchronous calls and tallies (tally.c) ---- */

/*
 * A tally stands for the reply of one asynchronous call.  The caller
 * owns it; it must stay in place until it is collected by ao_waitany or
 * dropped by ao_tally_cancel.
 */
typedef struct AoTally {
	AoMsg msg;     /* the reply, once complete */
	long status;   /* 0, or the call's error (AoETimeout past its deadline) */
	int slot;      /* private */
	unsigned gen;
} AoTally;

/*
 * Call `to` without waiting: the reply completes t.  ms bounds the whole
 * call (AoForever: no bound); past it t completes with AoETimeout.
 * 0 or -err (then t is not in use).
 */
long ao_acall(Ao *to, const AoMsg *req, AoTally *t, long ms);
/*
 * Wait until one of t[0..n-1] (NULL entries are skipped) completes.
 * Returns its index; it is then collected: t[i]->status and t[i]->msg
 * hold the result.  AoETimeout if none completed in ms.
 */
long ao_waitany(AoTally **t, int n, long ms);
void ao_tally_cancel(AoTally *t);

/* ---- channels and alt (chan.c) ---- */

/* An unbuffered (rendezvous) channel of size-byte elements, in one task. */
typedef struct AoChan {
	AoLock lk;
	size_t size;
	int closed;
	AoQ recvq, sendq;
} AoChan;

void ao_chan_init(AoChan *c, size_t size);
/* Wake everyone waiting on c with AoEClosed; later operations fail so. */
void ao_chan_close(AoChan *c);
long ao_chan_send(AoChan *c, const void *v, long ms);
long ao_chan_recv(AoChan *c, void *v, long ms);

enum AoAltOp { AoAltRecv = 1, AoAltSend, AoAltTake };

/* One branch of an alternative: receive into v, send *v, or take a
 * message from a mailbox into v (an AoMsg). */
typedef struct AoAlt {
	int op;          /* enum AoAltOp */
	AoChan *c;       /* AoAltRecv, AoAltSend */
	AoMbox *mb;      /* AoAltTake */
	void *v;
	long err;        /* out: 0, AoEClosed or AoEGone for the branch taken */
} AoAlt;

/*
 * Do whichever of the n branches can go first.  When several are ready
 * one is chosen at random, so under load each gets its fair share.
 * Returns the index of the branch done (see its err), or AoETimeout,
 * AoEKilled, AoEInval.
 */
long ao_alt(AoAlt *a, int n, long ms);

/* ---- between tasks (remote.c) ---- */

enum { AoExpKill = 1 }; /* holders of the export may kill the object */

/*
 * A handle another task can use to reach a (or mailbox mb) through
 * ao_attach: pass it on as any handle.  The object stays reachable until
 * it ends; calls through old handles then fail with AoEGone.  Returns
 * the handle (the caller's) or -err.
 */
long ao_export(Ao *a, int flags);
long ao_export_mbox(AoMbox *mb);
/*
 * Make proxy a stand-in for the remote object exported as h: ao_call,
 * ao_send, ao_post, ao_acall and ao_kill on proxy reach it.  h stays the
 * caller's.  ao_detach releases the proxy's handles.
 */
long ao_attach(Ao *proxy, long h, long ms);
void ao_detach(Ao *proxy);

/* ---- packing arguments (pack.c, pure) ---- */

/*
 * Pack the arguments into m->data according to fmt and set m->len:
 *   c  an unsigned byte (int)          i  int32_t (int)
 *   l  int64_t (long)                  s  a string (const char *)
 *   b  bytes with a length (const void *, size_t)
 * Each field is a type byte and the value, little-endian; strings and
 * byte strings carry a 16-bit length.  Returns m->len, AoEFull if it
 * does not fit, AoEInval for a bad format.
 */
long ao_pack(AoMsg *m, const char *fmt, ...);
/*
 * Unpack m->data by fmt into pointers: c uint8_t *, i int32_t *,
 * l int64_t *, s const char ** (into the message, NUL-terminated),
 * b const void **, size_t *.  The message must hold exactly those
 * fields: otherwise AoEFormat, and nothing past the bad field is set.
 */
long ao_unpack(const AoMsg *m, const char *fmt, ...);
/* The same on a plain buffer: bytes used, or the errors above. */
long ao_packbuf(uint8_t *buf, size_t cap, const char *fmt, ...);
long ao_unpackbuf(const uint8_t *buf, size_t len, const char *fmt, ...);
long ao_vpackbuf(uint8_t *buf, size_t cap, const char *fmt, va_list ap);
long ao_vunpackbuf(const uint8_t *buf, size_t len, const char *fmt, va_list ap);

#endif
