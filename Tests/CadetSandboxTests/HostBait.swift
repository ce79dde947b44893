#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Things on the host a hostile program would like to reach: a database file (also held open
/// without close-on-exec, as a careless server might), a secret in the environment, a TCP port
/// and a UDP port on 127.0.0.1. Each check says whether any of them was touched.
final class HostBait: @unchecked Sendable {
    static let shared = HostBait()

    let directory: String
    let databasePath: String
    let databaseContents = "SQLite format 3 -- SECRET-DATABASE-CONTENTS"
    let secretName = "CADET_BAIT_SECRET"
    let secretValue = "hunter2-\(UUID().uuidString)"
    let tcpPort: UInt16
    let udpPort: UInt16
    private let tcpSocket: Int32
    private let udpSocket: Int32
    private let openDatabase: Int32

    private init() {
        directory = NSTemporaryDirectory() + "cadet-bait-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        databasePath = directory + "/cadet.sqlite"
        try! databaseContents.write(toFile: databasePath, atomically: true, encoding: .utf8)
        openDatabase = open(databasePath, O_RDWR) // deliberately without O_CLOEXEC
        setenv(secretName, secretValue, 1)
        (tcpSocket, tcpPort) = HostBait.listen(type: Int32(SOCK_STREAM.rawValue))
        (udpSocket, udpPort) = HostBait.listen(type: Int32(SOCK_DGRAM.rawValue))
        // The bait must outlive every test in the process, so it is removed when the process exits.
        atexit { try? FileManager.default.removeItem(atPath: HostBait.shared.directory) }
    }

    /// Whether anything reached the bait, with what it was.
    func touched() -> [String] {
        var found: [String] = []
        let contents = try? String(contentsOfFile: databasePath, encoding: .utf8)
        if contents != databaseContents { found.append("database file changed") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        if entries != ["cadet.sqlite"] { found.append("bait directory now holds \(entries)") }
        var address = sockaddr()
        var length = socklen_t(MemoryLayout<sockaddr>.size)
        let connection = accept(tcpSocket, &address, &length)
        if connection >= 0 { close(connection); found.append("a TCP connection reached 127.0.0.1:\(tcpPort)") }
        var byte: UInt8 = 0
        if recv(udpSocket, &byte, 1, Int32(MSG_DONTWAIT)) >= 0 { found.append("a UDP packet reached 127.0.0.1:\(udpPort)") }
        return found
    }

    private static func listen(type: Int32) -> (Int32, UInt16) {
        let fd = socket(AF_INET, type, 0)
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, size)
                _ = getsockname(fd, pointer, &size)
            }
        }
        if type == Int32(SOCK_STREAM.rawValue) { _ = Glibc.listen(fd, 16) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
