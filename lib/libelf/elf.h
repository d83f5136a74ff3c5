/* SPDX-License-Identifier: MIT */
/*
 * ELF64 executables for x86-64: the file layouts and a pure parser
 * (elf.c) that checks an image and lists its loadable segments.  Loading
 * them (allocating, copying, mapping) is the caller's business.
 */
#ifndef LIBELF_ELF_H
#define LIBELF_ELF_H

#include <stddef.h>
#include <stdint.h>

/* The on-disk layouts, for building images; elf.c reads bytes instead. */
typedef struct ElfEhdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} ElfEhdr;

typedef struct ElfPhdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} ElfPhdr;

enum {
	ElfClass64 = 2,         /* ident[4] */
	ElfData2Lsb = 1,        /* ident[5] */
	ElfVersionCurrent = 1,  /* ident[6] and version */
	ElfTypeExec = 2,
	ElfMachineX86_64 = 62,
	ElfPtLoad = 1,
	ElfHdrSize = 64,        /* sizeof(ElfEhdr) */
	ElfPhdrSize = 56,       /* sizeof(ElfPhdr) */
};

/* Segment permissions: the values of the ELF p_flags bits. */
enum {
	ElfExec = 1,
	ElfWrite = 2,
	ElfRead = 4,
};

/* Errors, returned negated. */
enum ElfErr {
	ElfOk,
	ElfEShort,      /* image shorter than the ELF header */
	ElfEMagic,      /* not an ELF file */
	ElfEClass,      /* not 64-bit */
	ElfEData,       /* not little-endian */
	ElfEVersion,    /* unknown ELF version */
	ElfEMachine,    /* not x86-64 */
	ElfEType,       /* not an executable (ET_EXEC) */
	ElfEPhdr,       /* program header table malformed or outside the image */
	ElfEIndex,      /* no program header with that index */
	ElfESeg,        /* a load segment is malformed */
	ElfENoLoad,     /* no load segment */
	ElfEEntry,      /* entry point not in an executable segment */
	NElfErr
};

/* What elf_check learns of a valid image. */
typedef struct ElfInfo {
	uint64_t entry;
	int phnum;        /* program headers, for elf_segment */
	int nload;        /* non-empty load segments */
	uint64_t lo, hi;  /* lowest and one past the highest loaded address */
} ElfInfo;

/* One load segment: memsz bytes at vaddr, the first filesz from offset. */
typedef struct ElfSeg {
	uint64_t vaddr, memsz, filesz, offset;
	int flags;        /* ElfRead | ElfWrite | ElfExec */
} ElfSeg;

/*
 * Check that img[0..len-1] is an x86-64 executable whose every segment
 * is well-formed and lies in user space, with its entry point in an
 * executable segment.  Returns 0 and fills *out (may be NULL), or -ElfErr.
 */
int elf_check(const void *img, size_t len, ElfInfo *out);
/*
 * Program header i (0 <= i < phnum): 1 and *seg filled for a non-empty
 * load segment, 0 for one to skip, or -ElfErr.  Safe on any image.
 */
int elf_segment(const void *img, size_t len, int i, ElfSeg *seg);
/* A string for -ElfErr or ElfErr; never NULL. */
const char *elf_errstr(int err);

#endif
