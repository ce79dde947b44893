#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CSpawn.h"

int cadet_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

struct spawn_request {
    const char *path;
    char *const *argv;
    char *const *envp;
    int fds[4];
    int fd_count;
    long uid;
    long gid;
    sigset_t mask;
};

// Runs in the child, which shares the parent's memory until exec (CLONE_VM | CLONE_VFORK, as
// glibc's posix_spawn does). Only system calls here: glibc's setuid wrappers would try to change
// the parent's threads too, so the credential calls are raw syscalls.
static int child(void *argument) {
    struct spawn_request *request = argument;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
    }
    if (setpgid(0, 0) != 0) _exit(126);
    for (int i = 0; i < request->fd_count; i++) {
        if (dup2(request->fds[i], i) < 0) _exit(126);
    }
    if (syscall(SYS_close_range, (unsigned) request->fd_count, ~0U, 0) != 0) _exit(126);
    if (request->uid >= 0) {
        if (syscall(SYS_setgroups, 0, NULL) != 0) _exit(126);
        if (syscall(SYS_setresgid, request->gid, request->gid, request->gid) != 0) _exit(126);
        if (syscall(SYS_setresuid, request->uid, request->uid, request->uid) != 0) _exit(126);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(126);
    }
    sigset_t none;
    sigemptyset(&none);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
    execve(request->path, request->argv, request->envp);
    _exit(127);
}

pid_t cadet_spawn(const char *path, char *const argv[], char *const envp[],
                  const int fds[], int fd_count, long uid, long gid) {
    if (fd_count < 0 || fd_count > 4) { errno = EINVAL; return -1; }
    struct spawn_request request = { .path = path, .argv = argv, .envp = envp, .fd_count = fd_count, .uid = uid, .gid = gid };
    // Move the sources above the targets first, so that dup2 in the child cannot clobber one
    // source with another.
    for (int i = 0; i < fd_count; i++) {
        request.fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
        if (request.fds[i] < 0) {
            int saved = errno;
            for (int j = 0; j < i; j++) close(request.fds[j]);
            errno = saved;
            return -1;
        }
    }
    const size_t stack_size = 64 * 1024;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    pid_t pid = -1;
    int saved = 0;
    if (stack != MAP_FAILED) {
        // No signal handler of the parent may run in the child before it resets them.
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pid = clone(child, (char *) stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &request);
        saved = errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        munmap(stack, stack_size);
    } else {
        saved = errno;
    }
    for (int i = 0; i < fd_count; i++) close(request.fds[i]);
    errno = saved;
    return pid;
}
