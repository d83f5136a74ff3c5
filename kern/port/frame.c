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
static u64 npfn, nfree, ntotal, hint, mhint; /* hints: single frames, runs */

static int test(const u64 *b, u64 i) { return b[i / 64] >> (i % 64) & 1; }
static void set(u64 *b, u64 i) { b[i / 64] |= 1ul << (i % 64); }
static void clr(u64 *b, u64 i) { b[i / 64] &= ~(1ul << (i % 64)); }

void frame_init(u64 maxpfn)
{
	npfn = maxpfn < MAXPFN ? maxpfn : MAXPFN;
	memset(used, 0xff, sizeof used);
	memset(ram, 0, sizeof ram);
	nfree = ntotal = hint = mhint = 0;
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

/* The first run of n free frames in [from, lim), or 0.  Whole words of
 * the bitmap at a time: a used word is one test, a free stretch one
 * count-trailing-zeros per word. */
static u64 findrun(u64 from, u64 lim, u64 n)
{
	u64 i = from;

	while (i + n <= lim) {
		u64 w = i / 64, fr = ~used[w] & (~0ul << (i % 64));
		if (fr == 0) {
			i = (w + 1) * 64;
			continue;
		}
		i = w * 64 + __builtin_ctzl(fr); /* the first free frame */
		u64 j = i;                        /* the first used one after it */
		while (j < i + n && j < lim) {
			u64 w2 = j / 64, u = used[w2] & (~0ul << (j % 64));
			if (u) {
				j = w2 * 64 + __builtin_ctzl(u);
				break;
			}
			j = (w2 + 1) * 64;
		}
		if (j >= i + n && i + n <= lim)
			return i;
		i = j + 1;
	}
	return 0;
}

/*
 * n contiguous zeroed frames, all below `below` if it is nonzero.
 * Returns the physical address, or 0 when there is no such run (frame 0
 * is never handed out).
 */
u64 frame_alloc(u64 n, u64 below)
{
	u64 lim = npfn;

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
	/* next fit: from where the last run ended, then from the start */
	u64 i = mhint > 1 && mhint < lim ? findrun(mhint, lim, n) : 0;
	if (i == 0)
		i = findrun(1, lim, n);
	if (i == 0)
		return 0;
	mhint = i + n;
	return take(i, n);
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
