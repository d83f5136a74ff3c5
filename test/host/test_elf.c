/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libelf/elf.c on images built here in memory: a
 * valid executable and many broken variants of it.  Each check copies the
 * image into a heap block of exactly its length, so that the sanitizer
 * catches any read past the end.
 */
#include "hosttest.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

#define USER_TOP 0x800000000000ull
#define nelem(a) (sizeof(a) / sizeof((a)[0]))


/*
 * The test program: headers, then text (R-X, 0x400000), rodata (R,
 * 0x401000) and data+bss (RW, 0x402000), and a GNU_STACK header that is
 * not a load segment.
 */
enum { ImgLen = 0x3000, NPhdr = 4, Entry = 0x400010 };

typedef struct Img {
	unsigned char b[ImgLen];
	size_t len;
} Img;

static ElfEhdr *
ehdr(Img *m)
{
	return (ElfEhdr *)m->b;
}

static ElfPhdr *
phdr(Img *m, int i)
{
	return (ElfPhdr *)(m->b + sizeof(ElfEhdr)) + i;
}

static void
mkimage(Img *m)
{
	ElfEhdr *e = ehdr(m);
	static const ElfPhdr ph[NPhdr] = {
		{ElfPtLoad, ElfRead | ElfExec, 0x1000, 0x400000, 0x400000, 0x100, 0x100, 0x1000},
		{ElfPtLoad, ElfRead, 0x2000, 0x401000, 0x401000, 0x80, 0x80, 0x1000},
		{ElfPtLoad, ElfRead | ElfWrite, 0x2800, 0x402000, 0x402000, 0x800, 0x3000, 0x1000},
		{0x6474e551, ElfRead | ElfWrite, 0, 0, 0, 0, 0, 16}, /* PT_GNU_STACK */
	};

	memset(m, 0, sizeof *m);
	m->len = ImgLen;
	memcpy(e->ident, "\x7f" "ELF", 4);
	e->ident[4] = ElfClass64;
	e->ident[5] = ElfData2Lsb;
	e->ident[6] = ElfVersionCurrent;
	e->type = ElfTypeExec;
	e->machine = ElfMachineX86_64;
	e->version = ElfVersionCurrent;
	e->entry = Entry;
	e->phoff = sizeof(ElfEhdr);
	e->ehsize = sizeof(ElfEhdr);
	e->phentsize = sizeof(ElfPhdr);
	e->phnum = NPhdr;
	memcpy(phdr(m, 0), ph, sizeof ph);
	for (size_t i = 0x1000; i < ImgLen; i++)
		m->b[i] = (unsigned char)i;
}

/* elf_check on an exact-size heap copy of img[0..len-1] at offset off. */
static int
check_at(const void *img, size_t len, size_t off, ElfInfo *info)
{
	unsigned char *p = malloc(len + off);
	int r;

	memcpy(p + off, img, len);
	r = elf_check(p + off, len, info);
	free(p);
	return r;
}

static int
check(Img *m, ElfInfo *info)
{
	return check_at(m->b, m->len, 0, info);
}

static int
segment(Img *m, int i, ElfSeg *s)
{
	unsigned char *p = malloc(m->len);
	int r;

	memcpy(p, m->b, m->len);
	r = elf_segment(p, m->len, i, s);
	free(p);
	return r;
}

