# Cadet grading harness. Runs inside the bubblewrap sandbox (or, for the benchmark's floor
# only, without it). It reads one request on stdin, runs the submission once per test case in a
# forked child with resource limits, and writes one report on stdout.
#
# The framing is length-prefixed bytes rather than JSON: importing json (and the re module it
# pulls in) would cost more than running five beginner test cases. The format is documented in
# HarnessProtocol.swift, which writes and reads it.
#
# Trust: the submission runs only in the children. A child's stdout, stderr and (for function
# questions) its return value are the only things it can influence; exit status, signals, CPU
# time, memory and the limit flags are measured here, in the parent, with wait4 and a pidfd.
# Expected outputs never reach this process: verdicts are decided outside the sandbox.
import os
import sys

# Nothing inherited from the launcher may reach the submission: close every descriptor beyond
# stdio before anything else runs.
os.closerange(3, 65536)

import resource
import select
import _signal as signal  # the C module: "signal" would import enum, functools and collections (4 ms)
import time

RESULT_FD = 3
EXIT_EXCEPTION = 120
EXIT_MEMORY = 121
EXIT_UNSERIALISABLE = 122
EXIT_NO_FUNCTION = 123
EXIT_HARNESS = 125
STDERR_KEEP = 4096


def read_request():
    """Header line: kind function isolated cpu wall memory output file nofile nproc ntests;
    then the source and each test's input (stdin, or the JSON array of arguments), each as a
    decimal length, a newline and that many bytes."""
    data = sys.stdin.buffer.read()
    newline = data.index(b"\n")
    fields = data[:newline].decode().split()
    position = newline + 1
    blobs = []
    while position < len(data):
        newline = data.index(b"\n", position)
        length = int(data[position:newline])
        blobs.append(data[newline + 1:newline + 1 + length])
        position = newline + 1 + length
    request = {
        "kind": fields[0], "function": fields[1], "isolated": fields[2] == "1",
        "source": blobs[0].decode(), "tests": blobs[1:],
    }
    limits = {
        "cpu_seconds": float(fields[3]), "wall_seconds": float(fields[4]), "memory_bytes": int(fields[5]),
        "output_bytes": int(fields[6]), "file_bytes": int(fields[7]), "open_files": int(fields[8]), "processes": int(fields[9]),
    }
    return request, limits


def main():
    request, limits = read_request()
    if request["kind"] == "function":
        import json  # only function questions need it, and the children share this import
    try:
        code = compile(request["source"], "solution.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError) as error:
        message = format_compile_error(error).encode()
        write(b"C %d\n" % len(message), message)
        return
    for test in request["tests"]:
        outcome, pid = run_test(code, request, test, limits)
        write(*outcome)
        # Anything the submission left running (daemons, orphans) dies before the next test.
        kill_everything_else(request["isolated"], pid)


def write(*parts):
    view = memoryview(b"".join(parts))
    while view:
        view = view[os.write(1, view):]


def format_compile_error(error):
    import traceback
    return "".join(traceback.format_exception_only(type(error), error))[-STDERR_KEEP:]


def kill_everything_else(isolated, pid):
    # Inside the sandbox's own PID namespace kill(-1) reaches exactly the submission's leftovers.
    # Outside it (the benchmark's floor) that would be every process of the user, so only the
    # child's process group is killed there.
    try:
        if isolated and os.getpid() < 10:
            os.kill(-1, signal.SIGKILL)
        else:
            os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def run_test(code, request, test, limits):
    stdin_data = test if request["kind"] == "stdio" else b""
    pipes = [os.pipe() for _ in range(4)]  # stdin, stdout, stderr, result
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        child(code, request, test, limits, pipes)
    (in_r, in_w), (out_r, out_w), (err_r, err_w), (res_r, res_w) = pipes
    for fd in (in_r, out_w, err_w, res_w):
        os.close(fd)
    outcome = supervise(pid, started, stdin_data, in_w, out_r, err_r, res_r, limits)
    for fd in (out_r, err_r, res_r):
        os.close(fd)
    return outcome, pid


def child(code, request, test, limits, pipes):
    try:
        os.setpgid(0, 0)
        (in_r, _), (_, out_w), (_, err_w), (_, res_w) = pipes
        os.dup2(in_r, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.dup2(res_w, RESULT_FD)
        os.closerange(RESULT_FD + 1, 65536)
        apply_limits(limits)
        fresh_stdio()
    except BaseException:
        os._exit(EXIT_HARNESS)
    status = run_submission(code, request, test)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(status)


def apply_limits(limits):
    cpu = max(1, int(limits["cpu_seconds"] + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"], limits["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["open_files"], limits["open_files"]))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGXCPU):
        signal.signal(number, signal.SIG_DFL)


def fresh_stdio():
    # The parent's stdio objects hold the request it read; the submission gets clean ones.
    import io
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8", errors="replace")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", errors="backslashreplace")
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def run_submission(code, request, test):
    import builtins
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    try:
        exec(code, namespace)
        if request["kind"] == "function":
            import json
            function = namespace.get(request["function"])
            if not callable(function):
                print("function %r is not defined" % request["function"], file=sys.stderr)
                return EXIT_NO_FUNCTION
            value = function(*json.loads(test))
            try:
                encoded = json.dumps(value, allow_nan=False, separators=(",", ":")).encode()
            except (TypeError, ValueError) as error:
                print("the return value cannot be compared: %s" % error, file=sys.stderr)
                return EXIT_UNSERIALISABLE
            view = memoryview(encoded)
            while view:
                view = view[os.write(RESULT_FD, view):]
        return 0
    except SystemExit as stop:
        if stop.code is None or stop.code == 0:
            return 0
        if isinstance(stop.code, int):
            return stop.code & 0xFF or 1
        print(stop.code, file=sys.stderr)
        return 1
    except MemoryError:
        os.write(2, b"MemoryError\n")
        return EXIT_MEMORY
    except BaseException:
        print_submission_traceback(request["source"])
        return EXIT_EXCEPTION


