/* SPDX-License-Identifier: MIT */
/*
 * The seed corpora of `make fuzz`, made here instead of kept as binary
 * files: `mkseeds DIR` writes DIR/elf/ (small ELF images, valid and each
 * broken in one way), DIR/strtol/ (a base byte and a number string) and
 * DIR/9p/ (9P2000 messages, lib/lib9p/fcall.h, spelled out in bytes).
 * The fuzzers grow their own corpora from these.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf.h"

static const char *outdir;
static int nfile;

static void put(const char *sub, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s/%s", outdir, sub, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	nfile++;
}

static void mkdirs(const char *sub)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", outdir, sub);
	if (mkdir(outdir, 0755) < 0 && errno != EEXIST) {
		perror(outdir);
		exit(1);
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

/*
 * An executable: the header, nph program headers right after it, then
 * code.  Segment i loads 0x100 bytes of the file at 0x400000 + i pages;
 * segment 0 is R-X and holds the entry point.
 */
enum { MaxPh = 4, ImgLen = 64 + MaxPh * 56 + MaxPh * 0x100 };

typedef struct Img {
	unsigned char b[ImgLen];
	size_t len;
	ElfEhdr *e;
	ElfPhdr *ph;
} Img;

static void mk(Img *m, int nph)
{
	memset(m, 0, sizeof *m);
	m->e = (ElfEhdr *)m->b;
	m->ph = (ElfPhdr *)(m->b + sizeof(ElfEhdr));
	memcpy(m->e->ident, "\177ELF", 4);
	m->e->ident[4] = ElfClass64;
	m->e->ident[5] = ElfData2Lsb;
	m->e->ident[6] = ElfVersionCurrent;
	m->e->type = ElfTypeExec;
	m->e->machine = ElfMachineX86_64;
	m->e->version = ElfVersionCurrent;
	m->e->entry = 0x400010;
	m->e->phoff = sizeof(ElfEhdr);
	m->e->ehsize = sizeof(ElfEhdr);
	m->e->phentsize = sizeof(ElfPhdr);
	m->e->phnum = nph;
	size_t code = sizeof(ElfEhdr) + nph * sizeof(ElfPhdr);
	for (int i = 0; i < nph; i++) {
		ElfPhdr *p = &m->ph[i];
		p->type = ElfPtLoad;
		p->flags = i == 0 ? ElfRead | ElfExec : i == 1 ? ElfRead : ElfRead | ElfWrite;
		p->offset = code + i * 0x100;
		p->vaddr = p->paddr = 0x400000 + i * 0x1000;
		p->filesz = 0x100;
		p->memsz = i == nph - 1 && i > 0 ? 0x3000 : 0x100; /* the last has bss */
		p->align = 0x1000;
	}
	m->len = code + nph * 0x100;
	memset(m->b + code, 0x90, 0x100); /* nops, then hlt */
	m->b[code + 0xff] = 0xf4;
}

static void elfseeds(void)
{
	Img m;

	mk(&m, 1);
	put("elf", "min", m.b, m.len);
	mk(&m, 3);
	put("elf", "three", m.b, m.len);
	mk(&m, 4);
	m.ph[3].type = 0x6474e551; /* PT_GNU_STACK: not loaded */
	m.ph[3].filesz = m.ph[3].memsz = 0;
	put("elf", "stack", m.b, m.len);
	mk(&m, 2);
	m.ph[1].filesz = 0; /* bss only */
	put("elf", "bss", m.b, m.len);
	mk(&m, 2);
	m.e->entry = 0x400100 - 1; /* the last byte of text */
	put("elf", "entryedge", m.b, m.len);
	mk(&m, 2);
	m.ph[1].vaddr = 0x7fffffffe000; /* up against the top of user space */
	m.ph[1].memsz = 0x2000;
	put("elf", "top", m.b, m.len);
	mk(&m, 2);
	m.e->phentsize = 64; /* larger entries than ElfPhdr: allowed */
	put("elf", "phent64", m.b, m.len);
	/* broken, one way each */
	mk(&m, 1);
	m.e->entry = 0x500000;
	put("elf", "badentry", m.b, m.len);
	mk(&m, 2);
	m.ph[0].flags = ElfRead;
	put("elf", "noexec", m.b, m.len);
	mk(&m, 1);
	m.ph[0].filesz = 0x200; /* more file than memory */
	put("elf", "filesz", m.b, m.len);
	mk(&m, 1);
	m.ph[0].offset = m.len - 0x10; /* file bytes past the end */
	put("elf", "offset", m.b, m.len);
	mk(&m, 1);
	m.e->phnum = 0xffff;
	put("elf", "phnum", m.b, m.len);
	mk(&m, 1);
	m.ph[0].vaddr = 0x800000000000 - 0x80; /* crosses the top */
	put("elf", "cross", m.b, m.len);
	mk(&m, 1);
	m.e->machine = 3;
	put("elf", "i386", m.b, m.len);
	mk(&m, 1);
	put("elf", "short", m.b, 60);
}