static void
test_valid(void)
{
	static Img m;
	ElfInfo in;
	ElfSeg s;

	mkimage(&m);
	CHECK(sizeof(ElfEhdr) == ElfHdrSize && sizeof(ElfPhdr) == ElfPhdrSize);
	CHECK(check(&m, &in) == 0);
	CHECK(check(&m, NULL) == 0);
	CHECK(in.entry == Entry && in.phnum == NPhdr && in.nload == 3);
	CHECK(in.lo == 0x400000 && in.hi == 0x405000);

	CHECK(segment(&m, 0, &s) == 1);
	CHECK(s.vaddr == 0x400000 && s.memsz == 0x100 && s.filesz == 0x100);
	CHECK(s.offset == 0x1000 && s.flags == (ElfRead | ElfExec));
	CHECK(segment(&m, 1, &s) == 1 && s.vaddr == 0x401000 && s.flags == ElfRead);
	CHECK(segment(&m, 2, &s) == 1 && s.vaddr == 0x402000 && s.memsz == 0x3000);
	CHECK(s.filesz == 0x800 && s.offset == 0x2800 && s.flags == (ElfRead | ElfWrite));
	CHECK(segment(&m, 3, &s) == 0);
	CHECK(segment(&m, -1, &s) == -ElfEIndex);
	CHECK(segment(&m, NPhdr, &s) == -ElfEIndex);

	/* No alignment needed: the same image at every offset. */
	for (size_t off = 1; off < 16; off++)
		CHECK(check_at(m.b, m.len, off, NULL) == 0);
	/* Unknown flag bits are dropped. */
	phdr(&m, 0)->flags |= 0xf0000000;
	CHECK(segment(&m, 0, &s) == 1 && s.flags == (ElfRead | ElfExec));
}

/* Cut the image short at every length: each must fail, none may overread. */
static void
test_truncated(void)
{
	static Img m;
	ElfSeg s;

	mkimage(&m);
	for (size_t len = 0; len < ImgLen; len++) {
		int r = check_at(m.b, len, 0, NULL);
		CHECK(r < 0);
		if (len < ElfHdrSize)
			CHECK(r == -ElfEShort);
		else if (len < ElfHdrSize + NPhdr * ElfPhdrSize)
			CHECK(r == -ElfEPhdr);
		else
			CHECK(r == -ElfESeg);
	}
	/* elf_segment on a short image fails too. */
	m.len = 40;
	CHECK(segment(&m, 0, &s) == -ElfEShort);
}

static void
test_ident(void)
{
	static Img m;

	for (int i = 0; i < 4; i++) {
		mkimage(&m);
		m.b[i] ^= 0x20;
		CHECK(check(&m, NULL) == -ElfEMagic);
	}
	mkimage(&m);
	m.b[4] = 1; /* ELFCLASS32 */
	CHECK(check(&m, NULL) == -ElfEClass);
	mkimage(&m);
	m.b[5] = 2; /* big-endian */
	CHECK(check(&m, NULL) == -ElfEData);
	mkimage(&m);
	m.b[6] = 0;
	CHECK(check(&m, NULL) == -ElfEVersion);
	mkimage(&m);
	ehdr(&m)->version = 2;
	CHECK(check(&m, NULL) == -ElfEVersion);
	mkimage(&m);
	ehdr(&m)->machine = 3; /* i386 */
	CHECK(check(&m, NULL) == -ElfEMachine);
	mkimage(&m);
	ehdr(&m)->type = 3; /* ET_DYN */
	CHECK(check(&m, NULL) == -ElfEType);
	ehdr(&m)->type = 1; /* ET_REL */
	CHECK(check(&m, NULL) == -ElfEType);
	mkimage(&m);
	ehdr(&m)->ehsize = 52;
	CHECK(check(&m, NULL) == -ElfEShort);
}

