// Process start-up that Swift cannot express: glibc calls hidden behind _GNU_SOURCE, and a spawn
// that changes user before exec. Defining _GNU_SOURCE here would change the Glibc module's
// struct layouts, so the definitions live in CSpawn.c.
#ifndef CADET_CSPAWN_H
#define CADET_CSPAWN_H
#include <sys/types.h>

/// A pipe whose ends are close-on-exec from the start, so no concurrent spawn can inherit it.
int cadet_pipe_cloexec(int fds[2]);

/// Starts `path` with `argv` and `envp` in a new process group, with every signal at its default
/// and unblocked; `fds[i]` becomes descriptor i for i < fd_count (at most 4) and every other
/// descriptor is closed. When `uid` is not -1 the child drops to `uid`/`gid` with no
/// supplementary groups and no_new_privs before exec: what the sandbox needs when the worker
/// runs as root, without the cost of starting setpriv for every submission.
/// Returns the child's pid, or -1 with errno set.
pid_t cadet_spawn(const char *path, char *const argv[], char *const envp[],
                  const int fds[], int fd_count, long uid, long gid);
#endif
