/* SPDX-License-Identifier: MIT */
/*
 * malloc, free, calloc, realloc on top of mu_pages (lib/libmu/mu.c).
 * Small blocks (<= 2 KiB) come from per-size-class free lists refilled a
 * run of pages at a time, and are only ever reused, never unmapped; large
 * blocks are whole page runs of their own, unmapped by free.  Every block
 * starts with a 16-byte Hdr, which keeps user pointers 16-byte aligned and
 * lets free check what it is given.  One spinlock guards the free lists.
 */
#include "libc.h"
#include "mu.h"

typedef struct Hdr {
	size_t size;      /* usable bytes after the header */
	uint32_t magic;   /* MagicSmall, MagicLarge or MagicFree */
	uint32_t cls;     /* size class of a small block */
} Hdr;

/* A free small block: the link lives where the user data was. */
typedef struct Free {
	Hdr h;
	struct Free *next;
} Free;

enum {
	MagicSmall = 0x6c6c616d, /* "mall" */
	MagicLarge = 0x6772616c, /* "larg" */
	MagicFree = 0x65657266,  /* "free" */
	MaxSmall = 2048,
	RunPages = 8,            /* pages carved into blocks per refill */
	NClass = 14,
};

/* Usable sizes of the classes: steps of about 1.5x keep waste bounded. */
static const size_t classsize[NClass] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, MaxSmall,
};

static Free *freelist[NClass];
static int lock;

static void
lk(void)
{
	unsigned spins = 0;

	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&lock, __ATOMIC_RELAXED)) {
			__asm__ volatile("pause");
			/* The holder may be preempted on this cpu: let it run. */
			if (++spins % 1024 == 0)
				mu_yield();
		}
	}
}

static void
unlk(void)
{
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

static int
sizeclass(size_t n)
{
	int c = 0;

	while (classsize[c] < n)
		c++;
	return c;
}

/* Carve a new run of pages into free blocks of class c and list them. */
static bool
refill(int c)
{
	size_t bsize = sizeof(Hdr) + classsize[c];
	size_t nb = RunPages * MuPageSize / bsize;
	char *run = mu_pages(RunPages);
	Free *first = NULL, *last = NULL, *b;

	if (run == NULL)
		return false;
	for (size_t i = nb; i-- > 0;) {
		b = (Free *)(run + i * bsize);
		b->h.size = classsize[c];
		b->h.magic = MagicFree;
		b->h.cls = c;
		b->next = first;
		first = b;
		if (last == NULL)
			last = b;
	}
	lk();
	last->next = freelist[c];
	freelist[c] = first;
	unlk();
	return true;
}

static void *
largealloc(size_t n)
{
	size_t pages;
	Hdr *h;

	if (n > SIZE_MAX - sizeof(Hdr) - MuPageSize)
		return NULL;
	pages = (n + sizeof(Hdr) + MuPageSize - 1) / MuPageSize;
	h = mu_pages(pages);
	if (h == NULL)
		return NULL;
	h->size = pages * MuPageSize - sizeof(Hdr);
	h->magic = MagicLarge;
	h->cls = 0;
	return h + 1;
}

void *
malloc(size_t n)
{
	int c;
	Free *b;

	if (n > MaxSmall)
		return largealloc(n);
	c = sizeclass(n);
	for (;;) {
		lk();
		b = freelist[c];
		if (b != NULL) {
			freelist[c] = b->next;
			b->h.magic = MagicSmall;
			unlk();
			return &b->h + 1;
		}
		unlk();
		/* Refill outside the lock: it makes system calls. */
		if (!refill(c))
			return NULL;
	}
}

void
free(void *p)
{
	Hdr *h;
	Free *b;

	if (p == NULL)
		return;
	h = (Hdr *)p - 1;
	if (h->magic == MagicLarge) {
		h->magic = MagicFree;
		mu_pages_free(h, (h->size + sizeof(Hdr)) / MuPageSize);
		return;
	}
	lk();
	if (h->magic != MagicSmall || h->cls >= NClass) {
		unlk();
		panic("free: %p: %s", p, h->magic == MagicFree ? "freed twice" : "not from malloc");
	}
	b = (Free *)h;
	b->h.magic = MagicFree;
	b->next = freelist[h->cls];
	freelist[h->cls] = b;
	unlk();
}

void *
calloc(size_t nmemb, size_t size)
{
	size_t n;
	void *p;

	if (__builtin_mul_overflow(nmemb, size, &n))
		return NULL;
	p = malloc(n);
	/* Large blocks are fresh pages, zero already. */
	if (p != NULL && n <= MaxSmall)
		memset(p, 0, n);
	return p;
}

void *
realloc(void *p, size_t n)
{
	Hdr *h;
	void *q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	h = (Hdr *)p - 1;
	if (h->magic != MagicSmall && h->magic != MagicLarge)
		panic("realloc: %p: not an allocated block", p);
	if (n <= h->size)
		return p;
	q = malloc(n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, h->size);
	free(p);
	return q;
}