static void strseed(const char *name, int base, const char *s)
{
	char buf[128];

	buf[0] = base;
	memcpy(buf + 1, s, strlen(s));
	put("strtol", name, buf, 1 + strlen(s));
}

static void strtolseeds(void)
{
	strseed("dec", 10, "  -12345");
	strseed("hex", 16, "0x7fffffffffffffff");
	strseed("auto", 74, "\t+0X1f"); /* 74 % 37 == 0: base 0 */
	strseed("octal", 74, "0777");
	strseed("big", 10, "99999999999999999999999");
	strseed("min", 10, "-9223372036854775808");
	strseed("b36", 36, "zZ9");
	strseed("b2", 2, "1011x");
	strseed("nox", 16, "0xg");
	strseed("oddbase", 0xf1, "123");
}

/* A 9P message: size[4] type[1] tag[2] then nbody bytes of body. */
static void msg9p(const char *name, int type, const char *body, size_t nbody)
{
	unsigned char buf[256];
	size_t n = 7 + nbody;

	buf[0] = n, buf[1] = n >> 8, buf[2] = 0, buf[3] = 0;
	buf[4] = type, buf[5] = 1, buf[6] = 0;
	memcpy(buf + 7, body, nbody);
	put("9p", name, buf, n);
}

static void ninepseeds(void)
{
	char st[2 + 49];

	msg9p("tversion", 100, "\0\x20\0\0\6\0" "9P2000", 12);
	msg9p("tattach", 104, "\0\0\0\0\xff\xff\xff\xff\6\0glenda\1\0/", 19);
	msg9p("rerror", 107, "\4\0oops", 6);
	msg9p("rflush", 109, "", 0);
	msg9p("twalk", 110, "\0\0\0\0\1\0\0\0\2\0\1\0a\2\0bc", 17);
	msg9p("rwalk", 111, "\1\0\x80\1\0\0\0\2\0\0\0\0\0\0\0", 15);
	msg9p("tcreate", 114, "\1\0\0\0\3\0new\xa4\1\0\0\1", 14);
	msg9p("tread", 116, "\1\0\0\0\0\0\0\0\0\0\0\0\0\x20\0\0", 16);
	msg9p("rread", 117, "\3\0\0\0abc", 7);
	msg9p("twrite", 118, "\1\0\0\0\5\0\0\0\0\0\0\0\2\0\0\0hi", 18);
	/* Rstat: n[2], then a record with its own size[2] and four empty strings */
	memset(st, 0, sizeof st);
	st[0] = 49, st[2] = 47;
	msg9p("rstat", 125, st, sizeof st);
	msg9p("badtype", 106, "", 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	outdir = argv[1];
	mkdirs("elf");
	mkdirs("strtol");
	mkdirs("9p");
	elfseeds();
	strtolseeds();
	ninepseeds();
	printf("mkseeds: %d seeds in %s\n", nfile, outdir);
	return 0;
}
