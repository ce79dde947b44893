// Wrappers for glibc calls that are declared only under _GNU_SOURCE, which Swift's Glibc module
// does not set. Defining it here would change the module's struct layouts, so the definitions
// live in CSpawn.c instead.
#ifndef CADET_CSPAWN_H
#define CADET_CSPAWN_H
#include <spawn.h>

/// Closes every descriptor from `from` up in the spawned child (glibc 2.34+).
int cadet_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

/// A pipe whose ends are close-on-exec from the start, so no concurrent spawn can inherit it.
int cadet_pipe_cloexec(int fds[2]);
#endif
