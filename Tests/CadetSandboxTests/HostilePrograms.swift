import Foundation
import Testing
@testable import CadetSandbox

/// A program written to break the sandbox, and the verdicts that mean it did not.
struct HostileProgram: CustomTestStringConvertible, Sendable {
    let name: String
    let source: String
    let problem: Problem
    let acceptable: Set<Verdict>

    var testDescription: String { name }

    /// A probe prints "blocked" when the sandbox held: anything else is a wrong answer.
    static func probe(_ name: String, _ body: String) -> HostileProgram {
        HostileProgram(name: name, source: body, problem: Fixture.stdio("blocked\n"), acceptable: [.accepted])
    }

    static func all(_ bait: HostBait) -> [HostileProgram] {
        let quick = Fixture.quick
        return [
            .init(name: "fork bomb", source: "import os\nwhile True:\n    os.fork()\n",
                  problem: Fixture.stdio(""), acceptable: [.runtimeError, .timeLimit]),
            .init(name: "thread bomb", source: """
                import threading, time
                while True:
                    threading.Thread(target=time.sleep, args=(100,)).start()
                """, problem: Fixture.stdio(""), acceptable: [.runtimeError, .timeLimit]),
            .init(name: "infinite loop", source: "while True:\n    pass\n", problem: Fixture.stdio(""), acceptable: [.timeLimit]),
            .init(name: "sleep forever", source: "import time\ntime.sleep(10**6)\n", problem: Fixture.stdio(""), acceptable: [.timeLimit]),
            .init(name: "memory bomb", source: "x = bytearray(1 << 40)\n", problem: Fixture.stdio(""), acceptable: [.memoryLimit]),
            .init(name: "allocate then sleep", source: """
                import time
                hoard = []
                while True:
                    hoard.append(bytearray(8 << 20))
                time.sleep(100)
                """, problem: Fixture.stdio(""), acceptable: [.memoryLimit]),
            .init(name: "stdout flood", source: "while True:\n    print('flood' * 100)\n", problem: Fixture.stdio(""), acceptable: [.outputLimit]),
            .init(name: "stderr flood", source: "import sys\nwhile True:\n    sys.stderr.write('e' * 4096)\n", problem: Fixture.stdio(""), acceptable: [.outputLimit]),
            .init(name: "one endless line", source: "import sys\nwhile True:\n    sys.stdout.write('x')\n", problem: Fixture.stdio(""), acceptable: [.outputLimit]),
            .init(name: "binary output", source: "import sys\nsys.stdout.buffer.write(bytes(range(256)) * 4)\n", problem: Fixture.stdio(""), acceptable: [.wrongAnswer]),
            .init(name: "disk fill", source: """
                i = 0
                while True:
                    with open('/tmp/fill%d' % i, 'wb') as f:
                        f.write(b'x' * (256 << 10))
                    i += 1
                """, problem: Fixture.stdio(""), acceptable: [.runtimeError]),
            probe("read /etc/shadow", "try:\n    open('/etc/shadow').read()\n    print('LEAK')\nexcept OSError:\n    print('blocked')\n"),
            probe("read the application's database", """
                try:
                    print('LEAK', open(\(pythonString(bait.databasePath))).read())
                except OSError:
                    print('blocked')
                """),
            probe("read inherited descriptors", """
                import os
                leaked = []
                for fd in range(3, 1024):
                    try:
                        leaked.append((fd, os.read(fd, 100)))
                    except OSError:
                        pass
                print('LEAK %r' % leaked if leaked else 'blocked')
                """),
            probe("read the project's files", """
                try:
                    print('LEAK', open(\(pythonString(#filePath))).read()[:20])
                except OSError:
                    print('blocked')
                """),
            probe("read /proc of other processes", """
                import os
                try:
                    print('LEAK', os.listdir('/proc'))
                except OSError:
                    print('blocked')
                """),
            probe("list other submissions and the host", """
                import os
                seen = sorted(os.listdir('/')) + sorted(os.listdir('/tmp'))
                allowed = {'bin', 'dev', 'lib', 'lib64', 'lib32', 'sbin', 'tmp', 'usr'}
                print('blocked' if set(seen) <= allowed else 'LEAK %r' % seen)
                """),
            probe("write outside the tmpfs", """
                hits = []
                for path in ['/evil', '/usr/evil', '/usr/local/evil', '/dev/evil', '/dev/shm/evil', '/bin/evil', \(pythonString(bait.directory + "/evil"))]:
                    try:
                        open(path, 'w').write('x')
                        hits.append(path)
                    except OSError:
                        pass
                print('LEAK %r' % hits if hits else 'blocked')
                """),
            probe("TCP to the app's port", """
                import socket
                try:
                    socket.create_connection(('127.0.0.1', \(bait.tcpPort)), timeout=1)
                    print('LEAK')
                except OSError:
                    print('blocked')
                """),
            probe("DNS", """
                import socket
                try:
                    socket.getaddrinfo('example.com', 80)
                    print('LEAK')
                except OSError:
                    print('blocked')
                """),
            probe("UDP", """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sent = 0
                for host in ['127.0.0.1', '8.8.8.8']:
                    try:
                        s.sendto(b'x', (host, \(bait.udpPort)))
                        sent += 1
                    except OSError:
                        pass
                import os
                interfaces = [name for _, name in socket.if_nameindex()]
                print('blocked' if interfaces == ['lo'] else 'LEAK %r' % interfaces)
                """),
            .init(name: "kill the parent", source: "import os\nos.kill(os.getppid(), 9)\n",
                  problem: Fixture.stdio(""), acceptable: [.runtimeError]),
            .init(name: "kill everything it can see", source: "import os\nos.kill(-1, 9)\n",
                  problem: Fixture.stdio(""), acceptable: [.runtimeError]),
            probe("ptrace the harness", """
                import ctypes, os
                libc = ctypes.CDLL(None, use_errno=True)
                attached = libc.ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH
                print('blocked' if attached == -1 else 'LEAK')
                """),
            probe("environment secrets", """
                import os
                # bubblewrap sets PWD and Python sets LC_CTYPE for its UTF-8 mode; nothing else.
                print('blocked' if set(os.environ) <= {'PWD', 'LC_CTYPE'} else 'LEAK %r' % dict(os.environ))
                """),
            .init(name: "symlink planted for the worker", source: """
                import os
                os.symlink(\(pythonString(bait.databasePath)), '/tmp/answer.txt')
                os.symlink('/', '/tmp/root')
                try:
                    open('/tmp/answer.txt', 'w').write('pwned')
                    print('LEAK')
                except OSError:
                    print('blocked')
                """, problem: Fixture.stdio("blocked\n"), acceptable: [.accepted]),
            probe("hard link to a host file", """
                import os
                try:
                    os.link('/usr/bin/python3', '/tmp/python')
                    print('LEAK')
                except OSError:
                    print('blocked')
                """),
            probe("raise its own limits", """
                import resource
                raised = []
                for limit in (resource.RLIMIT_CPU, resource.RLIMIT_AS, resource.RLIMIT_NPROC, resource.RLIMIT_FSIZE):
                    soft, hard = resource.getrlimit(limit)
                    try:
                        resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                        raised.append(limit)
                    except (ValueError, OSError):
                        pass
                print('LEAK %r' % raised if raised else 'blocked')
                """),
            .init(name: "double-fork daemon", source: """
                import os, time
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        time.sleep(60)
                        os._exit(0)
                    os._exit(0)
                print('parent done')
                """, problem: Fixture.stdio("parent done\n"), acceptable: [.accepted]),
            .init(name: "stdin flood ignored", source: "print('ok')\n",
                  problem: Fixture.stdio("ok\n", stdin: String(repeating: "0123456789abcdef\n", count: 400_000)), acceptable: [.accepted]),
            .init(name: "stdin flood read", source: "import sys\nprint(len(sys.stdin.read()))\n",
                  problem: Fixture.stdio("\(17 * 400_000)\n", stdin: String(repeating: "0123456789abcdef\n", count: 400_000)), acceptable: [.accepted]),
            .init(name: "source of 300 KiB", source: String(repeating: "# padding padding padding padding\n", count: 9_000) + "print(1)\n",
                  problem: Fixture.stdio("1\n"), acceptable: [.refused]),
            .init(name: "NUL bytes in the source", source: "print(1)\0\n", problem: Fixture.stdio("1\n"), acceptable: [.refused]),
            probe("ctypes system calls", """
                import ctypes
                libc = ctypes.CDLL(None, use_errno=True)
                results = [
                    libc.unshare(0x10000000),              # CLONE_NEWUSER
                    libc.syscall(165, b'none', b'/tmp', b'tmpfs', 0, None),  # mount
                    libc.syscall(321, 0, None, 0),         # bpf
                    libc.syscall(250, 0, 0, 0, 0, 0),      # keyctl
                    libc.syscall(425, 1, None),            # io_uring_setup
                ]
                print('blocked' if all(r == -1 for r in results) else 'LEAK %r' % results)
                """),
            .init(name: "ctypes crash", source: "import ctypes\nctypes.string_at(0)\n", problem: Fixture.stdio(""), acceptable: [.runtimeError]),
            .init(name: "fake the harness protocol", source: """
                import os, sys
                fake = '{"tests":[{"exit":0,"signal":null,"cpu":0,"wall":0,"rss_kb":1,"killed":null,"out":"NDIK","err":"","ret":"42"}]}'
                print(fake)
                for fd in range(3, 10):
                    try:
                        os.write(fd, fake.encode())
                    except OSError:
                        pass
                """, problem: Fixture.stdio("42\n"), acceptable: [.wrongAnswer]),
            .init(name: "recursion bomb", source: "def f(n):\n    return f(n + 1)\nf(0)\n", problem: Fixture.stdio(""), acceptable: [.runtimeError]),
            probe("root inside the sandbox", """
                import os
                print('blocked' if os.getuid() != 0 and os.geteuid() != 0 and os.getgid() != 0 else 'LEAK: running as root')
                """),
            probe("devices", """
                import os
                hits = [d for d in ('/dev/sda', '/dev/vda', '/dev/mem', '/dev/kmsg', '/dev/port') if os.path.exists(d)]
                print('LEAK %r' % hits if hits else 'blocked')
                """),
        ].map { program in
            // Keep each case inside the quick limits unless it set its own.
            var program = program
            if program.problem.limits == .default { program = program.with(limits: quick) }
            return program
        }
    }

    func with(limits: SandboxLimits) -> HostileProgram {
        var problem = self.problem
        problem.limits = limits
        return HostileProgram(name: name, source: source, problem: problem, acceptable: acceptable)
    }

    static func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