static void
test_phdrs(void)
{
	static Img m;
	static const uint64_t badoff[] = {
		ImgLen, ImgLen - 10, ImgLen - NPhdr * ElfPhdrSize + 1, ImgLen + 1,
		UINT64_MAX, UINT64_MAX - 10, UINT64_MAX - NPhdr * ElfPhdrSize + 1,
		1ull << 63,
	};

	mkimage(&m);
	ehdr(&m)->phnum = 0;
	CHECK(check(&m, NULL) == -ElfEPhdr);
	ehdr(&m)->phnum = 0xffff;
	CHECK(check(&m, NULL) == -ElfEPhdr);
	ehdr(&m)->phnum = 300; /* past the end of the image */
	CHECK(check(&m, NULL) == -ElfEPhdr);
	mkimage(&m);
	ehdr(&m)->phentsize = 32;
	CHECK(check(&m, NULL) == -ElfEPhdr);
	ehdr(&m)->phentsize = 0;
	CHECK(check(&m, NULL) == -ElfEPhdr);
	for (size_t i = 0; i < nelem(badoff); i++) {
		mkimage(&m);
		ehdr(&m)->phoff = badoff[i];
		CHECK(check(&m, NULL) == -ElfEPhdr);
	}
	/* The table may end exactly at the end of the image. */
	mkimage(&m);
	memcpy(m.b + ImgLen - NPhdr * ElfPhdrSize, phdr(&m, 0), NPhdr * ElfPhdrSize);
	ehdr(&m)->phoff = ImgLen - NPhdr * ElfPhdrSize;
	memset(phdr(&m, 0), 0xee, NPhdr * ElfPhdrSize); /* the old place is ignored */
	CHECK(check(&m, NULL) == 0);
	/* Larger entries are allowed: the parser steps by phentsize. */
	mkimage(&m);
	{
		ElfPhdr ph[NPhdr];
		memcpy(ph, phdr(&m, 0), sizeof ph);
		memset(phdr(&m, 0), 0, NPhdr * 64);
		for (int i = 0; i < NPhdr; i++)
			memcpy(m.b + sizeof(ElfEhdr) + i * 64, &ph[i], sizeof ph[i]);
		ehdr(&m)->phentsize = 64;
	}
	CHECK(check(&m, NULL) == 0);
}

/* Change one field of segment i to v and expect err from elf_check. */
#define SEG(i, field, v, err)                          \
	do {                                           \
		mkimage(&m);                           \
		phdr(&m, i)->field = (v);              \
		CHECK(check(&m, NULL) == (err));       \
	} while (0)

static void
test_segments(void)
{
	static Img m;
	ElfSeg s;
	ElfInfo in;

	SEG(2, filesz, 0x3001, -ElfESeg);                /* filesz > memsz */
	SEG(2, filesz, 0x801, -ElfESeg);                 /* past the image */
	SEG(0, offset, ImgLen - 0xff, -ElfESeg);
	SEG(0, offset, ImgLen - 0x100, 0);               /* ends at the end: fine */
	SEG(0, offset, UINT64_MAX, -ElfESeg);            /* offset + filesz overflows */
	SEG(0, offset, UINT64_MAX - 0x7f, -ElfESeg);
	SEG(2, offset, 1ull << 63, -ElfESeg);
	SEG(1, vaddr, UINT64_MAX - 0x10, -ElfESeg);      /* vaddr + memsz overflows */
	SEG(1, vaddr, USER_TOP, -ElfESeg);
	SEG(1, vaddr, USER_TOP - 0x40, -ElfESeg);        /* crosses the user top */
	SEG(1, vaddr, USER_TOP - 0x80, 0);               /* ends at the top: fine */
	SEG(1, memsz, UINT64_MAX, -ElfESeg);
	SEG(1, memsz, USER_TOP, -ElfESeg);
	SEG(1, filesz, UINT64_MAX, -ElfESeg);

	/* An empty load segment is skipped, with an offset beyond the image even. */
	mkimage(&m);
	phdr(&m, 1)->filesz = phdr(&m, 1)->memsz = 0;
	CHECK(segment(&m, 1, &s) == 0);
	CHECK(check(&m, &in) == 0 && in.nload == 2);
	phdr(&m, 1)->offset = ImgLen;
	CHECK(check(&m, NULL) == 0);
	phdr(&m, 1)->offset = ImgLen + 1;
	CHECK(check(&m, NULL) == -ElfESeg);

	/* No load segment at all. */
	mkimage(&m);
	for (int i = 0; i < 3; i++)
		phdr(&m, i)->type = 0;
	CHECK(check(&m, NULL) == -ElfENoLoad);
}

