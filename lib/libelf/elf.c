/* SPDX-License-Identifier: MIT */
/*
 * ELF64 parsing: checks an executable image and lists its load segments.
 * Pure (no state, no system calls, no libc): linked into the kernel and
 * into user programs.  Fields are read byte by byte, so images need not
 * be aligned and every length is checked before anything is read.
 */
#include <stdbool.h>

#include "elf.h"

#define USER_TOP 0x800000000000ull

static const char *errs[NElfErr] = {
	[ElfOk] = "no error",
	[ElfEShort] = "image shorter than an ELF header",
	[ElfEMagic] = "not an ELF file",
	[ElfEClass] = "not a 64-bit ELF file",
	[ElfEData] = "not little-endian",
	[ElfEVersion] = "unknown ELF version",
	[ElfEMachine] = "not an x86-64 program",
	[ElfEType] = "not an executable",
	[ElfEPhdr] = "bad program header table",
	[ElfEIndex] = "program header index out of range",
	[ElfESeg] = "bad load segment",
	[ElfENoLoad] = "no load segment",
	[ElfEEntry] = "entry point not in an executable segment",
};

static uint64_t
rd(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* Header fields at their offsets in ElfEhdr and ElfPhdr. */
#define EH_TYPE(p) rd((p) + 16, 2)
#define EH_MACHINE(p) rd((p) + 18, 2)
#define EH_VERSION(p) rd((p) + 20, 4)
#define EH_ENTRY(p) rd((p) + 24, 8)
#define EH_PHOFF(p) rd((p) + 32, 8)
#define EH_EHSIZE(p) rd((p) + 52, 2)
#define EH_PHENTSIZE(p) rd((p) + 54, 2)
#define EH_PHNUM(p) rd((p) + 56, 2)
#define PH_TYPE(p) rd((p) + 0, 4)
#define PH_FLAGS(p) rd((p) + 4, 4)
#define PH_OFFSET(p) rd((p) + 8, 8)
#define PH_VADDR(p) rd((p) + 16, 8)
#define PH_FILESZ(p) rd((p) + 32, 8)
#define PH_MEMSZ(p) rd((p) + 40, 8)

/* Is [off, off+n) inside an image of len bytes?  No overflow possible. */
static int
inside(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

/* The identity and header checks, in the order of the fields. */
static int
checkhdr(const unsigned char *p, size_t len)
{
	if (len < ElfHdrSize)
		return -ElfEShort;
	if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F')
		return -ElfEMagic;
	if (p[4] != ElfClass64)
		return -ElfEClass;
	if (p[5] != ElfData2Lsb)
		return -ElfEData;
	if (p[6] != ElfVersionCurrent || EH_VERSION(p) != ElfVersionCurrent)
		return -ElfEVersion;
	if (EH_TYPE(p) != ElfTypeExec)
		return -ElfEType;
	if (EH_MACHINE(p) != ElfMachineX86_64)
		return -ElfEMachine;
	if (EH_EHSIZE(p) < ElfHdrSize)
		return -ElfEShort;
	return 0;
}

/* The program header table: at least one entry, wholly in the image. */
static int
checkphdrs(const unsigned char *p, size_t len)
{
	uint64_t phnum = EH_PHNUM(p), entsize = EH_PHENTSIZE(p);

	/* 0xffff means "the count is elsewhere": not for executables. */
	if (phnum == 0 || phnum == 0xffff || entsize < ElfPhdrSize)
		return -ElfEPhdr;
	if (!inside(EH_PHOFF(p), phnum * entsize, len))
		return -ElfEPhdr;
	return 0;
}

int
elf_segment(const void *img, size_t len, int i, ElfSeg *seg)
{
	const unsigned char *p = img, *ph;
	uint64_t vaddr, memsz, filesz, off;
	int r;

	if ((r = checkhdr(p, len)) < 0 || (r = checkphdrs(p, len)) < 0)
		return r;
	if (i < 0 || (uint64_t)i >= EH_PHNUM(p))
		return -ElfEIndex;
	ph = p + EH_PHOFF(p) + (uint64_t)i * EH_PHENTSIZE(p);
	if (PH_TYPE(ph) != ElfPtLoad)
		return 0;
	vaddr = PH_VADDR(ph);
	memsz = PH_MEMSZ(ph);
	filesz = PH_FILESZ(ph);
	off = PH_OFFSET(ph);
	if (filesz > memsz || !inside(off, filesz, len))
		return -ElfESeg;
	if (vaddr >= USER_TOP || memsz > USER_TOP - vaddr)
		return -ElfESeg;
	if (memsz == 0)
		return 0;
	seg->vaddr = vaddr;
	seg->memsz = memsz;
	seg->filesz = filesz;
	seg->offset = off;
	seg->flags = PH_FLAGS(ph) & (ElfRead | ElfWrite | ElfExec);
	return 1;
}

int
elf_check(const void *img, size_t len, ElfInfo *out)
{
	const unsigned char *p = img;
	ElfInfo in = {0};
	bool entryok = false;
	ElfSeg s;
	int r;

	if ((r = checkhdr(p, len)) < 0 || (r = checkphdrs(p, len)) < 0)
		return r;
	in.entry = EH_ENTRY(p);
	in.phnum = EH_PHNUM(p);
	in.lo = USER_TOP;
	for (int i = 0; i < in.phnum; i++) {
		if ((r = elf_segment(img, len, i, &s)) < 0)
			return r;
		if (r == 0)
			continue;
		in.nload++;
		if (s.vaddr < in.lo)
			in.lo = s.vaddr;
		if (s.vaddr + s.memsz > in.hi)
			in.hi = s.vaddr + s.memsz;
		if (s.flags & ElfExec && in.entry >= s.vaddr && in.entry - s.vaddr < s.memsz)
			entryok = true;
	}
	if (in.nload == 0)
		return -ElfENoLoad;
	if (!entryok)
		return -ElfEEntry;
	if (out)
		*out = in;
	return 0;
}

const char *
elf_errstr(int err)
{
	if (err < 0)
		err = err < -NElfErr ? NElfErr : -err;
	if (err >= NElfErr || errs[err] == NULL)
		return "unknown ELF error";
	return errs[err];
}
