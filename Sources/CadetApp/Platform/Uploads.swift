import Vapor

extension Request {
    /// The file a multipart form sent in `field`, or nil when none (or an empty one) came. A
    /// body that cannot be read at all never gets here: CSRFMiddleware answers it with 400.
    func uploadedFile(_ field: String = "file") -> File? {
        guard let file = (try? content.get(File.self, at: field)), file.data.readableBytes > 0 else { return nil }
        return file
    }
}
