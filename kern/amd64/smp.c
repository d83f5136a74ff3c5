/* SPDX-License-Identifier: MIT */
/*
 * Starting the application processors: the boot cpu wakes each one in turn
 * with INIT and STARTUP IPIs (Intel SDM vol. 3, "MP initialization",
 * universal start-up algorithm) and waits for it to check in; each one
 * runs trampoline.S, boot.S and then ap_main() here.  The cpus were found
 * by acpi.c; the IPIs and the delay are apic.c.
 */
#include "port/kern.h"
#include "amd64/machine.h"

extern char trampoline_start[], trampoline_end[];

enum { KStack = 16384 };

/*
 * The cpus[] index of the AP being started, 0 when none.  The AP and the
 * boot cpu both try to swap it to 0: the AP to check in, the boot cpu to
 * give up.  Whoever wins decides, so an AP that wakes after the timeout
 * cannot be counted by mistake.
 */
static volatile u32 apnext;

/* Take the slot: 1 if it was still ours. */
static int ap_claim(u32 i)
{
	u32 want = i;
	return __atomic_compare_exchange_n(&apnext, &want, 0, 0, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/*
 * Wake the cpu with APIC id apicid into cpus[i] and wait up to a second
 * for it to check in.  Returns 0 if it did; otherwise it is put back to
 * sleep with INIT and -1 is returned.
 */
static int ap_boot(u32 i, u32 apicid)
{
	u64 t0;

	apnext = i;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* cpus[i], ap_stack before the IPI */
	lapic_icr(apicid, IcrInit | IcrLevel | IcrAssert);
	tsc_delay(10000);
	/* Two STARTUPs; the second is ignored by a cpu already running. */
	for (int n = 0; n < 2; n++) {
		lapic_icr(apicid, IcrStartup | (TRAMPOLINE >> 12));
		tsc_delay(200);
	}
	t0 = arch_ns();
	while (apnext == i) {
		if (arch_ns() - t0 > 1000000000 && ap_claim(i)) {
			lapic_icr(apicid, IcrInit | IcrLevel | IcrAssert);
			return -1;
		}
		__asm__ volatile("pause");
	}
	return 0;
}

/*
 * Boot cpu, once, after acpi_init(), lapic_init() and while boot_pml4 still
 * maps the low 4 GiB one to one.  Starts cpus[1..ncpu-1] one at a time (they
 * share ap_stack); a cpu that does not start is dropped and the later ones
 * move down, so on return cpus[0..ncpu-1] are all running, each spinning
 * for the kernel lock and then idle.
 */
void arch_start_aps(void)
{
	u32 n = ncpu, up = 1;
	u64 len = trampoline_end - trampoline_start;

	if (n <= 1)
		return;
	if (!(boot_pml4[0] & PTE_P))
		panic("smp: boot_pml4 lost the identity map the APs need");
	assert(len <= PGSIZE);
	memcpy(P2V(TRAMPOLINE), trampoline_start, len);
	timer_calibrate();
	for (u32 i = 1; i < n; i++) {
		u32 apicid = cpus[i].apicid;
		u8 *stack = kalloc(KStack);

		if (stack == NULL) {
			kprintf("smp: no memory for a kernel stack, %u cpus left idle\n", n - i);
			break;
		}
		cpus[up].id = up;
		cpus[up].apicid = apicid;
		cpus[up].kstack = (u64)(stack + KStack);
		ap_stack = cpus[up].kstack;
		if (ap_boot(up, apicid) == 0) {
			up++;
			continue;
		}
		kprintf("smp: cpu with APIC id %u did not start\n", apicid);
		cpus[up].kstack = 0;
		kfree(stack, KStack);
	}
	ncpu = up;
	kprintf("smp: %u cpus running\n", ncpu);
}

/*
 * Called by boot.S on a new AP, interrupts off, on the stack the boot cpu
 * left in ap_stack (= cpus[i].kstack).  Never returns.
 */
void ap_main(void)
{
	u32 id = lapic_id(), i;

	/* ncpu does not change while we start: the boot cpu waits for us. */
	for (i = 1; i < ncpu && cpus[i].apicid != id; i++)
		;
	if (i == ncpu || i != apnext)
		arch_halt(); /* not the cpu being started: a stray, stay out */
	arch_cpu_init(&cpus[i]);
	lapic_init();
	arch_timer_start();
	if (!ap_claim(i))
		arch_halt(); /* too late: the boot cpu gave up on us */
	arch_lock();
	arch_idle();
}
