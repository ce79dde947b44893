import Foundation

/// A classic-BPF seccomp program that bubblewrap loads (`--seccomp FD`) before it starts the
/// harness. Namespaces and rlimits already contain a submission; this closes the kernel
/// interfaces a same-user process could use to reach the harness or the host: ptrace and
/// cross-process memory or descriptor access, kernel keyrings, BPF, io_uring, mounts, modules.
enum SeccompFilter {
    private static let loadWord: UInt16 = 0x20      // BPF_LD | BPF_W | BPF_ABS
    private static let jumpIfEqual: UInt16 = 0x15   // BPF_JMP | BPF_JEQ | BPF_K
    private static let jumpIfAtLeast: UInt16 = 0x35 // BPF_JMP | BPF_JGE | BPF_K
    private static let returnConstant: UInt16 = 0x06 // BPF_RET | BPF_K
    private static let allow: UInt32 = 0x7FFF_0000
    private static let killProcess: UInt32 = 0x8000_0000
    private static let errno: UInt32 = 0x0005_0000
    private static let eperm: UInt32 = 1
    private static let enosys: UInt32 = 38

    struct Architecture {
        let auditArch: UInt32
        let denied: [UInt32]
        /// clone3 takes its flags in memory, where a filter cannot look; ENOSYS makes glibc fall
        /// back to clone.
        let clone3: UInt32
        /// x32 system calls on x86-64 carry this bit and would slip past the numbers above.
        let x32Bit: UInt32?
    }

    static let x86_64 = Architecture(
        auditArch: 0xC000_003E,
        denied: [
            101, 310, 311, 438, 440, // ptrace, process_vm_readv/writev, pidfd_getfd, process_madvise
            312, 323, 298, 321,      // kcmp, userfaultfd, perf_event_open, bpf
            248, 249, 250,           // add_key, request_key, keyctl
            425, 426, 427,           // io_uring_setup/enter/register
            165, 166, 155, 442, 428, 429, 430, 431, 432, 433, // mount family, pivot_root
            272, 308,                // unshare, setns
            135, 163, 179, 103,      // personality, acct, quotactl, syslog
            246, 320, 175, 313, 176, // kexec_load, kexec_file_load, init/finit/delete_module
            169, 167, 168,           // reboot, swapon, swapoff
            303, 304, 212, 447,      // name_to_handle_at, open_by_handle_at, lookup_dcookie, memfd_secret
        ],
        clone3: 435,
        x32Bit: 0x4000_0000
    )

    static let aarch64 = Architecture(
        auditArch: 0xC000_00B7,
        denied: [
            117, 270, 271, 438, 440,
            272, 282, 241, 280,
            217, 218, 219,
            425, 426, 427,
            40, 39, 41, 442, 428, 429, 430, 431, 432, 433,
            97, 268,
            92, 89, 60, 116,
            104, 294, 105, 273, 106,
            142, 224, 225,
            264, 265, 18, 447,
        ],
        clone3: 435,
        x32Bit: nil
    )

    static var native: Architecture? {
        #if arch(x86_64)
        x86_64
        #elseif arch(arm64)
        aarch64
        #else
        nil
        #endif
    }

    /// The program as the kernel's `struct sock_filter` array, ready to write to bubblewrap.
    static func program(for arch: Architecture) -> Data {
        var instructions: [(UInt16, UInt8, UInt8, UInt32)] = []
        // Tail layout, counted back from the end: [deny EPERM] [deny ENOSYS] [kill].
        let checks = arch.denied.count + 1 + (arch.x32Bit == nil ? 0 : 1)
        instructions.append((loadWord, 0, 0, 4)) // seccomp_data.arch
        // Wrong architecture: jump over the checks and the allow to the kill.
        instructions.append((jumpIfEqual, 0, UInt8(checks + 1 + 1 + 2), arch.auditArch))
        instructions.append((loadWord, 0, 0, 0)) // seccomp_data.nr
        var remaining = checks
        if let x32 = arch.x32Bit {
            // From here, +1 is the next check; the EPERM return sits after the allow.
            instructions.append((jumpIfAtLeast, UInt8(remaining), 0, x32))
            remaining -= 1
        }
        for number in arch.denied {
            instructions.append((jumpIfEqual, UInt8(remaining), 0, number))
            remaining -= 1
        }
        instructions.append((jumpIfEqual, 1 + 1, 0, arch.clone3))
        instructions.append((returnConstant, 0, 0, allow))
        instructions.append((returnConstant, 0, 0, errno | eperm))
        instructions.append((returnConstant, 0, 0, errno | enosys))
        instructions.append((returnConstant, 0, 0, killProcess))
        var data = Data(capacity: instructions.count * 8)
        for (code, jt, jf, k) in instructions {
            withUnsafeBytes(of: code.littleEndian) { data.append(contentsOf: $0) }
            data.append(jt)
            data.append(jf)
            withUnsafeBytes(of: k.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }
}
