// Linux file-system calls that Swift's Glibc module does not declare (glibc declares them only
// under _GNU_SOURCE): syncfs(2) and renameat2(2) with RENAME_EXCHANGE. Imported by Experiments
// only (AtomicFile+Directory.swift).
#ifndef EXP_FILESYSTEM_H
#define EXP_FILESYSTEM_H

/// syncfs(2): writes every dirty page and inode of the file system holding the open file `fd`
/// to disk. Returns 0, or -1 with errno (a writeback error since Linux 5.8).
int exp_syncfs(int fd);

/// renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE): atomically swaps the two existing
/// entries `a` and `b` (files or directories). Returns 0, or -1 with errno (EINVAL or ENOSYS
/// where the file system or kernel cannot exchange).
int exp_rename_exchange(const char *a, const char *b);

#endif
