#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Builds the command line that runs the harness: under bubblewrap, or (for the benchmark's
/// floor only) as plain python3. Every argument is an array element; nothing from a submission
/// is ever part of a command line.
struct Launcher: Sendable {
    enum Isolation: Sendable {
        case bubblewrap
        /// No isolation at all. Used only to measure the harness's own cost in `cadet bench`.
        case none
    }

    let configuration: SandboxConfiguration
    let isolation: Isolation
    let harness: String

    /// Processes that exist under the run's user inside its namespace before the submission
    /// starts: bubblewrap's init, the harness and the child itself.
    static let processBase = 3

    var runsAsRoot: Bool { geteuid() == 0 }

    /// The command, and the user it must run as (a user id of its own when the worker is root:
    /// RLIMIT_NPROC does not apply to root, and root would own the machine's files).
    func command(limits: SandboxLimits, userID: UInt32) -> (executable: String, arguments: [String], user: UInt32?) {
        let python = [configuration.python, "-I", "-S", "-B", "-X", "utf8", "-c", harness]
        guard isolation == .bubblewrap else {
            return (configuration.python, Array(python.dropFirst()), nil)
        }
        var bwrap = [
            "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session", "--clearenv",
            "--hostname", "sandbox",
            "--ro-bind", "/usr", "/usr",
            "--tmpfs", "/usr/local", "--remount-ro", "/usr/local",
        ]
        bwrap += Launcher.topLevelLinks()
        bwrap += [
            // /dev and / are tmpfs mounts of bubblewrap's own: read-only, so the size-limited /tmp
            // is the only place a submission can write.
            "--dev", "/dev", "--remount-ro", "/dev",
            "--perms", "1777", "--size", String(limits.tmpMiB << 20), "--tmpfs", "/tmp",
            "--remount-ro", "/",
            "--chdir", "/tmp",
        ]
        if SeccompFilter.native != nil { bwrap += ["--seccomp", "3"] }
        bwrap += ["--"] + python
        return (configuration.bubblewrap, bwrap, runsAsRoot ? userID : nil)
    }

    /// /bin, /lib and friends: symbolic links into /usr on merged-/usr systems (Debian 12), real
    /// directories on older ones.
    static func topLevelLinks() -> [String] {
        var arguments: [String] = []
        for path in ["/bin", "/sbin", "/lib", "/lib32", "/lib64"] {
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { continue }
                arguments += ["--symlink", target, path]
            } else if info.st_mode & S_IFMT == S_IFDIR {
                arguments += ["--ro-bind", path, path]
            }
        }
        return arguments
    }
}
