import Foundation
import Testing
@testable import CadetSandbox

@Suite("Seccomp filter")
struct SeccompFilterTests {
    @Test("the program is whole instructions and every jump lands inside it")
    func wellFormed() throws {
        for arch in [SeccompFilter.x86_64, SeccompFilter.aarch64] {
            let program = SeccompFilter.program(for: arch)
            #expect(program.count % 8 == 0)
            let count = program.count / 8
            for index in 0..<count {
                let code = UInt16(program[index * 8]) | UInt16(program[index * 8 + 1]) << 8
                let jt = Int(program[index * 8 + 2]), jf = Int(program[index * 8 + 3])
                if code & 0x07 == 0x05 { // a jump
                    #expect(index + 1 + jt < count)
                    #expect(index + 1 + jf < count)
                }
            }
            // The last instruction kills: anything not matched on a foreign architecture dies.
            let lastK = program.suffix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            #expect(UInt32(littleEndian: lastK) == 0x8000_0000)
        }
    }

    @Test("the x86-64 numbers are the kernel's, where the headers are installed")
    func numbersMatchKernelHeaders() throws {
        let header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
        guard let text = try? String(contentsOfFile: header, encoding: .utf8) else { return }
        var numbers: [String: UInt32] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("#define __NR_") {
            let parts = line.split(separator: " ")
            if parts.count == 3, let n = UInt32(parts[2]) { numbers[String(parts[1].dropFirst(5))] = n }
        }
        for name in ["ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "bpf", "keyctl",
                     "io_uring_setup", "mount", "unshare", "setns", "userfaultfd", "perf_event_open", "kexec_load"] {
            let number = try #require(numbers[name], "\(name) missing from \(header)")
            #expect(SeccompFilter.x86_64.denied.contains(number), "\(name) (\(number)) is not denied")
        }
        #expect(numbers["clone3"] == SeccompFilter.x86_64.clone3)
    }
}
