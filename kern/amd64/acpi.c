/* SPDX-License-Identifier: MIT */
/*
 * ACPI, only as far as the kernel needs it: find the RSDP, walk the RSDT or
 * XSDT to the MADT, and read from it the processors (cpus[], ncpu) and the
 * interrupt controllers (struct Machine mach).  The controllers themselves
 * are programmed in apic.c; the other processors are started in smp.c.
 * Every table is length- and checksum-checked before use; a bad one costs
 * a warning and PC defaults, never a crash.
 */
#include "port/kern.h"
#include "amd64/machine.h"

/* PC defaults, used when there is no usable MADT (and so before acpi_init). */
#define PC_DEFAULTS { .lapic = 0xfee00000, .ioapic = 0xfec00000 }
struct Machine mach = PC_DEFAULTS;

enum { MaxTable = 1 << 20 }; /* larger than any sane RSDT/XSDT/MADT */

typedef struct __attribute__((packed)) Rsdp {
	char sig[8];  /* "RSD PTR " */
	u8 sum;       /* over the first 20 bytes */
	char oem[6];
	u8 rev;       /* 0: ACPI 1.0, no fields below rsdt */
	u32 rsdt;
	u32 len;      /* rev >= 2: whole structure */
	u64 xsdt;
	u8 xsum;      /* over len bytes */
	u8 rsvd[3];
} Rsdp;

typedef struct __attribute__((packed)) Sdt {
	char sig[4];
	u32 len;      /* header included */
	u8 rev, sum;
	char oem[6], oemtab[8];
	u32 oemrev, creator, creatorrev;
} Sdt;

typedef struct __attribute__((packed)) Madt {
	Sdt h;
	u32 lapic;
	u32 flags;
	/* entries: u8 type, u8 len, ... */
} Madt;

enum { MLapic = 0, MIoapic = 1, MIso = 2, MLapicAddr = 5, MX2apic = 9 };

typedef struct __attribute__((packed)) MLapicEnt {
	u8 type, len, uid, apicid;
	u32 flags;    /* bit 0: enabled */
} MLapicEnt;

typedef struct __attribute__((packed)) MIoapicEnt {
	u8 type, len, id, rsvd;
	u32 addr, gsibase;
} MIoapicEnt;

typedef struct __attribute__((packed)) MIsoEnt {
	u8 type, len, bus, src;
	u32 gsi;
	u16 flags;
} MIsoEnt;

typedef struct __attribute__((packed)) MLapicAddrEnt {
	u8 type, len;
	u16 rsvd;
	u64 addr;
} MLapicAddrEnt;

static u8 checksum(const void *p, u64 n)
{
	const u8 *b = p;
	u8 s = 0;

	while (n-- > 0)
		s += *b++;
	return s;
}

/* The RSDP in [pa, pa+len) on a 16-byte boundary with a good checksum, or nil. */
static const Rsdp *rsdp_scan(u64 pa, u64 len)
{
	for (u64 off = 0; off + 20 <= len; off += 16) {
		const Rsdp *r = P2V(pa + off);
		if (memcmp(r->sig, "RSD PTR ", 8) == 0 && checksum(r, 20) == 0)
			return r;
	}
	return NULL;
}

/* The ACPI spec's two places: the EBDA's first KiB, then the BIOS ROM. */
static const Rsdp *rsdp_find(void)
{
	u64 ebda = (u64)*(const volatile u16 *)P2V(0x40e) << 4;
	const Rsdp *r = NULL;

	if (ebda >= 0x400 && ebda + 1024 <= 0xa0000)
		r = rsdp_scan(ebda, 1024);
	if (r == NULL)
		r = rsdp_scan(0xe0000, 0x20000);
	return r;
}

/*
 * The table at physical pa if it has signature sig (nil: any), lies in the
 * physmap, and its length and checksum are sane; else nil.  A table of the
 * wanted signature that fails the checks is reported.
 */
static const Sdt *sdt_get(u64 pa, const char *sig)
{
	const Sdt *t;

	if (pa == 0 || pa >= PHYSMAX - sizeof(Sdt))
		return NULL;
	t = P2V(pa);
	if (sig && memcmp(t->sig, sig, 4) != 0)
		return NULL;
	if (t->len < sizeof(Sdt) || t->len > MaxTable || pa + t->len > PHYSMAX) {
		kprintf("acpi: table %.4s at 0x%lx: bad length %u\n", t->sig, pa, t->len);
		return NULL;
	}
	if (checksum(t, t->len) != 0) {
		kprintf("acpi: table %.4s at 0x%lx: bad checksum\n", t->sig, pa);
		return NULL;
	}
	return t;
}

/* The MADT through the XSDT (ACPI 2+) or the RSDT, or nil. */
static const Madt *madt_find(const Rsdp *r)
{
	const Sdt *root = NULL;
	u32 esize = 4;

	if (r->rev >= 2 && r->len >= sizeof(Rsdp) && r->len <= 4096 &&
	    checksum(r, r->len) == 0 && r->xsdt != 0) {
		root = sdt_get(r->xsdt, "XSDT");
		esize = 8;
	}
	if (root == NULL) {
		root = sdt_get(r->rsdt, "RSDT");
		esize = 4;
	}
	if (root == NULL)
		return NULL;
	const u8 *ents = (const u8 *)root + sizeof(Sdt);
	u32 n = (root->len - sizeof(Sdt)) / esize;
	for (u32 i = 0; i < n; i++) {
		u64 pa = 0;
		memcpy(&pa, ents + i * esize, esize); /* little endian, unaligned */
		const Sdt *t = sdt_get(pa, "APIC");
		if (t && t->len >= sizeof(Madt))
			return (const Madt *)t;
	}
	return NULL;
}

