/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator: one bit per 4 KiB frame below PHYSMAX, set when
 * in use.  Single frames come from a rotating word search, runs from a
 * first-fit scan (for DMA and page tables alike).  kalloc.c carves small
 * objects out of these frames; mem.c hands them to user space.
 * Pure bookkeeping: test/host/test_frame.c runs it on the host.
 */
#ifdef HOSTTEST
#include <stdint.h>
#include <string.h>
typedef uint64_t u64;
#define PGSIZE 4096ul
#define PHYSMAX 0x100000000ul
u64 frame_alloc(u64 n, u64 below);
void frame_free(u64 pa, u64 n);
void frame_add(u64 base, u64 len);
void frame_reserve(u64 base, u64 len);
u64 frame_nfree(void);
u64 frame_ntotal(void);
int frame_isram(u64 pa);
void frame_init(u64 maxpfn);
#define ZERO(pa, n) ((void)0)
#else
#include "kern.h"
#define ZERO(pa, n) memset(P2V(pa), 0, (n) * PGSIZE)
#endif

#define MAXPFN (PHYSMAX / PGSIZE)
static u64 used[MAXPFN / 64];  /* 1 = in use or not RAM */
static u64 ram[MAXPFN / 64];   /* 1 = usable RAM */
static u64 npfn, nfree, ntotal, hint;

static int test(const u64 *b, u64 i) { return b[i / 64] >> (i % 64) & 1; }
static void set(u64 *b, u64 i) { b[i / 64] |= 1ul << (i % 64); }
static void clr(u64 *b, u64 i) { b[i / 64] &= ~(1ul << (i % 64)); }

void frame_init(u64 maxpfn)
{
	npfn = maxpfn < MAXPFN ? maxpfn : MAXPFN;
	memset(used, 0xff, sizeof used);
	memset(ram, 0, sizeof ram);
	nfree = ntotal = hint = 0;
}

/* Mark the whole frames inside [base, base+len) as free RAM. */
void frame_add(u64 base, u64 len)
{
	u64 first = (base + PGSIZE - 1) / PGSIZE, end = (base + len) / PGSIZE;

	if (first == 0)
		first = 1; /* frame 0 is never handed out: 0 means "none" */
	for (u64 i = first; i < end && i < npfn; i++) {
		if (!test(ram, i)) {
			set(ram, i);
			ntotal++;
		}
		if (test(used, i)) {
			clr(used, i);
			nfree++;
		}
	}
}

/* Mark every frame touching [base, base+len) used (kernel, modules). */
void frame_reserve(u64 base, u64 len)
{
	for (u64 i = base / PGSIZE; i < (base + len + PGSIZE - 1) / PGSIZE && i < npfn; i++)
		if (!test(used, i)) {
			set(used, i);
			nfree--;
		}
}

static u64 take(u64 i, u64 n)
{
	for (u64 j = i; j < i + n; j++)
		set(used, j);
	nfree -= n;
	ZERO(i * PGSIZE, n);
	return i * PGSIZE;
}

/*
 * n contiguous zeroed frames, all below `below` if it is nonzero.
 * Returns the physical address, or 0 when there is no such run (frame 0
 * is never handed out).
 */
u64 frame_alloc(u64 n, u64 below)
{
	u64 lim = npfn, run = 0;

	if (below && below / PGSIZE < lim)
		lim = below / PGSIZE;
	if (n == 0 || n > nfree)
		return 0;
	if (n == 1) {
		for (u64 k = 0, w = hint; k < (lim + 63) / 64; k++, w = (w + 1) % ((lim + 63) / 64)) {
			if (used[w] == ~0ul)
				continue;
			u64 i = w * 64 + __builtin_ctzl(~used[w]);
			if (i >= lim)
				continue;
			hint = w;
			return take(i, 1);
		}
		return 0;
	}
	for (u64 i = 1; i < lim; i++) {
		if (test(used, i)) {
			run = 0;
			if (used[i / 64] == ~0ul)
				i |= 63;
			continue;
		}
		if (++run == n)
			return take(i + 1 - n, n);
	}
	return 0;
}

void frame_free(u64 pa, u64 n)
{
	for (u64 i = pa / PGSIZE; i < pa / PGSIZE + n; i++) {
		if (i >= npfn || !test(ram, i) || !test(used, i))
			continue; /* not ours or already free: ignore rather than corrupt */
		clr(used, i);
		nfree++;
	}
}

u64 frame_nfree(void) { return nfree; }
u64 frame_ntotal(void) { return ntotal; }
int frame_isram(u64 pa) { return pa / PGSIZE < npfn && test(ram, pa / PGSIZE); }
