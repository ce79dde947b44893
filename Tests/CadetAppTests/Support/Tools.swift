import Foundation

/// Runs one of the real programs the tests check Cadet's output with (zbarimg, pdftotext,
/// pdffonts, pdftoppm, python3 with PyJWT), and returns its exit status and standard output.
enum Tool {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// A scratch file that is removed when `body` returns.
    static func withFile<T>(_ data: Data, suffix: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "cadet-\(UUID().uuidString)\(suffix)"
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }
}
