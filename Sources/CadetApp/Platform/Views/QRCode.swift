import CadetCore
import CQREncode
import Foundation

/// A QR code drawn by libqrencode, as a matrix of modules and as an SVG a page can inline.
struct QRCode: Sendable {
    /// Rows of modules, `true` for dark.
    let modules: [[Bool]]

    /// Medium error correction: a code on a projector screen photographed from the back of a
    /// room still reads.
    init?(_ text: String) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        modules = (0..<width).map { row in (0..<width).map { column in code.pointee.data[row * width + column] & 1 == 1 } }
    }

    var width: Int { modules.count }

    /// An SVG with a four-module quiet zone, one path for all dark modules.
    func svg(label: String) -> String {
        let size = width + 8
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size) \(size)\" shape-rendering=\"crispEdges\" role=\"img\" class=\"qr\">"
            + "<title>\(HTMLText.escape(label))</title><rect width=\"\(size)\" height=\"\(size)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }

    /// A plain PGM image (`scale` pixels a module), the simplest format a decoder reads.
    func pgm(scale: Int = 8) -> Data {
        let size = (width + 8) * scale
        var pixels = [UInt8](repeating: 255, count: size * size)
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark {
                for dy in 0..<scale { for dx in 0..<scale { pixels[((y + 4) * scale + dy) * size + (x + 4) * scale + dx] = 0 } }
            }
        }
        return Data("P5\n\(size) \(size)\n255\n".utf8) + Data(pixels)
    }
}
