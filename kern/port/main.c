/* SPDX-License-Identifier: MIT */
/*
 * kmain: the boot cpu's road from boot.S to the first user thread.
 * Order matters: console, boot information, physical memory, the cpu's
 * tables, interrupt controllers and timer, the root task, the other cpus.
 */
#include "kern.h"
#include "amd64/amd64.h"

Cpu cpus[MAXCPU];
u32 ncpu = 1;
extern char kern_start[], kern_end[];
extern char boot_stack_top[];
extern int has_pcid;

static void meminit(void)
{
	u64 maxpfn = 0;

	for (u32 i = 0; i < nbootmem; i++) {
		u64 end = bootmem[i].base + bootmem[i].len;
		if (end > PHYSMAX)
			end = PHYSMAX;
		if (end / PGSIZE > maxpfn)
			maxpfn = end / PGSIZE;
	}
	frame_init(maxpfn);
	for (u32 i = 0; i < nbootmem; i++)
		frame_add(bootmem[i].base, bootmem[i].len);
	frame_reserve(0, 0x100000); /* BIOS data, trampoline */
	frame_reserve((u64)kern_start - KERNBASE, (u64)kern_end - (u64)kern_start);
	for (u32 i = 0; i < nbootmod; i++)
		frame_reserve(bootmods[i].start, bootmods[i].end - bootmods[i].start);
	page_db_init(maxpfn);
}

_Noreturn void kmain(u32 magic, u64 info);
_Noreturn void kmain(u32 magic, u64 info)
{
	Cpu *c = &cpus[0];

	serial_init();
	kprintf("\nmu: Musubi microkernel\n");
	multiboot_parse(magic, info);
	meminit();
	kprintf("mu: %lu MiB RAM, %lu MiB free\n", frame_ntotal() / 256, frame_nfree() / 256);
	c->kstack = (u64)boot_stack_top;
	acpi_init();
	arch_init();
	arch_cpu_init(c);
	pic_disable();
	lapic_init();
	ioapic_init();
	arch_timer_start();
	boot_root();
	arch_start_aps();
	kprintf("mu: %u cpus, PCID %s\n", ncpu, has_pcid ? "on" : "off (every address-space switch flushes the TLB)");
	arch_lock();
	exit_to_user(exit_prepare());
}
