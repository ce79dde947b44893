#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CSpawn

/// Starts a program with posix_spawn, feeds it, reads it with caps, and kills it at a deadline.
/// Blocking by design: callers run it off the async executor (see `Sandbox`).
struct ChildProcess {
    struct Outcome {
        var status: Int32 = -1
        var signal: Int32?
        var stdout = Data()
        var stderr = Data()
        var stdoutOverflowed = false
        var timedOut = false
    }

    struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    let executable: String
    let arguments: [String]
    var environment: [String] = []
    /// Written to the child's standard input, then closed.
    var stdin = Data()
    /// Given to the child as descriptor 3, if set: bubblewrap reads its seccomp program there.
    var descriptor3: Data?
    var stdoutLimit = 16 << 20
    var stderrLimit = 64 << 10
    var timeout: Double = 30
    /// Run the child as this user (and group), dropping root's privileges first.
    var userID: UInt32?

    func run() throws -> Outcome {
        let stdinPipe = try Pipe2(), stdoutPipe = try Pipe2(), stderrPipe = try Pipe2()
        let extraPipe = descriptor3 == nil ? nil : try Pipe2()
        defer { [stdinPipe, stdoutPipe, stderrPipe, extraPipe].forEach { $0?.closeBoth() } }

        if let data = descriptor3, let pipe = extraPipe {
            // A seccomp program is a few hundred bytes: it fits in the pipe before the child reads.
            try writeAll(data, to: pipe.write)
            pipe.closeWrite()
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var descriptors = [stdinPipe.read, stdoutPipe.write, stderrPipe.write]
        if let pipe = extraPipe { descriptors.append(pipe.read) }
        // Nothing else of this process (database files, sockets) reaches the child: cadet_spawn
        // closes every other descriptor, resets signals and, if asked, drops to `userID`.
        let pid = cadet_spawn(executable, argv, envp, descriptors, Int32(descriptors.count),
                              userID.map { Int($0) } ?? -1, userID.map { Int($0) } ?? -1)
        guard pid > 0 else {
            throw LaunchError(description: "cannot start \(executable): \(String(cString: strerror(errno)))")
        }
        stdinPipe.closeRead()
        stdoutPipe.closeWrite()
        stderrPipe.closeWrite()
        extraPipe?.closeRead()
        return pump(pid: pid, stdin: stdinPipe, stdout: stdoutPipe.read, stderr: stderrPipe.read)
    }

    private func pump(pid: pid_t, stdin: Pipe2, stdout: Int32, stderr: Int32) -> Outcome {
        var outcome = Outcome()
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        var pending = stdin.write >= 0 && !self.stdin.isEmpty ? self.stdin[...] : Data()[...]
        if pending.isEmpty { stdin.closeWrite() } else { _ = fcntl(stdin.write, F_SETFL, O_NONBLOCK) }
        var open = (stdout: true, stderr: true)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.stdout || open.stderr {
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline {
                outcome.timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                break
            }
            var fds: [pollfd] = []
            if open.stdout { fds.append(pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)) }
            if open.stderr { fds.append(pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)) }
            if !pending.isEmpty { fds.append(pollfd(fd: stdin.write, events: Int16(POLLOUT), revents: 0)) }
            let wait = Int32(min(1000, (deadline - now) / 1_000_000 + 1))
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdin.write {
                    let written = pending.withUnsafeBytes { write(stdin.write, $0.baseAddress, min($0.count, 65536)) }
                    if written > 0 { pending = pending.dropFirst(written) }
                    if written < 0 && errno != EAGAIN && errno != EINTR { pending = Data()[...] }
                    if pending.isEmpty { stdin.closeWrite() }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count <= 0 {
                    if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        if entry.fd == stdout { open.stdout = false } else { open.stderr = false }
                    }
                    continue
                }
                if entry.fd == stdout {
                    outcome.stdout.append(contentsOf: buffer[0..<count])
                    if outcome.stdout.count > stdoutLimit {
                        outcome.stdout = outcome.stdout.prefix(stdoutLimit)
                        outcome.stdoutOverflowed = true
                        kill(-pid, SIGKILL)
                        kill(pid, SIGKILL)
                    }
                } else if outcome.stderr.count < stderrLimit {
                    outcome.stderr.append(contentsOf: buffer[0..<min(count, stderrLimit - outcome.stderr.count)])
                }
            }
        }
        stdin.closeWrite()
        var status: Int32 = 0
        // The pipes can close before the program ends; the deadline still holds.
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            if DispatchTime.now().uptimeNanoseconds >= deadline {
                outcome.timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(1_000)
        }
        if status & 0x7F == 0 {
            outcome.status = (status >> 8) & 0xFF
        } else {
            outcome.signal = status & 0x7F
        }
        return outcome
    }

    private func writeAll(_ data: Data, to fd: Int32) throws {
        var offset = 0
        try data.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw LaunchError(description: "cannot write to child: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }
}

/// A pipe whose ends are closed once, whichever path closes them first.
final class Pipe2 {
    private(set) var read: Int32
    private(set) var write: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard cadet_pipe_cloexec(&fds) == 0 else {
            throw ChildProcess.LaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        read = fds[0]
        write = fds[1]
    }

    func closeRead() {
        if read >= 0 { close(read); read = -1 }
    }

    func closeWrite() {
        if write >= 0 { close(write); write = -1 }
    }

    func closeBoth() {
        closeRead()
        closeWrite()
    }
}