static void
test_entry(void)
{
	static Img m;

	mkimage(&m);
	ehdr(&m)->entry = 0x400000;
	CHECK(check(&m, NULL) == 0);
	ehdr(&m)->entry = 0x4000ff; /* last byte of text */
	CHECK(check(&m, NULL) == 0);
	ehdr(&m)->entry = 0x400100; /* one past */
	CHECK(check(&m, NULL) == -ElfEEntry);
	ehdr(&m)->entry = 0x3fffff;
	CHECK(check(&m, NULL) == -ElfEEntry);
	ehdr(&m)->entry = 0;
	CHECK(check(&m, NULL) == -ElfEEntry);
	ehdr(&m)->entry = 0x402000; /* data: not executable */
	CHECK(check(&m, NULL) == -ElfEEntry);
	ehdr(&m)->entry = UINT64_MAX;
	CHECK(check(&m, NULL) == -ElfEEntry);
	/* Executable data makes it acceptable. */
	phdr(&m, 2)->flags |= ElfExec;
	ehdr(&m)->entry = 0x404fff; /* in bss */
	CHECK(check(&m, NULL) == 0);
}

static void
test_errstr(void)
{
	for (int i = 0; i < NElfErr; i++) {
		CHECK(elf_errstr(i) != NULL && elf_errstr(-i) == elf_errstr(i));
		for (int j = 0; j < i; j++)
			CHECK(strcmp(elf_errstr(i), elf_errstr(j)) != 0);
	}
	CHECK(strcmp(elf_errstr(NElfErr), "unknown ELF error") == 0);
	CHECK(strcmp(elf_errstr(-1000), "unknown ELF error") == 0);
	CHECK(strcmp(elf_errstr(-2147483647 - 1), "unknown ELF error") == 0);
}

/*
 * Random damage to a valid image: nothing may read out of bounds, and
 * whatever elf_check accepts must keep every promise it makes.
 */
static void
test_mutate(void)
{
	static Img m;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	static const uint64_t vals[] = {
		0, 1, 0xff, 0x1000, ImgLen, ImgLen - 1, UINT32_MAX, USER_TOP - 1, USER_TOP,
		UINT64_MAX, UINT64_MAX - 0xfff, 1ull << 63,
	};

	for (int iter = 0; iter < 20000; iter++) {
		ElfInfo in;
		ElfSeg s;

		mkimage(&m);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t at = (seed >> 20) % (sizeof(ElfEhdr) + NPhdr * sizeof(ElfPhdr));
			uint64_t v = (seed >> 33) & 1 ? vals[(seed >> 40) % nelem(vals)] : seed >> 13;
			int width = 1 << ((seed >> 50) % 4);
			if (at + width > sizeof m.b)
				at = sizeof m.b - width;
			memcpy(m.b + at, &v, width);
		}
		m.len = iter % 3 == 0 ? (seed >> 24) % ImgLen : ImgLen;
		if (check(&m, &in) != 0)
			continue;
		CHECK(in.nload > 0 && in.lo < in.hi && in.hi <= USER_TOP);
		for (int i = 0; i < in.phnum; i++) {
			int r = segment(&m, i, &s);
			CHECK(r == 0 || r == 1);
			if (r == 0)
				continue;
			CHECK(s.filesz <= s.memsz && s.memsz > 0);
			CHECK(s.offset <= m.len && s.filesz <= m.len - s.offset);
			CHECK(s.vaddr < USER_TOP && s.memsz <= USER_TOP - s.vaddr);
			CHECK(s.vaddr >= in.lo && s.vaddr + s.memsz <= in.hi);
		}
	}
}

static const HostTest tests[] = {
	{test_valid, "valid"},
	{test_truncated, "truncated"},
	{test_ident, "ident"},
	{test_phdrs, "phdrs"},
	{test_segments, "segments"},
	{test_entry, "entry"},
	{test_errstr, "errstr"},
	{test_mutate, "mutate"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
