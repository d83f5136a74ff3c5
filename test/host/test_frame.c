/* SPDX-License-Identifier: MIT */
/* Host unit tests of the physical frame allocator's bookkeeping (kern/port/frame.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
void frame_init(u64 maxpfn);
void frame_add(u64 base, u64 len);
void frame_reserve(u64 base, u64 len);
u64 frame_alloc(u64 n, u64 below);
void frame_free(u64 pa, u64 n);
u64 frame_nfree(void);
u64 frame_ntotal(void);
int frame_isram(u64 pa);

static int failed;
#define CHECK(c) do { if (!(c)) { printf("%s: FAILED (%s:%d: %s)\n", name, __FILE__, __LINE__, #c); failed = 1; return; } } while (0)
static const char *name;

static void t_add_reserve(void)
{
	frame_init(1024);
	frame_add(0x1000, 0x100000 - 0x1000);  /* frames 1..255 */
	frame_add(0x200800, 0x3000);           /* partial pages: frames 0x201, 0x202 */
	CHECK(frame_ntotal() == 255 + 2);
	CHECK(frame_nfree() == 257);
	frame_add(0, 0x1000);                  /* frame 0 is never free */
	CHECK(frame_nfree() == 257);
	frame_reserve(0x10000, 0x2001);        /* 3 frames */
	CHECK(frame_nfree() == 254);
	CHECK(frame_isram(0x10000) && !frame_isram(0x300000) && !frame_isram(0));
}

static void t_alloc_free(void)
{
	u64 a, b, n0;

	frame_init(1024);
	frame_add(0, 0x400000);
	n0 = frame_nfree();
	a = frame_alloc(1, 0);
	b = frame_alloc(1, 0);
	CHECK(a && b && a != b && (a & 0xfff) == 0);
	CHECK(frame_nfree() == n0 - 2);
	frame_free(a, 1);
	frame_free(a, 1); /* double free is ignored */
	CHECK(frame_nfree() == n0 - 1);
	frame_free(b, 1);
	CHECK(frame_nfree() == n0);
}

static void t_contig(void)
{
	u64 a, b;

	frame_init(1024);
	frame_add(0, 0x400000);
	frame_reserve(0x5000, 0x1000); /* a hole */
	a = frame_alloc(16, 0);
	CHECK(a && (a >= 0x6000 || a + 16 * 4096 <= 0x5000));
	b = frame_alloc(1010, 0);
	CHECK(b == 0); /* not that many contiguous */
	CHECK(frame_alloc(2, 0x3000) == 0x1000); /* below a limit */
	CHECK(frame_alloc(1, 0x3000) == 0);
	frame_free(a, 16);
}

static void t_exhaust(void)
{
	u64 n = 0;

	frame_init(64);
	frame_add(0, 64 * 4096);
	while (frame_alloc(1, 0))
		n++;
	CHECK(n == 63); /* frame 0 never handed out */
	CHECK(frame_nfree() == 0);
	CHECK(frame_alloc(1, 0) == 0);
}

/* Runs of random sizes taken and given back at random: every run handed
 * out is free and in range, none overlap, and frame_alloc fails only when
 * a brute-force search finds no run either (the search is next-fit over
 * whole bitmap words, so check it against the plain one). */
static void t_runs(void)
{
	enum { N = 700, K = 64 };
	static unsigned char mine[N];
	u64 base[K] = { 0 }, len[K] = { 0 }, seed = 12345;

	frame_init(N);
	frame_add(0, (u64)N * 4096);
	frame_reserve(130 * 4096, 3 * 4096);
	memset(mine, 0, sizeof mine);
	mine[0] = 1;
	for (int i = 130; i < 133; i++)
		mine[i] = 1;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		int k = (int)(seed >> 33) % K;
		if (len[k]) {
			frame_free(base[k], len[k]);
			for (u64 j = 0; j < len[k]; j++)
				mine[base[k] / 4096 + j] = 0;
			len[k] = 0;
			continue;
		}
		u64 n = 1 + (seed >> 40) % 70, below = (seed >> 20) % 4 == 0 ? 400 * 4096 : 0;
		u64 lim = below ? 400 : N, run = 0, exists = 0;
		for (u64 i = 0; i < lim && !exists; i++) {
			run = mine[i] ? 0 : run + 1;
			exists = run >= n;
		}
		u64 a = frame_alloc(n, below);
		CHECK((a != 0) == (exists != 0));
		if (a == 0)
			continue;
		CHECK(a % 4096 == 0 && a / 4096 + n <= lim);
		for (u64 j = 0; j < n; j++) {
			CHECK(!mine[a / 4096 + j]);
			mine[a / 4096 + j] = 1;
		}
		base[k] = a;
		len[k] = n;
	}
}

static const struct { void (*fn)(void); const char *name; } tests[] = {
	{ t_runs, "frame.runs" },
	{ t_add_reserve, "frame.add_reserve" },
	{ t_alloc_free, "frame.alloc_free" },
	{ t_contig, "frame.contig" },
	{ t_exhaust, "frame.exhaust" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		int f = failed;
		name = tests[i].name;
		failed = 0;
		tests[i].fn();
		if (!failed)
			printf("%s: OK\n", name);
		failed |= f;
	}
	return failed;
}
