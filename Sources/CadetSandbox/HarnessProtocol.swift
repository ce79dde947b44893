import Foundation

/// What the grader sends to harness.py: only inputs, never expected outputs.
///
/// Wire format (bytes): one header line
/// `kind function isolated cpu_seconds wall_seconds memory_bytes output_bytes file_bytes open_files processes test_count`,
/// then the source and each test's input (stdin, or the JSON array of arguments), each written as
/// a decimal length, a newline and that many bytes.
struct HarnessRequest {
    let data: Data

    init(source: String, problem: Problem, processBase: Int, isolated: Bool) {
        let l = problem.limits
        let function = problem.function.map { $0.isEmpty ? "-" : $0 } ?? "-"
        let header = [
            problem.kind.rawValue, function, isolated ? "1" : "0",
            String(l.cpuSeconds), String(l.wallSeconds), String(l.memoryMiB << 20), String(l.outputKiB << 10),
            String(l.fileKiB << 10), String(l.openFiles),
            // RLIMIT_NPROC counts the run's own processes too (see `Launcher.processBase`).
            String(processBase + l.processes), String(problem.tests.count),
        ].joined(separator: " ")
        var data = Data((header + "\n").utf8)
        func blob(_ bytes: Data) {
            data.append(Data("\(bytes.count)\n".utf8))
            data.append(bytes)
        }
        blob(Data(source.utf8))
        for test in problem.tests {
            switch problem.kind {
            case .stdio: blob(Data((test.stdin ?? "").utf8))
            case .function: blob(Data(JSONValue.array(test.args ?? []).description.utf8))
            }
        }
        self.data = data
    }
}

/// What harness.py reports: either `C <length>` and the compiler's message, or per test
/// `T exit signal cpu wall rss killed out_length err_length ret_length` followed by the three
/// blobs (-1 means none). Anything malformed or cut short ends the parse; the tests it did not
/// reach count as not run.
struct HarnessReport {
    struct Outcome {
        let exit: Int?
        let signal: Int32?
        let cpu: Double
        let wall: Double
        let rssKb: Int
        let killed: String?
        let out: Data
        let err: String
        let ret: String?
    }

    var compileError: String?
    var tests: [Outcome] = []

    init?(parsing data: Data) {
        var reader = ByteReader(data)
        guard let first = reader.line() else { return nil }
        let fields = first.split(separator: " ")
        if fields.first == "C" {
            guard fields.count == 2, let length = Int(fields[1]), let message = reader.bytes(length) else { return nil }
            compileError = String(decoding: message, as: UTF8.self)
            return
        }
        var line: Substring? = first[...]
        while let current = line {
            let f = current.split(separator: " ")
            guard f.count == 10, f[0] == "T", let exit = Int(f[1]), let signal = Int32(f[2]), let cpu = Double(f[3]),
                  let wall = Double(f[4]), let rss = Int(f[5]), let outLength = Int(f[7]), let errLength = Int(f[8]),
                  let retLength = Int(f[9]), let out = reader.bytes(outLength), let err = reader.bytes(errLength),
                  let ret = retLength < 0 ? Data() : reader.bytes(retLength) else {
                break
            }
            tests.append(Outcome(exit: exit < 0 ? nil : exit, signal: signal < 0 ? nil : signal, cpu: cpu, wall: wall, rssKb: rss,
                                 killed: f[6] == "-" ? nil : String(f[6]), out: out,
                                 err: String(decoding: err, as: UTF8.self),
                                 ret: retLength < 0 ? nil : String(decoding: ret, as: UTF8.self)))
            line = reader.line()?[...]
        }
        if tests.isEmpty && !data.isEmpty { return nil }
    }
}

/// Reads lines and counted byte runs from the harness's output.
struct ByteReader {
    private let data: Data
    private var position: Data.Index

    init(_ data: Data) {
        self.data = data
        self.position = data.startIndex
    }

    mutating func line() -> String? {
        guard position < data.endIndex, let newline = data[position...].firstIndex(of: 0x0A) else { return nil }
        defer { position = newline + 1 }
        return String(decoding: data[position..<newline], as: UTF8.self)
    }

    mutating func bytes(_ count: Int) -> Data? {
        guard count >= 0, data.distance(from: position, to: data.endIndex) >= count else { return nil }
        defer { position = data.index(position, offsetBy: count) }
        return data[position..<data.index(position, offsetBy: count)]
    }
}

/// Exit codes the harness uses for what it saw in the child.
enum HarnessExit {
    static let exception = 120
    static let memoryError = 121
    static let unserialisable = 122
    static let missingFunction = 123
    static let harnessFailure = 125
}
