/* SPDX-License-Identifier: MIT */
/*
 * Reads the multiboot 1 information the loader left: the memory map, the
 * modules and the command line, copied into bootmem[], bootmods[] and
 * bootcmdline before anything may overwrite them.
 */
#include "port/kern.h"
#include "amd64/amd64.h"

BootMod bootmods[MuMaxModules];
u32 nbootmod;
BootMem bootmem[64];
u32 nbootmem;
char bootcmdline[256];

typedef struct __attribute__((packed)) MbInfo {
	u32 flags, memlower, memupper, bootdev, cmdline, nmods, mods;
	u32 syms[4];
	u32 mmaplen, mmapaddr;
} MbInfo;

typedef struct __attribute__((packed)) MbMod {
	u32 start, end, cmdline, pad;
} MbMod;

typedef struct __attribute__((packed)) MbMmap {
	u32 size;
	u64 base, len;
	u32 type;
} MbMmap;

/* The module's name: the last path element of the first word. */
static void modname(char *dst, const char *cmd)
{
	const char *s = cmd, *e;

	for (e = cmd; *e && *e != ' '; e++)
		if (*e == '/')
			s = e + 1;
	if (*e == ' ' && e[1])	/* "path name": the name the loader gave */
		s = e + 1;
	strlcpy(dst, s, 40);
	for (char *p = dst; *p; p++)
		if (*p == ' ')
			*p = 0;
}

void multiboot_parse(u32 magic, u64 info)
{
	MbInfo *mb = P2V(info);

	if (magic != 0x2badb002)
		panic("not started by a multiboot loader (magic %x)", magic);
	if ((mb->flags & 4) && mb->cmdline)
		strlcpy(bootcmdline, P2V(mb->cmdline), sizeof bootcmdline);
	if (mb->flags & 8) {
		MbMod *m = P2V(mb->mods);
		for (u32 i = 0; i < mb->nmods && nbootmod < MuMaxModules; i++) {
			BootMod *b = &bootmods[nbootmod++];
			b->start = m[i].start;
			b->end = m[i].end;
			modname(b->name, m[i].cmdline ? (char *)P2V(m[i].cmdline) : "module");
		}
	}
	if (mb->flags & 64) {
		for (u64 p = mb->mmapaddr; p < (u64)mb->mmapaddr + mb->mmaplen && nbootmem < nelem(bootmem);) {
			MbMmap *e = P2V(p);
			if (e->type == 1)
				bootmem[nbootmem++] = (BootMem){ e->base, e->len };
			p += e->size + 4;
		}
	} else if (mb->flags & 1) {
		bootmem[nbootmem++] = (BootMem){ 0x100000, (u64)mb->memupper * 1024 };
	}
}