/* The MADT entry at *off, advancing *off; nil at the end. *bad is set for a malformed entry. */
static const u8 *madt_next(const Madt *m, u32 *off, int *bad)
{
	const u8 *e = (const u8 *)m + *off;

	if (*off + 2 > m->h.len)
		return NULL;
	if (e[1] < 2 || *off + e[1] > m->h.len) {
		*bad = 1;
		return NULL;
	}
	*off += e[1];
	return e;
}

/* Is entry e at least as long as its struct s? */
#define MADT_FITS(e, s) ((e)[1] >= sizeof(s))

/*
 * First pass: check every entry's length and collect the controllers into
 * *m.  Returns 0 if the whole table is well formed, -1 if not (m is then
 * garbage).
 */
static int madt_controllers(const Madt *t, struct Machine *m)
{
	u32 off = sizeof(Madt), at = off;
	int bad = 0, nioapic = 0;
	const u8 *e;

	m->lapic = t->lapic;
	for (; (e = madt_next(t, &off, &bad)) != NULL; at = off) {
		const MIoapicEnt *io = (const MIoapicEnt *)e;
		const MIsoEnt *iso = (const MIsoEnt *)e;

		switch (e[0]) {
		case MLapic:
			bad |= !MADT_FITS(e, MLapicEnt);
			break;
		case MIoapic:
			bad |= !MADT_FITS(e, MIoapicEnt);
			/* The first one gets the ISA interrupts; others are unused for now. */
			if (!bad && nioapic++ == 0) {
				m->ioapic = io->addr;
				m->gsibase = io->gsibase;
			}
			break;
		case MIso:
			bad |= !MADT_FITS(e, MIsoEnt);
			if (!bad && iso->bus == 0 && iso->src < 16) {
				m->isagsi[iso->src] = iso->gsi;
				m->isaflags[iso->src] = iso->flags;
			}
			break;
		case MLapicAddr:
			bad |= !MADT_FITS(e, MLapicAddrEnt);
			if (!bad)
				m->lapic = ((const MLapicAddrEnt *)e)->addr;
			break;
		}
		if (bad)
			break;
	}
	if (bad)
		kprintf("acpi: MADT: malformed entry at offset %u\n", at);
	else if (nioapic == 0)
		kprintf("acpi: MADT: no I/O APIC, assuming 0x%lx\n", m->ioapic);
	if (m->lapic == 0 || m->lapic >= PHYSMAX || m->ioapic == 0 || m->ioapic >= PHYSMAX) {
		kprintf("acpi: MADT: APIC address 0 or beyond the physmap\n");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* Add a processor unless it is already listed or cpus[] is full. */
static void cpu_add(u32 apicid, u32 *dropped)
{
	for (u32 i = 0; i < ncpu; i++)
		if (cpus[i].apicid == apicid)
			return;
	if (ncpu == MAXCPU) {
		(*dropped)++;
		return;
	}
	cpus[ncpu].id = ncpu;
	cpus[ncpu].apicid = apicid;
	ncpu++;
}

/* Second pass (the table is known well formed): the enabled processors, BSP first. */
static void madt_cpus(const Madt *t)
{
	u32 off = sizeof(Madt), dropped = 0, x2 = 0;
	int bad = 0;
	const u8 *e;

	ncpu = 0;
	cpu_add(lapic_id(), &dropped);
	while ((e = madt_next(t, &off, &bad)) != NULL) {
		const MLapicEnt *l = (const MLapicEnt *)e;
		if (e[0] == MLapic && (l->flags & 1) && l->apicid != 0xff)
			cpu_add(l->apicid, &dropped);
		else if (e[0] == MX2apic)
			x2++;
	}
	if (dropped)
		kprintf("acpi: %u processors beyond MAXCPU=%d ignored\n", dropped, MAXCPU);
	if (x2)
		kprintf("acpi: %u x2APIC entries ignored (xAPIC mode only)\n", x2);
}

/*
 * Called once on the boot cpu before the APICs are programmed: fills mach,
 * cpus[].id/apicid and ncpu.  Without a usable MADT: one cpu, PC defaults.
 */
void acpi_init(void)
{
	struct Machine m = PC_DEFAULTS;
	const Rsdp *r;
	const Madt *t = NULL;

	for (int i = 0; i < 16; i++) {
		m.isagsi[i] = i;
		m.isaflags[i] = 0; /* conforming: ISA edge, active high */
	}
	mach = m;
	if ((r = rsdp_find()) == NULL)
		kprintf("acpi: no RSDP\n");
	else if ((t = madt_find(r)) == NULL)
		kprintf("acpi: no usable MADT\n");
	if (t && madt_controllers(t, &m) == 0) {
		mach = m;
		madt_cpus(t);
	} else {
		kprintf("acpi: using PC defaults, one cpu\n");
		/* The MP spec's default wiring: the PIT is on I/O APIC pin 2. */
		mach.isagsi[0] = 2;
		ncpu = 1;
		cpus[0].id = 0;
		cpus[0].apicid = lapic_id();
	}
	kprintf("acpi: %u cpus, lapic 0x%lx, ioapic 0x%lx gsi %u\n", ncpu, mach.lapic,
		mach.ioapic, mach.gsibase);
}
