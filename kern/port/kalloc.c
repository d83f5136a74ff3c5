/* SPDX-License-Identifier: MIT */
/*
 * Kernel memory for objects: sizes up to 1 KiB come from slab pages of one
 * size class each (a page header counts objects in use, and an empty page
 * goes back to frame.c so free memory returns to where it was); larger
 * requests take whole frames.  Callers pass the size back to kfree.
 */
#include "kern.h"

typedef struct Slab Slab;
struct Slab {
	Slab *next, *prev;   /* pages of this class with a free object */
	void *free;          /* free objects, linked through their first word */
	u32 inuse, cls;
};

enum { NCLASS = 6, MINSHIFT = 5, HDR = 64 };
static Slab *partial[NCLASS];

static int sizeclass(size_t n)
{
	int c = 0;
	while ((32ul << c) < n)
		c++;
	return c;
}

static void unlink(Slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void push(Slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

/* Zeroed memory of n bytes, or nil. */
void *kalloc(size_t n)
{
	if (n > (32ul << (NCLASS - 1))) {
		u64 pa = frame_alloc((n + PGSIZE - 1) / PGSIZE, 0);
		return pa ? P2V(pa) : NULL;
	}
	int c = sizeclass(n);
	size_t sz = 32ul << c;
	Slab *s = partial[c];
	if (s == NULL) {
		u64 pa = frame_alloc(1, 0);
		if (pa == 0)
			return NULL;
		s = P2V(pa);
		s->cls = c;
		for (size_t off = (HDR + sz - 1) / sz * sz; off + sz <= PGSIZE; off += sz) {
			void **o = (void **)((char *)s + off);
			*o = s->free;
			s->free = o;
		}
		push(s);
	}
	void **o = s->free;
	s->free = *o;
	s->inuse++;
	if (s->free == NULL)
		unlink(s);
	memset(o, 0, sz);
	return o;
}

void kfree(void *p, size_t n)
{
	if (p == NULL)
		return;
	if (n > (32ul << (NCLASS - 1))) {
		frame_free(V2P(p), (n + PGSIZE - 1) / PGSIZE);
		return;
	}
	Slab *s = (Slab *)((uptr)p & ~(PGSIZE - 1));
	if (s->free == NULL)
		push(s);
	*(void **)p = s->free;
	s->free = p;
	if (--s->inuse == 0) {
		unlink(s);
		frame_free(V2P(s), 1);
	}
}
