/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/libelf/elf.c, the parser the kernel runs on
 * the root task's image and the root task on every program it starts:
 * elf_check, elf_segment and elf_errstr over arbitrary bytes.  The image
 * is copied into a heap block of exactly its length, so AddressSanitizer
 * catches any read past the end.  Besides not crashing, the results must
 * keep the promises elf.h makes, since loaders trust them:
 *   - elf_check succeeds only with a load segment and the entry point in
 *     an executable one, and lo/hi bound every segment, below USER_TOP;
 *   - a segment elf_segment returns has filesz <= memsz, its file bytes
 *     inside the image and its memory inside user space;
 *   - elf_segment agrees with elf_check: if the image checks, no segment
 *     is an error, and indices outside 0..phnum-1 are.
 * Built and run by `make fuzz` (seeds: test/fuzz/mkseeds.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

#define USER_TOP 0x800000000000ull

#define MUST(c)                                                                     \
	do {                                                                        \
		if (!(c)) {                                                         \
			fprintf(stderr, "fuzz_elf: %s:%d: broken promise: %s\n", __FILE__, \
				__LINE__, #c);                                      \
			abort();                                                    \
		}                                                                   \
	} while (0)


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *img = malloc(size ? size : 1);
	volatile unsigned char sink = 0;
	ElfInfo info;
	ElfSeg seg;
	int r, ok, nload = 0, entryok = 0, phnum;

	if (img == NULL)
		return 0;
	memcpy(img, data, size);
	memset(&info, 0xa5, sizeof info);
	r = elf_check(img, size, &info);
	ok = r == 0;
	MUST(r <= 0 && r > -NElfErr);
	MUST(elf_errstr(r) != NULL && elf_errstr(-r) != NULL);
	MUST(elf_check(img, size, NULL) == r);
	if (ok) {
		MUST(info.phnum >= 1 && info.phnum < 0xffff);
		MUST(info.nload >= 1 && info.nload <= info.phnum);
		MUST(info.lo < info.hi && info.hi <= USER_TOP);
		MUST(info.entry >= info.lo && info.entry < info.hi);
	}
	/* phnum is two bytes at offset 56 when the header is there at all */
	phnum = size >= 58 ? img[56] | img[57] << 8 : 0;
	/* a bad header or table is the same error for every index */
	r = elf_segment(img, size, 0, &seg);
	if (r < 0 && r != -ElfEIndex && r != -ElfESeg) {
		MUST(!ok);
		MUST(elf_segment(img, size, -1, &seg) == r);
		MUST(elf_segment(img, size, phnum, &seg) == r);
		MUST(elf_segment(img, size, 0x7fffffff, &seg) == r);
		free(img);
		return 0;
	}
	for (int i = -2; i < phnum + 2; i++) {
		memset(&seg, 0x5a, sizeof seg);
		r = elf_segment(img, size, i, &seg);
		MUST(r <= 1 && r > -NElfErr);
		if (ok && (i < 0 || i >= phnum))
			MUST(r == -ElfEIndex);
		if (ok && i >= 0 && i < phnum)
			MUST(r >= 0);
		if (r != 1)
			continue;
		MUST(seg.memsz > 0 && seg.filesz <= seg.memsz);
		MUST(seg.offset <= size && seg.filesz <= size - seg.offset);
		MUST(seg.vaddr < USER_TOP && seg.memsz <= USER_TOP - seg.vaddr);
		MUST((seg.flags & ~(ElfRead | ElfWrite | ElfExec)) == 0);
		/* what a loader does with it: read the file bytes */
		for (uint64_t j = 0; j < seg.filesz; j += 4093)
			sink ^= img[seg.offset + j];
		if (seg.filesz)
			sink ^= img[seg.offset + seg.filesz - 1];
		if (ok) {
			nload++;
			MUST(seg.vaddr >= info.lo && seg.vaddr + seg.memsz <= info.hi);
			if ((seg.flags & ElfExec) && info.entry >= seg.vaddr &&
			    info.entry - seg.vaddr < seg.memsz)
				entryok = 1;
		}
	}
	if (ok) {
		MUST(nload == info.nload);
		MUST(entryok);
	}
	(void)sink;
	free(img);
	return 0;
}
