/* SPDX-License-Identifier: MIT */
/*
 * The index of a ustar archive held in memory: a tree of nodes, one per
 * file and directory (directories are also implied by paths), built
 * once, read-only afterwards, with file contents left in the archive.
 * Pure (malloc only), so the host tests build it; devboot.c serves it
 * as "#B".
 */
#ifndef CORE_TARFS_H
#define CORE_TARFS_H

#include "libc.h"

typedef struct Tnode Tnode;
typedef struct Tarfs Tarfs;

struct Tnode {
	char *name;          /* path element; "/" for the root */
	ulong id;            /* index in Tarfs.node: the qid path (the root is 0) */
	ulong mode;          /* permissions, with DMDIR for a directory */
	ulong mtime;         /* seconds since the epoch */
	const uchar *data;   /* a file's contents, inside the archive */
	vlong length;        /* a file's size */
	Tnode *parent;       /* the root is its own parent */
	Tnode **kid;         /* a directory's entries, sorted by name */
	int nkid, akid;
};

struct Tarfs {
	Tnode **node; /* by id */
	ulong nnode, anode;
	int nbad;     /* entries skipped */
};

/*
 * Index the archive tar[0..len): every header's checksum, numbers and
 * size are checked against the archive's bounds; a bad or unsupported
 * entry (links, devices, ".." in a name) is skipped and reported to
 * warn(why, name) if warn is set; the archive ends at its first zero
 * block or at a header that cannot be trusted.  A later entry for the
 * same file replaces the earlier.  Files keep their mode's read and
 * execute bits (the tree is read-only); files under bin/ are also
 * executable; directories are 0555.  Returns 0 (fs then has at least
 * the root) or -1 when out of memory.
 */
int tarfs_build(Tarfs *fs, const void *tar, long len, void (*warn)(const char *why, const char *name));
/* The entry name of directory dir, or NULL.  Binary search: no locks. */
Tnode *tarfs_lookup(Tnode *dir, const char *name);
/* The node with this id, or NULL. */
Tnode *tarfs_node(Tarfs *fs, uvlong id);
/* Free everything tarfs_build allocated (the archive is the caller's). */
void tarfs_free(Tarfs *fs);

#endif
