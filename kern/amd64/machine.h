/* SPDX-License-Identifier: MIT */
/*
 * What kern/amd64 shares among its own files but not with kern/port: the
 * interrupt-controller layout found by acpi.c (struct Machine) and the
 * non-arch_ functions of acpi.c, apic.c and smp.c.  The arch_ functions the
 * portable kernel calls are declared in kern/port/arch.h instead.
 * Include after port/kern.h.
 */
#ifndef AMD64_MACHINE_H
#define AMD64_MACHINE_H

/*
 * Interrupt controllers, from the ACPI MADT (acpi.c) or PC defaults.
 * Written once by acpi_init() on the boot cpu, read-only afterwards.
 */
extern struct Machine {
	u64 lapic;         /* physical base of the local APIC */
	u64 ioapic;        /* physical base of the first I/O APIC */
	u32 gsibase;       /* first global system interrupt of that I/O APIC */
	u32 isagsi[16];    /* ISA IRQ -> global system interrupt */
	u16 isaflags[16];  /* MADT MPS INTI flags: polarity bits 0-1, trigger 2-3 */
} mach;

/* Polarity and trigger fields of isaflags (ACPI "MPS INTI flags"). */
enum {
	IntiPolMask = 0x3, IntiPolHigh = 0x1, IntiPolLow = 0x3,
	IntiTrigMask = 0xc, IntiTrigEdge = 0x4, IntiTrigLevel = 0xc,
};

/* boot.S */
extern u64 boot_pml4[512]; /* boot page tables; APs load them too */
extern u64 ap_stack;       /* stack top for the AP being started */

/* acpi.c */
void acpi_init(void);

/* apic.c */
enum { /* interrupt command register: delivery mode and level */
	IcrFixed = 0x000, IcrInit = 0x500, IcrStartup = 0x600,
	IcrAssert = 0x4000, IcrLevel = 0x8000,
};
extern u64 lapic_eoi_reg; /* address of the EOI register, for entry.S */
void lapic_init(void);
u32 lapic_id(void);
void lapic_icr(u32 apicid, u32 cmd);
void pic_disable(void);
void ioapic_init(void);
void timer_calibrate(void);
void tsc_delay(u64 us);

/* smp.c */
void ap_main(void);

#endif
