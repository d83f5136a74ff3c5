/* SPDX-License-Identifier: MIT */
/*
 * Object life: creation charged to a pool, reference counting, and the
 * destructor of each type when the last reference goes.  Destroying the
 * contents of a Task or Thread early (kill) is task.c and thread.c; here
 * only the memory is let go.
 */
#include "kern.h"

u64 nkobj, nkobjtype[NObj];

static const u32 objsize[NObj] = {
	[ObjTask] = sizeof(Task), [ObjThread] = sizeof(Thread),
	[ObjEndpoint] = sizeof(Endpoint), [ObjReply] = sizeof(Reply),
	[ObjNotification] = sizeof(Ntf), [ObjMemory] = sizeof(Memory),
	[ObjPool] = sizeof(Pool), [ObjIrq] = sizeof(Irq), [ObjIrqCtl] = sizeof(Obj),
	[ObjIoPorts] = sizeof(IoPorts),
};

/*
 * Pools nest: a sub-pool's limit is a cap, not a reservation.  A charge
 * must fit in the pool and in every pool above it, and is counted in all.
 */
kerr pool_charge(Pool *p, u64 bytes)
{
	for (Pool *q = p; q; q = q->o.pool)
		if (q->o.dead || q->used + bytes > q->limit)
			return -ErrNoMem;
	for (Pool *q = p; q; q = q->o.pool)
		q->used += bytes;
	return 0;
}

void pool_refund(Pool *p, u64 bytes)
{
	for (Pool *q = p; q; q = q->o.pool)
		q->used -= bytes;
}

/*
 * A new object of `type` with one reference (for the handle the caller
 * installs), charged to pool (nil: the kernel's own).
 */
kerr obj_new(Pool *pool, int type, size_t size, Obj **out)
{
	Obj *o;
	kerr e;

	if ((e = pool_charge(pool, size)) < 0)
		return e;
	if ((o = kalloc(size)) == NULL) {
		pool_refund(pool, size);
		return -ErrNoMem;
	}
	if (type == ObjThread)
		o = &((Thread *)o)->o;
	o->type = type;
	o->ref = 1;
	o->charge = size;
	o->pool = pool;
	if (pool)
		obj_ref(&pool->o);
	nkobj++;
	nkobjtype[type]++;
	*out = o;
	return 0;
}

void obj_ref(Obj *o)
{
	o->ref++;
}

/* Drop a reference; the last one destroys the object. */
void obj_unref(Obj *o)
{
	Pool *pool;

	assert(o->ref > 0);
	if (--o->ref > 0)
		return;
	switch (o->type) {
	case ObjTask: task_destroy((Task *)o); break;
	case ObjThread: thread_destroy(OBJTHREAD(o)); break;
	case ObjEndpoint: ep_destroy((Endpoint *)o); break;
	case ObjReply: reply_destroy((Reply *)o); break;
	case ObjNotification: ntf_destroy((Ntf *)o); break;
	case ObjMemory: mem_destroy((Memory *)o); break;
	case ObjIrq: irq_destroy((Irq *)o); break;
	}
	assert(o->ref == 0);
	pool = o->pool;
	pool_refund(pool, o->charge);
	int type = o->type;
	nkobj--;
	nkobjtype[type]--;
	kfree(type == ObjThread ? (void *)OBJTHREAD(o) : (void *)o, objsize[type]);
	if (pool)
		obj_unref(&pool->o);
}