def print_submission_traceback(source):
    import linecache
    import traceback
    kind, error, tb = sys.exc_info()
    # Tracebacks then show the submission's own lines, as they would on the taker's machine.
    linecache.cache["solution.py"] = (len(source), None, source.splitlines(True), "solution.py")
    # Drop the harness's own frames: the taker needs to see where their code failed.
    while tb is not None and tb.tb_frame.f_code.co_filename != "solution.py":
        tb = tb.tb_next
    try:
        sys.stderr.write("".join(traceback.format_exception(kind, error, tb)))
    except BaseException:
        os.write(2, (kind.__name__ + "\n").encode())


def supervise(pid, started, stdin_data, in_w, out_r, err_r, res_r, limits):
    deadline = started + limits["wall_seconds"]
    cap = limits["output_bytes"]
    out, err_tail, result = bytearray(), bytearray(), bytearray()
    err_total = 0
    killed = None
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    for fd in (out_r, err_r, res_r):
        os.set_blocking(fd, False)
        poller.register(fd, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    stdin_view = memoryview(stdin_data)
    if stdin_view:
        os.set_blocking(in_w, False)
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
        in_w = None
    exited = False
    while not exited:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            killed = killed or "wall"
            os.kill(pid, signal.SIGKILL)
            break
        for fd, event in poller.poll(remaining * 1000):
            if fd == pidfd:
                exited = True
            elif fd == in_w:
                try:
                    stdin_view = stdin_view[os.write(in_w, stdin_view[:65536]):]
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    stdin_view = stdin_view[:0]
                if not stdin_view:
                    poller.unregister(in_w)
                    os.close(in_w)
                    in_w = None
            else:
                chunk = read_some(fd)
                if chunk is None:
                    continue
                if not chunk:
                    poller.unregister(fd)
                elif fd == out_r:
                    out += chunk
                    if len(out) > cap:
                        del out[cap:]
                        killed = "output"
                        os.kill(pid, signal.SIGKILL)
                elif fd == err_r:
                    err_total += len(chunk)
                    err_tail += chunk
                    del err_tail[:-STDERR_KEEP]
                    if err_total > cap * 4:
                        killed = "output"
                        os.kill(pid, signal.SIGKILL)
                else:
                    result += chunk
                    if len(result) > cap:
                        del result[cap:]
                        killed = "output"
                        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    os.close(pidfd)
    if in_w is not None:
        os.close(in_w)
    # What the child wrote just before it ended is still in the pipes.
    for fd, buffer in ((out_r, out), (res_r, result)):
        while len(buffer) <= cap:
            chunk = read_some(fd)
            if not chunk:
                break
            buffer += chunk
        if len(buffer) > cap:
            del buffer[cap:]
            killed = killed or "output"
    while True:
        chunk = read_some(err_r)
        if not chunk:
            break
        err_tail += chunk
        del err_tail[:-STDERR_KEEP]
    # "T exit signal cpu wall rss killed len(out) len(err) len(ret)" then the three blobs;
    # -1 stands for "none".
    header = "T %d %d %.6f %.6f %d %s %d %d %d\n" % (
        os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1,
        os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1,
        usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss, killed or "-",
        len(out), len(err_tail), len(result) if result else -1,
    )
    return header.encode(), bytes(out), bytes(err_tail), bytes(result)


def read_some(fd):
    try:
        return os.read(fd, 65536)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


if __name__ == "__main__":
    main()
